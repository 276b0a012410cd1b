from odoo import Command
from odoo.tests import tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestAverageCost(CleverStockCase):
    def buy(self, product, qty, price):
        order = self.env["purchase.order"].with_user(self.storekeeper).with_company(self.company).create(
            {
                "partner_id": self.supplier.id,
                "company_id": self.company.id,
                "order_line": [Command.create({"product_id": product.id, "product_qty": qty, "price_unit": price, "tax_ids": [Command.clear()]})],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.button_validate()
        return order

    def test_avco_after_two_receipts(self):
        rice = self.make_product("Рис тест", cost=0)
        self.assertEqual(rice.cost_method, "average")
        self.buy(rice, 10, 100)
        self.assertAlmostEqual(rice.standard_price, 100)
        self.buy(rice, 10, 130)
        self.assertAlmostEqual(rice.standard_price, 115)
        quant = self.env["stock.quant"]._gather(rice, self.stock_location)
        self.assertAlmostEqual(quant.value, 2300)
        # A write-off is valued at the average cost.
        adjustment = self.make_adjustment(self.storekeeper, [(rice, "delta", -2, "write_off")])
        self.assertAlmostEqual(adjustment.line_ids.value, -230)
        adjustment.with_user(self.storekeeper).action_done()
        self.assertAlmostEqual(rice.standard_price, 115)

    def test_demo_shop_uses_average_cost(self):
        category = self.env.ref("clever_pos_base.product_category_dairy_demo", raise_if_not_found=False)
        if not category:
            self.fail("the suite runs with demo data")
        self.assertEqual(category.with_company(self.env.ref("base.demo_company_kz")).property_cost_method, "average")
