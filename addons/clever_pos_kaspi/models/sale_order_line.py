from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    kaspi_entry_id = fields.Char(string="Kaspi line id", copy=False, readonly=True)
    kaspi_offer_code = fields.Char(string="Kaspi offer SKU", copy=False, readonly=True)
    kaspi_offer_name = fields.Char(string="Kaspi offer", copy=False, readonly=True)
    kaspi_quantity = fields.Float(string="Kaspi quantity", copy=False, readonly=True)
    kaspi_price = fields.Float(string="Kaspi price", copy=False, readonly=True)
    kaspi_needs_mapping = fields.Boolean(string="Needs mapping", copy=False, readonly=True)
