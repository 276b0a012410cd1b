from odoo import fields, models, tools
from odoo.tools import SQL

QUERY = """
    SELECT line.id AS id,
           line.id AS move_line_id,
           CASE WHEN account.account_type = 'asset_receivable' THEN 'customer' ELSE 'supplier' END AS kind,
           line.partner_id AS partner_id,
           line.move_id AS move_id,
           line.clever_pos_order_id AS pos_order_id,
           line.company_id AS company_id,
           line.date AS date,
           COALESCE(line.date_maturity, line.date) AS date_maturity,
           line.name AS name,
           CASE WHEN account.account_type = 'asset_receivable' THEN line.balance ELSE -line.balance END AS amount,
           CASE WHEN account.account_type = 'asset_receivable' THEN line.amount_residual ELSE -line.amount_residual END AS residual,
           CURRENT_DATE - line.date AS age,
           GREATEST(CURRENT_DATE - COALESCE(line.date_maturity, line.date), 0) AS days_overdue,
           COALESCE(line.date_maturity, line.date) < CURRENT_DATE AS overdue,
           CASE
               WHEN CURRENT_DATE - line.date <= 30 THEN '0_30'
               WHEN CURRENT_DATE - line.date <= 60 THEN '31_60'
               WHEN CURRENT_DATE - line.date <= 90 THEN '61_90'
               ELSE '90_plus'
           END AS bucket
      FROM account_move_line line
      JOIN account_account account ON account.id = line.account_id
     WHERE line.parent_state = 'posted'
       AND line.reconciled IS NOT TRUE
       AND line.amount_residual != 0
       AND line.partner_id IS NOT NULL
       AND account.account_type IN ('asset_receivable', 'liability_payable')
"""

BUCKETS = [("0_30", "0-30 days"), ("31_60", "31-60 days"), ("61_90", "61-90 days"), ("90_plus", "Over 90 days")]


class CleverFinanceDebtReport(models.Model):
    """Open debts: what customers owe the shop (sales on the customer's account, invoices) and
    what the shop owes suppliers (unpaid bills), with their age and due date."""

    _name = "clever.finance.debt.report"
    _inherit = ["clever.finance.report.mixin"]
    _description = "Open debts"
    _auto = False
    _order = "date_maturity, id"
    _rec_name = "name"

    move_line_id = fields.Many2one("account.move.line", string="Journal item", readonly=True)
    kind = fields.Selection([("customer", "Customer owes us"), ("supplier", "We owe the supplier")], readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    pos_order_id = fields.Many2one("pos.order", string="POS sale", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due on", readonly=True)
    name = fields.Char(string="Label", readonly=True)
    amount = fields.Monetary(string="Original amount", readonly=True)
    residual = fields.Monetary(string="Still owed", readonly=True)
    age = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    days_overdue = fields.Integer(string="Days overdue", readonly=True, aggregator="max")
    overdue = fields.Boolean(readonly=True)
    bucket = fields.Selection(BUCKETS, string="Ageing", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(QUERY)))

    def action_open_document(self):
        self.ensure_one()
        if self.pos_order_id:
            return {"type": "ir.actions.act_window", "res_model": "pos.order", "res_id": self.pos_order_id.id, "view_mode": "form"}
        return {"type": "ir.actions.act_window", "res_model": "account.move", "res_id": self.move_id.id, "view_mode": "form"}

    def action_pay_bills(self):
        """Pay the selected supplier bills from a money account (Odoo's payment wizard)."""
        moves = self.filtered(lambda debt: debt.kind == "supplier").move_id.filtered(
            lambda move: move.move_type in ("in_invoice", "in_refund", "in_receipt")
        )
        return moves.action_register_payment()

    def action_repay(self):
        self.ensure_one()
        return self.partner_id.action_clever_new_repayment()
