from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

DEBT_FIELDS = (
    "clever_debt",
    "clever_debt_overdue",
    "clever_debt_0_30",
    "clever_debt_31_60",
    "clever_debt_61_90",
    "clever_debt_90_plus",
    "clever_credit_available",
)
DEBT_GROUPS = "clever_pos_base.group_clever_accountant,clever_pos_base.group_clever_manager"


class ResPartner(models.Model):
    """A customer's debt to the shop: the open receivable of the partner in the current
    company (POS sales on the customer's account are booked there when the shift closes,
    invoices too), by age of the debt, against the customer's credit limit."""

    _inherit = "res.partner"

    clever_debt = fields.Monetary(
        string="Debt",
        compute="_compute_clever_debt",
        search="_search_clever_debt",
        currency_field="clever_currency_id",
        groups=DEBT_GROUPS,
    )
    clever_debt_overdue = fields.Monetary(
        string="Overdue", compute="_compute_clever_debt", currency_field="clever_currency_id", groups=DEBT_GROUPS
    )
    clever_debt_0_30 = fields.Monetary(string="0-30 days", compute="_compute_clever_debt", currency_field="clever_currency_id", groups=DEBT_GROUPS)
    clever_debt_31_60 = fields.Monetary(string="31-60 days", compute="_compute_clever_debt", currency_field="clever_currency_id", groups=DEBT_GROUPS)
    clever_debt_61_90 = fields.Monetary(string="61-90 days", compute="_compute_clever_debt", currency_field="clever_currency_id", groups=DEBT_GROUPS)
    clever_debt_90_plus = fields.Monetary(
        string="Over 90 days", compute="_compute_clever_debt", currency_field="clever_currency_id", groups=DEBT_GROUPS
    )
    clever_credit_available = fields.Monetary(
        string="Credit left",
        compute="_compute_clever_debt",
        currency_field="clever_currency_id",
        groups=DEBT_GROUPS,
        help="Credit limit minus the debt; empty when the customer has no limit.",
    )
    clever_currency_id = fields.Many2one("res.currency", compute="_compute_clever_currency_id")

    @api.depends_context("company")
    def _compute_clever_currency_id(self):
        self.clever_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_clever_debt(self):
        company = self.env.company
        figures = self._clever_debt_figures(company)
        for partner in self:
            values = figures.get(partner.commercial_partner_id.id, {})
            for name in DEBT_FIELDS[:-1]:
                partner[name] = values.get(name, 0.0)
            limit = partner.sudo().with_company(company).credit_limit
            partner.clever_credit_available = limit - values.get("clever_debt", 0.0) if limit else 0.0

    def _search_clever_debt(self, operator, value):
        """Partners whose debt in the current company compares to `value` (e.g. > 0: debtors)."""
        if operator not in (">", ">=", "<", "<=") or not isinstance(value, (int, float)):
            return NotImplemented
        rows = self.env.execute_query(
            SQL(
                """
            SELECT line.partner_id
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE line.company_id = %s
               AND line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE
               AND line.partner_id IS NOT NULL
               AND account.account_type = 'asset_receivable'
          GROUP BY line.partner_id
            HAVING SUM(line.amount_residual) %s %s
                """,
                self.env.company.id,
                SQL(operator),
                value,
            )
        )
        return [("id", "in", [row[0] for row in rows])]

    # ------------------------------------------------------------------
    # Debt figures
    # ------------------------------------------------------------------

    def _clever_debt_figures(self, company, today=None):
        """{commercial partner id: {clever_debt, overdue, buckets}} with one grouped query.
        Buckets by the age of the debt (days since the sale or invoice); overdue past its due date."""
        partners = self.commercial_partner_id
        if not partners:
            return {}
        today = today or fields.Date.context_today(self)
        self.env["account.move.line"].flush_model(
            ["partner_id", "amount_residual", "reconciled", "date", "date_maturity", "parent_state", "account_id", "company_id"]
        )
        rows = self.env.execute_query_dict(
            SQL(
                """
            SELECT line.partner_id AS partner_id,
                   SUM(line.amount_residual) AS clever_debt,
                   SUM(line.amount_residual) FILTER (WHERE COALESCE(line.date_maturity, line.date) < %(today)s) AS clever_debt_overdue,
                   SUM(line.amount_residual) FILTER (WHERE %(today)s - line.date <= 30) AS clever_debt_0_30,
                   SUM(line.amount_residual) FILTER (WHERE %(today)s - line.date BETWEEN 31 AND 60) AS clever_debt_31_60,
                   SUM(line.amount_residual) FILTER (WHERE %(today)s - line.date BETWEEN 61 AND 90) AS clever_debt_61_90,
                   SUM(line.amount_residual) FILTER (WHERE %(today)s - line.date > 90) AS clever_debt_90_plus
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE line.partner_id = ANY(%(partners)s)
               AND line.company_id = %(company)s
               AND line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE
               AND account.account_type = 'asset_receivable'
          GROUP BY line.partner_id
                """,
                today=today,
                partners=partners.ids,
                company=company.id,
            )
        )
        return {row.pop("partner_id"): {key: value or 0.0 for key, value in row.items()} for row in rows}

    def _clever_debt(self, company=None):
        """What the customer owes the shop now (company currency)."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id
        return partner._clever_debt_figures(company).get(partner.id, {}).get("clever_debt", 0.0)

    def _clever_open_debt_lines(self, company):
        """The customer's unpaid sales and invoices (receivable lines still open)."""
        self.ensure_one()
        return self.env["account.move.line"].sudo().search(
            [
                ("partner_id", "=", self.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ]
        )

    def _clever_unbooked_pos_debt(self, company):
        """Sales on the customer's account in shifts not closed yet: not in the accounting until
        the shift closes, but owed already."""
        self.ensure_one()
        self.env["pos.payment"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
            SELECT COALESCE(SUM(payment.amount), 0)
              FROM pos_payment payment
              JOIN pos_payment_method method ON method.id = payment.payment_method_id
              JOIN pos_order pos_order ON pos_order.id = payment.pos_order_id
              JOIN pos_session session ON session.id = pos_order.session_id
              JOIN res_partner partner ON partner.id = pos_order.partner_id
             WHERE method.journal_id IS NULL
               AND session.state != 'closed'
               AND pos_order.state IN ('paid', 'done')
               AND pos_order.company_id = %(company)s
               AND partner.commercial_partner_id = %(partner)s
                """,
                company=company.id,
                partner=self.commercial_partner_id.id,
            )
        )
        return rows[0][0] if rows else 0.0

    def _clever_check_credit_limit(self, amount, company=None):
        """Refuse a new debt of `amount` over the customer's credit limit (0: no limit). Works
        whether or not the company's credit-limit warning is switched on."""
        self.ensure_one()
        company = company or self.env.company
        partner = self.commercial_partner_id
        limit = partner.sudo().with_company(company).credit_limit
        if not limit or amount <= 0:
            return True
        debt = partner._clever_debt(company)
        if company.currency_id.compare_amounts(debt + amount, limit) > 0:
            raise UserError(
                self.env._(
                    "%(partner)s would owe %(total)s, over the credit limit of %(limit)s (debt now: %(debt)s).",
                    partner=partner.display_name,
                    total=company.currency_id.format(debt + amount),
                    limit=company.currency_id.format(limit),
                    debt=company.currency_id.format(debt),
                )
            )
        return True

    def action_clever_open_debts(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("clever_pos_finance.clever_finance_debt_report_action")
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id), ("kind", "=", "customer")]
        action["context"] = {}
        return action

    def action_clever_new_repayment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "clever.finance.repayment",
            "view_mode": "form",
            "target": "current",
            "context": {"default_partner_id": self.commercial_partner_id.id, "default_amount": self.clever_debt},
        }

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------

    @api.model
    def _cron_clever_debt_reminders(self):
        """Once per overdue debt: an activity on the customer for whoever follows it up (the
        customer's salesperson, otherwise a manager of the shop)."""
        Line = self.env["account.move.line"].sudo()
        today = fields.Date.context_today(self)
        lines = Line.search(
            [
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
                ("partner_id", "!=", False),
                ("clever_debt_reminded", "=", False),
                "|",
                ("date_maturity", "<", today),
                "&",
                ("date_maturity", "=", False),
                ("date", "<", today),
            ],
            limit=5000,
        )
        manager_group = self.env.ref("clever_pos_base.group_clever_manager")
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        for (partner, company), partner_lines in lines.grouped(lambda line: (line.partner_id, line.company_id)).items():
            user = partner.user_id if company in partner.user_id.company_ids else self.env["res.users"]
            if not user:
                user = manager_group.all_user_ids.filtered(lambda u: company in u.company_ids and u.active and not u.share)[:1]
            if not user:
                continue
            amount = sum(partner_lines.mapped("amount_residual"))
            oldest = min(line.date_maturity or line.date for line in partner_lines)
            partner.with_company(company).sudo().activity_schedule(
                activity_type_id=todo_type.id,
                summary=self.env._(
                    "Overdue debt: %(amount)s since %(date)s",
                    amount=company.currency_id.format(amount),
                    date=fields.Date.to_string(oldest),
                ),
                note=self.env._("Remind the customer of the debt and take a repayment."),
                user_id=user.id,
                date_deadline=today,
            )
            partner_lines.write({"clever_debt_reminded": True})
        return True
