from odoo import api, fields, models


class CleverDeliveryOutcome(models.TransientModel):
    """How a delivery ended, entered in the office: handed over (cash, photo) or failed (reason)."""

    _name = "clever.delivery.outcome"
    _description = "Delivery outcome"

    picking_id = fields.Many2one("stock.picking", string="Delivery", required=True, readonly=True)
    outcome = fields.Selection([("delivered", "Delivered"), ("failed", "Failed")], required=True, default="delivered")
    currency_id = fields.Many2one(related="picking_id.clever_currency_id")
    cash_collected = fields.Monetary(
        compute="_compute_cash_collected", store=True, readonly=False, precompute=True
    )
    photo = fields.Image(string="Handover photo", max_width=1280, max_height=1280)
    reason_id = fields.Many2one("clever.delivery.failure.reason", string="Failure reason")
    note = fields.Text(string="What happened")

    @api.depends("picking_id")
    def _compute_cash_collected(self):
        for wizard in self:
            wizard.cash_collected = wizard.picking_id.clever_amount_to_collect

    def action_confirm(self):
        self.ensure_one()
        if self.outcome == "delivered":
            self.picking_id.action_clever_deliver(cash_collected=self.cash_collected, photo=self.photo)
        else:
            self.picking_id.action_clever_fail(self.reason_id.id, self.note or "")
        return {"type": "ir.actions.act_window_close"}
