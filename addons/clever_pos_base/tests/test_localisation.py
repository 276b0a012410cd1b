from datetime import date

from odoo.exceptions import UserError
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
        self.assertEqual(company.account_default_pos_receivable_account_id.with_company(company).code, "1211", "shifts can close")
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
            self.assertEqual(company.account_default_pos_receivable_account_id.with_company(company).code, "1211", company.name)


@tagged("post_install", "-at_install")
class TestInterfaceLanguages(CleverPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("ru_RU", "kk_KZ"):
            cls.env["res.lang"]._activate_lang(code)
        cls.env["ir.module.module"].search([("name", "=", "clever_pos_base")])._update_translations(["ru_RU", "kk_KZ"])

    def test_user_switches_between_russian_and_kazakh(self):
        manager = self.users["manager"]
        menu = self.env.ref("clever_pos_base.menu_clever_approvals")
        for lang, label in (("ru_RU", "Одобрения"), ("kk_KZ", "Мақұлдаулар")):
            manager.lang = lang  # the user's preference, no restart
            self.assertEqual(menu.with_user(manager).with_context(lang=manager.lang).name, label)

    def test_server_messages_in_the_users_language(self):
        Request = self.env["clever.approval.request"]
        messages = {}
        for lang in ("ru_RU", "kk_KZ"):
            with self.assertRaises(UserError) as caught:
                Request.with_context(lang=lang)._check_approved("refund", self.product, amount=100)
            messages[lang] = caught.exception.args[0]
        self.assertIn("одобрение", messages["ru_RU"].lower())
        self.assertIn("мақұлда", messages["kk_KZ"].lower())
        self.assertNotEqual(messages["ru_RU"], messages["kk_KZ"])
