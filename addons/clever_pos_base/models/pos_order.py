from odoo import fields, models


class PosOrder(models.Model):
    _name = "pos.order"
    _inherit = ["pos.order", "clever.cost.guard"]

    _clever_cost_fields = ("margin", "margin_percent")
    # The guard checks only fields with groups; these are for internal users anyway.
    margin = fields.Monetary(groups="base.group_user")
    margin_percent = fields.Float(groups="base.group_user")

    def action_pos_order_paid(self):
        result = super().action_pos_order_paid()
        # The customer card (res_partner_stats.py) follows each paid receipt.
        if self.partner_id:
            self.partner_id._clever_recompute_customer_stats()
        return result
