from odoo import Command
from odoo.tests import tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestMinimumStock(CleverStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.milk = cls.make_product("Молоко тест", cost=400, price=590)
        cls.milk.seller_ids = [Command.create({"partner_id": cls.supplier.id, "price": 400, "company_id": cls.company.id})]
        cls.milk.route_ids = [Command.link(cls.env.ref("purchase_stock.route_warehouse0_buy").id)]
        cls.put_stock(cls.milk, 8)
        cls.orderpoint = cls.env["stock.warehouse.orderpoint"].with_user(cls.manager).create(
            {
                "product_id": cls.milk.id,
                "warehouse_id": cls.warehouse.id,
                "company_id": cls.company.id,
                "trigger": "manual",
                "product_min_qty": 5,
                "product_max_qty": 20,
            }
        )

    def reorder_activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "=", self.milk.product_tmpl_id.id),
                ("activity_type_id", "=", self.env.ref("clever_pos_stock.mail_activity_type_clever_reorder").id),
                ("user_id", "=", self.manager.id),
            ]
        )

    def sell(self, qty):
        self.move_goods(self.milk, qty, self.stock_location, self.customer_location)

    def test_alert_fires_once_and_resets(self):
        self.sell(2)  # 6 left: above the minimum
        self.assertFalse(self.reorder_activities())
        self.assertFalse(self.orderpoint.clever_below_min)

        self.sell(2)  # 4 left: below
        activities = self.reorder_activities()
        self.assertEqual(len(activities), 1)
        self.assertTrue(self.orderpoint.clever_below_min)
        self.assertIn(self.milk, self.env["product.product"].search([("clever_below_min", "=", True)]))

        self.sell(1)  # 3 left: still below, no second alert
        self.env["stock.warehouse.orderpoint"]._cron_clever_check_minimums()
        self.assertEqual(len(self.reorder_activities()), 1)

        self.move_goods(self.milk, 10, self.supplier_location, self.stock_location)  # 13: back above
        self.assertFalse(self.orderpoint.clever_below_min)
        self.assertFalse(self.reorder_activities(), "the activity is closed when stock is back")

        self.sell(10)  # 3 again: a new alert
        self.assertEqual(len(self.reorder_activities()), 1)
        self.assertTrue(self.orderpoint.clever_notified)

    def test_reorder_list_makes_a_purchase_draft(self):
        self.sell(5)
        to_reorder = self.env["stock.warehouse.orderpoint"].with_user(self.manager).search([("clever_below_min", "=", True), ("product_id", "=", self.milk.id)])
        self.assertEqual(to_reorder, self.orderpoint)
        to_reorder.action_clever_create_purchase()
        line = self.env["purchase.order.line"].search([("product_id", "=", self.milk.id), ("order_id.partner_id", "=", self.supplier.id)])
        self.assertEqual(line.order_id.state, "draft", "a draft to check and send, not an order")
        self.assertEqual(line.product_qty, 17, "up to the maximum of 20")
