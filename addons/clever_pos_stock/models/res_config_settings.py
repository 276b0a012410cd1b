from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clever_warehouse_shift_required = fields.Boolean(
        related="company_id.clever_warehouse_shift_required", readonly=False
    )
