from odoo import api, fields, models


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    clever_ask_reference = fields.Boolean(
        string="Ask the terminal's receipt number",
        help="Without a connected terminal the cashier confirms the payment by hand and types the "
        "receipt number printed by the card or Kaspi terminal.",
    )

    @api.model
    def _load_pos_data_fields(self, config):
        return super()._load_pos_data_fields(config) + ["clever_ask_reference"]
