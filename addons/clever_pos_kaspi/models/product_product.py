from odoo import models

# Fields of a variant that a Kaspi feed shows or prices from.
KASPI_FEED_FIELDS = {"default_code", "active", "lst_price", "standard_price", "product_template_attribute_value_ids"}


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        result = super().write(vals)
        if KASPI_FEED_FIELDS & vals.keys():
            self.env["clever.kaspi.feed.change"]._mark_products(self.ids)
        return result
