from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    clever_receipt_name = fields.Char(related="company_id.clever_receipt_name", readonly=False)
    clever_tz = fields.Selection(related="company_id.clever_tz", readonly=False)
    clever_receipt_width = fields.Selection(related="company_id.clever_receipt_width", readonly=False)
    clever_receipt_show_logo = fields.Boolean(related="company_id.clever_receipt_show_logo", readonly=False)
    clever_receipt_show_bin = fields.Boolean(related="company_id.clever_receipt_show_bin", readonly=False)
    clever_receipt_show_address = fields.Boolean(related="company_id.clever_receipt_show_address", readonly=False)
    clever_receipt_show_phone = fields.Boolean(related="company_id.clever_receipt_show_phone", readonly=False)
    clever_receipt_show_cashier = fields.Boolean(related="company_id.clever_receipt_show_cashier", readonly=False)
    clever_receipt_show_barcode = fields.Boolean(related="company_id.clever_receipt_show_barcode", readonly=False)
    clever_company_bin = fields.Char(related="company_id.vat", string="BIN", readonly=False)
    clever_company_phone = fields.Char(related="company_id.phone", string="Shop phone", readonly=False)
    clever_company_logo = fields.Binary(related="company_id.logo", string="Logo", readonly=False)
    clever_login_code_required = fields.Boolean(related="company_id.clever_login_code_required", readonly=False)
    clever_lapsed_days = fields.Integer(related="company_id.clever_lapsed_days", readonly=False)
    clever_regular_purchases = fields.Integer(related="company_id.clever_regular_purchases", readonly=False)
    clever_top_customer_count = fields.Integer(related="company_id.clever_top_customer_count", readonly=False)
