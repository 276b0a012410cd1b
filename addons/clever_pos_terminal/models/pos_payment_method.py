from odoo import api, fields, models


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    clever_ask_reference = fields.Boolean(
        string="Ask the terminal's receipt number",
        help="Without a connected terminal the cashier confirms the payment by hand and types the "
        "receipt number printed by the card or Kaspi terminal.",
    )

    def _get_payment_terminal_selection(self):
        return super()._get_payment_terminal_selection() + [("clever_kaspi", "Kaspi terminal")]

    clever_fiscal_payment_kind = fields.Selection(
        [("cash", "Cash"), ("card", "Bank card"), ("kaspi", "Kaspi"), ("mobile", "Mobile payment"), ("credit", "Credit")],
        string="Fiscal payment type",
        help="How this payment is reported on the fiscal receipt. Empty: cash for cash methods, credit for "
        "customer account, bank card otherwise.",
    )

    def _clever_fiscal_kind(self):
        self.ensure_one()
        if self.clever_fiscal_payment_kind:
            return self.clever_fiscal_payment_kind
        if self.is_cash_count:
            return "cash"
        if self.type == "pay_later":
            return "credit"
        return "card"

    @api.model
    def _load_pos_data_fields(self, config):
        return super()._load_pos_data_fields(config) + ["clever_ask_reference"]
