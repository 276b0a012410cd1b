from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import float_compare


class ResPartner(models.Model):
    _inherit = "res.partner"

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
