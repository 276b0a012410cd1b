import os
from itertools import count

from lxml import etree

from odoo import Command
from odoo.tests import TransactionCase

XSD_PATH = os.path.join(os.path.dirname(__file__), "kaspi_catalog.xsd")
NS = {"k": "kaspiShopping"}
_sequence = count(1)


def parse_feed(data):
    """Parse a feed the way a careful reader does: no DTD, no entities, no network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser=parser)


def feed_schema():
    return etree.XMLSchema(etree.parse(XSD_PATH))


class KaspiCommonMixin:
    """A shop company of its own (its main Kaspi store is created with it, with a warehouse),
    its users per role, and helpers to create products with stock and read a store's feeds.
    Nothing assumes an empty database: every record the tests look at is created here."""

    @classmethod
    def setUpKaspi(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env["res.company"].create(
            {"name": "Тест Дүкен", "country_id": cls.env.ref("base.kz").id}
        )
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        if not cls.warehouse:
            cls.warehouse = cls.env["stock.warehouse"].create(
                {"name": "Тест склад", "code": "TST", "company_id": cls.company.id}
            )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.almaty = cls.env.ref("clever_pos_kaspi.city_750000000")
        cls.astana = cls.env.ref("clever_pos_kaspi.city_710000000")
        cls.brand = cls.env["clever.brand"].create({"name": f"Test brand {next(_sequence)}"})
        cls.manager = cls._user("kaspi_manager", "clever_pos_base.group_clever_manager")
        cls.admin = cls._user("kaspi_admin", "clever_pos_base.group_clever_admin")
        cls.cashier = cls._user("kaspi_cashier", "clever_pos_base.group_clever_cashier")
        cls.Store = cls.env["clever.kaspi.store"]
        cls.Offer = cls.env["clever.kaspi.offer"]
        cls.store = cls.Store.search([("company_id", "=", cls.company.id), ("is_main", "=", True)])
        cls.store.write(
            {
                "name": "Тест Kaspi",
                "merchant_id": cls._merchant_id(),
                "feed_company_name": "ТОО «Тест & Ко»",
                "city_ids": [Command.set([cls.almaty.id, cls.astana.id])],
                "pickup_point_ids": [Command.create({"code": "PP1", "warehouse_id": cls.warehouse.id})],
            }
        )

    @classmethod
    def _merchant_id(cls):
        return f"T{next(_sequence)}{os.getpid()}"

    @classmethod
    def _user(cls, login, group):
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login,
                    "login": f"{login}_{next(_sequence)}",
                    "company_id": cls.company.id,
                    "company_ids": [Command.set([cls.company.id])],
                    "group_ids": [Command.set([cls.env.ref(group).id])],
                }
            )
        )

    @classmethod
    def _product(cls, name, sku, price=1000.0, qty=5.0, brand=True, location=None, **values):
        template = cls.env["product.template"].create(
            {
                "name": name,
                "default_code": sku,
                "list_price": price,
                "type": "consu",
                "is_storable": True,
                "sale_ok": True,
                "company_id": cls.company.id,
                "brand_id": cls.brand.id if brand else False,
                **values,
            }
        )
        product = template.product_variant_id
        if qty:
            cls.env["stock.quant"]._update_available_quantity(product, location or cls.stock_location, qty)
        return product

    @classmethod
    def _offer(cls, product, store=None, **values):
        return cls.env["clever.kaspi.offer"].create(
            {"store_id": (store or cls.store).id, "product_id": product.id, **values}
        )

    def feed_bytes(self, store, city):
        """The current feed of a store for a city, regenerated first if something changed."""
        feed = store.feed_ids.filtered(lambda f: f.city_id == city)
        self.assertTrue(feed, "the store has a feed for this city")
        feed.sudo()._refresh_for_request()
        self.assertTrue(feed._has_file(), feed.last_error or "no feed file")
        with open(feed._full_path(), "rb") as handle:
            return handle.read()

    def feed_offers(self, store, city):
        """{sku: offer element} of a store's feed for a city."""
        root = parse_feed(self.feed_bytes(store, city))
        return {offer.get("sku"): offer for offer in root.iterfind("k:offers/k:offer", NS)}


class KaspiCommon(KaspiCommonMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpKaspi()
