from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CleverPosCase


@tagged("post_install", "-at_install")
class TestProductCard(CleverPosCase):
    def test_barcode_check_digits(self):
        Product = self.env["product.template"]
        self.assertTrue(Product.create({"name": "EAN-13", "barcode": "4870204390025"}))
        self.assertTrue(Product.create({"name": "EAN-8", "barcode": "48700016"}))
        self.assertTrue(Product.create({"name": "Код магазина", "barcode": "A-1001"}), "shop-internal codes stay allowed")
        with self.assertRaisesRegex(ValidationError, "wrong check digit"):
            Product.create({"name": "Опечатка", "barcode": "4870204390026"})
        with self.assertRaisesRegex(ValidationError, "wrong check digit"):
            Product.create({"name": "Опечатка EAN-8", "barcode": "48700017"})

    def test_barcode_is_unique(self):
        with self.assertRaises(ValidationError):
            self.env["product.template"].create({"name": "Вторая вода", "barcode": self.product.barcode})

    def test_sku_unique_per_company(self):
        Product = self.env["product.template"]
        other_company = self.env["res.company"].create({"name": "Другой магазин"})
        self.assertTrue(
            Product.create({"name": "Вода другого магазина", "default_code": "TST-WATER", "company_id": other_company.id}),
            "another company may use the same SKU",
        )
        with self.assertRaisesRegex(ValidationError, "TST-WATER"):
            Product.create({"name": "Другая вода", "default_code": "TST-WATER", "company_id": self.company.id})
        with self.assertRaisesRegex(ValidationError, "already used"):
            Product.create({"name": "Общий товар", "default_code": "TST-WATER"})
        self.assertTrue(Product.create({"name": "Без артикула 1"}) and Product.create({"name": "Без артикула 2"}))

    def test_service_needs_customer_by_default(self):
        service = self.env["product.template"].create({"name": "Доставка", "type": "service"})
        self.assertTrue(service.clever_requires_customer)
        self.assertFalse(service.is_storable)
        self.assertFalse(self.product.clever_requires_customer)
        service.clever_requires_customer = False
        self.assertFalse(service.clever_requires_customer, "the flag can be switched off per service")

    def test_brand_is_shared_and_unique(self):
        brand = self.env["clever.brand"].create({"name": "Тест Бренд"})
        self.product.brand_id = brand
        self.assertEqual(brand.product_count, 1)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.env["clever.brand"].create({"name": "Тест Бренд"})
