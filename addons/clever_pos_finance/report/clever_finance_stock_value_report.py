from odoo import fields, models, tools
from odoo.tools import SQL

QUERY = """
    SELECT quant.id AS id,
           quant.product_id AS product_id,
           template.categ_id AS categ_id,
           quant.location_id AS location_id,
           location.warehouse_id AS warehouse_id,
           quant.company_id AS company_id,
           quant.quantity AS quantity,
           COALESCE((product.standard_price ->> quant.company_id::text)::numeric, 0) AS cost,
           ROUND(quant.quantity * COALESCE((product.standard_price ->> quant.company_id::text)::numeric, 0), 2) AS value
      FROM stock_quant quant
      JOIN stock_location location ON location.id = quant.location_id
      JOIN product_product product ON product.id = quant.product_id
      JOIN product_template template ON template.id = product.product_tmpl_id
     WHERE location.usage = 'internal'
       AND quant.company_id IS NOT NULL
       AND (quant.owner_id IS NULL OR quant.owner_id = (SELECT partner_id FROM res_company WHERE id = quant.company_id))
       AND quant.quantity != 0
"""


class CleverFinanceStockValueReport(models.Model):
    """Goods in stock and their value at cost (the product's cost in the company: the standard
    or average cost Odoo keeps up to date at each receiving)."""

    _name = "clever.finance.stock.value.report"
    _inherit = ["clever.finance.report.mixin"]
    _description = "Stock value"
    _auto = False
    _order = "value desc"
    _rec_name = "product_id"

    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    location_id = fields.Many2one("stock.location", string="Location", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    quantity = fields.Float(readonly=True)
    cost = fields.Monetary(string="Unit cost", readonly=True, aggregator=None)
    value = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), SQL(QUERY)))
