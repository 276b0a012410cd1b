from odoo.tests import HttpCase, tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestAdjustmentTour(CleverStockCase, HttpCase):
    def test_storekeeper_sends_a_big_shortage_for_approval(self):
        self.start_tour("/odoo/action-clever_pos_stock.clever_stock_adjustment_action/new", "clever_stock_adjustment_tour", login="test_storekeeper")
        adjustment = self.env["clever.stock.adjustment"].search([("user_id", "=", self.storekeeper.id)], order="id desc", limit=1)
        self.assertEqual(adjustment.state, "to_approve")
        self.assertEqual((adjustment.line_ids.counted_qty, adjustment.line_ids.difference_qty), (2, -8))
        self.assertEqual(adjustment.approval_request_id.state, "pending")
        self.assertEqual(adjustment.approval_request_id.quantity, 8)
        self.assertEqual(adjustment.line_ids.reason_id, self.reasons["shortage_count"])
        self.assertEqual(self.on_hand(self.water), 10, "nothing moves before the approval")
