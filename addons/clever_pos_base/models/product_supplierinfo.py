from odoo import fields, models


class ProductSupplierinfo(models.Model):
    _name = "product.supplierinfo"
    _inherit = ["product.supplierinfo", "clever.cost.guard"]

    _clever_cost_fields = ("price", "price_discounted")
    # The guard checks only fields with groups; a supplier's price is for internal users anyway.
    price = fields.Float(groups="base.group_user")
    price_discounted = fields.Float(groups="base.group_user")
