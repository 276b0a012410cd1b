from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    clever_pos_discount_limit = fields.Float(
        string="Discount limit at the till (%)",
        help="Discounts up to this percentage need no manager's approval. 0: the register's limit.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["clever_pos_discount_limit"]

    @api.model
    def _load_pos_data_fields(self, config):
        return super()._load_pos_data_fields(config) + ["clever_pos_discount_limit"]
