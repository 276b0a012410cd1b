from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def action_clever_stock_history(self):
        self.ensure_one()
        action = self.product_variant_ids[:1].action_clever_stock_history()
        action["domain"] = [("product_id", "in", self.product_variant_ids.ids)]
        action["display_name"] = self.env._("Movement history: %(product)s", product=self.display_name)
        return action
