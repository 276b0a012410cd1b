import base64
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.barcode import check_barcode_encoding

from .clever_price_tag_image import tag_jpeg_b64

_logger = logging.getLogger(__name__)

NBSP = "\u00a0"

# print format -> (tags per page, report xml id); the paper sizes are the report paperformats.
PRICE_TAG_FORMATS = {
    "58x40": (1, "clever_pos_stock.report_clever_price_tag_58x40"),
    "40x30": (1, "clever_pos_stock.report_clever_price_tag_40x30"),
    "a4_3x8": (24, "clever_pos_stock.report_clever_price_tag_a4"),
}


def format_tenge(amount):
    """1250 -> '1 250 ₸' (no-break spaces, so a tag never wraps inside a price); tiyn only when
    there are some: 99.5 -> '99,50 ₸'."""
    amount = round(amount or 0.0, 2)
    whole = int(abs(amount))
    cents = round((abs(amount) - whole) * 100)
    text = f"{whole:,}".replace(",", NBSP)
    if cents:
        text += f",{cents:02d}"
    return f"{'-' if amount < 0 else ''}{text}{NBSP}₸"


class ReportCleverPosStockPriceTag(models.AbstractModel):
    """Values of the shelf price tags: one dict per printed tag, names in the chosen languages."""

    _name = "report.clever_pos_stock.report_price_tag"
    _description = "Shelf price tag"

    @api.model
    def _barcode_src(self, symbology, value, width=760, height=280):
        """The barcode as a PNG data URI, drawn as the ``barcode`` QWeb widget and /report/barcode
        draw it (reportlab with rl-renderPM, pinned in requirements.txt)."""
        png = self.env["ir.actions.report"].barcode(symbology, value, width=width, height=height, humanreadable=1, quiet=1)
        return "data:image/png;base64," + base64.b64encode(png).decode()

    @api.model
    def _tags(self, data):
        products = self.env["product.product"].browse(data.get("product_ids") or []).exists()
        langs = [code for code in data.get("langs") or [] if self.env["res.lang"]._get_data(code=code)] or [
            self.env.lang or "en_US"
        ]
        copies = max(int(data.get("copies") or 1), 1)
        old_prices = {}
        promo_days = int(data.get("promo_days") or 0)
        if promo_days and data.get("show_old_price", True):
            since = fields.Datetime.now() - timedelta(days=promo_days)
            old_prices = self.env["clever.product.price.history"].sudo()._last_decrease(products.product_tmpl_id, since)
        today = fields.Date.context_today(self)
        tags = []
        for product in products:
            barcode = product.barcode or ""
            symbology = "EAN13" if barcode and check_barcode_encoding(barcode, "ean13") else "Code128"
            old = old_prices.get(product.product_tmpl_id.id)
            names = []
            for code in langs:
                name = product.with_context(lang=code, display_default_code=False).display_name
                if name not in names:
                    names.append(name)
            barcode = barcode if barcode.isascii() else ""
            tag = {
                "names": names,
                "price": format_tenge(product.lst_price),
                "old_price": format_tenge(old + product.price_extra) if old else False,
                "barcode": barcode,
                "barcode_src": self._barcode_src(symbology, barcode) if barcode else False,
                "symbology": symbology,
                "sku": product.default_code or "",
                "date": today.strftime("%d.%m.%Y"),
            }
            tags.extend([tag] * copies)
        return tags

    @api.model
    def _receipt_images(self, data):
        """The tags as 512 px wide base64 JPEGs, as the POS sends receipts to the device proxy."""
        print_format = data.get("print_format") or "58x40"
        return [tag_jpeg_b64(tag, print_format) for tag in self._tags(data)]

    @api.model
    def _get_report_values(self, docids, data=None):
        data = dict(data or {})
        if not data.get("product_ids") and docids:
            data["product_ids"] = docids
        print_format = data.get("print_format") or "58x40"
        per_page = PRICE_TAG_FORMATS.get(print_format, PRICE_TAG_FORMATS["58x40"])[0]
        tags = self._tags(data)
        pages = [tags[i : i + per_page] for i in range(0, len(tags), per_page)]
        return {
            "doc_ids": data["product_ids"],
            "doc_model": "product.product",
            "docs": self.env["product.product"].browse(data["product_ids"]),
            "pages": pages,
            "print_format": print_format,
        }


class ReportCleverPosStockPriceTag58x40(models.AbstractModel):
    _name = "report.clever_pos_stock.report_price_tag_58x40"
    _inherit = "report.clever_pos_stock.report_price_tag"
    _description = "Shelf price tag 58x40 mm"

    @api.model
    def _get_report_values(self, docids, data=None):
        return super()._get_report_values(docids, dict(data or {}, print_format="58x40"))


class ReportCleverPosStockPriceTag40x30(models.AbstractModel):
    _name = "report.clever_pos_stock.report_price_tag_40x30"
    _inherit = "report.clever_pos_stock.report_price_tag"
    _description = "Shelf price tag 40x30 mm"

    @api.model
    def _get_report_values(self, docids, data=None):
        return super()._get_report_values(docids, dict(data or {}, print_format="40x30"))


class ReportCleverPosStockPriceTagA4(models.AbstractModel):
    _name = "report.clever_pos_stock.report_price_tag_a4"
    _inherit = "report.clever_pos_stock.report_price_tag"
    _description = "Shelf price tags, A4 sheet 3x8"

    @api.model
    def _get_report_values(self, docids, data=None):
        return super()._get_report_values(docids, dict(data or {}, print_format="a4_3x8"))
