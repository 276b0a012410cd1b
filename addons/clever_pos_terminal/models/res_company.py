from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model
    def _load_pos_data_fields(self, config):
        # The store settings the till's receipts follow (clever_pos_base).
        return super()._load_pos_data_fields(config) + [
            "clever_receipt_name",
            "clever_tz",
            "clever_receipt_width",
            "clever_receipt_show_logo",
            "clever_receipt_show_bin",
            "clever_receipt_show_address",
            "clever_receipt_show_phone",
            "clever_receipt_show_cashier",
            "clever_receipt_show_barcode",
        ]
