from odoo import fields, models, tools


class CleverPurchasePriceHistory(models.Model):
    """What was bought from whom, when, at what price, and how the price moved since the
    previous purchase of the same product from the same supplier."""

    _name = "clever.purchase.price.history"
    _description = "Supplier price history"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "product_id"

    date = fields.Datetime(readonly=True)
    order_id = fields.Many2one("purchase.order", string="Purchase order", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit")
    price_unit = fields.Float(string="Price", readonly=True, digits="Product Price", aggregator="avg")
    previous_price = fields.Float(readonly=True, digits="Product Price", aggregator="avg")
    change_percent = fields.Float(string="Change (%)", readonly=True, digits=(16, 1), aggregator="avg")
    amount = fields.Monetary(readonly=True, currency_field="currency_id")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT
                    l.id AS id,
                    COALESCE(o.date_approve, o.date_order) AS date,
                    o.id AS order_id,
                    o.partner_id AS partner_id,
                    l.product_id AS product_id,
                    p.product_tmpl_id AS product_tmpl_id,
                    t.categ_id AS categ_id,
                    o.company_id AS company_id,
                    o.currency_id AS currency_id,
                    l.product_qty AS quantity,
                    l.price_unit AS price_unit,
                    l.price_subtotal AS amount,
                    LAG(l.price_unit) OVER w AS previous_price,
                    CASE WHEN COALESCE(LAG(l.price_unit) OVER w, 0) = 0 THEN 0
                         ELSE (l.price_unit / LAG(l.price_unit) OVER w - 1) * 100 END AS change_percent
                FROM purchase_order_line l
                JOIN purchase_order o ON o.id = l.order_id
                JOIN product_product p ON p.id = l.product_id
                JOIN product_template t ON t.id = p.product_tmpl_id
                WHERE o.state = 'purchase' AND l.display_type IS NULL
                WINDOW w AS (
                    PARTITION BY o.company_id, o.partner_id, l.product_id
                    ORDER BY COALESCE(o.date_approve, o.date_order), l.id
                )
            )
            """
        )
