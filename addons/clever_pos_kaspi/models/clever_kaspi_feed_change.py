from odoo import api, fields, models


class CleverKaspiFeedChange(models.Model):
    """A change not yet in a store's feeds: one row per change, only ever inserted by the code that
    changes something a feed shows, and deleted by the generation that publishes it.

    Inserting is lock-free, so a sale that moves stock never waits on, nor conflicts with, another
    sale or a feed being generated. A generation deletes exactly the rows its snapshot saw (under
    Odoo's REPEATABLE READ), so a change committed while a feed is being written stays pending and
    the next request regenerates: a single dirty flag cleared at the end would lose that change.
    """

    _name = "clever.kaspi.feed.change"
    _description = "Pending change of a Kaspi feed"
    _log_access = False

    store_id = fields.Many2one("clever.kaspi.store", required=True, index=True, ondelete="cascade")
    changed_at = fields.Datetime(string="Changed at", required=True, default=fields.Datetime.now)

    @api.model
    def _mark_stores(self, store_ids):
        store_ids = [sid for sid in set(store_ids) if sid]
        if store_ids:
            self.env.cr.execute(
                """
                INSERT INTO clever_kaspi_feed_change (store_id, changed_at)
                SELECT unnest(%s::int[]), now() AT TIME ZONE 'UTC'
                """,
                [store_ids],
            )

    @api.model
    def _mark_products(self, product_ids):
        """Stores that publish one of these products (product.product ids)."""
        product_ids = list(set(product_ids))
        if product_ids:
            self.env["clever.kaspi.offer"].flush_model(["store_id", "product_id", "state"])
            self.env.cr.execute(
                """
                INSERT INTO clever_kaspi_feed_change (store_id, changed_at)
                SELECT DISTINCT store_id, now() AT TIME ZONE 'UTC'
                  FROM clever_kaspi_offer
                 WHERE product_id = ANY(%s) AND state = 'active'
                """,
                [product_ids],
            )

    @api.model
    def _mark_templates(self, template_ids):
        template_ids = list(set(template_ids))
        if template_ids:
            self.env["clever.kaspi.offer"].flush_model(["store_id", "product_id", "state"])
            self.env.cr.execute(
                """
                INSERT INTO clever_kaspi_feed_change (store_id, changed_at)
                SELECT DISTINCT o.store_id, now() AT TIME ZONE 'UTC'
                  FROM clever_kaspi_offer o
                  JOIN product_product pp ON pp.id = o.product_id
                 WHERE pp.product_tmpl_id = ANY(%s) AND o.state = 'active'
                """,
                [template_ids],
            )

    @api.model
    def _mark_stock(self, location_ids, product_ids):
        """Stores with a pickup point mapped over one of these locations that publish one of these
        products. Runs on every stock move of a sale: one indexed INSERT ... SELECT, no lock."""
        location_ids = list(set(location_ids))
        product_ids = list(set(product_ids))
        if not (location_ids and product_ids):
            return
        self.env.cr.execute(
            """
            INSERT INTO clever_kaspi_feed_change (store_id, changed_at)
            SELECT DISTINCT kp.store_id, now() AT TIME ZONE 'UTC'
              FROM clever_kaspi_pickup_point kp
              JOIN stock_location ml ON ml.id = kp.location_id
              JOIN stock_location ql ON ql.parent_path LIKE ml.parent_path || '%%'
             WHERE ql.id = ANY(%s)
               AND EXISTS (SELECT 1 FROM clever_kaspi_offer o
                            WHERE o.store_id = kp.store_id AND o.product_id = ANY(%s) AND o.state = 'active')
            """,
            [location_ids, product_ids],
        )

    @api.model
    def _mark_pricelists(self, pricelist_ids):
        pricelist_ids = list(set(pricelist_ids))
        if pricelist_ids:
            self.env["clever.kaspi.store"].flush_model(["price_source", "pricelist_id"])
            self.env.cr.execute(
                """
                INSERT INTO clever_kaspi_feed_change (store_id, changed_at)
                SELECT id, now() AT TIME ZONE 'UTC'
                  FROM clever_kaspi_store
                 WHERE price_source = 'pricelist' AND pricelist_id = ANY(%s)
                """,
                [pricelist_ids],
            )

    @api.model
    def _pending_store_ids(self, store_ids):
        self.env.cr.execute(
            "SELECT DISTINCT store_id FROM clever_kaspi_feed_change WHERE store_id = ANY(%s)", [list(store_ids)]
        )
        return {row[0] for row in self.env.cr.fetchall()}
