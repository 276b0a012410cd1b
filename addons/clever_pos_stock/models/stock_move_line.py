from odoo import fields, models

from ..tools.stock_guard import check_may_change_stock


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    clever_reason_id = fields.Many2one(related="move_id.clever_reason_id", store=True, string="Reason")
    clever_adjustment_id = fields.Many2one(related="move_id.clever_adjustment_id", store=True, string="Adjustment")

    def write(self, vals):
        # Editing a done line (unlocked transfer) changes the stock without a document.
        if {"quantity", "lot_id", "location_id", "location_dest_id", "product_id"} & set(vals) and any(
            line.state == "done" for line in self
        ):
            check_may_change_stock(self.env)
        return super().write(vals)

    def action_revert_inventory(self):
        # Reverting an inventory move from the moves history changes the stock without a document.
        check_may_change_stock(self.env)
        return super().action_revert_inventory()
