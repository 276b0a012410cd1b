from odoo import fields, models


class PosOrderLine(models.Model):
    _name = "pos.order.line"
    _inherit = ["pos.order.line", "clever.cost.guard"]

    _clever_cost_fields = ("margin", "margin_percent", "total_cost")
    # The guard checks only fields with groups; these are for internal users anyway.
    margin = fields.Monetary(groups="base.group_user")
    margin_percent = fields.Float(groups="base.group_user")
    total_cost = fields.Float(groups="base.group_user")
