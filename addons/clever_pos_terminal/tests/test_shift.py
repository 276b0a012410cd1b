from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import CleverTillSetup


@tagged("post_install", "-at_install")
class TestShift(CleverTillSetup, TransactionCase):
    """Cash in/out by a plain cashier, expected cash, closing with a difference, Z report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_till()

    def _cash_move(self, session, kind, amount, reason="Change for the till", note=""):
        return session.with_user(self.cashier).try_cash_in_out(
            kind, amount, reason, self.cashier.partner_id.id, {"translatedType": kind, "formattedAmount": str(amount), "clever_note": note}
        )

    def test_cash_in_out_by_cashier_without_accounting_rights(self):
        self.assertFalse(self.cashier.has_group("account.group_account_invoice"))
        session = self.open_session(10000)
        loaded = session.with_user(self.cashier).load_data(["pos.config"])
        self.assertTrue(loaded["pos.config"][0]["_has_cash_move_perm"])

        self._cash_move(session, "in", 5000, note="From the safe")
        with self.refused("approval"):
            self._cash_move(session, "out", 25000, reason="Collection")
        self.approve(session, "cash_out", amount=25000)
        self._cash_move(session, "out", 25000, reason="Collection")
        self._cash_move(session, "out", 1000, reason="Water for the shop")  # under the threshold
        with self.refused("reason"):
            self._cash_move(session, "out", 500, reason=" ")
        with self.assertRaises(UserError):
            self._cash_move(session, "out", -500)

        lines = session.statement_line_ids.sorted("id")
        self.assertEqual(lines.mapped("clever_pos_move_type"), ["in", "out", "out"])
        self.assertEqual(lines.mapped("amount"), [5000, -25000, -1000])
        self.assertEqual(lines[0].clever_note, "From the safe")
        self.assertTrue(all(line.move_id.state == "posted" for line in lines))

        page1 = session.with_user(self.cashier).clever_get_cash_moves(0, 2)
        page2 = session.with_user(self.cashier).clever_get_cash_moves(2, 2)
        self.assertEqual(page1["total"], 3)
        self.assertEqual([m["amount"] for m in page1["moves"]], [-1000, -25000])
        self.assertEqual([m["amount"] for m in page2["moves"]], [5000])
        self.assertEqual(page2["moves"][0]["note"], "From the safe")

    def test_expected_cash_closing_difference_z_report(self):
        session = self.open_session(10000)
        # Cash sale with change: 3 x 350 = 1050, 2000 tendered, 950 change.
        sale = self.sync(self.order_payload(session, [(self.water, 3)], payments=[(self.cash_pm, 2000)], amount_return=-950))
        self.assertEqual(sale.state, "paid")
        self.assertEqual(sale.payment_ids.filtered("is_change").amount, -950)
        self.sync(self.order_payload(session, [(self.bread, 1)], payments=[(self.card_pm, 220)]))
        # A cash return of one bottle.
        self.approve(session, "refund", amount=350, record_id=sale.id)
        line = sale.lines
        refund = self.sync(
            self.order_payload(
                session,
                [{"product_id": self.water.id, "qty": -1, "price_unit": 350, "refunded_orderline_id": line.id}],
                payments=[(self.cash_pm, -350)],
                is_refund=True,
                clever_return_reason_id=self.env.ref("clever_pos_terminal.return_reason_not_fit").id,
            )
        )
        self.assertEqual(refund.state, "paid")
        self._cash_move(session, "in", 5000)
        self._cash_move(session, "out", 1000)

        summary = session.with_user(self.cashier).clever_get_closing_summary()
        cash = summary["cash"]
        self.assertEqual(
            (cash["opening"], cash["cash_sales"], cash["cash_returns"], cash["cash_in"], cash["cash_out"]),
            (10000, 1050, 350, 5000, 1000),
        )
        # opening + cash sales - cash returns + cash in - cash out
        self.assertEqual(cash["expected"], 10000 + 1050 - 350 + 5000 - 1000)
        self.assertEqual(cash["expected"], session.cash_register_balance_end)
        methods = {m["name"]: m for m in summary["payment_methods"]}
        self.assertEqual(methods["Card"]["amount"], 220)
        self.assertEqual(methods["Cash"]["amount"], 700)
        self.assertTrue(summary["approval_required"])

        # Counted 100 less than expected; closing needs a manager. (Each call of the till is a
        # transaction of its own: nothing computed before it is reused.)
        self.env.invalidate_all()
        counted = cash["expected"] - 100
        cashier_session = session.with_user(self.cashier)
        self.assertTrue(cashier_session.post_closing_cash_details(counted)["successful"] is False)
        with self.refused("approval"):
            cashier_session.update_closing_control_state_session("")
        self.approve(session, "shift_close", amount=counted)
        self.assertTrue(cashier_session.post_closing_cash_details(counted)["successful"])
        cashier_session.update_closing_control_state_session("Short by 100")
        result = cashier_session.close_session_from_ui([[self.card_pm.id, 0.0]])
        self.assertTrue(result["successful"], result)
        self.assertEqual(session.state, "closed")
        self.assertEqual(session.cash_register_balance_end_real, counted)
        difference = session.statement_line_ids.filtered(lambda l: l.clever_pos_move_type == "difference")
        self.assertEqual(difference.amount, -100)
        loss = self.cash_journal.loss_account_id
        self.assertTrue(loss)
        self.assertIn(loss, difference.move_id.line_ids.account_id)
        self.assertEqual(set(session.order_ids.mapped("state")), {"done"})
        self.assertEqual(session.move_id.state, "posted")

        z = session.with_user(self.cashier).clever_get_z_report()
        self.assertEqual((z["sales_count"], z["sales_total"]), (2, 1270))
        self.assertEqual((z["returns_count"], z["returns_total"]), (1, 350))
        self.assertEqual(z["net_total"], 920)
        self.assertEqual((z["cash"]["expected"], z["cash"]["counted"], z["cash"]["difference"]), (14700, 14600, -100))
        self.assertEqual([m["amount"] for m in z["cash_moves"]], [5000, -1000])
        self.assertEqual(z["vat_sales"][0]["total"], 1270)
        self.assertEqual(z["vat_returns"][0]["total"], -350)
        html = self.env["ir.actions.report"].with_user(self.cashier)._render_qweb_html(
            "clever_pos_terminal.action_report_clever_z", session.ids
        )[0].decode()
        self.assertIn("14", html)
        self.assertIn(session.name, html)
        self.assertIn(self.company._clever_receipt_name(), html)
