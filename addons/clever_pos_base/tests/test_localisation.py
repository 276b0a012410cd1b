from datetime import date

from odoo.tests import tagged

from .common import CleverPosCase


@tagged("post_install", "-at_install")
class TestKazakhLocalisation(CleverPosCase):
    def test_kazakh_language_record(self):
        kk = self.env["res.lang"].with_context(active_test=False).search([("code", "=", "kk_KZ")])
        self.assertEqual(kk.iso_code, "kk")
        self.assertEqual((kk.date_format, kk.decimal_point, kk.thousands_sep), ("%d.%m.%Y", ",", "\u00a0"))
        self.assertEqual(kk.week_start, "1")
        kk.active = True
        self.assertIn("kk_KZ", dict(self.env["res.lang"].get_installed()))
        self.assertEqual(kk.format("%.2f", 1234.5, grouping=True), "1\u00a0234,50")
        formatted = self.env["ir.qweb.field.date"].with_context(lang="kk_KZ").value_to_html(date(2026, 11, 25), {})
        self.assertEqual(formatted, "25.11.2026")

    def test_vat_16_is_the_default_and_12_stays(self):
        company = self.env["res.company"].create({"name": "Жаңа дүкен", "country_id": self.kz.id})
        self.env["account.chart.template"].try_loading("kz", company, install_demo=False)
        self.assertEqual(company.account_sale_tax_id.amount, 16)
        self.assertEqual(company.account_purchase_tax_id.amount, 16)
        self.assertEqual(company.account_sale_tax_id.tax_group_id.name, "VAT 16%")
        self.assertEqual(company.account_sale_tax_id.price_include_override, "tax_included", "shelf prices include VAT")
        taxes_12 = self.env["account.tax"].search([("company_id", "=", company.id), ("amount", "=", 12)])
        self.assertTrue(taxes_12 and all(taxes_12.mapped("active")), "12 % stays for documents before 2026")

    def test_vat_16_on_a_receipt_line(self):
        # 1 160 ₸ on the shelf: 1 000 ₸ plus 160 ₸ of VAT.
        company = self.env["res.company"].create({"name": "Ещё один дүкен", "country_id": self.kz.id})
        self.env["account.chart.template"].try_loading("kz", company, install_demo=False)
        result = company.account_sale_tax_id.compute_all(1160.0)
        self.assertAlmostEqual(result["total_excluded"], 1000.0)
        self.assertAlmostEqual(result["total_included"], 1160.0)

    def test_existing_kazakh_companies_got_vat_16(self):
        for company in self.env["res.company"].search([("chart_template", "=", "kz")]):
            self.assertEqual(company.account_sale_tax_id.amount, 16, company.name)
