from odoo import api, fields, models
from odoo.fields import Domain
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

# Orders whose rewards have used a card (drafts and cancelled orders have not).
USED_ORDER_STATES = ("paid", "done")


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    # Stock pos_loyalty checks a card's balance in validate_coupon_programs (a separate call before
    # the order is sent) and takes the points off in confirm_coupon_programs (a call after it): two
    # tills may both pass the check before either takes the points. The server checks again while
    # the order is saved, with the card row locked, counting the rewards of orders already saved
    # whose points were not taken off yet.

    def _clever_pending_cost(self, exclude_order):
        """Points of these cards claimed by saved till orders (other than `exclude_order`) that
        pos_loyalty has not taken off the card yet (no history line of that order)."""
        lines = self.env["pos.order.line"].sudo().search(
            [
                ("coupon_id", "in", self.ids),
                ("is_reward_line", "=", True),
                ("points_cost", ">", 0),
                ("order_id", "!=", exclude_order.id),
                ("order_id.state", "in", USED_ORDER_STATES),
            ]
        )
        if not lines:
            return {}
        booked = {
            (history.card_id.id, history.order_id)
            for history in self.env["loyalty.history"].sudo().search(
                [("card_id", "in", lines.coupon_id.ids), ("order_model", "=", "pos.order"), ("order_id", "in", lines.order_id.ids)]
            )
        }
        pending = {}
        for line in lines:
            if (line.coupon_id.id, line.order_id.id) not in booked:
                pending[line.coupon_id.id] = pending.get(line.coupon_id.id, 0.0) + line.points_cost
        return pending

    @api.model
    def _clever_check_order_rewards(self, order):
        """Refuse a till order whose rewards use a card that cannot pay for them any more (used,
        also from another till at the same moment), or loyalty points without their owner."""
        self._clever_check_reward_conditions(order)
        reward_lines = order.lines.filtered(lambda l: l.is_reward_line and l.coupon_id and l.points_cost > 0)
        if not reward_lines:
            return
        cards = reward_lines.coupon_id.sudo()
        for card in cards.filtered(lambda c: c.program_type in ("loyalty", "ewallet")):
            owner = card.partner_id.commercial_partner_id
            if not order.partner_id or order.partner_id.commercial_partner_id != owner:
                raise UserError(
                    self.env._(
                        "Points of %(program)s are spent only with their owner chosen as the customer of the order.",
                        program=card.program_id.name,
                    )
                )
        # Lock the cards for the rest of this transaction; a concurrent order of another till
        # using them waits here and is then retried (serialisation failure), seeing this order.
        self.env.cr.execute("UPDATE loyalty_card SET points = points WHERE id IN %s", [tuple(cards.ids)])
        pending = cards._clever_pending_cost(order)
        for card in cards:
            cost = sum(reward_lines.filtered(lambda l, c=card: l.coupon_id == c).mapped("points_cost"))
            available = card.points - pending.get(card.id, 0.0) + card._clever_points_earned_by(order)
            if float_compare(cost, available, precision_digits=2) > 0:
                if card.program_type in ("coupons", "next_order_coupons", "promo_code", "gift_card"):
                    message = self.env._(
                        "The coupon %(code)s has already been used: remove its reward from the order.",
                        code=card.code,
                    )
                else:
                    message = self.env._(
                        "There are not enough points on %(code)s for these rewards: %(available)s left, %(cost)s needed.",
                        code=card.code,
                        available=float_round(max(available, 0.0), precision_digits=2),
                        cost=float_round(cost, precision_digits=2),
                    )
                raise UserError(message)

    def _clever_points_earned_by(self, order):
        """At most the points this order earns on this card itself (pos_loyalty lets a customer
        spend at once what the purchase earns): an upper bound from the programme's rules."""
        self.ensure_one()
        program = self.program_id
        if program.applies_on != "both":
            return 0.0
        goods = order.lines.filtered(lambda l: not l.is_reward_line and l.qty > 0)
        earned = 0.0
        for rule in program.rule_ids.filtered(lambda r: r.mode == "auto"):
            if rule.reward_point_mode == "order":
                earned += rule.reward_point_amount
            elif rule.reward_point_mode == "money":
                earned += rule.reward_point_amount * sum(goods.mapped("price_subtotal_incl"))
            elif rule.reward_point_mode == "unit":
                earned += rule.reward_point_amount * sum(goods.mapped("qty"))
        return earned

    @api.model
    def _clever_check_reward_conditions(self, order):
        """The conditions of a promotion, checked again on the server: the rewards of a coupon or
        promo code apply only to their products and from their minimum purchase."""
        rewards = order.lines.filtered(lambda l: l.is_reward_line and l.qty > 0).reward_id.sudo()
        if not rewards:
            return
        goods = order.lines.filtered(lambda l: not l.is_reward_line and l.qty > 0 and not l.refunded_orderline_id)
        for program in rewards.program_id.filtered(lambda p: p.program_type in ("coupons", "promo_code", "promotion")):
            rules = program.rule_ids
            if rules and not any(
                float_compare(
                    sum(goods.mapped("price_subtotal_incl" if rule.minimum_amount_tax_mode == "incl" else "price_subtotal")),
                    rule.minimum_amount,
                    precision_rounding=order.currency_id.rounding,
                )
                >= 0
                for rule in rules
            ):
                raise UserError(
                    self.env._(
                        "%(program)s needs a purchase of at least %(amount)s.",
                        program=program.name,
                        amount=order.currency_id.format(min(rules.mapped("minimum_amount"))),
                    )
                )
        for reward in rewards.filtered(lambda r: r.reward_type == "discount" and r.discount_applicability == "specific"):
            products = self.env["product.product"].sudo().with_context(active_test=False)
            if not products.search_count(reward._get_discount_product_domain() & Domain("id", "in", goods.product_id.ids), limit=1):
                raise UserError(
                    self.env._(
                        "%(reward)s is not for the products of this order.",
                        reward=reward.description or reward.program_id.name,
                    )
                )

    @api.model
    def _clever_return_points(self, refund):
        """A return takes back the loyalty points its goods earned and gives back the points its
        returned rewards cost, in proportion of what comes back, on the customer's card."""
        refund_lines = refund.lines.filtered(lambda l: l.refunded_orderline_id and l.qty < 0)
        History = self.env["loyalty.history"].sudo()
        for sale in refund_lines.refunded_orderline_id.order_id:
            lines = refund_lines.filtered(lambda l, s=sale: l.refunded_orderline_id.order_id == s)
            goods_sold = sum(sale.lines.filtered(lambda l: not l.is_reward_line and l.qty > 0).mapped("price_subtotal_incl"))
            # From the sold lines (the sign of a return line's amounts differs between tills).
            goods_back = sum(
                abs(line.qty) / line.refunded_orderline_id.qty * line.refunded_orderline_id.price_subtotal_incl
                for line in lines
                if not line.refunded_orderline_id.is_reward_line and line.refunded_orderline_id.qty
            )
            goods_ratio = min(1.0, goods_back / goods_sold) if goods_sold > 0 and goods_back > 0 else 0.0
            histories = History.search(
                [("order_model", "=", "pos.order"), ("order_id", "=", sale.id), ("card_id.program_id.program_type", "=", "loyalty")]
            )
            for card in histories.card_id:
                card_history = histories.filtered(lambda h, c=card: h.card_id == c)
                rewards = sale.lines.filtered(lambda l, c=card: l.is_reward_line and l.coupon_id == c)
                rewards_back = lines.filtered(lambda l, r=rewards: l.refunded_orderline_id in r)
                reward_ratio = (
                    min(1.0, sum(abs(q) for q in rewards_back.mapped("qty")) / sum(rewards.mapped("qty")))
                    if rewards and sum(rewards.mapped("qty")) > 0
                    else 0.0
                )
                # pos_loyalty books the net change of an order (won minus spent) on one line.
                spent = sum(rewards.mapped("points_cost"))
                earned = sum(card_history.mapped("issued")) - sum(card_history.mapped("used")) + spent
                take_back = float_round(max(earned, 0.0) * goods_ratio, precision_digits=2)
                give_back = float_round(spent * reward_ratio, precision_digits=2)
                if not take_back and not give_back:
                    continue
                card.points = card.points - take_back + give_back
                History.create(
                    {
                        "card_id": card.id,
                        "order_model": refund._name,
                        "order_id": refund.id,
                        "description": self.env._(
                            "Return %(refund)s of %(sale)s",
                            refund=refund.pos_reference or refund.name,
                            sale=sale.pos_reference or sale.name,
                        ),
                        "issued": give_back,
                        "used": take_back,
                    }
                )

    @api.model
    def _clever_partner_points(self, partners, company=None):
        """Loyalty points per commercial partner (active loyalty programmes of the company)."""
        company = company or self.env.company
        groups = self.sudo()._read_group(
            [
                ("partner_id", "in", partners.commercial_partner_id.ids + partners.ids),
                ("program_id.program_type", "=", "loyalty"),
                ("program_id.active", "=", True),
                ("company_id", "in", (company.id, False)),
                "|",
                ("expiration_date", "=", False),
                ("expiration_date", ">=", fields.Date.context_today(self)),
            ],
            ["partner_id"],
            ["points:sum"],
        )
        points = {}
        for partner, total in groups:
            key = partner.commercial_partner_id.id
            points[key] = points.get(key, 0.0) + total
        return points
