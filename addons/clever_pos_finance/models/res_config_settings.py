from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clever_debt_term_days = fields.Integer(related="company_id.clever_debt_term_days", readonly=False)
