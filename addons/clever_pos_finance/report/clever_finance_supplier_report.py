from odoo import fields, models, tools
from odoo.tools import SQL

QUERY = """
    SELECT line.id AS id,
           COALESCE(purchase.date_approve, purchase.date_order) AS date,
           purchase.id AS order_id,
           purchase.partner_id AS partner_id,
           line.product_id AS product_id,
           template.categ_id AS categ_id,
           purchase.company_id AS company_id,
           line.product_qty AS qty_ordered,
           line.qty_received AS qty_received,
           ROUND(line.price_subtotal / COALESCE(NULLIF(purchase.currency_rate, 0), 1.0), 2) AS amount,
           ROUND(line.price_subtotal / NULLIF(line.product_qty, 0) / COALESCE(NULLIF(purchase.currency_rate, 0), 1.0), 2) AS price_unit,
           1 AS nbr_lines
      FROM purchase_order_line line
      JOIN purchase_order purchase ON purchase.id = line.order_id
      JOIN product_product product ON product.id = line.product_id
      JOIN product_template template ON template.id = product.product_tmpl_id
     WHERE purchase.state = 'purchase'
       AND line.display_type IS NULL
"""


class CleverFinanceSupplierReport(models.Model):
    """What the shop buys from whom: volume per supplier and the price paid per unit over time
    (without VAT, in the company's currency), from confirmed purchases."""

    _name = "clever.finance.supplier.report"
    _inherit = ["clever.finance.report.mixin"]
    _description = "Supplier performance"
    _auto = False
    _order = "date desc"
    _rec_name = "partner_id"

    date = fields.Datetime(readonly=True)
    order_id = fields.Many2one("purchase.order", string="Purchase", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    qty_ordered = fields.Float(string="Quantity ordered", readonly=True)
    qty_received = fields.Float(string="Quantity received", readonly=True)
    amount = fields.Monetary(string="Purchase amount", readonly=True)
    price_unit = fields.Monetary(string="Unit price", readonly=True, aggregator="avg")
    nbr_lines = fields.Integer(string="Lines", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(QUERY)))
