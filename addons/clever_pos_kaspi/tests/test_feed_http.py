from odoo.tests import HttpCase, tagged

from .common import NS, KaspiCommonMixin, feed_schema, parse_feed


@tagged("post_install", "-at_install")
class TestKaspiFeedRoute(KaspiCommonMixin, HttpCase):
    """The public address Kaspi downloads: what a stranger, Kaspi and a cache see."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpKaspi()
        cls.tea = cls._product("Чай Пиала 100 г", "TEA-100", price=990, qty=5)
        cls._offer(cls.tea)

    def _path(self, merchant_id=None, city=None):
        return f"/kaspi_{merchant_id or self.store.merchant_id}_{(city or self.almaty).code}.xml"

    def test_feed_is_served_with_validators_and_304_when_unchanged(self):
        response = self.url_open(self._path())
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("application/xml"))
        etag = response.headers["ETag"]
        self.assertTrue(etag)
        self.assertTrue(response.headers["Last-Modified"])
        root = parse_feed(response.content)
        feed_schema().assertValid(root)
        self.assertEqual([o.get("sku") for o in root.iterfind("k:offers/k:offer", NS)], ["TEA-100"])

        again = self.url_open(self._path(), headers={"If-None-Match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertFalse(again.content)
        since = self.url_open(self._path(), headers={"If-Modified-Since": response.headers["Last-Modified"]})
        self.assertEqual(since.status_code, 304)

        # The access log answers "when did Kaspi last download it?".
        feed = self.store.feed_ids.filtered(lambda f: f.city_id == self.almaty)
        self.assertEqual(feed.access_ids.mapped("status_code"), [304, 304, 200])
        self.assertTrue(feed.last_download_at)

    def test_stock_change_gives_a_new_feed(self):
        first = self.url_open(self._path())
        etag = first.headers["ETag"]
        self.env["stock.quant"]._update_available_quantity(self.tea, self.stock_location, -1)
        response = self.url_open(self._path(), headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response.headers["ETag"], etag)
        availability = parse_feed(response.content).find("k:offers/k:offer/k:availabilities/k:availability", NS)
        self.assertEqual(availability.get("stockCount"), "4")

    def test_unknown_addresses_reveal_nothing(self):
        self.url_open(self._path())  # the real feed exists
        unknown_merchant = self.url_open(self._path(merchant_id="99999999"))
        unknown_city = self.url_open(self._path(city=self.env.ref("clever_pos_kaspi.city_511010000")))
        garbage_city = self.url_open(f"/kaspi_{self.store.merchant_id}_abc.xml")
        bodies = set()
        for response in (unknown_merchant, unknown_city, garbage_city):
            self.assertEqual(response.status_code, 404)
            self.assertNotIn(self.store.merchant_id, response.text)
            bodies.add(response.text)
        self.assertEqual(len(bodies), 1, "the same answer whatever is wrong")
        self.store.feed_enabled = False
        self.assertEqual(self.url_open(self._path()).status_code, 404)

    def test_secret_token(self):
        self.store.feed_token = "s3cr3t-t0ken"
        self.assertEqual(self.url_open(self._path()).status_code, 404)
        self.assertEqual(self.url_open(self._path() + "?token=wrong").status_code, 404)
        response = self.url_open(self._path() + "?token=s3cr3t-t0ken")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(b"s3cr3t-t0ken", response.content)


@tagged("post_install", "-at_install")
class TestKaspiScreen(KaspiCommonMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpKaspi()
        cls.manager.password = cls.manager.login
        cls._offer(cls._product("Чай Пиала 100 г", "TEA-100"))
        cls.coffee = cls._product("Кофе Жокей 250 г", "COFFEE-250")

    def test_kaspi_screen(self):
        """Store picker, sync, trash button and "+" of the Kaspi screen, as a manager."""
        self.start_tour(
            "/odoo/action-clever_pos_kaspi.clever_kaspi_screen_action", "clever_kaspi_screen_tour", login=self.manager.login
        )
        new_store = self.Store.search([("merchant_id", "=", "70070070")])
        self.assertEqual(new_store.name, "Второй магазин")
        self.assertEqual(new_store.company_id, self.company)
        self.assertFalse(new_store.is_main)
        coffee_offer = self.Offer.search([("store_id", "=", self.store.id), ("product_id", "=", self.coffee.id)])
        self.assertEqual(coffee_offer.state, "trash")
