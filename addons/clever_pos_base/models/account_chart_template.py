from odoo import models
from odoo.addons.account.models.chart_template import template


class AccountChartTemplate(models.AbstractModel):
    """What a Kazakh shop needs on top of l10n_kz: VAT 16 % (from 1 January 2026; l10n_kz ships
    0/12/20 %) and the POS receivable account.

    The 16 % taxes come from data/template/*-kz.csv of this module and become the company's
    default sale and purchase taxes. The 12 % taxes stay active for documents dated before 2026.
    """

    _inherit = "account.chart.template"

    @template("kz", "account.account")
    def _get_kz_clever_account_account(self):
        # Odoo's POS books card and cash sales to the company's "PoS receivable" until the
        # session's statements settle them; l10n_kz has no such account, so closing a shift fails.
        return self._parse_csv("kz", "account.account", module="clever_pos_base")

    @template("kz", "account.tax.group")
    def _get_kz_clever_account_tax_group(self):
        return self._parse_csv("kz", "account.tax.group", module="clever_pos_base")

    @template("kz", "account.tax")
    def _get_kz_clever_account_tax(self):
        tax_data = self._parse_csv("kz", "account.tax", module="clever_pos_base")
        self._deref_account_tags("kz", tax_data)
        return tax_data

    @template("kz", "res.company")
    def _get_kz_res_company(self):
        # Same name as l10n_kz's function, so that ours extends it (functions are applied in
        # name order; a different name could run first and be overwritten).
        data = super()._get_kz_res_company()
        data[self.env.company.id].update(
            {
                "account_sale_tax_id": "l10n_kz_tax_vat_16_sale",
                "account_purchase_tax_id": "l10n_kz_tax_vat_16_purchase",
                "account_default_pos_receivable_account_id": "kz1211",
            }
        )
        return data
