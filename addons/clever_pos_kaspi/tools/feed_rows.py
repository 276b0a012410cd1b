"""Reading a Kaspi store's offers: what the feed publishes and why an offer is not ready.

Everything comes from a few set-based queries per batch of offers (offers with their products and
brands; stock per pickup point; variant names and price extras; per-city prices), never record by
record through the ORM. The interface asks the same reader why an offer is not ready, so the offer
list and the feed cannot disagree.
"""

import math
import re

from odoo.tools import SQL

SKU_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")

# Why an offer is not ready, in the order they are shown. Labels: clever.kaspi.offer._reason_labels().
REASON_UNAVAILABLE = "unavailable"
REASON_NO_SKU = "no_sku"
REASON_BAD_SKU = "bad_sku"
REASON_DUPLICATE_SKU = "duplicate_sku"
REASON_NO_PRICE = "no_price"
REASON_NO_BRAND = "no_brand"
REASON_NO_POINT = "no_point"
REASONS = (
    REASON_UNAVAILABLE,
    REASON_NO_SKU,
    REASON_BAD_SKU,
    REASON_DUPLICATE_SKU,
    REASON_NO_PRICE,
    REASON_NO_BRAND,
    REASON_NO_POINT,
)

BATCH_SIZE = 10000
NO_VARIANT = (None, 0)


def round_tenge(amount):
    """Whole tenge, half up; None for no price (missing, zero or negative)."""
    if amount is None:
        return None
    value = math.floor(float(amount) + 0.5)
    return value if value > 0 else None


class OfferRow:
    """One offer as the feed sees it."""

    __slots__ = (
        "base_price",
        "brand",
        "city_prices",
        "id",
        "model",
        "preorder_days",
        "product_id",
        "reasons",
        "sku",
        "state",
        "stock",
    )

    def price_for(self, city_code, rules):
        """(price, per_city) for one city: the offer's own price for the city, else the store's
        rule for the city applied to the base price, else the base price (per_city False)."""
        own = self.city_prices.get(city_code) if self.city_prices else None
        if own:
            return own, True
        rule = rules.get(city_code)
        if rule is not None:
            if self.base_price is None:
                return None, True
            percent, amount = rule
            return round_tenge(self.base_price * (1 + percent / 100.0) + amount), True
        return self.base_price, False


class KaspiOfferReader:
    """The offers of one store, read in batches of BATCH_SIZE offers with keyset pagination."""

    def __init__(self, store):
        self.env = store.env
        self.cr = store.env.cr
        self.store = store
        self.lang = store.lang or "en_US"
        # Pickup points that publish stock: (id, code, ids of the internal locations at or under
        # the mapped location), in the order of the store's list.
        self.cr.execute(
            """
            SELECT kp.id, kp.code, array_agg(ql.id) FILTER (WHERE ql.id IS NOT NULL)
              FROM clever_kaspi_pickup_point kp
              JOIN stock_location ml ON ml.id = kp.location_id
              LEFT JOIN stock_location ql ON ql.parent_path LIKE ml.parent_path || '%%' AND ql.usage = 'internal'
             WHERE kp.store_id = %s
             GROUP BY kp.id, kp.code, kp.sequence
             ORDER BY kp.sequence, kp.id
            """,
            [store.id],
        )
        self.points = [(point_id, code, locations or []) for point_id, code, locations in self.cr.fetchall()]
        self.city_codes = store.city_ids.mapped("code")
        self.rules = {
            rule.city_id.code: (rule.percent, rule.amount) for rule in store.city_price_rule_ids if rule.city_id
        }
        self.default_brand = (store.default_brand_name or "").strip()
        self.default_preorder = store.preorder_days
        self.price_source = store.price_source
        self.pricelist = store.pricelist_id
        # SKUs used by more than one published offer of the store: none of those offers is ready (the
        # feed cannot tell them apart). A trashed offer is flagged when a published one has its SKU.
        self.cr.execute(
            """
            SELECT sku, count(*) FILTER (WHERE state = 'active')
              FROM clever_kaspi_offer
             WHERE store_id = %s AND sku IS NOT NULL
             GROUP BY sku
            HAVING count(*) > 1 AND count(*) FILTER (WHERE state = 'active') >= 1
            """,
            [store.id],
        )
        self.sku_active_counts = dict(self.cr.fetchall())
    def rows(self, states=("active",), offer_ids=None):
        self._read_extras(offer_ids)
        last_id = 0
        while True:
            batch = self._fetch_batch(last_id, states, offer_ids)
            if not batch:
                return
            yield from self._rows_of_batch(batch)
            last_id = batch[-1][0]

    def _read_extras(self, offer_ids):
        """Variant names and price extras, and the offers' own city prices: one query each for the
        whole store (or the given offers), as few offers have them."""
        offers = SQL("o.store_id = %s", self.store.id)
        if offer_ids is not None:
            offers = SQL("%s AND o.id = ANY(%s)", offers, list(offer_ids))
        # Like Odoo's display name: the values of the lines with several values.
        self.cr.execute(
            SQL(
                """
                SELECT pvc.product_product_id,
                       string_agg(COALESCE(pav.name->>%(lang)s, pav.name->>'en_US'), ', '
                                  ORDER BY pa.sequence, pa.id, pav.sequence, pav.id)
                           FILTER (WHERE ptal.value_count > 1),
                       SUM(ptav.price_extra)
                  FROM product_variant_combination pvc
                  JOIN product_template_attribute_value ptav ON ptav.id = pvc.product_template_attribute_value_id
                  JOIN product_template_attribute_line ptal ON ptal.id = ptav.attribute_line_id
                  JOIN product_attribute_value pav ON pav.id = ptav.product_attribute_value_id
                  JOIN product_attribute pa ON pa.id = pav.attribute_id
                 WHERE pvc.product_product_id IN (SELECT o.product_id FROM clever_kaspi_offer o WHERE %(offers)s)
                 GROUP BY pvc.product_product_id
                """,
                lang=self.lang,
                offers=offers,
            )
        )
        self.variants = {product_id: (suffix, extra) for product_id, suffix, extra in self.cr.fetchall()}
        self.cr.execute(
            SQL(
                """
                SELECT cp.offer_id, c.code, cp.price
                  FROM clever_kaspi_offer_city_price cp
                  JOIN clever_kaspi_offer o ON o.id = cp.offer_id
                  JOIN clever_kaspi_city c ON c.id = cp.city_id
                 WHERE %s AND cp.price > 0
                """,
                offers,
            )
        )
        self.city_prices = {}
        for offer_id, code, price in self.cr.fetchall():
            self.city_prices.setdefault(offer_id, {})[code] = price

    def _fetch_batch(self, last_id, states, offer_ids):
        """One query per batch: offers with product, brand and stock per pickup point (one indexed
        subquery per point, run for the batch's rows only)."""
        conditions = [SQL("o.store_id = %s", self.store.id), SQL("o.id > %s", last_id)]
        if states:
            conditions.append(SQL("o.state = ANY(%s)", list(states)))
        if offer_ids is not None:
            conditions.append(SQL("o.id = ANY(%s)", list(offer_ids)))
        stock = SQL("ARRAY[]::numeric[]")
        if self.points:
            stock = SQL(
                "ARRAY[%s]",
                SQL(", ").join(
                    SQL(
                        "(SELECT SUM(q.quantity - q.reserved_quantity) FROM stock_quant q"
                        " WHERE q.product_id = o.product_id AND q.location_id = ANY(%s))",
                        locations,
                    )
                    for __, __, locations in self.points
                ),
            )
        self.cr.execute(
            SQL(
                """
                SELECT o.id, o.product_id, o.state, o.sku, o.name_override, o.price_override,
                       o.preorder_override, o.preorder_days,
                       COALESCE(pt.name->>%(lang)s, pt.name->>'en_US'), b.name, pt.list_price,
                       (pp.active AND pt.active AND pt.sale_ok),
                       %(stock)s
                  FROM clever_kaspi_offer o
                  JOIN product_product pp ON pp.id = o.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN clever_brand b ON b.id = pt.brand_id
                 WHERE %(conditions)s
                 ORDER BY o.id
                 LIMIT %(limit)s
                """,
                lang=self.lang,
                stock=stock,
                conditions=SQL(" AND ").join(conditions),
                limit=BATCH_SIZE,
            )
        )
        return self.cr.fetchall()

    def _rows_of_batch(self, batch):
        pricelist_prices = self._pricelist_prices(list({r[1] for r in batch})) if self._uses_pricelist() else {}
        price_source = self.price_source
        default_brand = self.default_brand
        default_preorder = self.default_preorder
        codes = [code for __, code, __ in self.points]
        variants = self.variants
        city_prices = self.city_prices
        for (
            offer_id,
            product_id,
            state,
            sku,
            name_override,
            price_override,
            preorder_override,
            preorder_days,
            template_name,
            brand_name,
            list_price,
            available,
            stock,
        ) in batch:
            row = OfferRow()
            row.id = offer_id
            row.product_id = product_id
            row.state = state
            row.sku = sku or ""
            suffix, price_extra = variants.get(product_id, NO_VARIANT)
            if name_override:
                row.model = name_override.strip()
            else:
                row.model = (template_name or "").strip()
                if suffix:
                    row.model = f"{row.model} ({suffix})"
            row.brand = (brand_name or "").strip() or default_brand
            if price_override:
                base = price_override
            elif price_source == "product":
                base = (list_price or 0) + (price_extra or 0)
            elif price_source == "pricelist":
                base = pricelist_prices.get(product_id)
            else:
                base = None
            row.base_price = round_tenge(base)
            row.city_prices = city_prices.get(offer_id)
            row.stock = [(code, float(qty) if qty and qty > 0 else 0.0) for code, qty in zip(codes, stock)]
            row.preorder_days = preorder_days if preorder_override else default_preorder
            row.reasons = self._reasons(row, available)
            yield row

    def _reasons(self, row, available):
        reasons = []
        if not available:
            reasons.append(REASON_UNAVAILABLE)
        if not row.sku:
            reasons.append(REASON_NO_SKU)
        elif not SKU_PATTERN.match(row.sku):
            reasons.append(REASON_BAD_SKU)
        elif row.sku in self.sku_active_counts:
            published_with_sku = self.sku_active_counts[row.sku]
            if published_with_sku > 1 or row.state != "active":
                reasons.append(REASON_DUPLICATE_SKU)
        if row.base_price is None:
            own = row.city_prices or {}
            if not (self.city_codes and all(own.get(code) for code in self.city_codes)):
                reasons.append(REASON_NO_PRICE)
        if not row.brand:
            reasons.append(REASON_NO_BRAND)
        if not self.points:
            reasons.append(REASON_NO_POINT)
        return reasons

    def _uses_pricelist(self):
        return self.price_source == "pricelist" and bool(self.pricelist)

    def _pricelist_prices(self, product_ids):
        # Odoo's own pricing engine, once per batch: a pricelist's rules (formulas, categories,
        # dates, other pricelists) are not worth rebuilding in SQL.
        products = self.env["product.product"].with_context(active_test=False).browse(product_ids)
        pricelist = self.pricelist.with_company(self.store.company_id)
        return pricelist._get_products_price(products, 1.0)
