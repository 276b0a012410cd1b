from odoo import api, fields, models
from odoo.exceptions import UserError


class CleverDeliveryFailureReason(models.Model):
    """Why a courier could not hand an order over: the list the courier picks from on the phone."""

    _name = "clever.delivery.failure.reason"
    _description = "Delivery failure reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    note_required = fields.Boolean(string="Needs a comment", help="The courier must write what happened.")

    @api.ondelete(at_uninstall=False)
    def _unlink_if_unused(self):
        used = self.env["stock.picking"].sudo().search_count([("clever_failure_reason_id", "in", self.ids)], limit=1)
        if used:
            raise UserError(self.env._("A reason used by deliveries cannot be deleted; archive it instead."))
