from odoo import api, fields, models


class CleverPosReturnReason(models.Model):
    """Why goods come back: the cashier picks one at the till for every return."""

    _name = "clever.pos.return.reason"
    _description = "Return reason"
    _inherit = ["pos.load.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    comment_required = fields.Boolean(string="Comment required", help="The cashier must also write a comment.")

    @api.model
    def _load_pos_data_domain(self, data, config):
        return [("active", "=", True)]

    @api.model
    def _load_pos_data_fields(self, config):
        return ["id", "name", "sequence", "comment_required"]
