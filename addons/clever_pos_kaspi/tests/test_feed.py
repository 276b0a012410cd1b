import os
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from ..tools import feed_writer
from .common import NS, KaspiCommon, feed_schema, parse_feed


@tagged("post_install", "-at_install")
class TestKaspiFeed(KaspiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tea = cls._product("Чай Пиала 100 г", "TEA-100", price=990, qty=5)
        cls.coffee = cls._product("Кофе Жокей 250 г", "COFFEE-250", price=2490, qty=0)
        cls.kettle = cls._product("Чайник Xiaomi", "KETTLE-1", price=14990, qty=2)
        cls.tea_offer = cls._offer(cls.tea)
        cls.coffee_offer = cls._offer(cls.coffee)
        cls.kettle_offer = cls._offer(
            cls.kettle, city_price_ids=[Command.create({"city_id": cls.almaty.id, "price": 15000})]
        )
        cls.store.city_price_rule_ids = [Command.create({"city_id": cls.astana.id, "percent": 10})]

    def _second_store(self):
        """Store B: Almaty only, PP1 on the main warehouse and PP2 on a second one, its own
        offers with a price of its own."""
        warehouse_2 = self.env["stock.warehouse"].create({"name": "Склад 2", "code": "TS2", "company_id": self.company.id})
        self.env["stock.quant"]._update_available_quantity(self.tea, warehouse_2.lot_stock_id, 3)
        store_b = self.Store.create(
            {
                "company_id": self.company.id,
                "name": "Магазин Б",
                "merchant_id": self._merchant_id(),
                "feed_company_name": "ИП Б",
                "city_ids": [Command.set([self.almaty.id])],
                "preorder_days": 2,
                "pickup_point_ids": [
                    Command.create({"code": "PP1", "warehouse_id": self.warehouse.id}),
                    Command.create({"code": "PP2", "warehouse_id": warehouse_2.id}),
                ],
            }
        )
        self._offer(self.tea, store=store_b, price_override=1100)
        return store_b

    def _price(self, offer):
        price = offer.find("k:price", NS)
        if price is not None:
            return ("price", None, price.text)
        city_price = offer.find("k:cityprices/k:cityprice", NS)
        return ("cityprice", city_price.get("cityId"), city_price.text)

    def _availabilities(self, offer):
        return [
            (a.get("storeId"), a.get("available"), a.get("stockCount"), a.get("preOrder"))
            for a in offer.iterfind("k:availabilities/k:availability", NS)
        ]

    def test_two_stores_two_cities_differ_as_configured(self):
        store_b = self._second_store()
        schema = feed_schema()
        documents = {}
        for store, city in ((self.store, self.almaty), (self.store, self.astana), (store_b, self.almaty)):
            root = parse_feed(self.feed_bytes(store, city))
            schema.assertValid(root)
            documents[store, city] = root
            self.assertEqual(root.findtext("k:merchantid", namespaces=NS), store.merchant_id)
            self.assertEqual(root.findtext("k:company", namespaces=NS), store.feed_company_name)
        a_almaty = self.feed_offers(self.store, self.almaty)
        a_astana = self.feed_offers(self.store, self.astana)
        b_almaty = self.feed_offers(store_b, self.almaty)

        self.assertEqual(set(a_almaty), {"TEA-100", "COFFEE-250", "KETTLE-1"})
        self.assertEqual(set(a_astana), {"TEA-100", "COFFEE-250", "KETTLE-1"})
        self.assertEqual(set(b_almaty), {"TEA-100"}, "each store publishes its own offers only")

        # Almaty, store A: base prices, the kettle's own Almaty price.
        self.assertEqual(self._price(a_almaty["TEA-100"]), ("price", None, "990"))
        self.assertEqual(self._price(a_almaty["KETTLE-1"]), ("cityprice", "750000000", "15000"))
        # Astana, store A: the +10 % rule of the city, on every offer.
        self.assertEqual(self._price(a_astana["TEA-100"]), ("cityprice", "710000000", "1089"))
        self.assertEqual(self._price(a_astana["KETTLE-1"]), ("cityprice", "710000000", "16489"))
        # Store B: its own price and points, its default pre-order days.
        self.assertEqual(self._price(b_almaty["TEA-100"]), ("price", None, "1100"))
        self.assertEqual(
            self._availabilities(b_almaty["TEA-100"]), [("PP1", "yes", "5", "2"), ("PP2", "yes", "3", "2")]
        )
        # Availability from real stock, per mapped point.
        self.assertEqual(self._availabilities(a_almaty["TEA-100"]), [("PP1", "yes", "5", "0")])
        self.assertEqual(self._availabilities(a_almaty["COFFEE-250"]), [("PP1", "no", None, None)])
        # Store B has no Astana feed: the public address answers 404.
        self.assertFalse(self.env["clever.kaspi.feed"].sudo()._find_published(store_b.merchant_id, self.astana.code, None))

    def test_elements_follow_the_schema_order(self):
        offer = self.feed_offers(self.store, self.almaty)["TEA-100"]
        self.assertEqual(
            [child.tag.split("}")[1] for child in offer], ["model", "brand", "availabilities", "price"]
        )
        root = parse_feed(self.feed_bytes(self.store, self.almaty))
        self.assertEqual(root.tag, "{kaspiShopping}kaspi_catalog")
        self.assertEqual(
            root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"),
            "kaspiShopping http://kaspi.kz/kaspishopping.xsd",
        )
        self.assertEqual([child.tag.split("}")[1] for child in root], ["company", "merchantid", "offers"])

    def test_names_are_escaped(self):
        name = 'Чай "Пиала" & <Кофе> \'тест\' 🍵\x0b'
        product = self._product(name, "ESC-1")
        product.product_tmpl_id.brand_id = self.env["clever.brand"].create({"name": "Johnson & Johnson <JJ> «Ш»"})
        self._offer(product, sku_override="ESC_1")
        self.store.feed_company_name = 'ТОО "Ақ & Көк" <KZ>'
        data = self.feed_bytes(self.store, self.almaty)
        self.assertIn("🍵".encode(), data, "emoji are written as UTF-8, not as entities")
        self.assertIn(b"&amp;", data)
        self.assertIn(b"&lt;", data)
        root = parse_feed(data)
        feed_schema().assertValid(root)
        offer = self.feed_offers(self.store, self.almaty)["ESC_1"]
        self.assertEqual(offer.findtext("k:model", namespaces=NS), 'Чай "Пиала" & <Кофе> \'тест\' 🍵')
        self.assertEqual(offer.findtext("k:brand", namespaces=NS), "Johnson & Johnson <JJ> «Ш»")
        self.assertEqual(root.findtext("k:company", namespaces=NS), 'ТОО "Ақ & Көк" <KZ>')

    def test_no_credentials_in_the_feed(self):
        self.store.write({"kaspi_email": "owner@shop.kz", "kaspi_password": "Pa55word", "api_token": "TOKEN-XYZ"})
        data = self.feed_bytes(self.store, self.almaty)
        for secret in (b"owner@shop.kz", b"Pa55word", b"TOKEN-XYZ"):
            self.assertNotIn(secret, data)

    def test_stock_change_invalidates_the_cache(self):
        feed = self.store.feed_ids.filtered(lambda f: f.city_id == self.almaty)
        self.feed_bytes(self.store, self.almaty)
        etag = feed.etag
        Change = self.env["clever.kaspi.feed.change"]
        self.assertFalse(Change._pending_store_ids(self.store.ids), "a fresh feed has nothing pending")
        # Stock of a product that is not on Kaspi, or in a location no point maps: nothing to redo.
        other = self._product("Не на Kaspi", "NOT-ON-KASPI", qty=0)
        self.env["stock.quant"]._update_available_quantity(other, self.stock_location, 4)
        unmapped = self.env["stock.warehouse"].create({"name": "Склад 3", "code": "TS3", "company_id": self.company.id})
        self.env["stock.quant"]._update_available_quantity(self.tea, unmapped.lot_stock_id, 4)
        self.assertFalse(Change._pending_store_ids(self.store.ids))
        # A sale-like stock change of a published product in the mapped location.
        self.env["stock.quant"]._update_available_quantity(self.tea, self.stock_location, -2)
        self.assertTrue(Change._pending_store_ids(self.store.ids))
        offers = self.feed_offers(self.store, self.almaty)
        self.assertEqual(self._availabilities(offers["TEA-100"]), [("PP1", "yes", "3", "0")])
        self.assertNotEqual(feed.etag, etag)
        self.assertFalse(Change._pending_store_ids(self.store.ids))

    def test_product_price_and_brand_changes_invalidate_the_cache(self):
        Change = self.env["clever.kaspi.feed.change"]
        self.feed_bytes(self.store, self.almaty)
        self.tea.product_tmpl_id.list_price = 1090
        self.assertTrue(Change._pending_store_ids(self.store.ids))
        self.assertEqual(self._price(self.feed_offers(self.store, self.almaty)["TEA-100"]), ("price", None, "1090"))
        self.brand.name = f"{self.brand.name} New"
        self.assertTrue(Change._pending_store_ids(self.store.ids))
        self.assertEqual(
            self.feed_offers(self.store, self.almaty)["TEA-100"].findtext("k:brand", namespaces=NS), self.brand.name
        )

    def test_unchanged_regeneration_keeps_the_etag(self):
        feed = self.store.feed_ids.filtered(lambda f: f.city_id == self.almaty)
        self.feed_bytes(self.store, self.almaty)
        etag, generated_at, file_name = feed.etag, feed.generated_at, feed.file_name
        self.store.action_regenerate_feeds()
        self.assertEqual((feed.etag, feed.generated_at, feed.file_name), (etag, generated_at, file_name))
        self.assertTrue(feed.checked_at)

    def test_never_an_empty_feed_by_accident(self):
        feed = self.store.feed_ids.filtered(lambda f: f.city_id == self.almaty)
        good = self.feed_bytes(self.store, self.almaty)
        (self.tea_offer | self.coffee_offer | self.kettle_offer).action_remove_from_kaspi()
        self.assertEqual(self.feed_bytes(self.store, self.almaty), good, "the last good feed is still served")
        self.assertIn("No offer is ready", feed.last_error)
        self.assertIn("No offer is ready", self.store.message_ids[:1].body)
        self.assertIn(self.manager.partner_id, self.store.message_ids[:1].partner_ids, "managers are told")
        # Deliberately emptied: the store allows it.
        self.store.allow_empty_feed = True
        root = parse_feed(self.feed_bytes(self.store, self.almaty))
        self.assertEqual(len(root.findall("k:offers/k:offer", NS)), 0)
        self.assertFalse(feed.last_error)

    def test_failed_generation_keeps_the_last_good_feed(self):
        feed = self.store.feed_ids.filtered(lambda f: f.city_id == self.almaty)
        good = self.feed_bytes(self.store, self.almaty)
        etag = feed.etag
        self.tea.product_tmpl_id.list_price = 1190
        directory = feed._feed_directory()
        before = set(os.listdir(directory))
        with patch.object(feed_writer.CatalogFileWriter, "write_offer", side_effect=OSError("disk full")):
            self.assertFalse(self.store._generate_feeds())
        self.assertEqual(set(os.listdir(directory)), before, "no partial file is left behind")
        self.assertEqual(feed.etag, etag)
        with open(feed._full_path(), "rb") as handle:
            self.assertEqual(handle.read(), good)
        self.assertIn("disk full", feed.last_error)
        self.assertIn("disk full", self.store.message_ids[:1].body)
        self.assertTrue(self.env["clever.kaspi.feed.change"]._pending_store_ids(self.store.ids), "retried later")
        # The next generation succeeds and clears the error.
        self.assertEqual(self._price(self.feed_offers(self.store, self.almaty)["TEA-100"]), ("price", None, "1190"))
        self.assertFalse(feed.last_error)

    def test_feed_check_page(self):
        feed = self.store.feed_ids.filtered(lambda f: f.city_id == self.almaty).with_user(self.manager)
        self._offer(self._product("Без артикула", False))
        self.feed_bytes(self.store, self.almaty)
        feed.invalidate_recordset()
        self.assertEqual(feed.offer_count, 3)
        self.assertGreater(feed.size, 0)
        self.assertTrue(feed.generated_at)
        self.assertTrue(feed.url.endswith(f"/kaspi_{self.store.merchant_id}_750000000.xml"))
        problems = str(feed.problems)
        self.assertIn("no SKU", problems)
        self.assertIn("not downloaded", problems)
        data = self.env["clever.kaspi.store"].with_user(self.manager).get_kaspi_screen_data(self.store.id)
        self.assertEqual(data["store"]["offer_count"], 4)
        self.assertEqual(data["store"]["not_ready_count"], 1)
        self.assertEqual({f["city"] for f in data["store"]["feeds"]}, {self.almaty.display_name, self.astana.display_name})
