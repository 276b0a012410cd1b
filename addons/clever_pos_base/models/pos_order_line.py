from odoo import models


class PosOrderLine(models.Model):
    _name = "pos.order.line"
    _inherit = ["pos.order.line", "clever.cost.guard"]

    _clever_cost_fields = ("margin", "margin_percent", "total_cost")
