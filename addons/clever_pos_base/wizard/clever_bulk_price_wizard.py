import math

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare

ROUNDINGS = [
    ("none", "No rounding"),
    ("1", "To whole tenge"),
    ("10", "To 10 tenge"),
    ("50", "To 50 tenge"),
    ("100", "To 100 tenge"),
    ("90", "Up to ...90"),
]


def round_price(price, rounding):
    """Round a sale price the way a shop writes it on the shelf.

    "1", "10", "50", "100": to the nearest multiple (halves go up); "90": up to the next price
    ending in 90 (1 234 -> 1 290, 1 290 stays, 60 -> 90)."""
    if rounding in (None, False, "none"):
        return price
    if rounding == "90":
        return max(90.0, math.ceil((price - 90) / 100.0 - 1e-9) * 100.0 + 90.0)
    step = float(rounding)
    return math.floor(price / step + 0.5) * step


class CleverBulkPriceWizard(models.TransientModel):
    """Change the sale price of many products at once: choose them (by hand or by filters),
    say how the price changes and how it is rounded, check the preview, then apply. Each change
    lands in the price history with the source "Bulk change"."""

    _name = "clever.bulk.price.wizard"
    _description = "Bulk sale price change"

    state = fields.Selection([("setup", "Setup"), ("preview", "Preview")], default="setup", required=True)
    product_tmpl_ids = fields.Many2many(
        "product.template", string="Products", help="Leave empty to take every product matching the filters."
    )
    categ_ids = fields.Many2many("product.category", string="Categories")
    brand_ids = fields.Many2many("clever.brand", string="Brands")
    supplier_ids = fields.Many2many("res.partner", string="Suppliers")
    stock_filter = fields.Selection(
        [("all", "Any stock"), ("in_stock", "In stock"), ("out_of_stock", "Out of stock")],
        string="Stock",
        default="all",
        required=True,
    )
    mode = fields.Selection(
        [("percent", "By percent"), ("amount", "By amount"), ("fixed", "Set to")],
        string="Change",
        default="percent",
        required=True,
    )
    value = fields.Float(help="Percent (+10 or -5), amount in tenge (+100 or -50), or the new price.")
    rounding = fields.Selection(ROUNDINGS, default="10", required=True)
    reason = fields.Char(help="Why the prices change; kept in the price history.")
    line_ids = fields.One2many("clever.bulk.price.wizard.line", "wizard_id", string="Preview")
    line_count = fields.Integer(compute="_compute_line_count", string="Products to change")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "product_tmpl_ids" in fields_list and context.get("active_ids"):
            if context.get("active_model") == "product.template":
                values["product_tmpl_ids"] = [Command.set(context["active_ids"])]
            elif context.get("active_model") == "product.product":
                products = self.env["product.product"].browse(context["active_ids"])
                values["product_tmpl_ids"] = [Command.set(products.product_tmpl_id.ids)]
        return values

    @api.depends("line_ids")
    def _compute_line_count(self):
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)

    def _product_domain(self):
        self.ensure_one()
        domain = Domain("sale_ok", "=", True)
        if self.product_tmpl_ids:
            domain &= Domain("id", "in", self.product_tmpl_ids.ids)
        if self.categ_ids:
            domain &= Domain("categ_id", "child_of", self.categ_ids.ids)
        if self.brand_ids:
            domain &= Domain("brand_id", "in", self.brand_ids.ids)
        if self.supplier_ids:
            domain &= Domain("seller_ids.partner_id", "child_of", self.supplier_ids.ids)
        return domain

    def _selected_products(self):
        self.ensure_one()
        if not (self.product_tmpl_ids or self.categ_ids or self.brand_ids or self.supplier_ids):
            raise UserError(self.env._("Choose products or at least one filter (category, brand, supplier)."))
        products = self.env["product.template"].search(self._product_domain(), limit=5000)
        if self.stock_filter == "in_stock":
            products = products.filtered(lambda p: p.is_storable and p.qty_available > 0)
        elif self.stock_filter == "out_of_stock":
            products = products.filtered(lambda p: p.is_storable and p.qty_available <= 0)
        return products

    def _new_price(self, old):
        self.ensure_one()
        if self.mode == "percent":
            price = old * (1 + self.value / 100.0)
        elif self.mode == "amount":
            price = old + self.value
        else:
            price = self.value
        price = round_price(price, self.rounding)
        return max(price, 0.0)

    def action_preview(self):
        self.ensure_one()
        if self.mode == "fixed" and self.value <= 0:
            raise UserError(self.env._("The new price must be above zero."))
        lines = []
        for product in self._selected_products():
            new = self._new_price(product.list_price)
            if float_compare(new, product.list_price, precision_digits=2) != 0:
                lines.append(
                    Command.create({"product_tmpl_id": product.id, "old_price": product.list_price, "new_price": new})
                )
        self.write({"line_ids": [Command.clear(), *lines], "state": "preview"})
        return self._reopen()

    def action_back(self):
        self.write({"state": "setup", "line_ids": [Command.clear()]})
        return self._reopen()

    def action_apply(self):
        self.ensure_one()
        if self.state != "preview":
            self.action_preview()
        if not self.line_ids:
            raise UserError(self.env._("No price changes: nothing to apply."))
        origin = ("clever.bulk.price.wizard", self.id, self.reason or self.env._("Bulk change"))
        for line in self.line_ids:
            if line.new_price < 0:
                raise UserError(self.env._("A sale price cannot be negative (%(product)s).", product=line.product_tmpl_id.display_name))
            line.product_tmpl_id.with_context(clever_price_source="bulk", clever_price_origin=origin).write(
                {"list_price": line.new_price}
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s sale prices changed.", count=len(self.line_ids)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Change sale prices"),
        }
