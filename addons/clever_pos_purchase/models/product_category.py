from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    clever_default_markup = fields.Float(
        string="Default markup (%)",
        help="Proposed at receiving for a product that has no sale price yet; the sale price is rounded to whole tenge.",
    )
