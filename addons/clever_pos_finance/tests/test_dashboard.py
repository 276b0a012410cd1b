from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CleverFinanceCase


@tagged("post_install", "-at_install")
class TestDashboard(CleverFinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        session = cls.open_session(user=cls.cashier)
        cls.yesterday_sale = cls.sell(session, [(cls.water, 1)], [(cls.pm_cash, 1160.0)])
        # Early yesterday: inside yesterday's stretch up to this time of day.
        bounds = cls.env["clever.finance.dashboard"]._period_bounds("day", cls.company)
        cls.yesterday_sale.date_order = bounds["previous_start"] + timedelta(seconds=1)
        cls.today_sales = cls.sell(session, [(cls.water, 2)], [(cls.pm_cash, 2320.0)]) | cls.sell(
            session, [(cls.juice, 1)], [(cls.pm_card, 580.0)]
        )
        cls.session = session
        cls.Dashboard = cls.env["clever.finance.dashboard"].with_user(cls.manager)

    def test_compare_with_same_stretch_of_previous_period(self):
        data = self.Dashboard.get_dashboard_data("day")
        revenue = next(card for card in data["cards"] if card["key"] == "revenue")
        self.assertEqual((revenue["value"], revenue["previous"]), (2900.0, 1160.0))
        self.assertEqual(revenue["delta"], 150.0)
        sales = next(card for card in data["cards"] if card["key"] == "sales")
        self.assertEqual((sales["value"], sales["previous"]), (2, 1))
        shifts = next(card for card in data["cards"] if card["key"] == "shifts")
        self.assertEqual(shifts["value"], 1)
        self.assertEqual(data["details"]["open_registers"], 1)
        for period in ("week", "month"):
            data = self.Dashboard.get_dashboard_data(period)
            revenue = next(card for card in data["cards"] if card["key"] == "revenue")
            self.assertGreaterEqual(revenue["value"], 2900.0)

    def test_period_bounds_are_like_for_like(self):
        Dashboard = self.env["clever.finance.dashboard"]
        # 31 March, 15:00 in Almaty (UTC+5): the month so far against February, which is shorter.
        now = datetime(2026, 3, 31, 10, 0)
        bounds = Dashboard._period_bounds("month", self.company, now=now)
        self.assertEqual((bounds["date_from"], bounds["previous_date_from"]), (fields.Date.to_date("2026-03-01"), fields.Date.to_date("2026-02-01")))
        self.assertEqual(bounds["start"], datetime(2026, 2, 28, 19, 0), "midnight in Almaty")
        self.assertEqual(bounds["previous_end"], bounds["start"] + timedelta(seconds=1), "no further than the end of February")
        bounds = Dashboard._period_bounds("day", self.company, now=now)
        self.assertEqual(bounds["previous_end"] - bounds["previous_start"], bounds["end"] - bounds["start"])
        bounds = Dashboard._period_bounds("week", self.company, now=now)
        self.assertEqual(bounds["date_from"], fields.Date.to_date("2026-03-30"), "weeks start on Monday")

    def test_figures_open_their_records(self):
        action = self.Dashboard.open_figure("revenue", "day")
        self.assertEqual(self.env["pos.order"].search(action["domain"]), self.today_sales)
        action = self.Dashboard.open_figure("shifts", "day")
        self.assertEqual(self.env["pos.session"].search(action["domain"]), self.session)
        expense = self.Expense.create({"journal_id": self.safe.id, "category_id": self.categories["other"].id, "amount": 700.0})
        expense.action_post()
        action = self.Dashboard.open_figure("expenses", "day")
        self.assertEqual(self.env["clever.finance.expense"].search(action["domain"]), expense)
        action = self.Dashboard.open_figure("account", "day", self.safe.id)
        lines = self.env["account.move.line"].search(action["domain"])
        self.assertEqual(lines.move_id, expense.move_id)
        for key in ("sales", "average", "returns", "profit", "low_stock", "overdue", "debts", "transit", "accounts"):
            self.assertEqual(self.Dashboard.open_figure(key, "day")["type"], "ir.actions.act_window", key)

    def test_low_stock_from_reordering_rules(self):
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        rule = self.env["stock.warehouse.orderpoint"].create(
            {"product_id": self.juice.id, "warehouse_id": warehouse.id, "location_id": warehouse.lot_stock_id.id, "product_min_qty": 5, "product_max_qty": 20}
        )
        data = self.Dashboard.get_dashboard_data("day")
        self.assertEqual(next(card for card in data["cards"] if card["key"] == "low_stock")["value"], 1)
        action = self.Dashboard.open_figure("low_stock", "day")
        self.assertEqual(self.env["stock.warehouse.orderpoint"].search(action["domain"]), rule)

    def test_dashboard_is_for_managers(self):
        for role in ("accountant", "cashier", "storekeeper", "courier"):
            with self.assertRaises(AccessError, msg=role):
                self.env["clever.finance.dashboard"].with_user(self.users[role]).get_dashboard_data("day")
        self.env["clever.finance.dashboard"].with_user(self.users["admin"]).get_dashboard_data("day")
