from odoo import fields, models, tools
from odoo.tools import SQL

QUERY = """
    SELECT session.id AS id,
           session.id AS session_id,
           session.config_id AS config_id,
           session.user_id AS user_id,
           config.company_id AS company_id,
           session.start_at AS start_at,
           session.stop_at AS stop_at,
           session.cash_journal_id AS journal_id,
           session.cash_register_balance_start AS opening_cash,
           session.cash_register_balance_start + COALESCE(session.cash_real_transaction, 0) + COALESCE(cash.amount, 0) AS expected_cash,
           session.cash_register_balance_end_real AS counted_cash,
           session.cash_register_balance_end_real
               - (session.cash_register_balance_start + COALESCE(session.cash_real_transaction, 0) + COALESCE(cash.amount, 0)) AS difference,
           ROUND(session.cash_register_balance_end_real
               - (session.cash_register_balance_start + COALESCE(session.cash_real_transaction, 0) + COALESCE(cash.amount, 0)), 2) != 0 AS has_difference,
           session.closing_notes AS closing_notes,
           approval.decided_by_id AS approved_by_id,
           1 AS nbr_shifts
      FROM pos_session session
      JOIN pos_config config ON config.id = session.config_id
 LEFT JOIN LATERAL (
            SELECT SUM(payment.amount) AS amount
              FROM pos_payment payment
              JOIN pos_payment_method method ON method.id = payment.payment_method_id
              JOIN pos_order pos_order ON pos_order.id = payment.pos_order_id
             WHERE payment.session_id = session.id
               AND method.is_cash_count
               AND method.journal_id = session.cash_journal_id
               AND pos_order.state IN ('paid', 'done', 'invoiced')
           ) cash ON TRUE
 LEFT JOIN LATERAL (
            SELECT request.decided_by_id
              FROM clever_approval_request request
             WHERE request.res_model = 'pos.session'
               AND request.res_id = session.id
               AND request.action = 'shift_close'
               AND request.state = 'approved'
          ORDER BY request.id DESC
             LIMIT 1
           ) approval ON TRUE
     WHERE session.state = 'closed'
       AND session.cash_journal_id IS NOT NULL
"""


class CleverFinanceShiftReport(models.Model):
    """Closed shifts with cash: the cash expected in the drawer (opening cash, cash sales, cash
    in and out) against the cash counted, the difference (booked by Odoo to the cash journal's
    difference accounts when the shift closes), and the manager who approved the closing."""

    _name = "clever.finance.shift.report"
    _inherit = ["clever.finance.report.mixin"]
    _description = "Shift reconciliation"
    _auto = False
    _order = "stop_at desc"
    _rec_name = "session_id"

    session_id = fields.Many2one("pos.session", string="Shift", readonly=True)
    config_id = fields.Many2one("pos.config", string="Register", readonly=True)
    user_id = fields.Many2one("res.users", string="Cashier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    journal_id = fields.Many2one("account.journal", string="Cash desk", readonly=True)
    start_at = fields.Datetime(string="Opened", readonly=True)
    stop_at = fields.Datetime(string="Closed", readonly=True)
    opening_cash = fields.Monetary(string="Opening cash", readonly=True, aggregator=None)
    expected_cash = fields.Monetary(string="Expected cash", readonly=True)
    counted_cash = fields.Monetary(string="Counted cash", readonly=True)
    difference = fields.Monetary(readonly=True)
    has_difference = fields.Boolean(string="With a difference", readonly=True)
    closing_notes = fields.Text(string="Explanation", readonly=True)
    approved_by_id = fields.Many2one("res.users", string="Closing approved by", readonly=True)
    nbr_shifts = fields.Integer(string="Shifts", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(QUERY)))

    def action_open_session(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "pos.session", "res_id": self.session_id.id, "view_mode": "form"}
