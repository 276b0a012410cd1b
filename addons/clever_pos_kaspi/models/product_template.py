from odoo import models

# Fields of a product that a Kaspi feed shows, prices from or publishes by.
KASPI_FEED_FIELDS = {
    "name",
    "list_price",
    "standard_price",
    "brand_id",
    "active",
    "sale_ok",
    "type",
    "company_id",
    "categ_id",
    "default_code",
}


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        if KASPI_FEED_FIELDS & vals.keys():
            self.env["clever.kaspi.feed.change"]._mark_templates(self.ids)
        return result

    def action_clever_kaspi_why_not(self):
        """"Why is this product not on Kaspi?": the answer of every Kaspi store of the company."""
        self.ensure_one()
        wizard = self.env["clever.kaspi.product.status.wizard"].create({"product_tmpl_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "clever.kaspi.product.status.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Why is this product not on Kaspi?"),
        }
