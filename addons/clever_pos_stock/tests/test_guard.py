from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestStockGuard(CleverStockCase):
    """Quantities change by hand only through an adjustment, except for administrators; the
    normal flows (receipts, deliveries, POS sales) keep working for everybody."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_till()

    def counted_quant(self, user, qty):
        return (
            self.env["stock.quant"]
            .with_user(user)
            .with_context(inventory_mode=True)
            .create({"product_id": self.water.id, "location_id": self.stock_location.id, "inventory_quantity": qty})
        )

    def test_physical_inventory_apply_is_refused(self):
        for role in ("storekeeper", "manager"):
            quant = self.counted_quant(self.users[role], 50)
            with self.assertRaises(AccessError, msg=f"{role} cannot apply a count directly"):
                quant.action_apply_inventory()
        with self.assertRaises(AccessError):
            self.water.with_user(self.manager).qty_available = 70
        self.assertEqual(self.on_hand(self.water), 10)

    def test_forged_context_does_not_open_the_guard(self):
        quant = self.counted_quant(self.storekeeper, 50)
        for forged in (True, "1", 1, {"pass": True}):
            with self.assertRaises(AccessError):
                quant.with_context(clever_stock_guard=forged)._apply_inventory()
        with self.assertRaises(AccessError):
            quant.with_user(self.storekeeper).write({"quantity": 99})
        self.assertEqual(self.on_hand(self.water), 10)

    def test_scrap_and_done_line_edits_are_refused(self):
        scrap = self.env["stock.scrap"].with_user(self.storekeeper).create(
            {"product_id": self.water.id, "scrap_qty": 1, "location_id": self.stock_location.id, "company_id": self.company.id}
        )
        with self.assertRaises(AccessError):
            scrap.do_scrap()
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "delta", 1, "found")])
        adjustment.with_user(self.storekeeper).action_done()
        with self.assertRaises(AccessError, msg="an adjustment is corrected by a new one, not reverted"):
            adjustment.move_ids.move_line_ids.with_user(self.storekeeper).action_revert_inventory()
        receipt = self.move_goods(self.water, 5, self.supplier_location, self.stock_location)
        with self.assertRaises(AccessError):
            receipt.move_ids.move_line_ids.with_user(self.storekeeper).quantity = 50
        self.assertEqual(self.on_hand(self.water), 16)

    def test_administrator_may_use_odoo_inventory(self):
        quant = self.counted_quant(self.admin, 12)
        quant.action_apply_inventory()
        self.assertEqual(self.on_hand(self.water), 12)

    def test_normal_flows_still_work(self):
        self.move_goods(self.water, 6, self.supplier_location, self.stock_location)
        self.assertEqual(self.on_hand(self.water), 16)
        self.move_goods(self.water, 4, self.stock_location, self.customer_location)
        self.assertEqual(self.on_hand(self.water), 12)
        order = self.pos_sell([(self.water, 2)])
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(self.on_hand(self.water), 10)
        sale_move = order.picking_ids.move_ids
        self.assertEqual((sale_move.clever_move_kind, sale_move.clever_done_by_id), ("sale", self.manager))
        self.assertEqual((sale_move.clever_qty_before, sale_move.clever_qty_after), (12, 10))
