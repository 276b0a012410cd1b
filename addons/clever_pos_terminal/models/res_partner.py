import re

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import float_compare


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Shown at the till (partner list) and on the customer card.
    clever_pos_debt = fields.Float(string="Debt at the till", compute="_compute_clever_pos_debt", digits=(16, 2))
    clever_loyalty_points = fields.Float(string="Loyalty points", compute="_compute_clever_loyalty_points", digits=(16, 2))

    @api.depends_context("company")
    def _compute_clever_pos_debt(self):
        """Posted receivable plus the till's customer-account payments not posted yet, for all
        these partners with one grouped query (the partner list of the till loads 100 at once)."""
        company = self.env.company
        partners = self.filtered("id")
        pending = {}
        if partners:
            groups = self.env["pos.payment"].sudo()._read_group(
                [
                    ("company_id", "=", company.id),
                    ("payment_method_id.journal_id", "=", False),
                    ("pos_order_id.partner_id", "in", (partners | partners.commercial_partner_id).ids),
                    ("pos_order_id.state", "=", "paid"),
                    ("pos_order_id.account_move", "=", False),
                ],
                ["pos_order_id.partner_id"],
                ["amount:sum"],
            )
            for partner, amount in groups:
                key = partner.commercial_partner_id.id
                pending[key] = pending.get(key, 0.0) + amount
        credits = {p.id: p.credit for p in partners.commercial_partner_id.sudo().with_company(company)}
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.clever_pos_debt = company.currency_id.round(credits.get(key, 0.0) + pending.get(key, 0.0)) if partner.id else 0.0

    @api.depends_context("company")
    def _compute_clever_loyalty_points(self):
        points = self.env["loyalty.card"]._clever_partner_points(self.filtered("id"), self.env.company)
        for partner in self:
            partner.clever_loyalty_points = points.get(partner.commercial_partner_id.id, 0.0)

    @api.model
    def _load_pos_data_fields(self, config):
        return [*super()._load_pos_data_fields(config), "clever_pos_debt"]

    @api.model
    def _clever_phone_digits(self, text):
        """The national digits of a Kazakh phone as typed at the till ("8 701 555", "+7 (701) 555",
        "701-555"): None when the text is no phone or too short to search."""
        text = (text or "").strip().rstrip("%")
        if not re.fullmatch(r"[+\d\s()\-.]+", text):
            return None
        digits = re.sub(r"\D", "", text)
        if text.startswith("+7") or (len(digits) == 11 and digits[0] in "78") or (digits.startswith("8") and len(digits) > 3):
            digits = digits[1:]
        return digits if len(digits) >= 3 else None

    @api.model
    def get_new_partner(self, config_id, domain, offset):
        # The till searches "starts with" on names and phones as typed; a phone is stored as
        # "+7 7XX XXX XX XX" (clever_pos_base), so match its digits whatever the spelling.
        query = next(
            (
                leaf[2]
                for leaf in domain or []
                if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] == "phone_mobile_search" and isinstance(leaf[2], str)
            ),
            None,
        )
        digits = self._clever_phone_digits(query) if query else None
        if digits:
            domain = ["|", ("phone_sanitized", "like", "%" + digits + "%"), *domain]
        return super().get_new_partner(config_id, domain, offset)

    # A customer's debt is Odoo's own receivable: posted entries (res.partner.credit) plus what the
    # "customer account" payments of the till add at the next session closing.

    def _clever_pending_pos_debt(self, company, exclude_orders=None):
        """Customer-account payments of paid, not yet posted (nor invoiced) till orders: they
        become receivable entries when their session closes."""
        self.ensure_one()
        partner = self.commercial_partner_id
        payments = self.env["pos.payment"].sudo().search(
            [
                ("company_id", "=", company.id),
                ("pos_order_id", "not in", exclude_orders.ids if exclude_orders else []),
                ("payment_method_id.journal_id", "=", False),
                ("pos_order_id.partner_id", "child_of", partner.id),
                ("pos_order_id.state", "=", "paid"),
                ("pos_order_id.account_move", "=", False),
            ]
        )
        return sum(payments.mapped("amount"))

    def _clever_debt_balance(self, company=None, exclude_orders=None):
        """What the customer owes the company now (positive = debt), leaving out `exclude_orders`
        (an order being checked before it counts)."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id.sudo().with_company(company)
        partner.invalidate_recordset(["credit"])  # not stored, and not recomputed by the till's entries
        return company.currency_id.round(partner.credit + self._clever_pending_pos_debt(company, exclude_orders))

    def _clever_credit_limit(self, company):
        limit = self.commercial_partner_id.sudo().with_company(company).credit_limit
        return limit if limit and limit > 0 else 0.0

    def _clever_debt_over_limit(self, amount, company, exclude_orders=None):
        """Whether a new debt of `amount` takes the customer over the credit limit (none when the
        limit is 0)."""
        self.ensure_one()
        limit = self._clever_credit_limit(company)
        if not limit:
            return False
        return float_compare(self._clever_debt_balance(company, exclude_orders) + amount, limit, precision_rounding=company.currency_id.rounding) > 0

    @api.model
    def clever_pos_debt_info(self, partner_id, config_id):
        """Balance, credit limit and open debts of a customer, for the till."""
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only cashiers see customers' debts at the till."))
        config = self.env["pos.config"].browse(int(config_id))
        config.check_access("read")
        partner = self.browse(int(partner_id)).exists()
        partner.check_access("read")
        company = config.company_id
        commercial = partner.commercial_partner_id
        open_lines = self.env["account.move.line"].sudo().search(
            [
                ("partner_id", "=", commercial.id),
                ("company_id", "=", company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0),
            ],
            order="date desc, id desc",
            limit=50,
        )
        debts = [
            {"date": line.date.strftime("%d.%m.%Y"), "name": line.move_id.name or line.name or "", "amount": line.amount_residual}
            for line in open_lines
        ]
        pending = self.env["pos.order"].sudo().search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "child_of", commercial.id),
                ("state", "=", "paid"),
                ("account_move", "=", False),
                ("payment_ids.payment_method_id.journal_id", "=", False),
            ],
            order="date_order desc, id desc",
            limit=50,
        )
        for order in pending:
            amount = sum(order._clever_pay_later_payments().mapped("amount"))
            if amount:
                debts.append(
                    {"date": order.date_order.strftime("%d.%m.%Y"), "name": order.pos_reference or order.name, "amount": amount}
                )
        return {
            "partner_id": partner.id,
            "name": partner.display_name,
            "balance": self._clever_round(partner._clever_debt_balance(company), company),
            "credit_limit": partner._clever_credit_limit(company),
            "debts": debts,
        }

    @api.model
    def _clever_round(self, amount, company):
        return company.currency_id.round(amount)
