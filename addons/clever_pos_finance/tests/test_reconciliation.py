from odoo import fields
from odoo.tests import tagged

from .common import CleverFinanceCase


@tagged("post_install", "-at_install")
class TestDayReconciliation(CleverFinanceCase):
    """A whole day of the shop, then the dashboard, the reports and the accounting must agree
    to the tenge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opening_balance(cls.cash_desk, 30000.0)
        cls.opening_balance(cls.bank, 100000.0)
        # Earlier today: a first shift sells on the customer's account.
        first = cls.open_session()
        cls.debt_sale = cls.sell(first, [(cls.water, 3)], [(cls.pm_debt, 3480.0)], partner=cls.customer)
        cls.close_session(first)
        cls.first_session = first

        # The day's shift.
        session = cls.open_session(user=cls.cashier)
        cls.sale_cash = cls.sell(session, [(cls.water, 2)], [(cls.pm_cash, 2320.0)])
        cls.sale_card = cls.sell(session, [(cls.juice, 1)], [(cls.pm_card, 580.0)])
        cls.sale_mixed = cls.sell(session, [(cls.water, 1), (cls.juice, 2)], [(cls.pm_cash, 1000.0), (cls.pm_card, 1320.0)])
        cls.return_order = cls.refund(cls.sale_cash, cls.pm_cash, {cls.water: 1})
        cls.till_repayment = cls.Repayment.with_user(cls.cashier).clever_create_from_pos(session.id, cls.customer.id, 1000.0)
        # The cashier counts 150 ₸ less than expected.
        expected = session.cash_register_balance_end
        cls.expected_cash = expected
        cls.close_session(session, counted_cash=expected - 150.0)
        cls.session = session

        # The office: a repayment into the bank, expenses, transfers.
        cls.office_repayment = cls.Repayment.with_user(cls.accountant).create(
            {"partner_id": cls.customer.id, "amount": 500.0, "journal_id": cls.bank.id}
        )
        cls.office_repayment.action_post()
        cls.expense_delivery = cls.Expense.with_user(cls.accountant).create(
            {"journal_id": cls.cash_desk.id, "category_id": cls.categories["delivery"].id, "amount": 12000.0}
        )
        cls.expense_delivery.action_post()
        cls.expense_rent = cls.Expense.with_user(cls.accountant).create(
            {"journal_id": cls.bank.id, "category_id": cls.categories["rent"].id, "amount": 60000.0}
        )
        cls.expense_rent.action_post()
        cls.expense_rent.approval_request_id.with_user(cls.manager).action_approve()
        cls.expense_rent.with_user(cls.accountant).action_post()
        cls.to_safe = cls.Transfer.with_user(cls.accountant).create(
            {"journal_from_id": cls.cash_desk.id, "journal_to_id": cls.safe.id, "amount": 5000.0, "date_received": fields.Date.today()}
        )
        cls.to_safe.action_post()
        cls.to_bank = cls.Transfer.with_user(cls.accountant).create(
            {"journal_from_id": cls.cash_desk.id, "journal_to_id": cls.bank.id, "amount": 3000.0}
        )
        cls.to_bank.action_post()

    def card(self, data, key):
        return next(card for card in data["cards"] if card["key"] == key)

    def test_shift_difference_is_booked_to_cash_difference_account(self):
        session = self.session
        self.assertEqual(session.state, "closed")
        self.assertEqual(self.expected_cash, 3160.0, "cash sales 2320 + 1000 - return 1160 + repayment 1000")
        self.assertEqual(self.cash_desk.loss_account_id, self.acc["7410"])
        self.assertEqual(self.cash_desk.profit_account_id, self.acc["6210"])
        loss_lines = self.env["account.move.line"].search(
            [("account_id", "=", self.acc["7410"].id), ("company_id", "=", self.company.id), ("parent_state", "=", "posted")]
        )
        self.assertEqual(sum(loss_lines.mapped("debit")), 150.0)
        self.assertEqual(loss_lines.move_id.journal_id, self.cash_desk)
        self.assertEqual(loss_lines.move_id.statement_line_id.pos_session_id, session)

        shift = self.env["clever.finance.shift.report"].with_user(self.manager).search([("session_id", "=", session.id)])
        self.assertEqual(
            (shift.expected_cash, shift.counted_cash, shift.difference, shift.has_difference, shift.user_id),
            (3160.0, 3010.0, -150.0, True, self.cashier),
        )
        first = self.env["clever.finance.shift.report"].search([("session_id", "=", self.first_session.id)])
        self.assertFalse(first.has_difference)
        per_cashier = self.env["clever.finance.shift.report"]._read_group(
            [("company_id", "=", self.company.id), ("has_difference", "=", True)], ["user_id"], ["difference:sum"]
        )
        self.assertEqual(per_cashier, [(self.cashier, -150.0)])

    def test_the_day_adds_up(self):
        company = self.company
        # -- accounting ------------------------------------------------------------------------
        income, vat = self.balance(self.acc["6010"]), self.balance(self.acc["3130"])
        self.assertEqual((income, vat), (-6500.0, -1040.0), "sales without VAT and the VAT of the day")
        self.assertEqual(self.balance(self.acc["7110"]) + self.balance(self.acc["7210"]), 72000.0)
        pnl = self.env["account.account"].search(
            [("company_ids", "in", company.id), ("account_type", "in", ("income", "income_other", "expense", "expense_depreciation", "expense_direct_cost"))]
        )
        self.assertEqual(self.balance(pnl), -6500.0 + 72000.0 + 150.0, "only sales, expenses and the shortage touch profit")
        self.assertEqual(self.balance(self.acc["transit"]), 3000.0)
        money = {journal: self.money(journal) for journal in (self.cash_desk, self.safe, self.bank, self.kaspi)}
        self.assertEqual(money, {self.cash_desk: 13010.0, self.safe: 5000.0, self.bank: 42400.0, self.kaspi: 0.0})
        self.assertEqual(
            sum(money.values()) + 3000.0,
            130000.0 + 2160.0 + 1900.0 + 1500.0 - 150.0 - 72000.0,
            "money in = opening + cash and card takings + repayments - shortage - expenses; transfers move it only",
        )
        self.assertEqual(self.customer.with_user(self.accountant)._clever_debt(company), 1980.0)
        self.assertEqual(self.balance(self.acc["1210"], [("partner_id", "=", self.customer.id)]), 1980.0)

        # -- dashboard -------------------------------------------------------------------------
        data = self.env["clever.finance.dashboard"].with_user(self.manager).get_dashboard_data("day")
        figures = {card["key"]: card["value"] for card in data["cards"]}
        self.assertEqual(figures["revenue"], 7540.0)
        self.assertEqual(figures["revenue"], -(income + vat), "dashboard revenue = sales and VAT in the books")
        self.assertEqual((figures["sales"], figures["average"], figures["returns"]), (4, 2175.0, 1160.0))
        self.assertEqual(data["details"]["returns_count"], 1)
        self.assertEqual(figures["profit"], 2600.0)
        self.assertEqual(figures["expenses"], 72000.0)
        self.assertEqual((figures["debts"], figures["overdue"], figures["transit"], figures["shifts"]), (1980.0, 0.0, 3000.0, 0))
        accounts = {account["id"]: account["balance"] for account in data["accounts"]}
        for journal, amount in money.items():
            self.assertEqual(accounts[journal.id], amount, journal.name)
        self.assertEqual(data["cash_total"], sum(money.values()))

        # -- reports ---------------------------------------------------------------------------
        wizard = self.env["clever.finance.report.wizard"].with_user(self.accountant).create({})
        summary = wizard._summary()
        self.assertEqual(
            (summary["revenue"], summary["revenue_untaxed"], summary["tax"], summary["cost"], summary["profit"]),
            (7540.0, 6500.0, 1040.0, 3900.0, 2600.0),
        )
        self.assertEqual((summary["sale_count"], summary["average"], summary["refund_count"], summary["refund_amount"]), (4, 2175.0, 1, 1160.0))
        self.assertEqual(summary["expenses"], 72000.0)
        by_payment = {method: amount for method, amount in summary["by_payment"]}
        self.assertEqual(by_payment, {self.pm_cash: 2160.0, self.pm_card: 1900.0, self.pm_debt: 3480.0})
        self.assertEqual(sum(by_payment.values()), figures["revenue"])
        self.assertEqual(dict(summary["by_register"]), {self.config: 7540.0})
        self.assertEqual(dict(summary["by_cashier"])[self.cashier], 4060.0)
        self.assertEqual(sum(amount for _user, amount in summary["by_cashier"]), 7540.0)
        self.assertEqual([(product, qty) for product, qty, _total, _margin in summary["top_products"]], [(self.water, 5.0), (self.juice, 3.0)])
        self.assertEqual(dict(summary["top_customers"]), {self.customer: 3480.0})
        self.assertEqual(dict(summary["expenses_by_category"]), {self.categories["rent"]: 60000.0, self.categories["delivery"]: 12000.0})
        vat_report = wizard._vat()
        self.assertEqual([(tax, base, tax_amount, total) for tax, base, tax_amount, total in vat_report["rows"]], [(self.vat16, 6500.0, 1040.0, 7540.0)])
        self.assertEqual(vat_report["tax"], -vat, "VAT report = VAT in the books")
        html = self.env["ir.actions.report"].with_user(self.accountant)._render_qweb_html(
            "clever_pos_finance.report_clever_sales_summary", wizard.ids
        )[0].decode()
        self.assertIn("o_clever_summary_totals", html)
        self.assertIn(self.water.name, html)

        # -- debts -----------------------------------------------------------------------------
        debts = self.env["clever.finance.debt.report"].with_user(self.accountant).search(
            [("partner_id", "=", self.customer.id), ("kind", "=", "customer")]
        )
        self.assertEqual(sum(debts.mapped("residual")), 1980.0)
        self.assertEqual(debts.pos_order_id, self.debt_sale, "the debt names the sale it comes from")
        self.assertEqual(debts.bucket, "0_30")
        till = self.Repayment.browse(self.till_repayment["id"])
        self.assertEqual((self.till_repayment["debt_before"], self.till_repayment["debt_after"]), (3480.0, 2480.0))
        self.assertEqual(till.statement_line_id.pos_session_id, self.session, "the repayment is in the shift's cash")
        self.assertEqual((self.office_repayment.debt_before, self.office_repayment.debt_after), (2480.0, 1980.0))
        self.assertEqual(self.office_repayment.matched_line_ids.clever_pos_order_id, self.debt_sale)

        # -- the day close checklist -----------------------------------------------------------
        checklist = self.env["clever.finance.day.close"].with_user(self.manager).create({})
        counts = {check: checklist[f"{check}_count"] for check in ("open_shift", "unexplained_difference", "loose_return", "draft_expense", "draft_transfer", "transit_transfer", "overdue_debt")}
        self.assertEqual(
            counts,
            {"open_shift": 0, "unexplained_difference": 1, "loose_return": 0, "draft_expense": 0, "draft_transfer": 0, "transit_transfer": 1, "overdue_debt": 0},
        )
        self.assertFalse(checklist.is_closed)
        action = checklist.with_context(clever_check="transit_transfer").action_open()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), self.to_bank)
        action = checklist.with_context(clever_check="unexplained_difference").action_open()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]).session_id, self.session)
