from odoo import Command
from odoo.tests import tagged

from .common import NS, KaspiCommon


@tagged("post_install", "-at_install")
class TestKaspiReadiness(KaspiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A ready offer, so that the store's feed is never empty in these tests.
        cls.ready = cls._offer(cls._product("Сок Да-Да 1 л", "JUICE-1", price=650))

    def assertNotReady(self, offer, reason, check_feed=True):
        offer.invalidate_recordset()
        self.assertFalse(offer.is_ready)
        self.assertIn(reason, offer.readiness or "")
        not_ready = self.Offer.search([("store_id", "=", self.store.id), ("is_ready", "=", False)])
        self.assertIn(offer, not_ready, "the 'Not ready' filter finds it")
        if offer.sku and check_feed:
            self.assertNotIn(offer.sku, self.feed_offers(self.store, self.almaty), "a not-ready offer is not exported")

    def test_ready_offer_is_exported(self):
        self.assertTrue(self.ready.is_ready)
        self.assertFalse(self.ready.readiness)
        self.assertIn(self.ready, self.Offer.search([("store_id", "=", self.store.id), ("is_ready", "=", True)]))
        self.assertIn("JUICE-1", self.feed_offers(self.store, self.almaty))

    def test_missing_sku(self):
        offer = self._offer(self._product("Хлеб", False))
        self.assertNotReady(offer, "no SKU")

    def test_invalid_sku(self):
        for sku in ("Хлеб-1", "BREAD 1", "B" * 21):
            with self.subTest(sku=sku):
                offer = self._offer(self._product(f"Хлеб {sku}", sku))
                self.assertNotReady(offer, "not valid for Kaspi")

    def test_duplicate_sku_in_the_store(self):
        other = self._offer(self._product("Молоко", "MILK-1"))
        twin = self._offer(self._product("Молоко 2", "MILK-2"), sku_override="MILK-1")
        self.assertNotReady(other, "same SKU")
        self.assertNotReady(twin, "same SKU")
        twin.action_remove_from_kaspi()
        other.invalidate_recordset()
        self.assertTrue(other.is_ready, "once the twin is in the trash, the SKU is unique again")
        self.assertIn("MILK-1", self.feed_offers(self.store, self.almaty))
        self.assertIn("same SKU", twin.readiness, "restoring the twin would clash: it says so")

    def test_no_price(self):
        offer = self._offer(self._product("Пакет", "BAG-1", price=0))
        self.assertNotReady(offer, "no price")
        offer.price_override = 50
        offer.invalidate_recordset()
        self.assertTrue(offer.is_ready)

    def test_price_of_each_offer_needs_an_offer_price(self):
        self.store.price_source = "offer"
        self.assertNotReady(self.ready, "no price", check_feed=False)
        self.ready.city_price_ids = [
            Command.create({"city_id": self.almaty.id, "price": 700}),
            Command.create({"city_id": self.astana.id, "price": 750}),
        ]
        self.ready.invalidate_recordset()
        self.assertTrue(self.ready.is_ready, "a price for every city of the store is enough")

    def test_no_brand_unless_the_store_has_a_default(self):
        offer = self._offer(self._product("Спички", "MATCH-1", brand=False))
        self.assertNotReady(offer, "no brand")
        self.store.default_brand_name = "Без бренда"
        offer.invalidate_recordset()
        self.assertTrue(offer.is_ready)
        brand = self.feed_offers(self.store, self.almaty)["MATCH-1"].find("k:brand", NS)
        self.assertEqual(brand.text, "Без бренда")

    def test_no_stock_point_mapped(self):
        self.store.pickup_point_ids.write({"warehouse_id": False, "location_id": False})
        self.ready.invalidate_recordset()
        self.assertFalse(self.ready.is_ready)
        self.assertIn("no pickup point", self.ready.readiness)

    def test_archived_product(self):
        offer = self._offer(self._product("Старый товар", "OLD-1"))
        offer.product_id.product_tmpl_id.active = False
        self.assertNotReady(offer, "archived")

    def test_why_is_this_product_not_on_kaspi(self):
        self.Store.create({"company_id": self.company.id, "name": "Второй", "merchant_id": self._merchant_id()})
        product = self._product("Шоколад Рахат", "CHOCO-1", brand=False)
        trashed = self._offer(product)
        trashed.action_remove_from_kaspi()
        action = product.product_tmpl_id.with_user(self.manager).action_clever_kaspi_why_not()
        wizard = self.env[action["res_model"]].with_user(self.manager).browse(action["res_id"])
        text = str(wizard.explanation)
        self.assertIn("Тест Kaspi", text)
        self.assertIn("in the trash", text)
        self.assertIn("no brand", text, "what it would still need once restored")
        self.assertIn("Второй", text)
        self.assertIn("no offer in this store", text)
        trashed.action_restore()
        wizard.invalidate_recordset()
        self.assertIn("not on Kaspi: no brand", str(wizard.explanation))
