from odoo import fields
from odoo.tests import tagged

from .common import KaspiCommon


@tagged("post_install", "-at_install")
class TestKaspiOffers(KaspiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tea = cls._product("Чай Пиала 100 г", "TEA-100", price=990)
        cls.coffee = cls._product("Кофе Жокей 250 г", "COFFEE-250", price=2490)
        cls.published = cls._offer(cls.tea)

    def test_sync_sends_new_products_to_the_trash_and_updates_existing_offers(self):
        self.tea.default_code = "TEA-100-NEW"
        self.env.flush_all()
        # A SKU changed behind the ORM's back (e.g. an import) is taken by the sync.
        self.env.cr.execute("UPDATE product_product SET default_code = 'TEA-101' WHERE id = %s", [self.tea.id])
        self.env.invalidate_all()
        self.store.with_user(self.manager).action_sync()
        self.assertEqual(self.published.sku, "TEA-101")
        self.assertEqual(self.published.state, "active", "sync keeps published offers published")
        new = self.Offer.search([("store_id", "=", self.store.id), ("product_id", "=", self.coffee.id)])
        self.assertEqual(new.state, "trash", "a new product is never published by the sync")
        self.assertEqual(new.trash_reason, "new")
        self.assertTrue(self.store.last_sync_date)

    def test_sync_trashes_offers_of_archived_products_and_never_restores(self):
        self.tea.product_tmpl_id.active = False
        self.store.action_sync()
        self.assertEqual(self.published.state, "trash")
        self.assertEqual(self.published.trash_reason, "unavailable")
        self.tea.product_tmpl_id.active = True
        self.store.action_sync()
        self.assertEqual(self.published.state, "trash", "sync never restores anything by itself")

    def test_sync_does_not_pull_services_or_other_companies_products(self):
        service = self._product("Доставка", "DELIVERY", qty=0, type="service")
        other_company = self.env["res.company"].create({"name": "Другая фирма"})
        foreign = self.env["product.template"].create(
            {"name": "Чужой товар", "default_code": "FOREIGN-1", "company_id": other_company.id}
        )
        self.store.action_sync()
        pulled = self.Offer.search([("store_id", "=", self.store.id)]).product_id
        self.assertIn(self.coffee, pulled)
        self.assertNotIn(service, pulled)
        self.assertNotIn(foreign.product_variant_id, pulled)

    def test_remove_from_kaspi_keeps_the_sku_and_restore_brings_back(self):
        self._offer(self.coffee)  # another published offer: the feed never gets empty here
        self.assertIn("TEA-100", self.feed_offers(self.store, self.almaty))
        self.published.with_user(self.manager).action_remove_from_kaspi()
        self.assertEqual(self.published.state, "trash")
        self.assertEqual(self.published.trash_reason, "removed")
        self.assertEqual(self.tea.default_code, "TEA-100", "the product keeps its SKU")
        self.assertEqual(self.published.sku, "TEA-100")
        self.assertNotIn("TEA-100", self.feed_offers(self.store, self.almaty))
        self.published.with_user(self.manager).action_restore()
        self.assertEqual(self.published.state, "active")
        self.assertFalse(self.published.trash_reason)
        self.assertIn("TEA-100", self.feed_offers(self.store, self.almaty))

    def test_trash_and_restore_in_bulk(self):
        coffee_offer = self._offer(self.coffee)
        offers = (self.published | coffee_offer).with_user(self.manager)
        offers.action_remove_from_kaspi()
        self.assertEqual(set(offers.mapped("state")), {"trash"})
        trash = self.Offer.with_user(self.manager).search([("store_id", "=", self.store.id), ("state", "=", "trash")])
        self.assertEqual(trash, offers)
        offers.action_restore()
        self.assertEqual(set(offers.mapped("state")), {"active"})

    def test_bulk_preorder_days_and_price(self):
        coffee_offer = self._offer(self.coffee)
        offers = (self.published | coffee_offer).with_user(self.manager)
        action = offers.with_context(clever_kaspi_bulk_mode="preorder").action_open_bulk_wizard()
        wizard = self.env[action["res_model"]].with_user(self.manager).browse(action["res_id"])
        self.assertEqual(wizard.offer_count, 2)
        wizard.preorder_days = 3
        wizard.action_apply()
        self.assertEqual(offers.mapped("preorder_days"), [3, 3])
        action = offers.with_context(clever_kaspi_bulk_mode="price").action_open_bulk_wizard()
        wizard = self.env[action["res_model"]].with_user(self.manager).browse(action["res_id"])
        wizard.price_override = 1500
        wizard.action_apply()
        self.assertEqual(offers.mapped("price"), [1500, 1500])
        feed = self.feed_offers(self.store, self.almaty)
        self.assertEqual(feed["TEA-100"].find("k:price", {"k": "kaspiShopping"}).text, "1500")
        availability = feed["COFFEE-250"].find("k:availabilities/k:availability", {"k": "kaspiShopping"})
        self.assertEqual(availability.get("preOrder"), "3")

    def test_sku_override_is_published_and_checked(self):
        self.published.sku_override = "PIALA_100"
        self.assertEqual(self.published.sku, "PIALA_100")
        self.assertEqual(self.tea.default_code, "TEA-100")
        self.assertIn("PIALA_100", self.feed_offers(self.store, self.almaty))
        with self.assertRaisesRegex(Exception, "cannot be used on Kaspi"):
            self.published.sku_override = "Чай 100"

    def test_last_export_is_recorded(self):
        self.feed_offers(self.store, self.almaty)
        self.assertTrue(self.published.in_feed)
        exported_at = self.published.last_exported_at
        self.assertTrue(exported_at)
        self._offer(self.coffee)
        self.published.action_remove_from_kaspi()
        self.feed_offers(self.store, self.almaty)
        self.assertFalse(self.published.in_feed)
        self.assertEqual(self.published.last_exported_at, exported_at)
        self.assertLessEqual(exported_at, fields.Datetime.now())
