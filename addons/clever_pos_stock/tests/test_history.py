from odoo.tests import tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestMovementHistory(CleverStockCase):
    def test_every_move_with_document_reason_user_and_balance(self):
        self.move_goods(self.water, 5, self.supplier_location, self.stock_location)
        self.move_goods(self.water, 3, self.stock_location, self.customer_location, user=self.manager)
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "delta", -1, "damage")])
        adjustment.with_user(self.storekeeper).action_done()

        action = self.product.with_user(self.storekeeper).action_clever_stock_history()
        moves = self.env["stock.move"].with_user(self.storekeeper).search(action["domain"] + [("state", "=", "done")], order="id")
        history = [
            (m.clever_move_kind, m.clever_qty_before, m.clever_signed_qty, m.clever_qty_after, m.clever_done_by_id, m.clever_reason_id.code or False)
            for m in moves
        ]
        self.assertEqual(
            history[-3:],
            [
                ("receipt", 10, 5, 15, self.storekeeper, False),
                ("sale", 15, -3, 12, self.manager, False),
                ("adjustment", 12, -1, 11, self.storekeeper, "damage"),
            ],
        )
        self.assertTrue(moves[-2].reference.startswith(self.warehouse.out_type_id.sequence_code) or moves[-2].picking_id)
        self.assertIn(adjustment.name, moves[-1].reference)
