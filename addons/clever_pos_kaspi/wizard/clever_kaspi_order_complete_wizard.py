from odoo import fields, models
from odoo.exceptions import UserError


class CleverKaspiOrderCompleteWizard(models.TransientModel):
    """Handing a Kaspi order to the buyer: Kaspi sends the buyer a code, the buyer tells it."""

    _name = "clever.kaspi.order.complete.wizard"
    _description = "Complete a Kaspi order with the buyer's code"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    code_sent = fields.Boolean(related="order_id.kaspi_code_sent")
    security_code = fields.Char(string="Buyer's code")

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Hand the order to the buyer"),
        }

    def action_send_code(self):
        self.ensure_one()
        self.order_id._kaspi_send_code()
        return self._reopen()

    def action_confirm(self):
        self.ensure_one()
        if not (self.security_code or "").strip():
            raise UserError(self.env._("Type the code the buyer received."))
        self.order_id._kaspi_complete(self.security_code.strip())
        return {"type": "ir.actions.act_window_close"}
