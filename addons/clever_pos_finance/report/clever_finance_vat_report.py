from odoo import fields, models, tools
from odoo.tools import SQL

QUERY = """
    SELECT line.id AS id,
           pos_order.date_order AS date,
           pos_order.id AS order_id,
           session.config_id AS config_id,
           first_tax.tax_id AS tax_id,
           COALESCE(tax.amount, 0) AS rate,
           pos_order.company_id AS company_id,
           (pos_order.is_refund OR line.qty < 0) AS is_refund,
           ROUND(line.price_subtotal / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) AS base,
           ROUND((line.price_subtotal_incl - line.price_subtotal) / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) AS tax_amount,
           ROUND(line.price_subtotal_incl / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) AS total
      FROM pos_order_line line
      JOIN pos_order pos_order ON pos_order.id = line.order_id
 LEFT JOIN pos_session session ON session.id = pos_order.session_id
 LEFT JOIN LATERAL (
            SELECT MIN(rel.account_tax_id) AS tax_id
              FROM account_tax_pos_order_line_rel rel
             WHERE rel.pos_order_line_id = line.id
           ) first_tax ON TRUE
 LEFT JOIN account_tax tax ON tax.id = first_tax.tax_id
     WHERE pos_order.state IN ('paid', 'done', 'invoiced')
"""


class CleverFinanceVatReport(models.Model):
    """VAT of the tills' sales by rate (16 % from 2026, 12 % before, 0 % and exempt goods), from
    the receipt lines: taxable base and VAT."""

    _name = "clever.finance.vat.report"
    _inherit = ["clever.finance.report.mixin"]
    _description = "VAT by rate"
    _auto = False
    _order = "date desc"
    _rec_name = "tax_id"

    date = fields.Datetime(readonly=True)
    order_id = fields.Many2one("pos.order", string="Receipt", readonly=True)
    config_id = fields.Many2one("pos.config", string="Register", readonly=True)
    tax_id = fields.Many2one("account.tax", string="VAT rate", readonly=True)
    rate = fields.Float(string="Rate (%)", readonly=True, aggregator=None)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_refund = fields.Boolean(string="Return", readonly=True)
    base = fields.Monetary(string="Taxable base", readonly=True)
    tax_amount = fields.Monetary(string="VAT", readonly=True)
    total = fields.Monetary(string="Total with VAT", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(QUERY)))
