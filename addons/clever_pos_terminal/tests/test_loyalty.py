from uuid import uuid4

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, tagged

from . import test_tours
from .common import CleverTillSetup


class CleverLoyaltySetup(CleverTillSetup):
    """Promotions of pos_loyalty on the test till: a promo code (10 % from 1 000 ₸), a batch of
    coupons (15 % on water only) and a loyalty programme (1 point per 10 ₸, 1 ₸ per point)."""

    @classmethod
    def _setup_clever_loyalty(cls):
        cls._setup_clever_till()
        env = cls.env
        Program = env["loyalty.program"].with_company(cls.company)
        common = {"company_id": cls.company.id, "pos_ok": True, "pos_config_ids": [Command.set(cls.config.ids)], "communication_plan_ids": [Command.clear()]}
        cls.promo = Program.create(
            {
                **common,
                "name": "Clever promo CLV10",
                "program_type": "promo_code",
                "trigger": "with_code",
                "applies_on": "current",
                "rule_ids": [Command.create({"mode": "with_code", "code": "CLV10", "minimum_amount": 1000, "minimum_amount_tax_mode": "incl", "reward_point_mode": "order", "reward_point_amount": 1})],
                "reward_ids": [
                    Command.create(
                        {"reward_type": "discount", "discount": 10, "discount_mode": "percent", "discount_applicability": "order", "required_points": 1, "description": "CLV10 promo 10%"}
                    )
                ],
            }
        )
        cls.coupons = Program.create(
            {
                **common,
                "name": "Clever coupons water 15 %",
                "program_type": "coupons",
                "trigger": "with_code",
                "applies_on": "current",
                "rule_ids": [Command.create({"mode": "with_code", "reward_point_mode": "order", "reward_point_amount": 1})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 15,
                            "discount_mode": "percent",
                            "discount_applicability": "specific",
                            "discount_product_ids": [Command.set(cls.water.ids)],
                            "required_points": 1,
                        }
                    )
                ],
            }
        )
        cls.loyalty = Program.create(
            {
                **common,
                "name": "Clever bonus",
                "program_type": "loyalty",
                "trigger": "auto",
                "applies_on": "both",
                "rule_ids": [Command.create({"mode": "auto", "reward_point_mode": "money", "reward_point_amount": 0.1, "minimum_amount": 0})],
                "reward_ids": [
                    Command.create(
                        {"reward_type": "discount", "discount": 1, "discount_mode": "per_point", "discount_applicability": "order", "required_points": 10, "description": "Clever bonus points"}
                    )
                ],
            }
        )
        Card = env["loyalty.card"].with_company(cls.company)
        today = env.cr.now().date()
        cls.coupon = Card.create({"program_id": cls.coupons.id, "code": "CLV-CPN-1", "points": 1})
        cls.coupon_expired = Card.create(
            {"program_id": cls.coupons.id, "code": "CLV-CPN-OLD", "points": 1, "expiration_date": today.replace(year=today.year - 1)}
        )
        cls.card = Card.create({"program_id": cls.loyalty.id, "partner_id": cls.customer.id, "points": 200})

    def reward_line(self, reward, amount, coupon=None, points_cost=0.0, product=None):
        """A reward line as pos_loyalty's till sends it."""
        return {
            "product_id": (product or reward.discount_line_product_id).id,
            "qty": 1,
            "price_unit": -amount,
            "is_reward_line": True,
            "reward_id": reward.id,
            "coupon_id": coupon.id if coupon else False,
            "points_cost": points_cost,
            "reward_identifier_code": uuid4().hex[:10],
        }

    def confirm(self, order, coupon_data):
        """pos_loyalty's call after the order is saved (points, history)."""
        return order.with_user(self.cashier).confirm_coupon_programs(coupon_data)


@tagged("post_install", "-at_install")
class TestCleverLoyalty(CleverLoyaltySetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_loyalty()

    def use_code(self, code, partner=None):
        return self.config.with_user(self.cashier).use_coupon_code(
            code, str(self.env.cr.now()), partner.id if partner else False, self.config.pricelist_id.id
        )

    # ------------------------------------------------------------------
    # Codes checked by the server, with a reason
    # ------------------------------------------------------------------

    def test_code_refused_expired(self):
        result = self.use_code("CLV-CPN-OLD")
        self.assertFalse(result["successful"])
        self.assertIn("expired", result["payload"]["error_message"])

    def test_code_refused_unknown(self):
        result = self.use_code("NO-SUCH-CODE")
        self.assertFalse(result["successful"])
        self.assertIn("invalid", result["payload"]["error_message"])

    def test_code_refused_used_and_kazakh(self):
        session = self.open_session()
        reward = self.coupons.reward_ids
        order = self.sync(self.order_payload(session, [(self.water, 2), self.reward_line(reward, 105, self.coupon, 1)]))
        self.confirm(order, {self.coupon.id: {"points": -1, "program_id": self.coupons.id, "coupon_id": self.coupon.id, "barcode": False, "line_codes": order.lines.filtered("is_reward_line").mapped("reward_identifier_code")}})
        self.assertEqual(self.coupon.points, 0)
        result = self.use_code("CLV-CPN-1")
        self.assertFalse(result["successful"])
        self.assertEqual(result["payload"]["error_message"], "This coupon has already been used (CLV-CPN-1).")
        # pos_loyalty's own reasons in Kazakh (clever_pos_base/i18n_core/pos_loyalty/kk.po).
        self.env["res.lang"].with_context(active_test=False).search([("code", "=", "kk_KZ")]).active = True
        kazakh = self.config.with_user(self.cashier).with_context(lang="kk_KZ").use_coupon_code(
            "CLV-CPN-OLD", str(self.env.cr.now()), False, self.config.pricelist_id.id
        )
        self.assertEqual(kazakh["payload"]["error_message"], "Бұл купонның мерзімі өтіп кеткен (CLV-CPN-OLD).")

    def test_reward_refused_not_for_these_products(self):
        session = self.open_session()
        with self.refused("not for the products of this order"):
            self.sync(self.order_payload(session, [(self.bread, 5), self.reward_line(self.coupons.reward_ids, 165, self.coupon, 1)]))
        self.assertEqual(self.coupon.points, 1)

    def test_reward_refused_minimum_not_reached(self):
        session = self.open_session()
        with self.refused("needs a purchase of at least"):
            self.sync(self.order_payload(session, [(self.water, 2), self.reward_line(self.promo.reward_ids, 70)]))
        order = self.sync(self.order_payload(session, [(self.water, 3), self.reward_line(self.promo.reward_ids, 105)]))
        self.assertEqual((order.state, order.amount_total), ("paid", 945))

    # ------------------------------------------------------------------
    # A coupon is used once, also from two tills at once
    # ------------------------------------------------------------------

    def test_coupon_twice_from_two_sessions(self):
        session1 = self.open_session()
        config2 = self.config.copy({"name": "Clever Test Till 2", "payment_method_ids": [Command.set(self.card_pm.ids)]})
        self.coupons.pos_config_ids |= config2
        config2.with_user(self.cashier).open_ui()
        session2 = config2.current_session_id
        self.approve(session2, "shift_open")
        session2.with_user(self.cashier).set_opening_control(0, "")
        self.assertNotEqual(session1, session2)
        reward = self.coupons.reward_ids
        # Both tills checked the coupon (validate_coupon_programs) before either order was saved.
        for session in (session1, session2):
            check = session.order_ids.with_user(self.cashier).validate_coupon_programs({self.coupon.id: -1}, [])
            self.assertTrue(check["successful"])
        first = self.sync(self.order_payload(session1, [(self.water, 2), self.reward_line(reward, 105, self.coupon, 1)]))
        self.assertEqual(first.state, "paid")
        # The second till sends its order before the first one took the point off the coupon.
        second_payload = self.order_payload(session2, [(self.water, 2), self.reward_line(reward, 105, self.coupon, 1)], payments=[(self.card_pm, 595)])
        with self.refused("already been used"):
            self.sync(second_payload)
        self.assertFalse(self.env["pos.order"].search([("uuid", "=", second_payload["uuid"])]))
        # Once the first order booked the point, still refused.
        self.confirm(first, {self.coupon.id: {"points": -1, "program_id": self.coupons.id, "coupon_id": self.coupon.id, "barcode": False}})
        self.assertEqual(self.coupon.points, 0)
        with self.refused("already been used"):
            self.sync(second_payload)
        # pos_loyalty's own check before payment refuses it too.
        check = session2.order_ids.with_user(self.cashier).validate_coupon_programs({self.coupon.id: -1}, [])
        self.assertFalse(check["successful"])

    # ------------------------------------------------------------------
    # Loyalty points: earned, spent with the customer, taken back on return
    # ------------------------------------------------------------------

    def test_points_spent_need_the_customer(self):
        session = self.open_session()
        reward = self.loyalty.reward_ids
        with self.refused("only with their owner"):
            self.sync(self.order_payload(session, [(self.water, 2), self.reward_line(reward, 50, self.card, 50)]))
        other = self.env["res.partner"].create({"name": "Clever other customer", "phone": "+7 701 555 09 09"})
        with self.refused("only with their owner"):
            self.sync(self.order_payload(session, [(self.water, 2), self.reward_line(reward, 50, self.card, 50)], partner=other))
        # 200 points on the card and at most 70 earned by this purchase of 700 ₸.
        with self.refused("not enough points"):
            self.sync(self.order_payload(session, [(self.water, 2), self.reward_line(reward, 300, self.card, 300)], partner=self.customer))
        order = self.sync(self.order_payload(session, [(self.water, 2), self.reward_line(reward, 260, self.card, 260)], partner=self.customer))
        self.assertEqual(order.state, "paid")

    def test_points_on_sale_and_return(self):
        session = self.open_session()
        reward = self.loyalty.reward_ids
        # 3 waters (1 050 ₸), 50 points spent as 50 ₸ off: 1 000 ₸ paid, 100 points earned.
        sale = self.sync(
            self.order_payload(session, [(self.water, 3), self.reward_line(reward, 50, self.card, 50)], partner=self.customer)
        )
        self.assertEqual(sale.amount_total, 1000)
        reward_line = sale.lines.filtered("is_reward_line")
        self.confirm(sale, {self.card.id: {"points": 100 - 50, "program_id": self.loyalty.id, "coupon_id": self.card.id, "barcode": False, "partner_id": self.customer.id, "line_codes": reward_line.mapped("reward_identifier_code")}})
        self.assertEqual(self.card.points, 250)
        self.assertEqual(self.customer.clever_loyalty_points, 250)

        # Two of the three waters come back: 2/3 of the 100 points earned are taken back.
        water_line = sale.lines.filtered(lambda l: l.product_id == self.water)
        refund_payload = self.order_payload(
            session,
            [{"product_id": self.water.id, "qty": -2, "price_unit": 350, "refunded_orderline_id": water_line.id}],
            partner=self.customer,
            clever_return_reason_id=self.env.ref("clever_pos_terminal.return_reason_defective").id,
            is_refund=True,
        )
        self.approve(session, "refund", amount=700, record_id=sale.id)
        refund = self.sync(refund_payload)
        self.assertEqual(refund.state, "paid")
        self.assertAlmostEqual(self.card.points, 250 - 66.67, places=2)
        history = self.env["loyalty.history"].search([("card_id", "=", self.card.id), ("order_model", "=", "pos.order"), ("order_id", "=", refund.id)])
        self.assertAlmostEqual(history.used, 66.67, places=2)
        # pos_loyalty's own call after the return books nothing twice.
        self.confirm(refund, {self.card.id: {"points": 0, "program_id": self.loyalty.id, "coupon_id": self.card.id, "barcode": False, "partner_id": self.customer.id}})
        self.assertAlmostEqual(self.card.points, 250 - 66.67, places=2)

        # The last water and the points discount come back: the rest earned is taken back, the
        # 50 points spent are given back.
        refund2_payload = self.order_payload(
            session,
            [
                {"product_id": self.water.id, "qty": -1, "price_unit": 350, "refunded_orderline_id": water_line.id},
                {"product_id": reward_line.product_id.id, "qty": -1, "price_unit": -50, "refunded_orderline_id": reward_line.id},
            ],
            partner=self.customer,
            clever_return_reason_id=self.env.ref("clever_pos_terminal.return_reason_defective").id,
            is_refund=True,
        )
        self.approve(session, "refund", amount=300, record_id=sale.id)
        self.sync(refund2_payload)
        self.assertAlmostEqual(self.card.points, 200.0, places=2)

    # ------------------------------------------------------------------
    # Manual discounts keep needing approval next to a promotion
    # ------------------------------------------------------------------

    def test_discount_approval_with_promotion(self):
        session = self.open_session()
        # A 10 % promo code, or 150 points on 1 400 ₸ (10.7 %, over the 10 % limit): rewards are
        # no manual discount.
        order = self.sync(self.order_payload(session, [(self.water, 4), self.reward_line(self.promo.reward_ids, 140)]))
        self.assertEqual(order.state, "paid")
        big_reward = self.sync(
            self.order_payload(session, [(self.water, 4), self.reward_line(self.loyalty.reward_ids, 150, self.card, 150)], partner=self.customer)
        )
        self.assertEqual(big_reward.state, "paid")
        # A manual 20 % on a line next to the promotion still needs a manager (limit 10 %).
        line = {"product_id": self.water.id, "qty": 4, "price_unit": 350, "discount": 20}
        with self.refused("approval"):
            self.sync(self.order_payload(session, [line, self.reward_line(self.promo.reward_ids, 112)]))
        self.approve(session, "discount", quantity=20)
        approved = self.sync(self.order_payload(session, [line, self.reward_line(self.promo.reward_ids, 112)]))
        self.assertEqual(approved.state, "paid")
        request = self.env["clever.approval.request"].search([("action", "=", "discount"), ("res_model", "=", "pos.session"), ("res_id", "=", session.id)])
        self.assertTrue(request.used_at)


@tagged("post_install", "-at_install")
class TestCleverLoyaltyTour(CleverLoyaltySetup, HttpCase):
    """At the till: a sale with a promo code and loyalty points, then its return."""

    approval_codes = test_tours.TestCleverTours.approval_codes
    start_clever_tour = test_tours.TestCleverTours.start_clever_tour

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_loyalty()

    def test_loyalty_sale_and_return(self):
        session = self.open_session(0)
        self.start_clever_tour("CleverLoyaltySaleReturnTour")
        sale = session.order_ids.filtered(lambda o: not o.is_refund and o.amount_total > 0)
        refund = session.order_ids.filtered("is_refund")
        self.assertEqual((len(sale), len(refund)), (1, 1))
        self.assertEqual(sale.partner_id, self.customer)
        rewards = sale.lines.filtered("is_reward_line")
        self.assertEqual(rewards.reward_id, self.promo.reward_ids | self.loyalty.reward_ids)
        spent = sum(rewards.filtered(lambda l: l.reward_id == self.loyalty.reward_ids).mapped("points_cost"))
        self.assertGreater(spent, 0)
        # No manager was asked for a discount: rewards are no manual discounts.
        self.assertFalse(self.env["clever.approval.request"].search([("action", "=", "discount"), ("res_id", "=", session.id)]))
        history = self.env["loyalty.history"].search([("card_id", "=", self.card.id), ("order_id", "=", sale.id), ("order_model", "=", "pos.order")])
        self.assertTrue(history)
        # Everything came back: the points are as before the sale.
        self.assertEqual(refund.state, "paid")
        self.assertEqual(refund.lines.refunded_orderline_id.order_id, sale)
        self.assertAlmostEqual(self.card.points, 200, places=2)
