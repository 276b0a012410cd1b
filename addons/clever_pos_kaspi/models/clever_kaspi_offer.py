from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

from ..tools import feed_rows
from ..tools.feed_rows import SKU_PATTERN, KaspiOfferReader
from ..tools.feed_writer import format_quantity

# Fields of an offer that its store's feeds show (or that decide whether it is in them).
FEED_FIELDS = {
    "store_id",
    "product_id",
    "state",
    "sku_override",
    "name_override",
    "price_override",
    "preorder_override",
    "preorder_days",
    "city_price_ids",
}


class CleverKaspiOffer(models.Model):
    """One product in one Kaspi store. Published offers go into the store's feeds when they are
    ready; trashed ones never do. SKU, name and brand come from the product unless overridden."""

    _name = "clever.kaspi.offer"
    _description = "Kaspi offer"
    _order = "store_id, sku, id"
    _check_company_auto = True
    _rec_name = "sku"

    store_id = fields.Many2one("clever.kaspi.store", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('type', '=', 'consu'), ('sale_ok', '=', True)]",
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id", string="Product template")
    sku = fields.Char(
        string="SKU", compute="_compute_sku", store=True, index=True, help="The product's SKU, or the override."
    )
    sku_override = fields.Char(string="SKU for Kaspi", help="Published instead of the product's SKU; the product keeps its own.")
    name_override = fields.Char(string="Model name for Kaspi", help="Published instead of the product name.")
    model_name = fields.Char(string="Model name", compute="_compute_model_name")
    brand_name = fields.Char(string="Brand", compute="_compute_model_name")
    price_override = fields.Integer(
        string="Price for Kaspi (₸)", help="Published instead of the price of the store's price source; 0: none."
    )
    city_price_ids = fields.One2many("clever.kaspi.offer.city.price", "offer_id", string="City prices")
    preorder_override = fields.Boolean(string="Own pre-order days")
    preorder_days = fields.Integer(string="Pre-order days", help="0 to 30; the store's default unless set here.")
    state = fields.Selection(
        [("active", "Published"), ("trash", "Trash")],
        string="Status",
        required=True,
        default="active",
        index=True,
        copy=False,
    )
    trash_reason = fields.Selection(
        [
            ("new", "New product, not chosen for Kaspi"),
            ("removed", "Removed from Kaspi"),
            ("unavailable", "Product archived or not for sale"),
        ],
        string="Reason of the trash",
        copy=False,
    )
    trash_date = fields.Datetime(string="In the trash since", copy=False)
    in_feed = fields.Boolean(string="In the feeds", readonly=True, copy=False, help="In the last generated feeds.")
    last_export_date = fields.Datetime(string="Last in the feeds", readonly=True, copy=False)
    last_exported_at = fields.Datetime(string="Last exported", compute="_compute_last_exported_at")
    price = fields.Integer(string="Price (₸)", compute="_compute_readiness")
    stock_text = fields.Char(string="Availability", compute="_compute_readiness")
    is_ready = fields.Boolean(string="Ready", compute="_compute_readiness", search="_search_is_ready")
    readiness = fields.Char(string="Why not ready", compute="_compute_readiness")

    _product_unique = models.Constraint(
        "UNIQUE(store_id, product_id)", "This product already has an offer in this Kaspi store (look in its trash)."
    )
    _preorder_days_range = models.Constraint("CHECK(preorder_days BETWEEN 0 AND 30)", "Pre-order days go from 0 to 30.")
    _price_override_positive = models.Constraint("CHECK(price_override >= 0)", "A Kaspi price cannot be negative.")

    @api.depends("sku_override", "product_id.default_code")
    def _compute_sku(self):
        for offer in self:
            offer.sku = (offer.sku_override or "").strip() or offer.product_id.default_code or False

    @api.depends("name_override", "product_id", "store_id.default_brand_name")
    def _compute_model_name(self):
        for offer in self:
            product = offer.product_id.with_context(lang=offer.store_id.lang or self.env.lang, display_default_code=False)
            offer.model_name = offer.name_override or product.display_name
            offer.brand_name = product.product_tmpl_id.brand_id.name or offer.store_id.default_brand_name

    def _compute_last_exported_at(self):
        for offer in self:
            offer.last_exported_at = offer.store_id.last_feed_date if offer.in_feed else offer.last_export_date

    def _compute_readiness(self):
        self.env.flush_all()
        labels = self._reason_labels()
        rows = {}
        saved = self.filtered(lambda offer: isinstance(offer.id, int))  # not the offer being created
        for store, offers in saved.grouped("store_id").items():
            if not store:
                continue
            reader = KaspiOfferReader(store.sudo())
            rows.update((row.id, row) for row in reader.rows(states=None, offer_ids=offers.ids))
        for offer in self:
            row = rows.get(offer.id)
            if not row:
                offer.update({"price": 0, "stock_text": False, "is_ready": False, "readiness": False})
                continue
            offer.price = row.base_price or 0
            offer.stock_text = " · ".join(f"{code}: {format_quantity(qty)}" for code, qty in row.stock) or False
            offer.is_ready = not row.reasons
            offer.readiness = "; ".join(labels[reason] for reason in row.reasons) or False

    def _search_is_ready(self, operator, value):
        if operator in ("=", "!="):
            operator, value = ("in" if operator == "=" else "not in"), [value]
        if operator not in ("in", "not in"):
            return NotImplemented
        ready_ids = []
        self.env.flush_all()
        for store in self.env["clever.kaspi.store"].search([("company_id", "in", self.env.companies.ids)]):
            reader = KaspiOfferReader(store.sudo())
            ready_ids.extend(row.id for row in reader.rows(states=None) if not row.reasons)
        wants_ready = True in value
        if operator == "not in":
            wants_ready = not wants_ready
        return Domain("id", "in" if wants_ready else "not in", ready_ids)

    @api.model
    def _reason_labels(self):
        return {
            feed_rows.REASON_UNAVAILABLE: self.env._("the product is archived or not for sale"),
            feed_rows.REASON_NO_SKU: self.env._("no SKU"),
            feed_rows.REASON_BAD_SKU: self.env._("the SKU is not valid for Kaspi (up to 20 Latin letters, digits, - and _)"),
            feed_rows.REASON_DUPLICATE_SKU: self.env._("another published offer of the store has the same SKU"),
            feed_rows.REASON_NO_PRICE: self.env._("no price"),
            feed_rows.REASON_NO_BRAND: self.env._("no brand (or set the store's brand for products without one)"),
            feed_rows.REASON_NO_POINT: self.env._("no pickup point of the store is mapped to a stock location"),
        }

    @api.constrains("sku_override")
    def _check_sku_override(self):
        for offer in self:
            sku = (offer.sku_override or "").strip()
            if sku and not SKU_PATTERN.match(sku):
                raise ValidationError(
                    self.env._(
                        "The SKU %(sku)s cannot be used on Kaspi: up to 20 Latin letters, digits, hyphens and underscores.",
                        sku=sku,
                    )
                )

    @api.constrains("product_id", "store_id")
    def _check_product_company(self):
        for offer in self:
            company = offer.product_id.product_tmpl_id.company_id
            if company and company != offer.store_id.company_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s belongs to %(company)s and cannot be sold in the Kaspi store %(store)s.",
                        product=offer.product_id.display_name,
                        company=company.name,
                        store=offer.store_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("sku_override"):
                vals["sku_override"] = vals["sku_override"].strip()
        offers = super().create(vals_list)
        self.env["clever.kaspi.feed.change"]._mark_stores(offers.filtered(lambda o: o.state == "active").store_id.ids)
        return offers

    def write(self, vals):
        if vals.get("sku_override"):
            vals["sku_override"] = vals["sku_override"].strip()
        stores = self.store_id
        result = super().write(vals)
        if FEED_FIELDS & vals.keys():
            self.env["clever.kaspi.feed.change"]._mark_stores((stores | self.store_id).ids)
        return result

    def unlink(self):
        stores = self.filtered(lambda o: o.state == "active").store_id
        result = super().unlink()
        self.env["clever.kaspi.feed.change"]._mark_stores(stores.ids)
        return result

    # Actions (bound to the offer lists) -------------------------------------------------------

    def action_restore(self):
        """Back from the trash to the published list (published in the feed once ready)."""
        self.filtered(lambda o: o.state == "trash").write({"state": "active", "trash_reason": False, "trash_date": False})
        return True

    def action_remove_from_kaspi(self):
        """Into the trash: the product and its SKU stay as they are."""
        self.filtered(lambda o: o.state == "active").write(
            {"state": "trash", "trash_reason": "removed", "trash_date": fields.Datetime.now()}
        )
        return True

    def action_open_bulk_wizard(self):
        mode = self.env.context.get("clever_kaspi_bulk_mode", "preorder")
        if not self:
            raise UserError(self.env._("Select the offers first."))
        wizard = self.env["clever.kaspi.offer.bulk.wizard"].create(
            {"mode": mode, "offer_ids": [fields.Command.set(self.ids)]}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "clever.kaspi.offer.bulk.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Set pre-order days") if mode == "preorder" else self.env._("Set the Kaspi price"),
        }
