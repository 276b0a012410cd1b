from odoo import fields, models


class CleverKaspiOfferCityPrice(models.Model):
    """An offer's own price in one city, published as `cityprice` in that city's feed."""

    _name = "clever.kaspi.offer.city.price"
    _inherit = ["clever.kaspi.feed.source"]
    _description = "Kaspi offer price in a city"
    _order = "offer_id, city_id"

    offer_id = fields.Many2one("clever.kaspi.offer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="offer_id.company_id", store=True, index=True)
    city_id = fields.Many2one("clever.kaspi.city", required=True, ondelete="restrict")
    price = fields.Integer(string="Price (₸)", required=True)

    _city_unique = models.Constraint("UNIQUE(offer_id, city_id)", "The offer already has a price for this city.")
    _price_positive = models.Constraint("CHECK(price > 0)", "A Kaspi price is a positive number of tenge.")

    def _clever_feed_stores(self):
        return self.offer_id.store_id
