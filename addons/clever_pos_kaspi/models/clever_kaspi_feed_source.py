from odoo import api, models


class CleverKaspiFeedSource(models.AbstractModel):
    """A record a store's feeds are made from (pickup points, city rules, per-city prices):
    creating, changing or deleting it marks those stores' feeds as changed."""

    _name = "clever.kaspi.feed.source"
    _description = "Kaspi feed source"

    def _clever_feed_stores(self):
        return self.store_id

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["clever.kaspi.feed.change"]._mark_stores(records._clever_feed_stores().ids)
        return records

    def write(self, vals):
        stores = self._clever_feed_stores()
        result = super().write(vals)
        self.env["clever.kaspi.feed.change"]._mark_stores((stores | self._clever_feed_stores()).ids)
        return result

    def unlink(self):
        stores = self._clever_feed_stores()
        result = super().unlink()
        self.env["clever.kaspi.feed.change"]._mark_stores(stores.ids)
        return result
