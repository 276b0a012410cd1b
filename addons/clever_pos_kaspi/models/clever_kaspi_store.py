import logging
import re
import secrets

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _lang_get
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools.feed_rows import KaspiOfferReader

_logger = logging.getLogger(__name__)

MERCHANT_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,32}$")

# Fields of the store that change what its feeds show.
FEED_FIELDS = {
    "merchant_id",
    "feed_company_name",
    "lang",
    "city_ids",
    "pickup_point_ids",
    "preorder_days",
    "price_source",
    "pricelist_id",
    "city_price_rule_ids",
    "default_brand_name",
    "allow_empty_feed",
}


class CleverKaspiStore(models.Model):
    """A Kaspi.kz merchant account of the shop. Each store has its own settings, its own chosen
    products (offers) and its own XML feeds, one per city it sells in."""

    _name = "clever.kaspi.store"
    _description = "Kaspi store"
    _inherit = ["mail.thread", "clever.audit.mixin"]
    _clever_audit_exclude = ("orders_imported_until",)  # moved on by the order import, not a setting
    _order = "company_id, is_main desc, name, id"
    _check_company_auto = True

    name = fields.Char(help="Shown in Odoo only; the merchant id is used when empty.", tracking=True)
    merchant_id = fields.Char(
        string="Merchant id",
        copy=False,
        tracking=True,
        help="The merchant id of the Kaspi cabinet (merchantid of the feed), e.g. 30286450.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True, ondelete="cascade"
    )
    is_main = fields.Boolean(
        string="Main store", readonly=True, copy=False, help="Each company has one main store, which cannot be deleted."
    )
    feed_company_name = fields.Char(
        string="Company name in the feed",
        compute="_compute_feed_company_name",
        store=True,
        readonly=False,
        help="The shop name Kaspi shows (the company element of the feed).",
    )
    lang = fields.Selection(
        _lang_get, string="Feed language", default=lambda self: self._default_lang(), help="Language of product names in the feed."
    )
    city_ids = fields.Many2many("clever.kaspi.city", string="Cities", help="The cities this store sells in: one feed per city.")
    pickup_point_ids = fields.One2many("clever.kaspi.pickup.point", "store_id", string="Pickup points")
    preorder_days = fields.Integer(
        string="Default pre-order days", default=0, help="Days to prepare an order, 0 to 30; an offer may set its own."
    )
    price_source = fields.Selection(
        [("product", "Product sale price"), ("pricelist", "Pricelist"), ("offer", "Price of each offer")],
        string="Price source",
        default="product",
        required=True,
        help="Where the Kaspi price comes from. A price set on an offer always wins.",
    )
    pricelist_id = fields.Many2one("product.pricelist", check_company=True)
    city_price_rule_ids = fields.One2many("clever.kaspi.city.price.rule", "store_id", string="City price rules")
    default_brand_name = fields.Char(
        string="Brand when none",
        help="Published as the brand of products without one, e.g. «Без бренда». "
        "Empty: products without a brand are not published.",
    )
    allow_empty_feed = fields.Boolean(
        string="Allow an empty feed",
        help="Publish a feed with no offer when none is ready. Off: the last good feed keeps being "
        "served, so that a mistake never empties the shop on Kaspi.",
    )
    feed_enabled = fields.Boolean(string="Publish feeds", default=True, copy=False)
    feed_token = fields.Char(
        string="Secret token",
        copy=False,
        help="When set, Kaspi must add ?token=... to the feed address; any other request gets 404.",
    )
    # Credentials of the Kaspi cabinet: administrators only, entered for each store, never copied.
    kaspi_email = fields.Char(string="Cabinet e-mail", groups="base.group_system", copy=False)
    kaspi_password = fields.Char(string="Cabinet password", groups="base.group_system", copy=False)
    api_token = fields.Char(string="API token", groups="base.group_system", copy=False)
    # Kaspi orders (Shop API v2): the token above, this address, and where the import stands.
    api_base_url = fields.Char(
        string="Shop API address",
        groups="base.group_system",
        copy=False,
        default="https://kaspi.kz/shop/api/v2",
        help="Kaspi Shop API v2 base address. Change it only for a proxy in Kazakhstan or a test simulator.",
    )
    kaspi_fiscal_receipt = fields.Boolean(
        string="Kaspi's cash register issues the fiscal receipt",
        default=True,
        help="On: Kaspi Kassa issues the fiscal receipt of each Kaspi order, Odoo must not issue a second one.",
    )
    orders_import_enabled = fields.Boolean(
        string="Import Kaspi orders", copy=False, help="The scheduled import fetches this store's orders."
    )
    orders_imported_until = fields.Datetime(
        string="Orders imported up to", copy=False, help="Orders created before this moment have been imported."
    )
    orders_last_import = fields.Datetime(string="Last order import", readonly=True, copy=False)
    orders_last_error = fields.Char(string="Last import error", readonly=True, copy=False)
    kaspi_order_count = fields.Integer(string="Kaspi orders", compute="_compute_kaspi_order_count")

    offer_ids = fields.One2many("clever.kaspi.offer", "store_id", string="Offers")
    offer_count = fields.Integer(compute="_compute_offer_counts", string="Published offers")
    trash_count = fields.Integer(compute="_compute_offer_counts", string="Offers in the trash")
    feed_ids = fields.One2many("clever.kaspi.feed", "store_id", string="Feeds")
    feed_problem = fields.Boolean(string="Feed problem", compute="_compute_feed_problem")
    last_sync_date = fields.Datetime(string="Last sync", readonly=True, copy=False)
    last_feed_date = fields.Datetime(
        string="Last feed generation", readonly=True, copy=False, help="When the feeds were last generated successfully."
    )

    _merchant_id_unique = models.UniqueIndex(
        "(merchant_id) WHERE merchant_id IS NOT NULL", "Another Kaspi store already has this merchant id."
    )
    _one_main_store = models.UniqueIndex("(company_id) WHERE is_main", "A company has only one main Kaspi store.")
    _preorder_days_range = models.Constraint(
        "CHECK(preorder_days BETWEEN 0 AND 30)", "Pre-order days go from 0 to 30."
    )

    @api.model
    def _default_lang(self):
        installed = dict(self.env["res.lang"].get_installed())
        return "ru_RU" if "ru_RU" in installed else self.env.lang

    @api.depends("company_id")
    def _compute_feed_company_name(self):
        for store in self:
            store.feed_company_name = store.feed_company_name or (
                store.company_id._clever_receipt_name() if store.company_id else False
            )

    @api.depends("name", "merchant_id", "company_id")
    def _compute_display_name(self):
        for store in self:
            store.display_name = (
                store.name
                or store.merchant_id
                or self.env._("Kaspi store of %(company)s", company=store.company_id.name or "")
            )

    def _compute_offer_counts(self):
        counts = {
            (store.id, state): count
            for store, state, count in self.env["clever.kaspi.offer"]._read_group(
                [("store_id", "in", self.ids)], ["store_id", "state"], ["__count"]
            )
        }
        for store in self:
            store.offer_count = counts.get((store.id, "active"), 0)
            store.trash_count = counts.get((store.id, "trash"), 0)

    def _compute_feed_problem(self):
        for store in self:
            store.feed_problem = any(store.feed_ids.mapped("last_error"))

    @api.constrains("merchant_id")
    def _check_merchant_id(self):
        for store in self.filtered("merchant_id"):
            if not MERCHANT_ID_PATTERN.match(store.merchant_id):
                raise ValidationError(
                    self.env._(
                        "The merchant id %(merchant)s is not valid: use the id of the Kaspi cabinet "
                        "(letters, digits and hyphens, up to 32).",
                        merchant=store.merchant_id,
                    )
                )

    @api.constrains("price_source", "pricelist_id")
    def _check_pricelist(self):
        for store in self:
            if store.price_source == "pricelist" and not store.pricelist_id:
                raise ValidationError(
                    self.env._("Choose the pricelist of the Kaspi store %(store)s.", store=store.display_name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("merchant_id"):
                vals["merchant_id"] = vals["merchant_id"].strip()
        stores = super().create(vals_list)
        stores._sync_feed_records()
        self.env["clever.kaspi.feed.change"]._mark_stores(stores.ids)
        return stores

    def write(self, vals):
        if "is_main" in vals and any(store.is_main != bool(vals["is_main"]) for store in self):
            raise UserError(self.env._("The main Kaspi store of a company is chosen when the company is created."))
        if "company_id" in vals and any(store.is_main and store.company_id.id != vals["company_id"] for store in self):
            raise UserError(self.env._("The main Kaspi store stays with its company."))
        if vals.get("merchant_id"):
            vals["merchant_id"] = vals["merchant_id"].strip()
        result = super().write(vals)
        if "city_ids" in vals:
            self._sync_feed_records()
        if FEED_FIELDS & vals.keys():
            self.env["clever.kaspi.feed.change"]._mark_stores(self.ids)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_main_store(self):
        main = self.filtered("is_main")
        if main:
            raise UserError(
                self.env._(
                    "%(store)s is the main Kaspi store of %(company)s and cannot be deleted.",
                    store=main[0].display_name,
                    company=main[0].company_id.name,
                )
            )

    def unlink(self):
        # The feed records go through the ORM so that their files are removed; offers, pickup
        # points and rules go with the store (ondelete cascade). Products are never touched.
        self.feed_ids.sudo().unlink()
        return super().unlink()

    # Actions ------------------------------------------------------------------------------------

    def action_sync(self):
        """Bring the store's offers in line with the products: update every existing offer, put
        products of the nomenclature that have no offer yet into the trash. Sync never publishes
        nor restores anything: that is the manager's choice."""
        created = updated = 0
        for store in self:
            new, changed = store._sync_offers()
            created += new
            updated += changed
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Kaspi sync done"),
                "message": self.env._(
                    "New products put in the trash: %(created)s. Offers updated: %(updated)s.",
                    created=created,
                    updated=updated,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _sync_offers(self):
        self.ensure_one()
        self.check_access("write")
        self.env.flush_all()
        cr = self.env.cr
        # 1. Existing offers take the product's current SKU (unless overridden) ...
        cr.execute(
            """
            UPDATE clever_kaspi_offer o
               SET sku = NULLIF(COALESCE(NULLIF(btrim(o.sku_override), ''), pp.default_code), '')
              FROM product_product pp
             WHERE pp.id = o.product_id AND o.store_id = %s
               AND o.sku IS DISTINCT FROM NULLIF(COALESCE(NULLIF(btrim(o.sku_override), ''), pp.default_code), '')
            RETURNING o.id
            """,
            [self.id],
        )
        updated_ids = {row[0] for row in cr.fetchall()}
        # ... and published offers of archived products or products no longer sold go to the trash.
        cr.execute(
            """
            UPDATE clever_kaspi_offer o
               SET state = 'trash', trash_reason = 'unavailable', trash_date = now() AT TIME ZONE 'UTC'
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.id = o.product_id AND o.store_id = %s AND o.state = 'active'
               AND NOT (pp.active AND pt.active AND pt.sale_ok)
            RETURNING o.id
            """,
            [self.id],
        )
        updated_ids.update(row[0] for row in cr.fetchall())
        self.env["clever.kaspi.offer"].invalidate_model(["sku", "state", "trash_reason", "trash_date"])
        # 2. Products of the nomenclature with no offer in this store go to the trash, never online.
        cr.execute(
            """
            SELECT pp.id
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.active AND pt.active AND pt.sale_ok AND pt.type = 'consu'
               AND (pt.company_id IS NULL OR pt.company_id = %s)
               AND NOT EXISTS (SELECT 1 FROM clever_kaspi_offer o WHERE o.store_id = %s AND o.product_id = pp.id)
             ORDER BY pp.id
            """,
            [self.company_id.id, self.id],
        )
        new_product_ids = [row[0] for row in cr.fetchall()]
        now = fields.Datetime.now()
        self.env["clever.kaspi.offer"].create(
            [
                {"store_id": self.id, "product_id": pid, "state": "trash", "trash_reason": "new", "trash_date": now}
                for pid in new_product_ids
            ]
        )
        self.last_sync_date = now
        self.env["clever.kaspi.feed.change"]._mark_stores(self.ids)
        return len(new_product_ids), len(updated_ids)

    def action_open_offers(self):
        return self._offers_action("active")

    def action_open_trash(self):
        return self._offers_action("trash")

    def _offers_action(self, state):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_kaspi.clever_kaspi_offer_action")
        action["domain"] = [("store_id", "=", self.id)]
        action["context"] = {
            "default_store_id": self.id,
            "search_default_filter_trash" if state == "trash" else "search_default_filter_active": 1,
        }
        action["name"] = (
            self.env._("Trash of %(store)s", store=self.display_name)
            if state == "trash"
            else self.env._("Offers of %(store)s", store=self.display_name)
        )
        return action

    def action_open_delete_wizard(self):
        self.ensure_one()
        wizard = self.env["clever.kaspi.store.delete.wizard"].create({"store_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "clever.kaspi.store.delete.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Delete a Kaspi store"),
        }

    def action_regenerate_feeds(self):
        self.check_access("write")
        self.env["clever.kaspi.feed.change"]._mark_stores(self.ids)
        self.sudo()._generate_feeds()
        return True

    def action_new_feed_token(self):
        self.check_access("write")
        for store in self:
            store.feed_token = secrets.token_urlsafe(24)

    @api.model
    def get_kaspi_screen_data(self, store_id=None):
        """Everything the Kaspi screen shows for one store (the first one when none is given)."""
        stores = self.search([], limit=200)
        store = stores.filtered(lambda s: s.id == store_id)[:1] or stores[:1]
        data = {
            "stores": [{"id": s.id, "name": s.display_name, "is_main": s.is_main} for s in stores],
            "store": False,
        }
        if not store:
            return data
        not_ready_count, not_ready = store._readiness_summary()
        data["store"] = {
            "id": store.id,
            "name": store.display_name,
            "merchant_id": store.merchant_id or "",
            "company": store.company_id.name,
            "is_main": store.is_main,
            "offer_count": store.offer_count,
            "trash_count": store.trash_count,
            "not_ready_count": not_ready_count,
            "not_ready": [
                {"reason": code, "label": label, "count": not_ready[code]}
                for code, label in self.env["clever.kaspi.offer"]._reason_labels().items()
                if not_ready.get(code)
            ],
            "last_sync_date": store.last_sync_date and fields.Datetime.to_string(store.last_sync_date) or "",
            "pending": bool(self.env["clever.kaspi.feed.change"]._pending_store_ids(store.ids)),
            "feeds": [
                {
                    "id": feed.id,
                    "city": feed.city_id.display_name,
                    "url": feed.url or "",
                    "generated_at": feed.generated_at and fields.Datetime.to_string(feed.generated_at) or "",
                    "offer_count": feed.offer_count,
                    "size": feed.size,
                    "last_download_at": feed.last_download_at
                    and fields.Datetime.to_string(feed.last_download_at)
                    or "",
                    "error": feed.last_error or "",
                }
                for feed in store.feed_ids
            ],
        }
        return data

    # Feeds --------------------------------------------------------------------------------------

    def _sync_feed_records(self):
        """One feed record per (store, city); a city removed from the store loses its feed."""
        Feed = self.env["clever.kaspi.feed"].sudo()
        for store in self:
            existing = {feed.city_id: feed for feed in store.sudo().feed_ids}
            Feed.create([{"store_id": store.id, "city_id": city.id} for city in store.city_ids if city not in existing])
            stale = Feed.browse([feed.id for city, feed in existing.items() if city not in store.city_ids])
            stale.unlink()

    def _readiness_summary(self):
        """(number of published offers that are not ready, {reason: number of offers})."""
        self.ensure_one()
        self.env.flush_all()
        count = 0
        reasons = {}
        for row in KaspiOfferReader(self).rows():
            if row.reasons:
                count += 1
                for reason in row.reasons:
                    reasons[reason] = reasons.get(reason, 0) + 1
        return count, reasons

    def _generate_feeds(self):
        """Regenerate the feeds of these stores from their pending changes. A failure keeps the
        last good files, is written on the feeds and told to the store's managers; it never
        publishes a partial or empty feed. Returns True when every store succeeded."""
        self.env.flush_all()
        all_ok = True
        for store in self:
            feeds = store.feed_ids
            if not feeds:
                # No city: nothing to publish, nothing pending either.
                self.env.cr.execute("DELETE FROM clever_kaspi_feed_change WHERE store_id = %s", [store.id])
                continue
            try:
                with self.env.cr.savepoint():
                    feeds._generate()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception as error:  # noqa: BLE001 -- recorded on the feeds and told to managers
                _logger.exception("Kaspi feeds of store %s could not be generated", store.id)
                all_ok = False
                feeds._record_failure(
                    self.env._(
                        "The feed could not be generated: %(error)s. Kaspi keeps getting the last good feed.",
                        error=str(error) or error.__class__.__name__,
                    )
                )
        return all_ok

    def _notify_feed_problem(self, message):
        """Tell the store's managers, once per problem (callers only call on a new problem)."""
        self.ensure_one()
        managers = (
            self.env.ref("clever_pos_base.group_clever_manager")
            .sudo()
            .all_user_ids.filtered(lambda user: self.company_id in user.company_ids and user.active)
        )
        self.sudo().message_post(
            body=message,
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=managers.partner_id.ids,
            message_type="notification",
            subtype_xmlid="mail.mt_comment",
        )

    @api.model
    def _cron_refresh_feeds(self):
        """Regenerate feeds with pending changes (and any feed not regenerated for a day, so that a
        change no trigger saw is published within a day). Commits after each store."""
        self.env.cr.execute("SELECT DISTINCT store_id FROM clever_kaspi_feed_change")
        store_ids = {row[0] for row in self.env.cr.fetchall()}
        day_ago = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        stale = self.env["clever.kaspi.feed"].sudo().search(["|", ("checked_at", "=", False), ("checked_at", "<", day_ago)])
        store_ids |= set(stale.store_id.ids)
        stores = self.sudo().browse(sorted(store_ids)).exists().filtered("feed_enabled")
        cron = self.env["ir.cron"]
        for index, store in enumerate(stores):
            if self._try_feed_lock(store.id):
                store._generate_feeds()
            cron._commit_progress(1, remaining=len(stores) - index - 1)
        self.env["clever.kaspi.feed"]._gc_feed_files()

    # Kaspi orders --------------------------------------------------------------------------------

    def _compute_kaspi_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group([("kaspi_store_id", "in", self.ids)], ["kaspi_store_id"], ["__count"])
        )
        for store in self:
            store.kaspi_order_count = counts.get(store, 0)

    def action_fetch_orders(self):
        """"Fetch orders now": the same import as the scheduled one, for these stores."""
        self.check_access("write")
        return self.env["clever.kaspi.order.import"]._import_stores_action(self)

    def action_open_kaspi_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("clever_pos_kaspi.sale_order_action_kaspi")
        action["domain"] = [("kaspi_store_id", "=", self.id)]
        action["context"] = {"default_kaspi_store_id": self.id}
        return action

    @api.model
    def _try_feed_lock(self, store_id):
        """One generation at a time per store, across workers (released at the end of the
        transaction). False when another one is running: its caller serves the last good feed."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [0x4B415350, store_id])
        return self.env.cr.fetchone()[0]
