from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare


class PosOrder(models.Model):
    _inherit = "pos.order"

    # pos.order sends all its fields to the till: these are no secrets.
    clever_return_reason_id = fields.Many2one("clever.pos.return.reason", string="Return reason", readonly=True, index="btree_not_null")
    clever_return_comment = fields.Char(string="Return comment", readonly=True)
    clever_is_repayment = fields.Boolean(
        string="Debt repayment", readonly=True, help="Money a customer brought to pay off a debt; no goods."
    )
    clever_partner_balance = fields.Monetary(
        string="Customer's debt after this order",
        readonly=True,
        help="The customer's debt balance right after this sale or repayment, as printed on its receipt.",
    )

    # ------------------------------------------------------------------
    # Server-side guards of a Clever till: the screen is never trusted alone
    # ------------------------------------------------------------------

    def _process_saved_order(self, draft):
        if not draft and self.state != "cancel" and self.config_id.clever_till:
            self._clever_check_before_paid()
        if not draft and self.state != "cancel":
            # A coupon is used once, also from two tills at the same moment (loyalty_card.py).
            self.env["loyalty.card"]._clever_check_order_rewards(self)
        order = self
        if self.env.user._clever_hides_cost():
            # Odoo computes the cost of the sold goods here; a cashier may not read costs
            # (clever_pos_base), the server does it for them once the order is checked.
            order = self.sudo()
        result = super(PosOrder, order)._process_saved_order(draft)
        if not draft and self.state in ("paid", "done") and self.lines.refunded_orderline_id:
            self.env["loyalty.card"]._clever_return_points(self)
        if not draft and self.config_id.clever_till and self.partner_id and self._clever_touches_debt():
            self.clever_partner_balance = self.partner_id._clever_debt_balance(self.company_id)
        if not draft and self.state in ("paid", "done") and self.config_id.clever_fiscal_register_id:
            # Queued with its external number in the sale's own transaction; sent afterwards
            # (clever_fiscal_send from the till, or the cron): the sale never waits for it.
            self.env["clever.fiscal.operation"]._enqueue_order(self)
        return result

    def clever_fiscal_send(self):
        """Called by the till once the order is saved: fiscalise it now if the provider answers,
        and return what the receipt prints ({"state": "pending"} when it is queued)."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only cashiers fiscalise receipts."))
        operation = self.env["clever.fiscal.operation"].sudo().search(
            [("order_id", "=", self.id), ("kind", "in", ("sale", "refund"))], limit=1
        )
        if not operation:
            return {"state": "none"}
        operation._send_now()
        return operation._pos_receipt_data()

    def _compute_total_cost_at_session_closing(self, stock_moves):
        if self.env.user._clever_hides_cost():
            return super(PosOrder, self.sudo())._compute_total_cost_at_session_closing(stock_moves.sudo())
        return super()._compute_total_cost_at_session_closing(stock_moves)

    def _clever_pay_later_payments(self):
        return self.payment_ids.filtered(lambda p: p.payment_method_id.type == "pay_later")

    def _clever_touches_debt(self):
        return bool(self._clever_pay_later_payments())

    def _clever_check_before_paid(self):
        """Refuse what the till's screen would never send: a sale in a shift that was not opened
        with approval, a service or a debt without customer, a debt or a return without approval,
        a return of more than was sold, a repayment that does not add up, a discount over the
        cashier's limit without approval."""
        self.ensure_one()
        session = self.session_id
        if session.state != "opened":
            raise UserError(self.env._("The shift of %(register)s is not open: no sale is possible.", register=self.config_id.name))
        self._clever_check_customer()
        pay_later = self._clever_pay_later_payments()
        if self.clever_is_repayment or (not self.lines and pay_later):
            self._clever_check_repayment()
            return
        refund_lines = self.lines.filtered(lambda l: l.qty < 0)
        if refund_lines:
            self._clever_check_return(refund_lines)
        debt = sum(pay_later.mapped("amount"))
        if float_compare(debt, 0.0, precision_rounding=self.currency_id.rounding) > 0:
            partner = self.partner_id
            over_limit = partner._clever_debt_over_limit(debt, self.company_id, exclude_orders=self)
            session._clever_consume_approval("debt_sale", partner, amount=debt, force=over_limit)
        self._clever_check_discounts()

    def _clever_check_customer(self):
        special = self.config_id._clever_special_products()
        if not self.partner_id:
            # Reward lines of promotions (pos_loyalty) sell no service.
            services = self.lines.filtered(
                lambda l: l.product_id not in special and not l.is_reward_line and l.product_id.clever_requires_customer
            )
            if services:
                raise UserError(
                    self.env._(
                        "%(product)s needs a customer: choose the customer before payment.",
                        product=services[0].full_product_name or services[0].product_id.display_name,
                    )
                )
            if self._clever_pay_later_payments():
                raise UserError(self.env._("A sale on debt needs a customer."))

    def _clever_check_repayment(self):
        if self.lines:
            raise UserError(self.env._("A debt repayment carries no goods."))
        pay_later = self._clever_pay_later_payments()
        others = self.payment_ids - pay_later
        repaid = -sum(pay_later.mapped("amount"))
        rounding = self.currency_id.rounding
        if not self.partner_id or float_compare(repaid, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(self.env._("A debt repayment needs a customer and an amount."))
        if float_compare(sum(others.mapped("amount")), repaid, precision_rounding=rounding) != 0:
            raise UserError(self.env._("The money taken does not match the debt repaid."))
        balance = self.partner_id._clever_debt_balance(self.company_id, exclude_orders=self)
        if float_compare(repaid, balance, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "%(customer)s owes %(balance)s: a repayment of %(amount)s is more than the debt.",
                    customer=self.partner_id.display_name,
                    balance=self.currency_id.format(balance),
                    amount=self.currency_id.format(repaid),
                )
            )
        self.clever_is_repayment = True

    def _clever_check_return(self, refund_lines):
        special = self.config_id._clever_special_products()
        goods = refund_lines.filtered(lambda l: l.product_id not in special)
        if goods.filtered(lambda l: not l.refunded_orderline_id):
            raise UserError(self.env._("A return must come from a sale: find the sale by its receipt number."))
        originals = refund_lines.refunded_orderline_id
        originals.invalidate_recordset(["refunded_qty"])
        for line in originals:
            refunded = -sum(
                line.refund_orderline_ids.filtered(lambda r: r.order_id.state != "cancel").mapped("qty")
            )
            if float_compare(refunded, line.qty, precision_rounding=line.product_uom_id.rounding or 0.001) > 0:
                raise UserError(
                    self.env._(
                        "%(product)s: %(returned)s would be returned, but only %(sold)s were sold on %(receipt)s.",
                        product=line.full_product_name or line.product_id.display_name,
                        returned=refunded,
                        sold=line.qty,
                        receipt=line.order_id.pos_reference or line.order_id.name,
                    )
                )
        sales = originals.order_id
        if len(sales) > 1:
            raise UserError(self.env._("You can only refund products from the same order."))
        if not self.clever_return_reason_id:
            raise UserError(self.env._("Choose the reason of the return."))
        if self.clever_return_reason_id.comment_required and not (self.clever_return_comment or "").strip():
            raise UserError(self.env._("This return reason needs a comment."))
        # Money goes back by the sale's own methods or in cash.
        allowed = sales.payment_ids.payment_method_id | self.session_id.payment_method_ids.filtered("is_cash_count")
        wrong = self.payment_ids.filtered(lambda p: p.amount < 0 and p.payment_method_id not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(method)s was not used for the sale: refund by the sale's payment method or in cash.",
                    method=wrong[0].payment_method_id.name,
                )
            )
        amount = -sum(refund_lines.mapped("price_subtotal_incl"))
        self.session_id._clever_consume_approval("refund", sales, amount=amount)

    def _clever_discount_limit(self):
        return self.env.user.clever_pos_discount_limit or self.config_id.clever_max_discount

    def _clever_order_discount_percent(self):
        special = self.config_id._clever_special_products() - self.config_id.clever_free_product_ids
        discount_lines = self.lines.filtered(lambda l: l.product_id in special and l.price_subtotal_incl < 0)
        # pos_discount keeps the percentage the cashier typed on its line.
        typed = [(line.extra_tax_data or {}).get("discount_percentage") for line in discount_lines]
        typed = [pc for pc in typed if isinstance(pc, (int, float))]
        if typed:
            return max(typed)
        discount = -sum(discount_lines.mapped("price_subtotal_incl"))
        goods = sum(
            self.lines.filtered(lambda l: l.product_id not in special and l.qty > 0 and not l.is_reward_line).mapped("price_subtotal_incl")
        )
        return discount * 100.0 / goods if discount > 0 and goods > 0 else 0.0

    def _clever_check_discounts(self):
        # Rewards of promotions and loyalty (pos_loyalty) are no manual discounts.
        sold = self.lines.filtered(lambda l: l.qty > 0 and not l.is_reward_line)
        biggest = max([*sold.mapped("discount"), self._clever_order_discount_percent(), 0.0])
        if biggest > self._clever_discount_limit() + 0.001:
            self.session_id._clever_consume_approval("discount", self.session_id, quantity=round(biggest, 2))

    # ------------------------------------------------------------------
    # Returns
    # ------------------------------------------------------------------

    @api.model
    def clever_find_sale_for_return(self, receipt_number, config_id):
        """The sale with this receipt number (typed or scanned), for a return at this register's
        company; returns its id, or False."""
        config = self.env["pos.config"].browse(int(config_id))
        config.check_access("read")
        number = (receipt_number or "").strip()
        if not number:
            return False
        order = self.search(
            [
                ("pos_reference", "=", number),
                ("company_id", "=", config.company_id.id),
                ("state", "in", ("paid", "done")),
            ],
            limit=1,
        )
        return order.id or False
