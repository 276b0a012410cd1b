from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools.barcode import check_barcode_encoding


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "clever.cost.guard"]

    _clever_cost_fields = ("standard_price",)

    @api.constrains("barcode")
    def _check_clever_barcode_check_digit(self):
        # Numeric codes of EAN-8/EAN-13 length must carry a right check digit: a mistyped digit
        # is caught on the product card, not at the till. Other codes (shop-internal, Code 128)
        # are left as they are; uniqueness is Odoo's own _check_barcode_uniqueness. A rule of
        # Kazakh shops: products of other companies keep Odoo's behaviour.
        for product in self.filtered(lambda p: p.barcode and p.product_tmpl_id._clever_is_kazakh_shop()):
            code = product.barcode
            encoding = {8: "ean8", 13: "ean13"}.get(len(code))
            if code.isdigit() and encoding and not check_barcode_encoding(code, encoding):
                raise ValidationError(
                    self.env._(
                        "The barcode %(barcode)s of %(product)s has a wrong check digit: check it against the package.",
                        barcode=code,
                        product=product.display_name,
                    )
                )

    @api.constrains("default_code")
    def _check_clever_default_code_unique(self):
        # The SKU (article) is unique within a company; a product shared by all companies
        # (no company) clashes with every company's.
        for product in self.filtered("default_code"):
            company = product.product_tmpl_id.company_id
            domain = [
                ("default_code", "=", product.default_code),
                ("id", "!=", product.id),
            ]
            if company:
                domain.append(("product_tmpl_id.company_id", "in", [company.id, False]))
            other = self.sudo().with_context(active_test=False).search(domain, limit=1)
            if other:
                product.product_tmpl_id._clever_raise_duplicate_sku(product.default_code, other)

    @api.model
    def _load_pos_data_fields(self, config):
        fields_list = super()._load_pos_data_fields(config)
        if self.env.user._clever_hides_cost():
            fields_list = [f for f in fields_list if f not in self._clever_cost_fields]
        return fields_list
