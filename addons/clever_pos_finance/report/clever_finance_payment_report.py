from odoo import fields, models, tools
from odoo.tools import SQL

QUERY = """
    SELECT payment.id AS id,
           pos_order.date_order AS date,
           payment.payment_method_id AS payment_method_id,
           pos_order.id AS order_id,
           pos_order.session_id AS session_id,
           session.config_id AS config_id,
           pos_order.user_id AS user_id,
           pos_order.company_id AS company_id,
           ROUND(payment.amount / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) AS amount,
           1 AS nbr_payments
      FROM pos_payment payment
      JOIN pos_order pos_order ON pos_order.id = payment.pos_order_id
 LEFT JOIN pos_session session ON session.id = pos_order.session_id
     WHERE pos_order.state IN ('paid', 'done', 'invoiced')
"""


class CleverFinancePaymentReport(models.Model):
    """Takings of the tills by payment method (cash, card, Kaspi, customer's account), change
    given back already deducted."""

    _name = "clever.finance.payment.report"
    _inherit = ["clever.finance.report.mixin"]
    _description = "Sales by payment method"
    _auto = False
    _order = "date desc"
    _rec_name = "payment_method_id"

    date = fields.Datetime(readonly=True)
    payment_method_id = fields.Many2one("pos.payment.method", string="Payment method", readonly=True)
    order_id = fields.Many2one("pos.order", string="Receipt", readonly=True)
    session_id = fields.Many2one("pos.session", string="Shift", readonly=True)
    config_id = fields.Many2one("pos.config", string="Register", readonly=True)
    user_id = fields.Many2one("res.users", string="Cashier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True)
    nbr_payments = fields.Integer(string="Payments", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(QUERY)))
