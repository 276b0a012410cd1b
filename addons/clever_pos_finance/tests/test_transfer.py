from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CleverFinanceCase

PROFIT_AND_LOSS = ("income", "income_other", "expense", "expense_depreciation", "expense_direct_cost")


@tagged("post_install", "-at_install")
class TestTransfer(CleverFinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opening_balance(cls.cash_desk, 100000.0)

    def new_transfer(self, source, target, amount, **values):
        return self.Transfer.with_user(self.accountant).create(
            {"journal_from_id": source.id, "journal_to_id": target.id, "amount": amount, **values}
        )

    def assert_no_profit_and_loss(self, transfer):
        lines = (transfer.move_sent_id | transfer.move_received_id).line_ids
        self.assertTrue(lines)
        touched = lines.filtered(lambda line: line.account_id.account_type in PROFIT_AND_LOSS)
        self.assertFalse(touched, "a transfer is never an income or an expense")

    def test_same_day_transfer_books_both_sides(self):
        transfer = self.new_transfer(self.cash_desk, self.safe, 30000.0, date_received=fields.Date.today())
        transfer.action_post()
        self.assertEqual(transfer.state, "done")
        self.assertEqual((self.money(self.cash_desk), self.money(self.safe)), (70000.0, 30000.0))
        self.assertEqual(self.balance(self.acc["transit"]), 0.0)
        transit_lines = (transfer.move_sent_id | transfer.move_received_id).line_ids.filtered(lambda l: l.account_id == self.acc["transit"])
        self.assertTrue(all(transit_lines.mapped("reconciled")), "the two legs of the transit account are matched")
        self.assertEqual(transfer.move_sent_id.journal_id, self.cash_desk)
        self.assertEqual(transfer.move_received_id.journal_id, self.safe)
        self.assert_no_profit_and_loss(transfer)

    def test_money_in_transit_until_received(self):
        sent_on = fields.Date.today() - timedelta(days=2)
        transfer = self.new_transfer(self.cash_desk, self.bank, 40000.0, date=sent_on)
        transfer.action_post()
        self.assertEqual(transfer.state, "in_transit")
        self.assertEqual(self.money(self.cash_desk), 60000.0)
        self.assertEqual(self.money(self.bank), 0.0, "not arrived yet")
        self.assertEqual(self.balance(self.acc["transit"]), 40000.0, "the money is in transit")
        dashboard = self.env["clever.finance.dashboard"].with_user(self.manager).get_dashboard_data("day")
        self.assertEqual(next(c for c in dashboard["cards"] if c["key"] == "transit")["value"], 40000.0)
        with self.assertRaises(UserError, msg="posted transfer is not edited"):
            transfer.with_user(self.accountant).write({"amount": 1.0})
        transfer.with_user(self.accountant).write({"date_received": sent_on + timedelta(days=1)})
        transfer.with_user(self.accountant).action_receive()
        self.assertEqual((transfer.state, transfer.move_received_id.date), ("done", sent_on + timedelta(days=1)))
        self.assertEqual(self.money(self.bank), 40000.0)
        self.assertEqual(self.balance(self.acc["transit"]), 0.0)
        self.assert_no_profit_and_loss(transfer)

    def test_total_money_unchanged_and_profit_untouched(self):
        pnl_accounts = self.env["account.account"].search(
            [("company_ids", "in", self.company.id), ("account_type", "in", PROFIT_AND_LOSS)]
        )
        pnl_before = self.balance(pnl_accounts)
        money = self.cash_desk | self.safe | self.bank | self.kaspi
        total_before = self.money(money)
        self.new_transfer(self.cash_desk, self.safe, 10000.0, date_received=fields.Date.today()).action_post()
        self.new_transfer(self.safe, self.kaspi, 4000.0).action_post()
        in_transit = self.balance(self.acc["transit"])
        self.assertEqual(self.money(money) + in_transit, total_before)
        self.assertEqual(self.balance(pnl_accounts), pnl_before)

    def test_reverse_transfer(self):
        transfer = self.new_transfer(self.cash_desk, self.safe, 5000.0, date_received=fields.Date.today())
        transfer.action_post()
        transfer.with_user(self.accountant).action_reverse()
        self.assertEqual(transfer.state, "reversed")
        self.assertEqual(transfer.reversed_by_id.reversal_of_id, transfer)
        self.assertEqual((self.money(self.cash_desk), self.money(self.safe)), (100000.0, 0.0))
        self.assertEqual(self.balance(self.acc["transit"]), 0.0)
        with self.assertRaises(UserError):
            transfer.move_sent_id.button_draft()

    def test_transfer_checks(self):
        with self.assertRaises(Exception, msg="same account"):
            with self.cr.savepoint():
                self.new_transfer(self.cash_desk, self.cash_desk, 100.0)
        with self.assertRaises(ValidationError, msg="arrives before it is sent"):
            self.new_transfer(self.cash_desk, self.safe, 100.0, date_received=fields.Date.today() - timedelta(days=1))
