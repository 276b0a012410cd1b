from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KaspiCommon


@tagged("post_install", "-at_install")
class TestKaspiStore(KaspiCommon):
    def test_main_store_created_with_the_company(self):
        company = self.env["res.company"].create({"name": "Новый магазин"})
        stores = self.Store.search([("company_id", "=", company.id)])
        self.assertEqual(len(stores), 1)
        self.assertTrue(stores.is_main)
        # No name, no merchant id yet: the store still has a name to show.
        self.assertIn("Новый магазин", stores.display_name)

    def test_display_name_falls_back_to_merchant_id(self):
        store = self.Store.create({"company_id": self.company.id, "merchant_id": "555000111"})
        self.assertEqual(store.display_name, "555000111")
        store.name = "Второй магазин"
        self.assertEqual(store.display_name, "Второй магазин")

    def test_main_store_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.store.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            self.store.with_user(self.admin).unlink()
        self.assertTrue(self.store.exists())
        with self.assertRaises(UserError):
            self.store.write({"is_main": False})

    def test_deleting_a_second_store_deletes_its_offers_only(self):
        second = self.Store.with_user(self.manager).create(
            {"company_id": self.company.id, "name": "Второй", "merchant_id": self._merchant_id()}
        )
        products = self._product("Чайник", "KETTLE-1") | self._product("Утюг", "IRON-1")
        main_offer = self._offer(products[0])
        second_offers = self._offer(products[0], store=second) | self._offer(products[1], store=second)
        wizard_action = second.with_user(self.manager).action_open_delete_wizard()
        wizard = self.env["clever.kaspi.store.delete.wizard"].with_user(self.manager).browse(wizard_action["res_id"])
        self.assertEqual(wizard.offer_count, 2)
        self.assertIn("(2,", wizard.message, "the confirmation says how many offers go")
        wizard.action_confirm()
        self.assertFalse(second.exists())
        self.assertFalse(second_offers.exists())
        self.assertTrue(products.exists(), "products are never deleted with a store")
        self.assertEqual(products.mapped("default_code"), ["KETTLE-1", "IRON-1"])
        self.assertTrue(main_offer.exists(), "the other store's offers stay")

    def test_credentials_are_for_administrators_only(self):
        self.store.with_user(self.admin).write(
            {"kaspi_email": "shop@example.kz", "kaspi_password": "s3cret", "api_token": "tok-123"}
        )
        self.assertEqual(self.store.with_user(self.admin).api_token, "tok-123")
        store_as_manager = self.store.with_user(self.manager)
        for field in ("kaspi_email", "kaspi_password", "api_token"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                store_as_manager.read([field])
        with self.assertRaises(AccessError):
            store_as_manager.write({"api_token": "changed"})
        # A manager still reads the store itself.
        self.assertEqual(store_as_manager.read(["merchant_id"])[0]["merchant_id"], self.store.merchant_id)

    def test_credentials_are_never_copied(self):
        self.store.write({"kaspi_email": "shop@example.kz", "kaspi_password": "s3cret", "api_token": "tok-123"})
        copy = self.store.copy({"is_main": False, "name": "Копия"})
        self.assertFalse(copy.kaspi_email or copy.kaspi_password or copy.api_token)
        self.assertFalse(copy.merchant_id, "a merchant id belongs to one store")

    def test_cashier_has_no_access(self):
        with self.assertRaises(AccessError):
            self.store.with_user(self.cashier).read(["name"])
        with self.assertRaises(AccessError):
            self.Offer.with_user(self.cashier).search([])

    def test_merchant_id_is_checked_and_unique(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.Store.create({"company_id": self.company.id, "merchant_id": "30286450 & co"})
        with self.assertRaises(Exception), self.cr.savepoint():
            self.Store.create({"company_id": self.company.id, "merchant_id": self.store.merchant_id})

    def test_pickup_point_maps_the_warehouse_stock(self):
        point = self.store.pickup_point_ids
        self.assertEqual(point.location_id, self.warehouse.lot_stock_id)
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.store.write({"pickup_point_ids": [Command.create({"code": "PP 2"})]})

    def test_other_company_sees_no_store(self):
        other = self.env["res.company"].create({"name": "Чужой магазин"})
        outsider = self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": "outsider",
                "login": "kaspi_outsider",
                "company_id": other.id,
                "company_ids": [Command.set([other.id])],
                "group_ids": [Command.set([self.env.ref("clever_pos_base.group_clever_manager").id])],
            }
        )
        visible = self.Store.with_user(outsider).search([])
        self.assertNotIn(self.store, visible)
        self.assertEqual(visible.company_id, other)
