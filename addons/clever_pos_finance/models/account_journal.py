from collections import defaultdict

from odoo import api, fields, models

MONEY_KINDS = [
    ("cash_desk", "Cash desk"),
    ("safe", "Safe"),
    ("bank", "Bank account"),
    ("kaspi", "Kaspi"),
    ("courier", "Courier's cash"),
]


class AccountJournal(models.Model):
    """A money account of the shop is a cash or bank journal with a kind.

    Its balance is what its own account holds (posted entries) plus the payments of the journal
    that Odoo keeps on an outstanding account until they are matched with a bank statement
    (card sales of the POS, supplier payments): together, the money the shop has there.
    """

    _inherit = "account.journal"

    clever_money_kind = fields.Selection(
        MONEY_KINDS,
        string="Money account",
        compute="_compute_clever_money_kind",
        store=True,
        readonly=False,
        precompute=True,
        help="Cash and bank journals are the shop's money accounts: a cash desk per register, the safe, "
        "bank accounts, Kaspi Pay and couriers' cash. Empty: not shown as a money account.",
    )
    clever_balance = fields.Monetary(
        string="On the account",
        compute="_compute_clever_balance",
        currency_field="clever_currency_id",
        help="Posted entries on the journal's own account.",
    )
    clever_pending = fields.Monetary(
        string="Payments not matched yet",
        compute="_compute_clever_balance",
        currency_field="clever_currency_id",
        help="Payments of this journal still on an outstanding account (card sales, supplier payments).",
    )
    clever_total = fields.Monetary(
        string="Balance", compute="_compute_clever_balance", currency_field="clever_currency_id"
    )
    clever_currency_id = fields.Many2one("res.currency", compute="_compute_clever_balance")

    @api.depends("type")
    def _compute_clever_money_kind(self):
        for journal in self:
            if journal.type not in ("cash", "bank"):
                journal.clever_money_kind = False
            elif not journal.clever_money_kind:
                journal.clever_money_kind = "cash_desk" if journal.type == "cash" else "bank"

    def _compute_clever_balance(self):
        balances = self._clever_balances()
        for journal in self:
            on_account, pending = balances.get(journal.id, (0.0, 0.0))
            journal.clever_balance = on_account
            journal.clever_pending = pending
            journal.clever_total = on_account + pending
            journal.clever_currency_id = journal.currency_id or journal.company_id.sudo().currency_id

    def _clever_balances(self):
        """{journal id: (on its account, payments not matched)} in the company currency, from two
        grouped queries (the dashboard calls this for every money account)."""
        journals = self.filtered(lambda j: j.type in ("cash", "bank") and j.default_account_id)
        if not journals:
            return {}
        self.env["account.move.line"].flush_model(["account_id", "balance", "parent_state", "company_id"])
        self.env["account.payment"].flush_model(["journal_id", "is_matched", "outstanding_account_id", "amount_company_currency_signed"])
        self.env["account.move"].flush_model(["state", "origin_payment_id"])
        self.env.cr.execute(
            """
            SELECT journal.id, COALESCE(SUM(line.balance), 0)
              FROM account_journal journal
              JOIN account_move_line line
                ON line.account_id = journal.default_account_id
               AND line.company_id = journal.company_id
               AND line.parent_state = 'posted'
             WHERE journal.id = ANY(%s)
          GROUP BY journal.id
            """,
            [journals.ids],
        )
        on_account = dict(self.env.cr.fetchall())
        self.env.cr.execute(
            """
            SELECT payment.journal_id, COALESCE(SUM(payment.amount_company_currency_signed), 0)
              FROM account_payment payment
              JOIN account_journal journal ON journal.id = payment.journal_id
              JOIN account_move move ON move.origin_payment_id = payment.id
             WHERE payment.journal_id = ANY(%s)
               AND payment.is_matched IS NOT TRUE
               AND move.state = 'posted'
               AND payment.outstanding_account_id IS DISTINCT FROM journal.default_account_id
          GROUP BY payment.journal_id
            """,
            [journals.ids],
        )
        pending = defaultdict(float, self.env.cr.fetchall())
        return {journal.id: (on_account.get(journal.id, 0.0), pending[journal.id]) for journal in journals}

    def action_clever_open_moves(self):
        """The entries behind the balance: lines on the journal's account and its unmatched payments."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT line.id
              FROM account_move_line line
              JOIN account_move move ON move.id = line.move_id
              JOIN account_payment payment ON payment.id = move.origin_payment_id
             WHERE payment.journal_id = %s
               AND payment.is_matched IS NOT TRUE
               AND move.state = 'posted'
               AND line.account_id = payment.outstanding_account_id
               AND payment.outstanding_account_id IS DISTINCT FROM %s
            """,
            [self.id, self.default_account_id.id],
        )
        pending_ids = [row[0] for row in self.env.cr.fetchall()]
        domain = [
            "|",
            "&",
            ("account_id", "=", self.default_account_id.id),
            ("company_id", "=", self.company_id.id),
            ("id", "in", pending_ids),
            ("parent_state", "=", "posted"),
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Money movements: %(account)s", account=self.display_name),
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "views": [(self.env.ref("clever_pos_finance.account_move_line_view_list_money").id, "list"), (False, "form")],
            "domain": domain,
            "context": {"search_default_group_by_date": 0},
        }
