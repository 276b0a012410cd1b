from odoo.tests import tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestStockCount(CleverStockCase):
    def test_spot_check_becomes_an_adjustment(self):
        categ = self.env["product.category"].create({"name": "Полка проверки"})
        juice = self.make_product("Сок тест", barcode="4870204001990", categ_id=categ.id)
        tea = self.make_product("Чай тест", categ_id=categ.id)
        self.put_stock(juice, 5)
        self.put_stock(tea, 7)
        count = self.env["clever.stock.count"].with_user(self.storekeeper).create(
            {"location_id": self.stock_location.id, "category_ids": [(6, 0, categ.ids)]}
        )
        count.action_start()
        self.assertEqual(count.state, "counting")
        self.assertEqual(set(count.line_ids.product_id.ids), {juice.id, tea.id})
        self.assertEqual(count.line_ids.filtered(lambda l: l.product_id == juice).expected_qty, 5)
        # Three juices scanned, tea counted by hand.
        for _i in range(3):
            count.on_barcode_scanned("4870204001990")
        count.line_ids.filtered(lambda l: l.product_id == tea).write({"counted_qty": 7, "is_counted": True})
        warning = count.on_barcode_scanned("0000000000000")
        self.assertIn("warning", warning)
        report = self.env["ir.actions.report"]._render_qweb_html("clever_pos_stock.report_clever_stock_count", count.ids)[0]
        self.assertIn("Сок тест", report.decode())

        action = count.action_create_adjustment()
        adjustment = count.adjustment_id
        self.assertEqual(action["res_id"], adjustment.id)
        self.assertEqual(count.state, "done")
        self.assertEqual(adjustment.count_id, count)
        self.assertEqual(len(adjustment.line_ids), 1, "only the juice differs")
        self.assertEqual(adjustment.line_ids.reason_id, self.reasons["shortage_count"])
        self.assertEqual(adjustment.line_ids.difference_qty, -2)
        adjustment.with_user(self.storekeeper).action_done()
        self.assertEqual(self.on_hand(juice), 3)

    def test_counted_quants_become_an_adjustment(self):
        quant = self.env["stock.quant"].with_user(self.manager).with_context(inventory_mode=True).create(
            {"product_id": self.water.id, "location_id": self.stock_location.id, "inventory_quantity": 11}
        )
        action = quant.with_user(self.manager).action_clever_make_adjustment()
        adjustment = self.env["clever.stock.adjustment"].browse(action["res_id"])
        self.assertEqual((adjustment.line_ids.counted_qty, adjustment.line_ids.difference_qty), (11, 1))
        self.assertEqual(adjustment.line_ids.reason_id, self.reasons["found"])
        self.assertFalse(quant.inventory_quantity_set)
