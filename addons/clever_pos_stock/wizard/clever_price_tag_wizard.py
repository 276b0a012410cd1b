from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..report.clever_price_tag_report import PRICE_TAG_FORMATS

PRINT_FORMATS = [("58x40", "Label 58x40 mm"), ("40x30", "Label 40x30 mm"), ("a4_3x8", "A4 sheet, 3x8 tags")]


class CleverPriceTagWizard(models.TransientModel):
    """Print shelf price tags: for chosen products, the products of a receiving whose sale price
    changed, or every product whose price changed since a date (from the price history)."""

    _name = "clever.price.tag.wizard"
    _description = "Print price tags"

    source = fields.Selection(
        [("products", "Chosen products"), ("changed", "Prices changed since")],
        default="products",
        required=True,
    )
    changed_since = fields.Datetime(string="Changed since", default=lambda self: fields.Datetime.now() - timedelta(days=1))
    product_ids = fields.Many2many("product.product", string="Products")
    print_format = fields.Selection(PRINT_FORMATS, string="Format", default="58x40", required=True)
    lang_ids = fields.Many2many(
        "res.lang",
        string="Languages",
        default=lambda self: self._default_lang_ids(),
        domain=[("active", "=", True)],
        help="The product name is printed in each chosen language, one line each.",
    )
    copies = fields.Integer(default=1, required=True)
    show_old_price = fields.Boolean(
        string="Show old price",
        default=True,
        help="A price lowered recently is printed next to the old one, crossed out.",
    )
    promo_days = fields.Integer(
        string="Old price for (days)",
        default=14,
        help="The old price is the price before the last decrease in the price history, when that "
        "decrease is this recent and the price has not changed since.",
    )
    product_count = fields.Integer(compute="_compute_product_count", string="Products to print")
    pos_config_id = fields.Many2one(
        "pos.config",
        string="Receipt printer of",
        domain="[('company_id', 'in', allowed_company_ids)]",
        help="Print the tags on the receipt printer of this register, through its device proxy.",
    )

    @api.model
    def _default_lang_ids(self):
        langs = self.env["res.lang"].search([("code", "in", ("kk_KZ", "ru_RU")), ("active", "=", True)])
        return langs or self.env["res.lang"].search([("code", "=", self.env.lang or "en_US")], limit=1)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        ids = context.get("active_ids") or []
        if "product_ids" in fields_list and ids and not values.get("product_ids"):
            if context.get("active_model") == "product.template":
                products = self.env["product.template"].browse(ids).product_variant_ids
                values["product_ids"] = [Command.set(products.ids)]
            elif context.get("active_model") == "product.product":
                values["product_ids"] = [Command.set(ids)]
        return values

    @api.depends("product_ids")
    def _compute_product_count(self):
        for wizard in self:
            wizard.product_count = len(wizard.product_ids)

    @api.onchange("source", "changed_since")
    def _onchange_changed_since(self):
        if self.source == "changed" and self.changed_since:
            self.product_ids = self._changed_products()

    def _changed_products(self):
        self.ensure_one()
        history = self.env["clever.product.price.history"].search(
            [("date", ">=", self.changed_since), ("product_tmpl_id.company_id", "in", [False, *self.env.companies.ids])]
        )
        return history.product_tmpl_id.filtered("active").product_variant_ids

    def _report_data(self):
        self.ensure_one()
        products = self.product_ids
        if self.source == "changed" and self.changed_since:
            products |= self._changed_products()
        if not products:
            raise UserError(self.env._("No product to print price tags for."))
        if self.copies < 1:
            raise UserError(self.env._("Print at least one copy."))
        return {
            "product_ids": products.ids,
            "langs": self.lang_ids.mapped("code"),
            "copies": self.copies,
            "show_old_price": self.show_old_price,
            "promo_days": self.promo_days if self.show_old_price else 0,
            "print_format": self.print_format,
        }

    def _report(self):
        return self.env.ref(PRICE_TAG_FORMATS[self.print_format][1])

    def action_print_receipt_printer(self):
        """Send the tags, drawn as images, to the receipt printer of a register: the browser posts
        them to the register's device proxy (/hw_proxy/default_printer_action), as the POS does."""
        self.ensure_one()
        config = self.pos_config_id
        if not config:
            raise UserError(self.env._("Choose the register whose receipt printer prints the tags."))
        if not config.proxy_ip:
            raise UserError(self.env._("The register %(register)s has no device proxy address.", register=config.name))
        data = self._report_data()
        images = self.env["report.clever_pos_stock.report_price_tag"]._receipt_images(data)
        proxy_url = config.proxy_ip if "://" in config.proxy_ip else f"http://{config.proxy_ip}"
        return {
            "type": "ir.actions.client",
            "tag": "clever_pos_stock.print_price_tags_proxy",
            "params": {
                "proxy_url": proxy_url.rstrip("/"),
                "proxy_key": config["clever_proxy_key"] if "clever_proxy_key" in config._fields else "",
                "images": images,
            },
        }

    def action_print(self):
        self.ensure_one()
        data = self._report_data()
        action = self._report().report_action(None, data=data, config=False)
        action.update({"close_on_report_download": True})
        return action
