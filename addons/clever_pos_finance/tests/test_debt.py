from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import CleverFinanceCase


@tagged("post_install", "-at_install")
class TestCustomerDebts(CleverFinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        # Four unpaid sales on invoice, 10, 45, 75 and 120 days old.
        cls.invoices = {}
        for days, amount in ((10, 1160.0), (45, 2320.0), (75, 3480.0), (120, 4640.0)):
            invoice = cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": cls.today - timedelta(days=days),
                    "invoice_date_due": cls.today - timedelta(days=days),
                    "invoice_line_ids": [Command.create({"product_id": cls.water.id, "quantity": amount / 1160.0, "price_unit": 1160.0})],
                }
            )
            invoice.action_post()
            cls.invoices[days] = invoice

    def test_ageing_buckets_and_overdue(self):
        partner = self.customer.with_user(self.accountant)
        self.assertEqual(partner.clever_debt, 11600.0)
        self.assertEqual(
            (partner.clever_debt_0_30, partner.clever_debt_31_60, partner.clever_debt_61_90, partner.clever_debt_90_plus),
            (1160.0, 2320.0, 3480.0, 4640.0),
        )
        self.assertEqual(partner.clever_debt_overdue, 11600.0, "invoices due at once are overdue the next day")
        report = self.env["clever.finance.debt.report"].with_user(self.manager)
        buckets = dict(report._read_group([("partner_id", "=", self.customer.id)], ["bucket"], ["residual:sum"]))
        self.assertEqual(buckets, {"0_30": 1160.0, "31_60": 2320.0, "61_90": 3480.0, "90_plus": 4640.0})
        debtors = self.env["res.partner"].with_user(self.accountant).search([("clever_debt", ">", 0), ("id", "=", self.customer.id)])
        self.assertEqual(debtors, self.customer, "the debtors list finds the customer")

    def test_credit_limit(self):
        partner = self.customer.with_company(self.company)
        partner.credit_limit = 12000.0
        self.assertFalse(self.company.account_use_credit_limit, "works without the company-wide switch")
        self.assertEqual(partner.with_user(self.accountant).clever_credit_available, 400.0)
        partner._clever_check_credit_limit(400.0, self.company)
        with self.assertRaises(UserError):
            partner._clever_check_credit_limit(401.0, self.company)
        partner.credit_limit = 0.0
        partner._clever_check_credit_limit(1000000.0, self.company)  # no limit

    def test_debt_sale_over_limit_is_refused_at_the_till(self):
        self.customer.with_company(self.company).credit_limit = 12500.0
        session = self.open_session()
        self.sell(session, [(self.juice, 1)], [(self.pm_debt, 580.0)], partner=self.customer)
        with self.assertRaises(UserError, msg="11600 owed + 580 today + 1160 > 12500"):
            self.sell(session, [(self.water, 1)], [(self.pm_debt, 1160.0)], partner=self.customer)
        self.sell(session, [(self.water, 1)], [(self.pm_cash, 1160.0)], partner=self.customer)  # cash is fine
        self.close_session(session)
        debt_line = self.env["account.move.line"].search(
            [("clever_pos_order_id.partner_id", "=", self.customer.id), ("account_id", "=", self.acc["1210"].id)]
        )
        self.assertEqual(debt_line.balance, 580.0)
        self.assertEqual(debt_line.date_maturity, debt_line.clever_pos_order_id.date_order.date() + timedelta(days=30))
        self.assertIn(debt_line.clever_pos_order_id.pos_reference or debt_line.clever_pos_order_id.name, debt_line.name)

    def test_repayment_settles_oldest_debts_first(self):
        repayment = self.Repayment.with_user(self.accountant).create(
            {"partner_id": self.customer.id, "amount": 5000.0, "journal_id": self.cash_desk.id}
        )
        repayment.action_post()
        self.assertEqual(repayment.state, "posted")
        self.assertEqual((repayment.debt_before, repayment.debt_after), (11600.0, 6600.0))
        self.assertEqual(self.invoices[120].payment_state, "paid")
        self.assertEqual(self.invoices[75].amount_residual, 3480.0 - 360.0)
        self.assertEqual(self.invoices[45].amount_residual, 2320.0)
        self.assertEqual(repayment.matched_line_ids.move_id, self.invoices[120] | self.invoices[75])
        payment = repayment.payment_id
        self.assertEqual((payment.payment_type, payment.partner_id, payment.journal_id), ("inbound", self.customer, self.cash_desk))
        self.assertEqual(self.money(self.cash_desk), 5000.0, "the money is in the cash desk at once")
        with self.assertRaises(UserError, msg="posted"):
            repayment.write({"amount": 1.0})
        html = self.env["ir.actions.report"].with_user(self.accountant)._render_qweb_html(
            "clever_pos_finance.report_clever_repayment_receipt", repayment.ids
        )[0].decode()
        for text in (repayment.name, self.customer.name, "5", "6"):
            self.assertIn(text, html)
        self.assertEqual(repayment.action_print_receipt()["report_name"], "clever_pos_finance.report_clever_repayment_receipt")
        # A mistake is reversed: the debts are open again.
        repayment.with_user(self.accountant).action_reverse()
        self.assertEqual(repayment.state, "reversed")
        self.assertEqual(self.customer._clever_debt(self.company), 11600.0)
        self.assertEqual(self.money(self.cash_desk), 0.0)

    def test_repayment_cannot_exceed_debt(self):
        repayment = self.Repayment.with_user(self.accountant).create(
            {"partner_id": self.customer.id, "amount": 11601.0, "journal_id": self.cash_desk.id}
        )
        with self.assertRaises(UserError):
            repayment.action_post()

    def test_repayment_at_the_till_only_by_its_cashier(self):
        session = self.open_session(user=self.cashier)
        with self.assertRaises(AccessError, msg="cashiers have no money documents"):
            self.Repayment.with_user(self.cashier).create({"partner_id": self.customer.id, "amount": 100.0})
        with self.assertRaises(AccessError, msg="only the cashier of the shift"):
            self.Repayment.with_user(self.users["courier"]).clever_create_from_pos(session.id, self.customer.id, 100.0)
        result = self.Repayment.with_user(self.cashier).clever_create_from_pos(session.id, self.customer.id, 1160.0)
        self.assertEqual((result["debt_before"], result["debt_after"]), (11600.0, 10440.0))
        self.assertEqual(session.cash_register_balance_end, 1160.0, "the shift expects the repaid cash in the drawer")
        repayment = self.Repayment.browse(result["id"])
        with self.assertRaises(UserError, msg="the cash-in of a repayment is not deleted from the till"):
            with self.cr.savepoint():
                repayment.statement_line_id.unlink()
        self.close_session(session)
        self.assertEqual(self.invoices[120].amount_residual, 4640.0 - 1160.0)

    def test_overdue_reminder_once(self):
        self.env["res.partner"]._cron_clever_debt_reminders()
        activities = self.customer.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertIn(activities.user_id, (self.users["manager"] | self.users["admin"]))
        self.assertIn("11", activities.summary)
        self.env["res.partner"]._cron_clever_debt_reminders()
        self.assertEqual(len(self.customer.activity_ids), 1, "each overdue debt is reminded once")


@tagged("post_install", "-at_install")
class TestSupplierDebts(CleverFinanceCase):
    def test_unpaid_bill_is_listed_and_paid_from_a_money_account(self):
        supplier = self.env["res.partner"].create({"name": "ТОО «Таза Су»", "company_id": self.company.id})
        self.opening_balance(self.cash_desk, 50000.0)
        yesterday = fields.Date.today() - timedelta(days=1)
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": supplier.id,
                "invoice_date": yesterday,
                "invoice_date_due": yesterday,
                "invoice_line_ids": [Command.create({"product_id": self.water.id, "quantity": 20, "price_unit": 600.0, "tax_ids": []})],
            }
        )
        bill.action_post()
        debts = self.env["clever.finance.debt.report"].with_user(self.accountant).search([("kind", "=", "supplier"), ("partner_id", "=", supplier.id)])
        self.assertEqual((debts.move_id, debts.residual, debts.overdue), (bill, 12000.0, True))
        checklist = self.env["clever.finance.day.close"].with_user(self.accountant).create({})
        self.assertEqual(checklist.unpaid_bill_count, 1)
        action = debts.with_user(self.accountant).action_pay_bills()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(action["context"])
            .create({"journal_id": self.cash_desk.id})
        )
        wizard.action_create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.money(self.cash_desk), 38000.0, "paid from the cash desk")
        self.assertFalse(self.env["clever.finance.debt.report"].search([("kind", "=", "supplier"), ("partner_id", "=", supplier.id)]))
