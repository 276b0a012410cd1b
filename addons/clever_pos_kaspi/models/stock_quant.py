from odoo import api, models

QUANT_FEED_FIELDS = {"quantity", "reserved_quantity", "location_id", "product_id"}


class StockQuant(models.Model):
    _inherit = "stock.quant"

    # Every sale writes quants: marking the Kaspi feeds that show them is one INSERT ... SELECT of
    # the stores concerned (see clever.kaspi.feed.change), never a lock on a shared row.

    @api.model_create_multi
    def create(self, vals_list):
        quants = super().create(vals_list)
        self.env["clever.kaspi.feed.change"]._mark_stock(quants.location_id.ids, quants.product_id.ids)
        return quants

    def write(self, vals):
        if not QUANT_FEED_FIELDS & vals.keys():
            return super().write(vals)
        locations, products = self.location_id, self.product_id
        result = super().write(vals)
        self.env["clever.kaspi.feed.change"]._mark_stock(
            (locations | self.location_id).ids, (products | self.product_id).ids
        )
        return result

    def unlink(self):
        locations, products = self.location_id, self.product_id
        result = super().unlink()
        self.env["clever.kaspi.feed.change"]._mark_stock(locations.ids, products.ids)
        return result
