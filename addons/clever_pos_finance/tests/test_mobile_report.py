from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CleverFinanceCase


class CleverMobileReportCase(CleverFinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opening_balance(cls.safe, 50000.0)
        session = cls.open_session()
        cls.sell(session, [(cls.water, 2)], [(cls.pm_cash, 2320.0)])
        cls.sell(session, [(cls.juice, 1)], [(cls.pm_card, 580.0)])
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": cls.juice.id,
                "warehouse_id": cls.warehouse.id,
                "location_id": cls.warehouse.lot_stock_id.id,
                "product_min_qty": 5,
                "product_max_qty": 10,
                "company_id": cls.company.id,
            }
        )
        cls.env["stock.warehouse.orderpoint"]._clever_check_products(cls.juice, cls.company)
        customers = cls.env.ref("stock.stock_location_customers")
        cls.delivery = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.warehouse.out_type_id.id,
                "location_id": cls.warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "partner_id": cls.customer.id,
                "clever_is_delivery": True,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": cls.water.id,
                            "product_uom_qty": 1,
                            "product_uom": cls.water.uom_id.id,
                            "location_id": cls.warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        cls.delivery.action_confirm()


@tagged("post_install", "-at_install")
class TestMobileReport(CleverMobileReportCase):
    def test_day_figures(self):
        data = self.env["clever.finance.mobile.report"].with_user(self.manager).get_mobile_report()
        self.assertEqual(data["sales"]["revenue"]["value"], 2900.0)
        self.assertEqual(data["sales"]["count"], 2, "two receipts today")
        accounts = {account["id"]: account for account in data["accounts"]}
        self.assertEqual(accounts[self.safe.id]["value"], 50000.0)
        self.assertIn("50", accounts[self.safe.id]["text"])
        self.assertEqual(data["low_stock"]["count"], 1)
        self.assertIn("Сок FIN", data["low_stock"]["items"][0]["product"])
        self.assertEqual(data["open"]["deliveries_total"], 1)
        self.assertEqual({line["state"]: line["count"] for line in data["open"]["deliveries"]}["to_assign"], 1)
        self.assertGreaterEqual(data["open"]["outgoing"], 1)
        self.assertEqual(data["open"]["pos_orders"], 0)
        # The accountant sees it too; a cashier or a courier does not.
        self.assertEqual(self.env["clever.finance.mobile.report"].with_user(self.accountant).get_mobile_report()["sales"]["count"], 2)
        for role in ("cashier", "courier"):
            with self.assertRaises(AccessError):
                self.env["clever.finance.mobile.report"].with_user(self.users[role]).get_mobile_report()

    def test_few_queries(self):
        Report = self.env["clever.finance.mobile.report"].with_user(self.manager)
        Report.get_mobile_report()
        self.env.invalidate_all()
        with self.assertQueryCount(60):
            Report.get_mobile_report()


@tagged("post_install", "-at_install")
class TestMobileReportPage(CleverMobileReportCase, HttpCase):
    browser_size = "375x667"
    touch_enabled = True

    def test_page_shows_the_day(self):
        self.start_tour("/odoo/action-clever_pos_finance.clever_finance_mobile_report_action", "clever_mobile_report_tour", login="fin_manager")
