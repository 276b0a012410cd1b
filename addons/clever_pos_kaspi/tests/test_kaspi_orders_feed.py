from odoo.tests import HttpCase, tagged

from .common import NS, parse_feed
from .test_kaspi_orders import SKUS, KaspiOrdersMixin


@tagged("post_install", "-at_install")
class TestKaspiOrderFeedStock(KaspiOrdersMixin, HttpCase):
    """Accepting a Kaspi order reserves its goods: the feed Kaspi downloads shows the lower
    stock at once, so the same units are not sold twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpKaspiOrders(orders=0)

    def _stock_count(self):
        response = self.url_open(f"/kaspi_{self.store.merchant_id}_{self.almaty.code}.xml")
        self.assertEqual(response.status_code, 200)
        root = parse_feed(response.content)
        for offer in root.iterfind("k:offers/k:offer", NS):
            if offer.get("sku") == SKUS[0]:
                return offer.find("k:availabilities/k:availability", NS).get("stockCount")
        self.fail("the offer is in the feed")

    def test_accepting_lowers_the_feed_stock(self):
        self.assertEqual(self._stock_count(), "100")
        _kaspi_id, order = self._new_order(lines=[(SKUS[0], 3)])
        self.assertEqual(self._stock_count(), "100", "a new order reserves nothing before it is accepted")
        order.with_user(self.manager).action_kaspi_accept()
        self.assertEqual(self._stock_count(), "97")
