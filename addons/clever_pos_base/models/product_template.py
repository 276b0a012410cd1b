from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


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

    clever_price_history_ids = fields.One2many(
        "clever.product.price.history", inverse_name="product_tmpl_id", string="Price history", readonly=True
    )
    clever_price_history_count = fields.Integer(
        compute="_compute_clever_price_history_count", string="Price changes"
    )

    @api.depends("type")
    def _compute_clever_requires_customer(self):
        # On by default for services (a service is done for somebody), off for goods.
        for product in self:
            product.clever_requires_customer = product.type == "service"

    @api.constrains("default_code", "company_id")
    def _check_clever_default_code_unique(self):
        self.product_variant_ids._check_clever_default_code_unique()

    def _compute_clever_price_history_count(self):
        counts = dict(
            self.env["clever.product.price.history"]
            .sudo()
            ._read_group([("product_tmpl_id", "in", self.ids)], ["product_tmpl_id"], ["__count"])
        )
        for product in self:
            product.clever_price_history_count = counts.get(product._origin, 0)

    def write(self, vals):
        # Every sale price change is kept (manual edit, bulk change, receiving): see
        # clever.product.price.history; the source comes from the context of the caller.
        if "list_price" not in vals:
            return super().write(vals)
        old_prices = {product.id: product.list_price for product in self}
        result = super().write(vals)
        self._clever_log_price_changes(old_prices)
        return result

    def _clever_log_price_changes(self, old_prices):
        context = self.env.context
        origin = context.get("clever_price_origin") or (False, 0, False)
        vals_list = []
        for product in self:
            old = old_prices.get(product.id, 0.0)
            if float_compare(old, product.list_price, precision_digits=2) == 0:
                continue
            vals_list.append(
                {
                    "product_tmpl_id": product.id,
                    "old_price": old,
                    "new_price": product.list_price,
                    "user_id": self.env.user.id,
                    "source": context.get("clever_price_source") or "manual",
                    "origin_model": origin[0],
                    "origin_res_id": origin[1],
                    "origin": origin[2],
                }
            )
        if vals_list:
            self.env["clever.product.price.history"].sudo().create(vals_list)

    def action_clever_price_history(self):
        self.ensure_one()
        title = self.env._("Price history")
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "clever.product.price.history",
            "view_mode": "list",
            "domain": [("product_tmpl_id", "=", self.id)],
            "context": {"create": False},
        }

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
