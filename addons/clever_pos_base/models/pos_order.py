from odoo import models


class PosOrder(models.Model):
    _name = "pos.order"
    _inherit = ["pos.order", "clever.cost.guard"]

    _clever_cost_fields = ("margin", "margin_percent")
