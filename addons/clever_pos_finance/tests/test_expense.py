from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CleverFinanceCase


@tagged("post_install", "-at_install")
class TestExpense(CleverFinanceCase):
    def new_expense(self, amount=15000.0, category="delivery", journal=None, user=None, **values):
        return self.Expense.with_user(user or self.accountant).create(
            {
                "journal_id": (journal or self.cash_desk).id,
                "category_id": self.categories[category].id,
                "amount": amount,
                "note": "Доставка товара",
                **values,
            }
        )

    def test_posting_books_category_account_against_money_account(self):
        expense = self.new_expense(15000.0, "delivery")
        self.assertTrue(expense.name.startswith("EXP/"))
        expense.action_post()
        self.assertEqual(expense.state, "posted")
        self.assertEqual(expense.posted_by_id, self.accountant)
        move = expense.move_id
        self.assertEqual((move.state, move.journal_id), ("posted", self.cash_desk))
        self.assertEqual(move.clever_document, expense)
        booked = {(line.account_id.code, line.debit, line.credit) for line in move.line_ids}
        self.assertEqual(booked, {("7110", 15000.0, 0.0), (self.cash_desk.default_account_id.code, 0.0, 15000.0)})
        self.assertEqual(self.money(self.cash_desk), -15000.0, "the money left the cash desk")
        # Each default category goes to its Kazakh account.
        codes = {name: category._get_account(self.company).code for name, category in self.categories.items()}
        self.assertEqual(codes, {"rent": "7210", "delivery": "7110", "salary": "7210", "purchase_costs": "7010", "write_off": "7480", "other": "7480"})

    def test_category_account_per_company(self):
        other = self.categories["other"]
        other.with_company(self.company).account_id = self.acc["7210"]
        self.assertEqual(other._get_account(self.company), self.acc["7210"], "the company's own choice wins over the default code")

    def test_no_edit_after_posting(self):
        expense = self.new_expense(12000.0, "rent", journal=self.bank)
        expense.write({"amount": 12500.0})  # a draft can still change
        expense.action_post()
        for vals in ({"amount": 1.0}, {"journal_id": self.safe.id}, {"date": "2020-01-01"}, {"note": "другое"}, {"category_id": self.categories["other"].id}):
            with self.assertRaises(UserError, msg=f"posted expense accepted {vals}"):
                expense.with_user(self.accountant).write(vals)
        with self.assertRaises(UserError, msg="the entry cannot be reset to draft either"):
            expense.move_id.button_draft()
        with self.assertRaises(UserError):
            expense.sudo().unlink()
        self.assertEqual(expense.amount, 12500.0)
        self.assertEqual(expense.move_id.state, "posted")

    def test_reverse_creates_reversing_document(self):
        expense = self.new_expense(9000.0, "write_off")
        expense.action_post()
        before = self.balance(self.acc["7480"])
        expense.with_user(self.accountant).action_reverse()
        reversal = expense.reversed_by_id
        self.assertEqual(expense.state, "reversed")
        self.assertEqual((reversal.state, reversal.reversal_of_id, reversal.amount, reversal.signed_amount), ("posted", expense, 9000.0, -9000.0))
        self.assertEqual(reversal.move_id.reversed_entry_id, expense.move_id)
        self.assertEqual(self.balance(self.acc["7480"]), before - 9000.0)
        self.assertEqual(self.money(self.cash_desk), 0.0, "the money is back")
        with self.assertRaises(UserError, msg="reversed only once"):
            expense.action_reverse()
        with self.assertRaises(UserError, msg="the reversing document is posted too"):
            reversal.write({"amount": 1.0})

    def test_large_expense_needs_approval(self):
        expense = self.new_expense(60000.0, "rent", journal=self.bank)
        action = expense.with_user(self.accountant).action_post()
        self.assertEqual(expense.state, "to_approve")
        self.assertEqual(action["tag"], "clever_pos_base.approval_wait")
        request = expense.approval_request_id
        self.assertEqual((request.action, request.amount, request.state), ("expense", 60000.0, "pending"))
        self.assertFalse(expense.move_id, "nothing booked before the approval")
        # Pressing Post again while waiting does not post nor ask twice.
        expense.with_user(self.accountant).action_post()
        self.assertEqual((expense.state, expense.approval_request_id), ("to_approve", request))
        with self.assertRaises(AccessError, msg="nobody approves their own request"):
            request.with_user(self.accountant).action_approve()
        request.with_user(self.manager).action_approve()
        expense.with_user(self.accountant).action_post()
        self.assertEqual(expense.state, "posted")
        self.assertTrue(request.used_at, "the approval is used up")
        self.assertEqual(self.money(self.bank), -60000.0)

    def test_small_expense_needs_no_approval(self):
        expense = self.new_expense(49999.0, "salary")
        expense.action_post()
        self.assertEqual(expense.state, "posted")
        self.assertFalse(expense.approval_request_id)
