from odoo import fields, models


class CleverKaspiOrderCancelWizard(models.TransientModel):
    _name = "clever.kaspi.order.cancel.wizard"
    _description = "Cancel a Kaspi order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    reason = fields.Selection(
        [
            ("BUYER_CANCELLATION_BY_MERCHANT", "The buyer asked to cancel"),
            ("BUYER_NOT_REACHABLE", "The buyer cannot be reached"),
            ("MERCHANT_OUT_OF_STOCK", "Out of stock"),
        ],
        required=True,
        default="BUYER_CANCELLATION_BY_MERCHANT",
    )
    comment = fields.Text(help="Sent to Kaspi with the cancellation (up to 1,000 characters).")

    def action_confirm(self):
        self.ensure_one()
        self.order_id._kaspi_cancel(self.reason, self.comment)
        return {"type": "ir.actions.act_window_close"}
