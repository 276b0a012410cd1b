import dataclasses
import hashlib
import json
import logging
from datetime import timedelta, timezone

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import split_every

from odoo.addons.clever_pos_base.tools import kz_validation

from ..shop_api import BASE_URL, FINAL_STATUSES, AuthError, KaspiError, KaspiShopClient

_logger = logging.getLogger(__name__)

CHUNK = 100
# Kaspi's answers use Almaty time in ms; Odoo keeps naive UTC.


def to_odoo_dt(value):
    """An aware datetime from the client to Odoo's naive UTC (None stays None)."""
    return value.astimezone(timezone.utc).replace(tzinfo=None) if value else False


def to_aware(value):
    return fields.Datetime.to_datetime(value).replace(tzinfo=timezone.utc)


def order_fingerprint(order):
    """What makes an imported order "changed": Kaspi's attributes and its lines. A re-import
    that finds the same fingerprint writes nothing."""
    lines = [(e.id, e.offer_code, e.quantity, e.total_price) for e in order.entries or ()]
    raw = json.dumps([order.attributes, lines], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(raw.encode()).hexdigest()


def point_code(pickup_point_id):
    """Kaspi's pickup point id is "<merchant id>_PP1": the store's point code is the tail."""
    return (pickup_point_id or "").rsplit("_", 1)[-1] or False


class CleverKaspiOrderImport(models.AbstractModel):
    """Imports the orders of Kaspi stores into sale orders: new ones are created, changed ones
    updated (with a line in their status history), unchanged ones are not written at all."""

    _name = "clever.kaspi.order.import"
    _description = "Kaspi order import"

    # Client -------------------------------------------------------------------------------------

    @api.model
    def _client(self, store):
        """The Shop API client of one store, with its own token. Backoff, retries and timeout come
        from system parameters (tests and benches shorten the backoff)."""
        store_sudo = store.sudo()
        if not store_sudo.api_token:
            raise UserError(
                self.env._("The Kaspi store %(store)s has no API token: an administrator enters it.", store=store.display_name)
            )
        params = self.env["ir.config_parameter"].sudo()
        return KaspiShopClient(
            store_sudo.api_token,
            base_url=store_sudo.api_base_url or BASE_URL,
            backoff_base=float(params.get_param("clever_pos_kaspi.shop_api_backoff", "1.0")),
            max_retries=int(params.get_param("clever_pos_kaspi.shop_api_retries", "4")),
            # One number (connect and read): Odoo's test harness only understands a plain timeout.
            timeout=float(params.get_param("clever_pos_kaspi.shop_api_timeout", "30")),
            page_size=int(params.get_param("clever_pos_kaspi.shop_api_page_size", "100")),
        )

    # Entry points -------------------------------------------------------------------------------

    @api.model
    def _cron_import_orders(self):
        stores = self.env["clever.kaspi.store"].sudo().search([("orders_import_enabled", "=", True)], limit=1000)
        stores = stores.filtered("api_token")
        for index, store in enumerate(stores):
            try:
                self._import_store(store, commit=True)
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise
            except Exception:  # noqa: BLE001 -- one store's failure must not stop the others
                self.env.cr.rollback()
                _logger.exception("Kaspi orders of store %s could not be imported", store.id)
            self.env["ir.cron"]._commit_progress(1, remaining=len(stores) - index - 1)

    @api.model
    def _import_stores_action(self, stores):
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        errors = []
        for store in stores:
            result = self._import_store(store)
            if result.get("error"):
                errors.append(result["error"])
            for key in totals:
                totals[key] += result.get(key, 0)
        if errors:
            # A notification, not an exception: the error stays recorded on the store and told
            # to its managers (an exception would roll that back).
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "sticky": True,
                    "title": self.env._("Kaspi orders could not be fetched"),
                    "message": "\n".join(errors),
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Kaspi orders fetched"),
                "message": self.env._(
                    "New orders: %(created)s. Changed: %(updated)s. Unchanged: %(unchanged)s.", **totals
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _import_from(self, store, date_to):
        """Where the next import starts: a little before the last complete one, and far enough
        back to see again the orders still open (their status changes), bounded to 30 days."""
        params = self.env["ir.config_parameter"].sudo()
        if store.orders_imported_until:
            start = store.orders_imported_until - timedelta(hours=1)
        else:
            start = date_to - timedelta(days=int(params.get_param("clever_pos_kaspi.orders_first_import_days", "14")))
        self.env["sale.order"].flush_model(["kaspi_store_id", "kaspi_status", "kaspi_creation_date"])
        self.env.cr.execute(
            """SELECT min(kaspi_creation_date) FROM sale_order
                WHERE kaspi_store_id = %s AND kaspi_status <> ALL(%s) AND kaspi_creation_date >= %s""",
            [store.id, list(FINAL_STATUSES), date_to - timedelta(days=30)],
        )
        oldest_open = self.env.cr.fetchone()[0]
        return min(start, oldest_open) if oldest_open else start

    @api.model
    def _import_store(self, store, date_from=None, date_to=None, commit=False):
        """Fetch and import the orders of one store. Returns counts, and "error" (a translated
        message, already told to the managers) when Kaspi could not be read."""
        store = store.sudo()
        now = fields.Datetime.now()
        date_to = date_to or now
        date_from = date_from or self._import_from(store, date_to)
        try:
            client = self._client(store)
        except UserError as error:
            return self._import_failed(store, str(error))
        try:
            batch = client.fetch_orders(to_aware(date_from), to_aware(date_to))
            orders = [
                order if order.entries is not None else dataclasses.replace(order, entries=tuple(client.get_entries(order.id)))
                for order in batch.orders
            ]
        except AuthError:
            return self._import_failed(
                store,
                self.env._(
                    "Kaspi refused the API token of the store %(store)s: an administrator must enter a valid token.",
                    store=store.display_name,
                ),
            )
        except KaspiError as error:
            return self._import_failed(
                store,
                self.env._(
                    "The Kaspi orders of the store %(store)s could not be fetched: %(error)s",
                    store=store.display_name,
                    error=error.kaspi_message or str(error),
                ),
            )
        finally:
            client.close()
        result = self._upsert(store, orders, commit=commit)
        values = {"orders_last_import": now, "orders_last_error": False}
        if batch.complete and (not store.orders_imported_until or store.orders_imported_until < date_to):
            values["orders_imported_until"] = date_to
        store.write(values)
        result.update(requests=batch.requests, retries=batch.retries, pages=batch.pages)
        return result

    @api.model
    def _import_failed(self, store, message):
        """Record the error on the store and tell its managers, once per distinct problem."""
        if store.orders_last_error != message:
            store._notify_feed_problem(message)
        store.orders_last_error = message
        _logger.warning("Kaspi order import of store %s failed", store.id)
        return {"error": message, "created": 0, "updated": 0, "unchanged": 0}

    # Upsert -------------------------------------------------------------------------------------

    @api.model
    def _upsert(self, store, orders, commit=False):
        SaleOrder = self._sale_order_env()
        result = {"created": 0, "updated": 0, "unchanged": 0}
        for chunk in split_every(CHUNK, orders, list):
            prints = {order.id: order_fingerprint(order) for order in chunk}
            SaleOrder.flush_model(["kaspi_store_id", "kaspi_order_id", "kaspi_hash"])
            self.env.cr.execute(
                """SELECT kaspi_order_id, id, kaspi_hash FROM sale_order
                    WHERE kaspi_store_id = %s AND kaspi_order_id = ANY(%s)""",
                [store.id, list(prints)],
            )
            existing = {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}
            new = [order for order in chunk if order.id not in existing]
            changed = [order for order in chunk if order.id in existing and existing[order.id][1] != prints[order.id]]
            result["unchanged"] += len(chunk) - len(new) - len(changed)
            if new:
                self._create_orders(store, new, prints)
                result["created"] += len(new)
            for order in changed:
                SaleOrder.browse(existing[order.id][0])._kaspi_update_from(order, prints[order.id])
                result["updated"] += 1
            if commit:
                self.env["ir.cron"]._commit_progress()
        return result

    @api.model
    def _sale_order_env(self):
        return (
            self.env["sale.order"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True, mail_auto_subscribe_no_notify=True)
        )

    @api.model
    def _create_orders(self, store, orders, prints):
        partners = self._partners_for(orders)
        codes = {entry.offer_code for order in orders for entry in order.entries or () if entry.offer_code}
        products = self._products_for(store, codes)
        points = {point.code: point for point in store.pickup_point_ids}
        vals_list = []
        for order in orders:
            point = points.get(point_code(order.pickup_point_id)) or points.get(order.pickup_point_id)
            vals = {
                **self._order_values(store, order),
                "partner_id": partners[self._partner_key(order)],
                "company_id": store.company_id.id,
                "clever_channel": "kaspi",
                "kaspi_store_id": store.id,
                "kaspi_order_id": order.id,
                "kaspi_hash": prints[order.id],
                "kaspi_pickup_point_id": point.id if point else False,
                "client_order_ref": order.code,
                "origin": self.env._("Kaspi %(code)s", code=order.code),
                "date_order": to_odoo_dt(order.creation_date) or fields.Datetime.now(),
                "order_line": [Command.create(self._line_values(entry, products)) for entry in order.entries or ()],
            }
            if point and point.warehouse_id:
                vals["warehouse_id"] = point.warehouse_id.id
            vals_list.append(vals)
        records = self._sale_order_env().create(vals_list)
        self.env["clever.kaspi.order.status.log"].sudo().create(
            [
                {"order_id": record.id, "new_status": order.status, "new_state": order.state, "source": "kaspi"}
                for record, order in zip(records, orders, strict=True)
            ]
        )
        records._kaspi_on_status(dict.fromkeys(records.ids, False))
        return records

    @api.model
    def _order_values(self, store, order):
        """The values of a sale order that follow Kaspi's order (on creation and on change)."""
        address = order.delivery_address
        return {
            "kaspi_code": order.code,
            "kaspi_state": order.state,
            "kaspi_status": order.status,
            "kaspi_delivery_mode": order.delivery_mode,
            "kaspi_payment_mode": order.payment_mode,
            "kaspi_creation_date": to_odoo_dt(order.creation_date),
            "kaspi_planned_date": to_odoo_dt(order.planned_delivery_date),
            "kaspi_pre_order": order.pre_order,
            "kaspi_assembled": order.assembled,
            "kaspi_waybill": order.waybill_number or False,
            "kaspi_total": order.total_price,
            "kaspi_delivery_address": address.formatted if address else False,
            "kaspi_customer_phone": (order.customer.phone or order.customer.cell_phone) if order.customer else False,
            "commitment_date": to_odoo_dt(order.planned_delivery_date),
        }

    @api.model
    def _line_values(self, entry, products):
        product = products.get(entry.offer_code)
        common = {
            "kaspi_entry_id": entry.id,
            "kaspi_offer_code": entry.offer_code,
            "kaspi_offer_name": entry.offer_name,
            "kaspi_quantity": entry.quantity,
            "kaspi_price": entry.base_price,
        }
        if product:
            return {**common, "product_id": product, "product_uom_qty": entry.quantity, "price_unit": entry.base_price}
        return {
            **common,
            "display_type": "line_note",
            "kaspi_needs_mapping": True,
            "name": self.env._(
                "Kaspi offer %(code)s «%(name)s» × %(qty)s at %(price)s: map it to a product",
                code=entry.offer_code or "?",
                name=entry.offer_name,
                qty=entry.quantity,
                price=entry.base_price,
            ),
        }

    # Customers and products ---------------------------------------------------------------------

    @staticmethod
    def _partner_key(order):
        """The customer's phone in E.164 when it is a valid number, else its name."""
        customer = order.customer
        phone = customer and customer.phone and kz_validation.phone_e164(customer.phone)
        if phone:
            return phone
        return ("name", customer.name if customer else "")

    @api.model
    def _partners_for(self, orders):
        """{key: partner id}: the customer found by phone (one partner per phone, as
        clever_pos_base enforces), created when new."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False, tracking_disable=True)
        phones = {key for key in map(self._partner_key, orders) if isinstance(key, str)}
        found = {}
        if phones:
            for partner in Partner.search([("phone_sanitized", "in", list(phones))], order="id"):
                found.setdefault(partner.phone_sanitized, partner.commercial_partner_id.id)
        to_create = {}
        for order in orders:
            key = self._partner_key(order)
            if key in found or key in to_create:
                continue
            customer = order.customer
            name = (customer.name if customer else "") or self.env._("Kaspi buyer")
            vals = {"name": name, "customer_rank": 1}
            if isinstance(key, str):
                vals.update(phone=key, country_id=self.env.ref("base.kz").id)
            to_create[key] = vals
        if to_create:
            created = Partner.create(list(to_create.values()))
            found.update(zip(to_create, created.ids, strict=True))
        return found

    @api.model
    def _products_for(self, store, codes):
        """{offer code: product id}: the manager's mapping first, then the store's offer with
        that SKU, then a product of the company with that SKU."""
        codes = set(codes)
        result = {}
        if not codes:
            return result
        for mapping in self.env["clever.kaspi.order.mapping"].sudo().search(
            [("store_id", "=", store.id), ("offer_code", "in", list(codes))]
        ):
            result[mapping.offer_code] = mapping.product_id.id
        left = codes - result.keys()
        if left:
            for offer in self.env["clever.kaspi.offer"].sudo().search(
                [("store_id", "=", store.id), ("sku", "in", list(left))], order="id"
            ):
                result.setdefault(offer.sku, offer.product_id.id)
        left = codes - result.keys()
        if left:
            for product in self.env["product.product"].sudo().search(
                [("default_code", "in", list(left)), ("company_id", "in", [False, store.company_id.id])], order="id"
            ):
                result.setdefault(product.default_code, product.id)
        return result
