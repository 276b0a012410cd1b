from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.clever_pos_base.wizard.clever_bulk_price_wizard import round_price

from .common import CleverPosCase


# Post-install: with every module of the shop installed (Kaspi feeds, POS loyalty...).
@tagged("post_install", "-at_install")
class TestBulkPrice(CleverPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.users["manager"]
        cls.brand = cls.env["clever.brand"].create({"name": "Bulk test brand"})
        cls.other_brand = cls.env["clever.brand"].create({"name": "Bulk other brand"})
        cls.supplier = cls.env["res.partner"].create({"name": "ТОО Bulk Supplier", "supplier_rank": 1})
        Template = cls.env["product.template"].with_company(cls.company)

        def product(name, price, brand, sku, **values):
            return Template.create(
                {"name": name, "list_price": price, "brand_id": brand.id, "default_code": sku, "company_id": cls.company.id,
                 "available_in_pos": True, "sale_ok": True, "taxes_id": [Command.clear()], **values}
            )

        cls.juice = product("Bulk Juice", 1000, cls.brand, "BULK-1")
        cls.tea = product("Bulk Tea", 1234, cls.brand, "BULK-2")
        cls.salt = product("Bulk Salt", 505, cls.brand, "BULK-3")
        cls.untouched = product("Bulk Other", 1000, cls.other_brand, "BULK-4")
        cls.supplied = product(
            "Bulk Supplied", 2000, cls.other_brand, "BULK-5",
            seller_ids=[Command.create({"partner_id": cls.supplier.id, "price": 1500})],
        )

    def _wizard(self, user=None, **values):
        return self.env["clever.bulk.price.wizard"].with_user(user or self.manager).create(values)

    def test_round_price_rules(self):
        self.assertEqual(round_price(1357.4, "10"), 1360)
        self.assertEqual(round_price(1324.9, "50"), 1300)
        self.assertEqual(round_price(1325, "50"), 1350)
        self.assertEqual(round_price(1234, "90"), 1290)
        self.assertEqual(round_price(1290, "90"), 1290)
        self.assertEqual(round_price(1291, "90"), 1390)
        self.assertEqual(round_price(60, "90"), 90)
        self.assertEqual(round_price(1234.4, "1"), 1234)
        self.assertEqual(round_price(1234.4, "none"), 1234.4)

    def test_percent_by_brand_preview_then_apply_with_history(self):
        wizard = self._wizard(brand_ids=[Command.set(self.brand.ids)], mode="percent", value=10, rounding="50", reason="Осенняя наценка")
        wizard.action_preview()
        preview = {line.product_tmpl_id: (line.old_price, line.new_price) for line in wizard.line_ids}
        self.assertEqual(
            preview,
            {self.juice: (1000, 1100), self.tea: (1234, 1350), self.salt: (505, 550)},
        )
        # Nothing changes before "Apply".
        self.assertEqual(self.juice.list_price, 1000)
        self.assertFalse(self.juice.clever_price_history_ids)

        wizard.action_apply()
        self.assertEqual((self.juice.list_price, self.tea.list_price, self.salt.list_price), (1100, 1350, 550))
        self.assertEqual(self.untouched.list_price, 1000)
        history = self.tea.clever_price_history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual((history.old_price, history.new_price, history.source), (1234, 1350, "bulk"))
        self.assertEqual(history.user_id, self.manager)
        self.assertEqual(history.origin, "Осенняя наценка")
        self.assertEqual(self.tea.clever_price_history_count, 1)

    def test_amount_to_90_and_fixed_value_by_supplier(self):
        wizard = self._wizard(product_tmpl_ids=[Command.set((self.juice | self.tea).ids)], mode="amount", value=-100, rounding="90")
        wizard.action_apply()  # apply computes the preview itself when skipped
        self.assertEqual((self.juice.list_price, self.tea.list_price), (990, 1190))

        wizard = self._wizard(supplier_ids=[Command.set(self.supplier.ids)], mode="fixed", value=1999, rounding="none")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.product_tmpl_id, self.supplied)
        wizard.action_apply()
        self.assertEqual(self.supplied.list_price, 1999)

    def test_stock_filter(self):
        for product in (self.juice, self.tea):
            product.is_storable = True
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.company.id)], limit=1)
        self.env["stock.quant"]._update_available_quantity(self.juice.product_variant_id, warehouse.lot_stock_id, 5)
        wizard = self._wizard(brand_ids=[Command.set(self.brand.ids)], stock_filter="in_stock", mode="percent", value=5, rounding="10")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.product_tmpl_id, self.juice)
        wizard = self._wizard(brand_ids=[Command.set(self.brand.ids)], stock_filter="out_of_stock", mode="percent", value=5, rounding="10")
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.product_tmpl_id, self.tea)

    def test_manual_edit_is_recorded(self):
        self.juice.with_user(self.manager).list_price = 1150
        self.juice.product_variant_id.with_user(self.manager).lst_price = 1175
        history = self.juice.clever_price_history_ids.sorted("id")
        self.assertEqual([(h.old_price, h.new_price, h.source) for h in history], [(1000, 1150, "manual"), (1150, 1175, "manual")])
        # The history cannot be edited, and is never deleted.
        history[0].sudo().write({"new_price": 1})
        self.assertEqual(history[0].new_price, 1150)
        with self.assertRaises(Exception):
            history[0].sudo().unlink()

    def test_only_managers(self):
        for role in ("cashier", "storekeeper", "accountant"):
            with self.assertRaises(AccessError):
                self._wizard(user=self.users[role], brand_ids=[Command.set(self.brand.ids)], value=10)

    def test_new_price_reaches_a_new_pos_session_and_the_kaspi_feed(self):
        company = self.company
        journal = self.env["account.journal"].with_company(company).create(
            {"name": "Bulk till cash", "type": "cash", "code": "BLKC", "company_id": company.id}
        )
        method = self.env["pos.payment.method"].with_company(company).create(
            {"name": "Bulk cash", "journal_id": journal.id, "company_id": company.id}
        )
        config = self.env["pos.config"].with_company(company).create(
            {"name": "Bulk till", "company_id": company.id, "payment_method_ids": [Command.set(method.ids)]}
        )
        kaspi = "clever.kaspi.store" in self.env
        if kaspi:
            store, city = self._kaspi_store_selling(self.juice)
            self.assertIn(b'<price>1000</price>', self._feed(store, city))

        wizard = self._wizard(product_tmpl_ids=[Command.set(self.juice.ids)], mode="fixed", value=1290, rounding="none")
        wizard.action_apply()

        session = self.env["pos.session"].with_company(company).create({"config_id": config.id, "user_id": self.env.uid})
        data = session.with_context(allowed_company_ids=[company.id]).load_data(["pos.config", "product.template", "product.product"])
        loaded = {record["id"]: record for record in data["product.template"]}
        self.assertIn(self.juice.id, loaded)
        self.assertEqual(loaded[self.juice.id]["list_price"], 1290)
        if kaspi:
            # The Kaspi feed of the store regenerates on the next request with the new price.
            feed = self._feed(store, city)
            self.assertIn(b'<price>1290</price>', feed)
            self.assertNotIn(b'<price>1000</price>', feed)

    # Kaspi (clever_pos_kaspi) is installed with every module in the shop's database: when it is,
    # the same price change must reach its feed without a restart.
    def _kaspi_store_selling(self, template):
        from odoo.addons.clever_pos_kaspi.tests.common import KaspiCommonMixin

        class Kaspi(KaspiCommonMixin):
            env = self.env

        Kaspi.setUpKaspi()
        product = template.product_variant_id
        # Shared by both companies: the till's demo shop and the Kaspi store's own test company.
        template.write({"is_storable": True, "brand_id": Kaspi.brand.id, "company_id": False})
        self.env["stock.quant"]._update_available_quantity(product, Kaspi.stock_location, 5)
        Kaspi._offer(product)
        return Kaspi.store, Kaspi.almaty

    def _feed(self, store, city):
        feed = store.feed_ids.filtered(lambda f: f.city_id == city)
        feed.sudo()._refresh_for_request()
        with open(feed._full_path(), "rb") as handle:
            return handle.read()
