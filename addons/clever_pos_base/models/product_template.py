from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "clever.cost.guard"]

    _clever_cost_fields = ("standard_price",)

    brand_id = fields.Many2one("clever.brand", string="Brand", index="btree_not_null", ondelete="restrict")
    clever_requires_customer = fields.Boolean(
        string="Needs a customer",
        compute="_compute_clever_requires_customer",
        store=True,
        readonly=False,
        help="A sale of this product cannot be paid at the till without a customer on the order.",
    )

    @api.depends("type")
    def _compute_clever_requires_customer(self):
        # On by default for services (a service is done for somebody), off for goods.
        for product in self:
            product.clever_requires_customer = product.type == "service"

    @api.constrains("default_code", "company_id")
    def _check_clever_default_code_unique(self):
        self.product_variant_ids._check_clever_default_code_unique()

    @api.model
    def _load_pos_data_fields(self, config_id):
        fields_list = super()._load_pos_data_fields(config_id)
        if self.env.user._clever_hides_cost():
            fields_list = [f for f in fields_list if f not in self._clever_cost_fields]
        return fields_list + ["brand_id", "clever_requires_customer"]

    def _clever_is_kazakh_shop(self):
        """The product belongs to a Kazakh company (or is shared and we work in one)."""
        self.ensure_one()
        return (self.company_id or self.env.company).country_id.code == "KZ"

    def _clever_raise_duplicate_sku(self, code, other):
        raise ValidationError(
            self.env._(
                "The SKU %(sku)s is already used by %(product)s in this company.",
                sku=code,
                product=other.display_name,
            )
        )
