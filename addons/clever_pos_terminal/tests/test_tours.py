import json
import time

from odoo.tests import HttpCase, tagged

from .common import CleverTillSetup


@tagged("post_install", "-at_install")
class TestCleverTours(CleverTillSetup, HttpCase):
    """The cashier's flows in headless Chromium, each checked on the server afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_till()

    def approval_codes(self):
        """The managers' codes as their phones show them: one per manager, valid for at least a
        minute (the next time step, accepted from now on)."""
        now = time.time()
        return [self.env["clever.approval.key"]._for_user(manager)._qr_payload(t=now + 30) for manager in self.managers]

    def start_clever_tour(self, tour_name, timeout=120):
        url = f"/pos/ui/{self.config.id}"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url, "delayToCheckUndeterminisms": 0}
        code = f"window.cleverTestApprovalCodes = {json.dumps(self.approval_codes())}; odoo.startTour({tour_name!r}, {json.dumps(options)})"
        self.start_tour(url, tour_name, login=self.cashier.login, code=code, timeout=timeout)

    def test_01_opening_and_sales(self):
        self.start_clever_tour("CleverSaleTour")
        session = self.config.current_session_id
        self.assertEqual(session.state, "opened")
        self.assertEqual(session.cash_register_balance_start, 5000)
        approval = self.env["clever.approval.request"].search(
            [("action", "=", "shift_open"), ("res_model", "=", "pos.session"), ("res_id", "=", session.id)]
        )
        self.assertEqual(approval.state, "approved")
        self.assertEqual((approval.decided_by_id, approval.decision_method, approval.requested_by_id), (self.managers[0], "qr", self.cashier))
        self.assertTrue(approval.used_at)
        orders = session.order_ids.sorted("id")
        self.assertEqual(len(orders), 3)
        self.assertEqual(set(orders.mapped("state")), {"paid"})
        cash_sale, mixed, service = orders
        self.assertEqual(cash_sale.amount_total, 1050)
        self.assertEqual(sorted(cash_sale.payment_ids.mapped("amount")), [-950, 2000])
        self.assertEqual(mixed.amount_total, 1500)
        free = mixed.lines.filtered(lambda l: l.product_id == self.free_line)
        self.assertEqual((free.full_product_name, free.price_unit), ("Gift box", 400))
        self.assertEqual(mixed.payment_ids.filtered(lambda p: p.payment_method_id == self.card_pm).payment_ref_no, "RRN-123")
        self.assertEqual(sum(mixed.payment_ids.filtered(lambda p: p.payment_method_id == self.cash_pm).mapped("amount")), 500)
        self.assertEqual(service.partner_id, self.customer)
        self.assertEqual(service.payment_ids.payment_method_id, self.kaspi_pm)
        self.assertEqual(service.payment_ids.payment_ref_no, "KSP-77")

    def test_02_debt_sale_and_repayment(self):
        session = self.open_session(0)
        self.start_clever_tour("CleverDebtTour")
        orders = session.order_ids.sorted("id")
        self.assertEqual(len(orders), 2)
        sale, repayment = orders
        self.assertEqual(sale.partner_id, self.customer)
        self.assertEqual(sale.amount_total, 3500)
        self.assertEqual(sum(sale.payment_ids.filtered(lambda p: p.payment_method_id == self.debt_pm).mapped("amount")), 2000)
        self.assertEqual(sale.clever_partner_balance, 2000)
        approval = self.env["clever.approval.request"].search(
            [("action", "=", "debt_sale"), ("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )
        self.assertEqual((approval.state, approval.amount, approval.decision_method), ("approved", 2000, "qr"))
        self.assertTrue(approval.used_at)
        self.assertTrue(repayment.clever_is_repayment)
        self.assertFalse(repayment.lines)
        self.assertEqual(sorted(repayment.payment_ids.mapped("amount")), [-1500, 1500])
        self.assertEqual(repayment.clever_partner_balance, 500)
        self.assertEqual(self.customer._clever_debt_balance(self.company), 500)

    def test_03_return_by_receipt_number(self):
        session = self.open_session(0)
        sale = self.sync(self.order_payload(session, [(self.water, 3)], pos_reference="2501-RET-000777"))
        self.start_clever_tour("CleverReturnTour")
        refund = session.order_ids.filtered("is_refund")
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.lines.qty, -2)
        self.assertEqual(refund.lines.refunded_orderline_id, sale.lines)
        self.assertEqual(refund.clever_return_reason_id, self.env.ref("clever_pos_terminal.return_reason_defective"))
        self.assertEqual(refund.clever_return_comment, "Leaking bottles")
        self.assertEqual(refund.amount_total, -700)
        self.assertEqual(refund.payment_ids.payment_method_id, self.cash_pm)
        approval = self.env["clever.approval.request"].search([("action", "=", "refund"), ("res_model", "=", "pos.order"), ("res_id", "=", sale.id)])
        self.assertEqual(approval.state, "approved")
        self.assertTrue(approval.used_at)
        # The sale is untouched; the goods come back to stock.
        self.assertEqual((sale.state, sale.lines.qty, sale.amount_total), ("paid", 3, 1050))
        self.assertEqual(sale.lines.refunded_qty, 2)
        self.assertEqual(refund.picking_ids.state, "done")

    def test_04_cash_out_with_approval(self):
        session = self.open_session(30000)
        self.start_clever_tour("CleverCashOutTour")
        line = session.sudo().statement_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual((line.amount, line.clever_pos_move_type, line.clever_note), (-25000, "out", "Bag 17"))
        self.assertIn("Collection to the bank", line.payment_ref)
        approval = self.env["clever.approval.request"].search([("action", "=", "cash_out"), ("res_model", "=", "pos.session"), ("res_id", "=", session.id)])
        self.assertEqual((approval.state, approval.amount), ("approved", 25000))
        self.assertTrue(approval.used_at)
        self.assertEqual(session.sudo().cash_register_balance_end, 5000)

    def test_05_closing_with_difference_and_z_report(self):
        session = self.open_session(10000)
        self.sync(self.order_payload(session, [(self.water, 3)]))
        self.sync(self.order_payload(session, [(self.bread, 1)], payments=[(self.card_pm, 220)]))
        self.start_clever_tour("CleverClosingTour")
        self.assertEqual(session.state, "closed")
        self.assertEqual(session.cash_register_balance_end_real, 11000)
        difference = session.sudo().statement_line_ids.filtered(lambda l: l.clever_pos_move_type == "difference")
        self.assertEqual(difference.amount, -50)
        self.assertIn(self.cash_journal.loss_account_id, difference.move_id.line_ids.account_id)
        self.assertEqual(session.move_id.state, "posted")
        approval = self.env["clever.approval.request"].search([("action", "=", "shift_close"), ("res_model", "=", "pos.session"), ("res_id", "=", session.id)])
        self.assertEqual((approval.state, approval.amount), ("approved", 11000))
        self.assertTrue(approval.used_at)
        z = session._clever_z_report_data()
        self.assertEqual((z["cash"]["expected"], z["cash"]["counted"], z["cash"]["difference"]), (11050, 11000, -50))
        self.assertEqual({m["name"]: m["amount"] for m in z["payment_methods"]}["Card"], 220)
