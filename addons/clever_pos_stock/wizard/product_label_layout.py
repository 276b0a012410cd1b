from odoo import fields, models

from ..report.clever_price_tag_report import PRICE_TAG_FORMATS

CLEVER_FORMATS = {"clever_58x40": "58x40", "clever_40x30": "40x30", "clever_a4_3x8": "a4_3x8"}


class ProductLabelLayout(models.TransientModel):
    """Odoo's "Print labels" dialog also offers the shop's shelf price tags."""

    _inherit = "product.label.layout"

    print_format = fields.Selection(
        selection_add=[
            ("clever_58x40", "Price tag 58x40 mm"),
            ("clever_40x30", "Price tag 40x30 mm"),
            ("clever_a4_3x8", "Price tags A4 3x8"),
        ],
        ondelete={"clever_58x40": "set default", "clever_40x30": "set default", "clever_a4_3x8": "set default"},
    )
    clever_lang_ids = fields.Many2many(
        "res.lang",
        string="Tag languages",
        default=lambda self: self.env["clever.price.tag.wizard"]._default_lang_ids(),
        domain=[("active", "=", True)],
    )

    def _prepare_report_data(self):
        clever_format = CLEVER_FORMATS.get(self.print_format)
        if not clever_format:
            return super()._prepare_report_data()
        products = self.product_ids or self.product_tmpl_ids.product_variant_ids
        data = {
            "product_ids": products.ids,
            "langs": self.clever_lang_ids.mapped("code"),
            "copies": max(self.custom_quantity, 1),
            "show_old_price": True,
            "promo_days": 14,
            "print_format": clever_format,
        }
        return PRICE_TAG_FORMATS[clever_format][1], data
