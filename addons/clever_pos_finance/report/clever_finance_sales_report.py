from odoo import fields, models, tools
from odoo.tools import SQL

QUERY = """
    SELECT line.id AS id,
           pos_order.date_order AS date,
           pos_order.id AS order_id,
           pos_order.session_id AS session_id,
           session.config_id AS config_id,
           pos_order.user_id AS user_id,
           pos_order.partner_id AS partner_id,
           line.product_id AS product_id,
           product.product_tmpl_id AS product_tmpl_id,
           template.categ_id AS categ_id,
           pos_order.company_id AS company_id,
           (pos_order.is_refund OR line.qty < 0) AS is_refund,
           line.qty AS qty,
           ROUND(line.price_subtotal_incl / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) AS price_total,
           ROUND(line.price_subtotal / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) AS price_subtotal,
           ROUND((line.price_subtotal_incl - line.price_subtotal) / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) AS tax_amount,
           COALESCE(line.total_cost, 0) AS cost,
           ROUND(line.price_subtotal / COALESCE(NULLIF(pos_order.currency_rate, 0), 1.0), 2) - COALESCE(line.total_cost, 0) AS margin,
           1 AS nbr_lines
      FROM pos_order_line line
      JOIN pos_order pos_order ON pos_order.id = line.order_id
 LEFT JOIN pos_session session ON session.id = pos_order.session_id
 LEFT JOIN product_product product ON product.id = line.product_id
 LEFT JOIN product_template template ON template.id = product.product_tmpl_id
     WHERE pos_order.state IN ('paid', 'done', 'invoiced')
"""


class CleverFinanceSalesReport(models.Model):
    """Sales of the tills, one row per receipt line (paid, posted or invoiced receipts; returns
    as negative rows): by day, cashier, register, product and category, with the real cost of
    the goods (the cost Odoo computed when the goods left the stock) and the profit."""

    _name = "clever.finance.sales.report"
    _inherit = ["clever.finance.report.mixin"]
    _description = "Sales analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"

    date = fields.Datetime(readonly=True)
    order_id = fields.Many2one("pos.order", string="Receipt", readonly=True)
    session_id = fields.Many2one("pos.session", string="Shift", readonly=True)
    config_id = fields.Many2one("pos.config", string="Register", readonly=True)
    user_id = fields.Many2one("res.users", string="Cashier", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_refund = fields.Boolean(string="Return", readonly=True)
    qty = fields.Float(string="Quantity", readonly=True)
    price_total = fields.Monetary(string="Revenue", readonly=True, help="With VAT, after discounts.")
    price_subtotal = fields.Monetary(string="Revenue without VAT", readonly=True)
    tax_amount = fields.Monetary(string="VAT", readonly=True)
    cost = fields.Monetary(string="Cost", readonly=True)
    margin = fields.Monetary(string="Profit", readonly=True, help="Revenue without VAT minus the cost of the goods.")
    nbr_lines = fields.Integer(string="Lines", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(QUERY)))
