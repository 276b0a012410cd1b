from odoo import api, fields, models
from odoo.exceptions import UserError

from .sale_order import KASPI_STATES, KASPI_STATUSES


class CleverKaspiOrderStatusLog(models.Model):
    """One line of a Kaspi order's status history: what changed, who (or Kaspi) changed it,
    and when. History is never deleted."""

    _name = "clever.kaspi.order.status.log"
    _description = "Kaspi order status history"
    _order = "date desc, id desc"

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, readonly=True)
    source = fields.Selection(
        [("kaspi", "Kaspi (import)"), ("odoo", "Odoo action")], required=True, default="odoo", readonly=True
    )
    old_status = fields.Selection(KASPI_STATUSES, string="Previous status", readonly=True)
    new_status = fields.Selection(KASPI_STATUSES, string="Status", readonly=True)
    old_state = fields.Selection(KASPI_STATES, string="Previous state", readonly=True)
    new_state = fields.Selection(KASPI_STATES, string="State", readonly=True)
    note = fields.Char()

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The status history of a Kaspi order is never deleted."))
