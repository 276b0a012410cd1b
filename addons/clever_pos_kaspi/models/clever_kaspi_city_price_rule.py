from odoo import fields, models


class CleverKaspiCityPriceRule(models.Model):
    """A store's price for one city, derived from the offer's base price: base × (1 + percent/100)
    + amount, in whole tenge. A city with a rule gets `cityprices` in its feed."""

    _name = "clever.kaspi.city.price.rule"
    _inherit = ["clever.kaspi.feed.source"]
    _description = "Kaspi city price rule"
    _order = "store_id, city_id"

    store_id = fields.Many2one("clever.kaspi.store", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True, index=True)
    city_id = fields.Many2one("clever.kaspi.city", required=True, ondelete="restrict")
    percent = fields.Float(string="Markup %", help="Added to the base price, e.g. 5 for +5 %; negative for a discount.")
    amount = fields.Integer(string="Amount (₸)", help="Added after the percentage, in tenge.")

    _city_unique = models.Constraint("UNIQUE(store_id, city_id)", "The store already has a price rule for this city.")
