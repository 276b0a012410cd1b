from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCounterparties(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kz = cls.env.ref("base.kz")
        cls.Partner = cls.env["res.partner"].with_context(tracking_disable=True)

    def test_phone_spellings_are_normalised(self):
        for typed in ("8 701 234 56 78", "+7 (701) 234-56-78", "7012345678", "87012345678", "+77012345678"):
            with self.subTest(typed=typed):
                partner = self.Partner.create({"name": "Асем", "phone": typed, "country_id": self.kz.id})
                self.assertEqual(partner.phone, "+7 701 234 56 78")
                self.assertEqual(partner.phone_sanitized, "+77012345678")
                partner.unlink()

    def test_invalid_kazakh_phone_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid phone number"):
            self.Partner.create({"name": "Асем", "phone": "8 701 234", "country_id": self.kz.id})

    def test_second_partner_with_same_phone_is_refused_and_named(self):
        self.Partner.create({"name": "Ерлан Ахметов", "phone": "8 777 123 45 67", "country_id": self.kz.id})
        with self.assertRaisesRegex(ValidationError, "Ерлан Ахметов"):
            self.Partner.create({"name": "Ерлан А.", "phone": "+7 (777) 123-45-67", "country_id": self.kz.id})

    def test_bin_checksum(self):
        good = self.Partner.create({"name": "ТОО Рахат", "is_company": True, "country_id": self.kz.id, "vat": "9712 4000 1315"})
        self.assertEqual(good.vat, "971240001315")
        with self.assertRaisesRegex(ValidationError, "not a valid BIN/IIN"):
            self.Partner.create({"name": "ТОО Ошибка", "is_company": True, "country_id": self.kz.id, "vat": "971240001316"})
