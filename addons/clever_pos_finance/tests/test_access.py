from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CleverFinanceCase

DOCUMENTS = ("clever.finance.expense", "clever.finance.transfer", "clever.finance.repayment")
REPORTS = (
    "clever.finance.sales.report",
    "clever.finance.payment.report",
    "clever.finance.vat.report",
    "clever.finance.shift.report",
    "clever.finance.debt.report",
    "clever.finance.supplier.report",
    "clever.finance.stock.value.report",
)


@tagged("post_install", "-at_install")
class TestAccess(CleverFinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expense = cls.Expense.create({"journal_id": cls.cash_desk.id, "category_id": cls.categories["rent"].id, "amount": 1000.0})

    def visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_front_line_roles_see_no_money(self):
        for role in ("cashier", "courier", "storekeeper"):
            user = self.users[role]
            for model in DOCUMENTS + REPORTS + ("clever.finance.expense.category",):
                with self.assertRaises(AccessError, msg=f"{role} reads {model}"):
                    self.env[model].with_user(user).search([], limit=1)
            with self.assertRaises(AccessError, msg=f"{role} creates an expense"):
                self.Expense.with_user(user).create({"journal_id": self.cash_desk.id, "category_id": self.categories["rent"].id, "amount": 1.0})
            with self.assertRaises(AccessError, msg=f"{role} reads a customer's debt"):
                self.customer.with_user(user).read(["clever_debt"])
            menus = self.visible_menus(user)
            self.assertNotIn(self.env.ref("clever_pos_finance.menu_clever_finance").id, menus)
            self.assertNotIn(self.env.ref("clever_pos_finance.menu_clever_finance_dashboard").id, menus)

    def test_accountant_enters_money_documents_but_no_settings(self):
        accountant = self.accountant
        self.Expense.with_user(accountant).create({"journal_id": self.cash_desk.id, "category_id": self.categories["salary"].id, "amount": 1.0})
        self.Transfer.with_user(accountant).create({"journal_from_id": self.cash_desk.id, "journal_to_id": self.safe.id, "amount": 1.0})
        self.categories["other"].with_user(accountant).write({"name": "Прочее"})
        self.env["clever.finance.expense.category"].with_user(accountant).create({"name": "Связь", "account_code": "7210"})
        for model in REPORTS:
            self.env[model].with_user(accountant).search([], limit=1)
        self.env["clever.finance.day.close"].with_user(accountant).create({})
        rule = self.env["clever.approval.rule"].search([("company_id", "=", self.company.id), ("action", "=", "expense")])
        with self.assertRaises(AccessError, msg="the approval policy is not the accountant's"):
            rule.with_user(accountant).write({"min_amount": 1000000.0})
        with self.assertRaises(AccessError, msg="nor the settings"):
            self.env["res.config.settings"].with_user(accountant).create({"clever_debt_term_days": 90})
        with self.assertRaises(AccessError, msg="nor the dashboard"):
            self.env["clever.finance.dashboard"].with_user(accountant).get_dashboard_data("day")
        menus = self.visible_menus(accountant)
        self.assertIn(self.env.ref("clever_pos_finance.menu_clever_finance_expenses").id, menus)
        self.assertNotIn(self.env.ref("clever_pos_finance.menu_clever_finance_dashboard").id, menus)
        with self.assertRaises(AccessError, msg="documents are never deleted"):
            self.expense.with_user(accountant).unlink()

    def test_manager_sees_and_approves_but_does_not_enter(self):
        manager = self.manager
        self.assertEqual(self.Expense.with_user(manager).search([("id", "=", self.expense.id)]), self.expense)
        for model in REPORTS:
            self.env[model].with_user(manager).search([], limit=1)
        with self.assertRaises(AccessError):
            self.Expense.with_user(manager).create({"journal_id": self.cash_desk.id, "category_id": self.categories["rent"].id, "amount": 1.0})
        with self.assertRaises(AccessError):
            self.expense.with_user(manager).action_post()
        with self.assertRaises(AccessError):
            self.categories["rent"].with_user(manager).write({"name": "x"})
        self.env["clever.finance.dashboard"].with_user(manager).get_dashboard_data("month")
        menus = self.visible_menus(manager)
        self.assertIn(self.env.ref("clever_pos_finance.menu_clever_finance_dashboard").id, menus)
        self.assertIn(self.env.ref("clever_pos_finance.menu_clever_finance_report_wizard").id, menus)

    def test_other_company_documents_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other shop FIN"})
        self.accountant.write({"company_ids": [(4, other.id)]})
        foreign = self.Expense.with_company(other).create(
            {
                "company_id": other.id,
                "journal_id": self.env["account.journal"].search([("company_id", "=", other.id), ("type", "=", "cash")], limit=1).id
                or self.env["account.journal"].create({"name": "Cash other", "code": "CSHO", "type": "cash", "company_id": other.id}).id,
                "category_id": self.categories["rent"].id,
                "amount": 5.0,
            }
        )
        visible = self.Expense.with_user(self.accountant).with_context(allowed_company_ids=[self.company.id]).search([])
        self.assertNotIn(foreign, visible)
