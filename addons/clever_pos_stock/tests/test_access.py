from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestStockAccess(CleverStockCase):
    def test_cashier_lookup_shows_quantity_and_price_never_cost(self):
        found = self.env["product.product"].with_user(self.cashier).clever_stock_lookup("4870204390018")
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["qty_available"], 10)
        self.assertEqual(found[0]["list_price"], 350)
        self.assertFalse({"standard_price", "cost", "value"} & set(found[0]))
        by_sku = self.env["product.product"].with_user(self.cashier).clever_stock_lookup("tst-water")
        self.assertEqual([p["id"] for p in by_sku], [self.water.id])
        by_name = self.env["product.product"].with_user(self.cashier).clever_stock_lookup("Tassay")
        self.assertIn(self.water.id, [p["id"] for p in by_name])
        self.assertEqual(self.env["product.product"].with_user(self.cashier).clever_stock_lookup(" "), [])

    def test_cashier_sees_no_costs_and_no_adjustments(self):
        quant = self.env["stock.quant"]._gather(self.water, self.stock_location)
        with self.assertRaises(AccessError):
            quant.with_user(self.cashier).read(["value"])
        with self.assertRaises(AccessError):
            self.water.with_user(self.cashier).read(["standard_price"])
        with self.assertRaises(AccessError):
            self.env["clever.stock.adjustment"].with_user(self.cashier).search([])
        with self.assertRaises(AccessError):
            self.env["clever.stock.count"].with_user(self.cashier).search([])

    def test_storekeeper_sees_stock_and_costs_but_not_the_managers_parts(self):
        keeper = self.storekeeper
        quant = self.env["stock.quant"]._gather(self.water, self.stock_location).with_user(keeper)
        self.assertTrue(quant.read(["quantity", "value"]))
        with self.assertRaises(AccessError, msg="minimum stock rules are the manager's"):
            self.env["stock.warehouse.orderpoint"].with_user(keeper).create(
                {"product_id": self.water.id, "warehouse_id": self.warehouse.id, "product_min_qty": 3, "product_max_qty": 9}
            )
        with self.assertRaises(AccessError, msg="reasons are configured by managers"):
            self.env["clever.stock.adjustment.reason"].with_user(keeper).create({"name": "Своя", "code": "own"})
        adjustment = self.make_adjustment(keeper, [(self.water, "delta", -9, "write_off")])
        adjustment.with_user(keeper).action_request_approval()
        with self.assertRaises(AccessError):
            adjustment.approval_request_id.with_user(keeper).action_approve()
        other_keeper = self.env["res.users"].create(
            {
                "name": "Second keeper",
                "login": "second_keeper",
                "group_ids": [Command.set(self.env.ref("clever_pos_base.group_clever_storekeeper").ids)],
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        with self.assertRaises(AccessError, msg="nor does another store keeper"):
            adjustment.approval_request_id.with_user(other_keeper).action_approve()
        menu = self.env.ref("clever_pos_stock.menu_clever_stock_reorder")
        visible = self.env["ir.ui.menu"].with_user(keeper)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        self.assertIn(self.env.ref("clever_pos_stock.menu_clever_stock_adjustments").id, visible)
