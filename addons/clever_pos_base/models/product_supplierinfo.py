from odoo import models


class ProductSupplierinfo(models.Model):
    _name = "product.supplierinfo"
    _inherit = ["product.supplierinfo", "clever.cost.guard"]

    _clever_cost_fields = ("price", "price_discounted")
