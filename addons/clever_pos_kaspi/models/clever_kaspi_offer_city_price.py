from odoo import api, fields, models


class CleverKaspiOfferCityPrice(models.Model):
    """An offer's own price in one city, published as `cityprice` in that city's feed."""

    _name = "clever.kaspi.offer.city.price"
    _description = "Kaspi offer price in a city"
    _order = "offer_id, city_id"

    offer_id = fields.Many2one("clever.kaspi.offer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="offer_id.company_id", store=True, index=True)
    city_id = fields.Many2one("clever.kaspi.city", required=True, ondelete="restrict")
    price = fields.Integer(string="Price (₸)", required=True)

    _city_unique = models.Constraint("UNIQUE(offer_id, city_id)", "The offer already has a price for this city.")
    _price_positive = models.Constraint("CHECK(price > 0)", "A Kaspi price is a positive number of tenge.")

    @api.model_create_multi
    def create(self, vals_list):
        prices = super().create(vals_list)
        self.env["clever.kaspi.feed.change"]._mark_stores(prices.offer_id.store_id.ids)
        return prices

    def write(self, vals):
        stores = self.offer_id.store_id
        result = super().write(vals)
        self.env["clever.kaspi.feed.change"]._mark_stores((stores | self.offer_id.store_id).ids)
        return result

    def unlink(self):
        stores = self.offer_id.store_id
        result = super().unlink()
        self.env["clever.kaspi.feed.change"]._mark_stores(stores.ids)
        return result
