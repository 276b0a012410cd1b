from odoo import fields, models


class CleverBrand(models.Model):
    """A product brand. Odoo has none; Kaspi feeds need one per offer (clever_pos_kaspi)."""

    _name = "clever.brand"
    _description = "Brand"
    _order = "name"

    name = fields.Char(required=True, translate=False)
    logo = fields.Image(max_width=256, max_height=256)
    active = fields.Boolean(default=True)
    product_count = fields.Integer(compute="_compute_product_count", string="Products")

    _name_unique = models.Constraint("UNIQUE(name)", "A brand with this name already exists.")

    def _compute_product_count(self):
        counts = dict(
            self.env["product.template"]._read_group([("brand_id", "in", self.ids)], ["brand_id"], ["__count"])
        )
        for brand in self:
            brand.product_count = counts.get(brand, 0)

    def action_open_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("product.product_template_action")
        action["domain"] = [("brand_id", "=", self.id)]
        action["context"] = {"default_brand_id": self.id}
        return action
