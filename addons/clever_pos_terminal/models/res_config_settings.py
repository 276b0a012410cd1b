from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pos_clever_till = fields.Boolean(related="pos_config_id.clever_till", readonly=False)
    pos_clever_max_discount = fields.Float(related="pos_config_id.clever_max_discount", readonly=False)
    pos_clever_favorite_product_ids = fields.Many2many(related="pos_config_id.clever_favorite_product_ids", readonly=False)
    pos_clever_free_line = fields.Boolean(related="pos_config_id.clever_free_line", readonly=False)
    pos_clever_free_product_ids = fields.Many2many(related="pos_config_id.clever_free_product_ids", readonly=False)
