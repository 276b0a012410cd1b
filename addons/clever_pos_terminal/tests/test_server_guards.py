from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import CleverTillSetup


@tagged("post_install", "-at_install")
class TestServerGuards(CleverTillSetup, TransactionCase):
    """Forged payloads: what the till's screen would never send is refused by the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_till()

    # -- Shift opening -------------------------------------------------------------------------

    def test_opening_needs_approval_used_once(self):
        self.config.with_user(self.cashier).open_ui()
        session = self.config.current_session_id
        self.assertEqual(session.state, "opening_control")
        with self.assertRaises(UserError):
            session.with_user(self.cashier).set_opening_control(5000, "")
        self.assertEqual(session.state, "opening_control")
        # No sale in a shift that was never opened, also by a forged RPC.
        with self.refused("not open"):
            self.sync(self.order_payload(session, [(self.water, 1)]))

        answer = session.with_user(self.cashier).clever_request_approval("shift_open", amount=5000)
        self.assertTrue(answer["required"])
        self.assertFalse(answer["approved"])
        # Asking again (a reload of the page) gives the same request, not a second one.
        again = session.with_user(self.cashier).clever_request_approval("shift_open", amount=5000)
        self.assertEqual(again["request_id"], answer["request_id"])
        request = self.env["clever.approval.request"].browse(answer["request_id"])
        self.assertEqual((request.requested_by_id, request.res_model, request.res_id), (self.cashier, "pos.session", session.id))
        with self.assertRaises(UserError):
            session.with_user(self.cashier).set_opening_control(5000, "")
        request.with_user(self.manager).action_approve()
        self.assertTrue(session.with_user(self.cashier).clever_request_approval("shift_open", amount=5000)["approved"])
        session.with_user(self.cashier).set_opening_control(5000, "")
        self.assertEqual(session.state, "opened")
        self.assertEqual(session.cash_register_balance_start, 5000)
        self.assertTrue(request.used_at)

    def test_manager_at_the_till_needs_no_approval(self):
        self.assertFalse(self.config.with_user(self.manager).open_ui() and False)
        session = self.config.current_session_id
        self.assertEqual(session.with_user(self.manager).clever_request_approval("shift_open"), {"required": False})
        session.with_user(self.manager).set_opening_control(0, "")
        self.assertEqual(session.state, "opened")

    # -- Services and customers ---------------------------------------------------------------

    def test_service_needs_customer(self):
        session = self.open_session()
        with self.refused("needs a customer"):
            self.sync(self.order_payload(session, [(self.phone_setup, 1), (self.water, 1)]))
        order = self.sync(self.order_payload(session, [(self.phone_setup, 1)], partner=self.customer))
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.partner_id, self.customer)

    # -- Debt -----------------------------------------------------------------------------------

    def test_debt_needs_customer_and_approval_once(self):
        session = self.open_session()
        payload = self.order_payload(session, [(self.water, 10)], payments=[(self.cash_pm, 1000), (self.debt_pm, 2500)])
        with self.refused("needs a customer"):
            self.sync(payload)
        payload["partner_id"] = self.customer.id
        with self.refused("approval"):
            self.sync(payload)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", payload["uuid"])]))
        # An approval of a smaller debt does not cover it.
        self.approve(session, "debt_sale", amount=2000, record_id=self.customer.id)
        with self.refused("approval"):
            self.sync(payload)
        answer = self.approve(session, "debt_sale", amount=2500, record_id=self.customer.id)
        self.assertEqual(self.customer._clever_debt_balance(self.company), 0)
        order = self.sync(payload)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.clever_partner_balance, 2500)
        self.assertEqual(self.customer._clever_debt_balance(self.company), 2500)
        request = self.env["clever.approval.request"].browse(answer["request_id"])
        self.assertTrue(request.used_at)
        # The same payload sent again (lost answer, retry): no second debt, no second approval.
        used = self.env["clever.approval.request"].search_count([("used_at", "!=", False), ("action", "=", "debt_sale")])
        again = self.sync(payload)
        self.assertEqual(again, order)
        self.assertEqual(self.env["pos.order"].search_count([("uuid", "=", payload["uuid"])]), 1)
        self.assertEqual(self.customer._clever_debt_balance(self.company), 2500)
        self.assertEqual(self.env["clever.approval.request"].search_count([("used_at", "!=", False), ("action", "=", "debt_sale")]), used)
        # A new debt sale needs a new approval.
        with self.refused("approval"):
            self.sync(self.order_payload(session, [(self.water, 10)], payments=[(self.debt_pm, 3500)], partner=self.customer))

    def test_debt_over_credit_limit_needs_approval_even_below_policy(self):
        rule = self.env["clever.approval.rule"]._get_rule("debt_sale", self.company)
        rule.min_amount = 100000  # the policy alone would not ask for small debts
        self.customer.with_company(self.company).sudo().credit_limit = 1000
        session = self.open_session()
        order = self.sync(self.order_payload(session, [(self.water, 2)], payments=[(self.debt_pm, 700)], partner=self.customer))
        self.assertEqual(order.state, "paid")
        self.assertEqual(self.customer._clever_debt_balance(self.company), 700)
        payload = self.order_payload(session, [(self.water, 1)], payments=[(self.debt_pm, 350)], partner=self.customer)
        self.assertTrue(self.customer._clever_debt_over_limit(350, self.company))
        with self.refused("approval|credit limit"):
            self.sync(payload)
        answer = self.approve(session, "debt_sale", amount=350, record_id=self.customer.id)
        self.assertTrue(answer["required"])
        self.assertEqual(self.sync(payload).clever_partner_balance, 1050)

    def test_repayment_reduces_debt_and_is_booked(self):
        session = self.open_session()
        self.approve(session, "debt_sale", amount=3000, record_id=self.customer.id)
        self.sync(self.order_payload(session, [(self.bread, 10)], payments=[(self.cash_pm, 0), (self.debt_pm, 2200)], partner=self.customer))
        self.assertEqual(self.customer._clever_debt_balance(self.company), 2200)
        # More than the debt: refused.
        too_much = self.order_payload(session, [], payments=[(self.cash_pm, 3000), (self.debt_pm, -3000)], partner=self.customer, clever_is_repayment=True)
        with self.refused("more than the debt"):
            self.sync(too_much)
        # Money that does not match the debt repaid: refused.
        wrong = self.order_payload(session, [], payments=[(self.cash_pm, 500), (self.debt_pm, -1000)], partner=self.customer, clever_is_repayment=True)
        with self.refused("does not match"):
            self.sync(wrong)
        repayment = self.sync(
            self.order_payload(session, [], payments=[(self.card_pm, 1200), (self.debt_pm, -1200)], partner=self.customer, clever_is_repayment=True)
        )
        self.assertTrue(repayment.clever_is_repayment)
        self.assertEqual(repayment.amount_total, 0)
        self.assertEqual(repayment.clever_partner_balance, 1000)
        info = self.env["res.partner"].with_user(self.cashier).clever_pos_debt_info(self.customer.id, self.config.id)
        self.assertEqual(info["balance"], 1000)
        # At closing the debt and the repayment become the customer's receivable.
        self.approve(session, "shift_close")
        session.with_user(self.cashier).post_closing_cash_details(session.cash_register_balance_end)
        session.with_user(self.cashier).update_closing_control_state_session("")
        self.assertTrue(session.with_user(self.cashier).close_session_from_ui()["successful"])
        self.assertEqual(session.state, "closed")
        self.customer.invalidate_recordset(["credit"])
        self.assertEqual(self.customer.sudo().with_company(self.company).credit, 1000)
        self.assertEqual(self.customer._clever_debt_balance(self.company), 1000)

    # -- Returns -------------------------------------------------------------------------------

    def _sale(self, session, qty=3):
        return self.sync(self.order_payload(session, [(self.water, qty), (self.bread, 1)], payments=[(self.card_pm, 350 * qty + 220)]))

    def _refund_payload(self, session, sale, qty, method=None, reason=True):
        line = sale.lines.filtered(lambda l: l.product_id == self.water)
        refund = {"product_id": self.water.id, "qty": -qty, "price_unit": 350, "refunded_orderline_id": line.id}
        extra = {"is_refund": True}
        if reason:
            extra["clever_return_reason_id"] = self.env.ref("clever_pos_terminal.return_reason_defective").id
        return self.order_payload(session, [refund], payments=[(method or self.cash_pm, -350 * qty)], **extra)

    def test_return_limits_reason_approval_method(self):
        session = self.open_session()
        sale = self._sale(session)
        with self.refused("only 3.0 were sold"):
            self.sync(self._refund_payload(session, sale, 4))
        with self.refused("reason"):
            self.sync(self._refund_payload(session, sale, 1, reason=False))
        with self.refused("approval"):
            self.sync(self._refund_payload(session, sale, 2))
        # Kaspi was not used for the sale: no refund by Kaspi.
        self.approve(session, "refund", amount=700, record_id=sale.id)
        with self.refused("not used for the sale"):
            self.sync(self._refund_payload(session, sale, 2, method=self.kaspi_pm))
        refund = self.sync(self._refund_payload(session, sale, 2))
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.clever_return_reason_id, self.env.ref("clever_pos_terminal.return_reason_defective"))
        water_line = sale.lines.filtered(lambda l: l.product_id == self.water)
        self.assertEqual(water_line.refunded_qty, 2)
        # The sale itself is untouched.
        self.assertEqual(water_line.qty, 3)
        self.assertEqual(sale.state, "paid")
        self.assertEqual(sale.amount_total, 1270)
        # Stock comes back.
        self.assertTrue(refund.picking_ids)
        # Only one is left to return: two are refused even with an approval.
        self.approve(session, "refund", amount=700, record_id=sale.id)
        with self.refused("only 3.0 were sold"):
            self.sync(self._refund_payload(session, sale, 2, method=self.card_pm))
        self.approve(session, "refund", amount=350, record_id=sale.id)
        self.assertEqual(self.sync(self._refund_payload(session, sale, 1, method=self.card_pm)).state, "paid")
        self.assertEqual(water_line.refunded_qty, 3)

    def test_return_without_receipt_refused(self):
        session = self.open_session()
        payload = self.order_payload(session, [(self.water, -1)], payments=[(self.cash_pm, -350)], is_refund=True)
        with self.refused("must come from a sale"):
            self.sync(payload)

    def test_find_sale_by_receipt_number(self):
        session = self.open_session()
        sale = self._sale(session)
        Order = self.env["pos.order"].with_user(self.cashier)
        self.assertEqual(Order.clever_find_sale_for_return(sale.pos_reference, self.config.id), sale.id)
        self.assertFalse(Order.clever_find_sale_for_return("nothing", self.config.id))

    # -- Discounts -----------------------------------------------------------------------------

    def test_discount_over_cashier_limit_needs_approval(self):
        session = self.open_session()
        ok = {"product_id": self.water.id, "qty": 1, "price_unit": 350, "discount": 10}
        self.assertEqual(self.sync(self.order_payload(session, [ok])).state, "paid")
        big = {"product_id": self.water.id, "qty": 1, "price_unit": 350, "discount": 30}
        with self.refused("approval"):
            self.sync(self.order_payload(session, [big]))
        self.approve(session, "discount", quantity=30)
        self.assertEqual(self.sync(self.order_payload(session, [big])).state, "paid")
        # A global discount (pos_discount's line) over the limit too.
        discount_product = self.env.ref("pos_discount.product_product_consumable")
        self.config.sudo().write({"module_pos_discount": True, "discount_product_id": discount_product.id})
        global_discount = {"product_id": discount_product.id, "qty": 1, "price_unit": -105, "extra_tax_data": {"discount_percentage": 30}}
        with self.refused("approval"):
            self.sync(self.order_payload(session, [(self.water, 1), global_discount]))
        # A cashier's own limit takes precedence over the register's.
        self.cashier.clever_pos_discount_limit = 50
        self.assertEqual(self.sync(self.order_payload(session, [big])).state, "paid")
        self.assertEqual(self.sync(self.order_payload(session, [(self.water, 1), global_discount])).state, "paid")

    def test_guards_only_on_clever_tills(self):
        """Odoo's own registers keep stock behaviour (a service without customer is sold)."""
        self.config.clever_till = False
        self.config.with_user(self.cashier).open_ui()
        session = self.config.current_session_id
        session.with_user(self.cashier).set_opening_control(0, "")
        order = self.sync(self.order_payload(session, [(self.phone_setup, 1)]))
        self.assertEqual(order.state, "paid")
