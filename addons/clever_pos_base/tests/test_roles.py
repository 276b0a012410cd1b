from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CleverPosCase


@tagged("post_install", "-at_install")
class TestRoles(CleverPosCase):
    """Each role's allowed paths and each denial, as the user would meet them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create({"name": "ТОО Поставщик", "is_company": True})
        cls.till = cls.env["pos.config"].with_company(cls.company).create({"name": "Тестовая касса", "company_id": cls.company.id})

    def as_(self, role, model):
        return self.env[model].with_user(self.users[role]).with_company(self.company)

    def test_cashier(self):
        product = self.as_("cashier", "product.template").browse(self.product.id)
        self.assertEqual(product.list_price, 350, "a cashier sees sale prices")
        with self.assertRaises(AccessError, msg="a cashier never sees the cost"):
            product.read(["standard_price"])
        with self.assertRaises(AccessError, msg="nor a supplier's purchase price"):
            self.as_("cashier", "product.supplierinfo").search([]).read(["price"])
        with self.assertRaises(AccessError, msg="a cashier cannot edit products"):
            product.write({"list_price": 1})
        with self.assertRaises(AccessError, msg="a cashier cannot change stock"):
            self.as_("cashier", "stock.quant").create(
                {"product_id": self.product.product_variant_id.id, "location_id": self.company.internal_transit_location_id.id, "inventory_quantity": 5}
            )
        with self.assertRaises(AccessError, msg="a cashier cannot see purchases"):
            self.as_("cashier", "purchase.order").search([])
        with self.assertRaises(AccessError, msg="a cashier cannot manage users"):
            self.as_("cashier", "res.users").create({"name": "x", "login": "x_cashier"})

    def test_cashier_sees_only_own_sessions(self):
        other = self.users["cashier"].copy({"login": "test_cashier_2"})
        other_till = self.till.copy({"name": "Касса 2"})
        mine = self.env["pos.session"].create({"config_id": self.till.id, "user_id": self.users["cashier"].id})
        theirs = self.env["pos.session"].create({"config_id": other_till.id, "user_id": other.id})
        visible = self.as_("cashier", "pos.session").search([("id", "in", (mine + theirs).ids)])
        self.assertEqual(visible, mine)
        with self.assertRaises(AccessError):
            self.as_("cashier", "pos.session").browse(theirs.id).read(["name"])
        # Orders: those of own sessions, and those of the till the cashier works on now (returns of
        # a colleague's sale there), never those of another till.
        # (a rescue session: Odoo's session for orders of a till synced late, beside the open one)
        earlier = self.env["pos.session"].create({"config_id": self.till.id, "user_id": other.id, "rescue": True})
        Order = self.env["pos.order"].with_company(self.company)
        common = {"company_id": self.company.id, "amount_tax": 0, "amount_total": 0, "amount_paid": 0, "amount_return": 0}
        order_here = Order.create(dict(common, session_id=earlier.id))
        order_elsewhere = Order.create(dict(common, session_id=theirs.id))
        seen = self.as_("cashier", "pos.order").search([("id", "in", (order_here + order_elsewhere).ids)])
        self.assertEqual(seen, order_here)
        # A manager sees every session.
        self.assertEqual(self.as_("manager", "pos.session").search([("id", "in", (mine + theirs).ids)]), mine + theirs)

    def test_pos_loads_no_cost_for_cashier(self):
        Product = self.as_("cashier", "product.template")
        loaded = Product._load_pos_data_read(Product.browse(self.product.id), self.till)
        self.assertEqual(loaded[0]["list_price"], 350)
        self.assertNotIn("standard_price", loaded[0])
        variant_fields = self.as_("cashier", "product.product")._load_pos_data_fields(self.till)
        self.assertNotIn("standard_price", variant_fields)
        # A manager's POS still gets the cost (margins on the till are a manager's view).
        self.assertIn("standard_price", self.as_("manager", "product.product")._load_pos_data_fields(self.till))

    def test_courier(self):
        customer = self.env["res.partner"].create({"name": "Айдана", "phone": "+7 701 300 40 50", "street": "мкр. Самал-2, 58"})
        seen = self.as_("courier", "res.partner").browse(customer.id)
        self.assertEqual((seen.phone, seen.street), ("+7 701 300 40 50", "мкр. Самал-2, 58"), "a courier sees where to deliver and whom to call")
        self.assertEqual(self.as_("courier", "product.template").browse(self.product.id).list_price, 350, "and what the goods cost the customer")
        with self.assertRaises(AccessError, msg="a courier sees no till orders"):
            self.as_("courier", "pos.order").search([])
        with self.assertRaises(AccessError, msg="a courier never sees the cost"):
            self.as_("courier", "product.template").browse(self.product.id).read(["standard_price"])
        with self.assertRaises(AccessError, msg="a courier cannot edit products"):
            self.as_("courier", "product.template").browse(self.product.id).write({"name": "x"})
        with self.assertRaises(AccessError, msg="a courier cannot see purchases"):
            self.as_("courier", "purchase.order").search([])

    def test_storekeeper(self):
        product = self.as_("storekeeper", "product.template").browse(self.product.id)
        self.assertEqual(product.standard_price, 180, "a store keeper sees purchase costs")
        new = self.as_("storekeeper", "product.template").create({"name": "Найденный при приёмке товар", "is_storable": True})
        self.assertTrue(new.exists(), "a store keeper creates a product met at receiving")
        po = self.as_("storekeeper", "purchase.order").create(
            {"partner_id": self.supplier.id, "order_line": [fields.Command.create({"product_id": self.product.product_variant_id.id, "product_qty": 5})]}
        )
        self.assertTrue(po.exists())
        with self.assertRaises(AccessError, msg="a store keeper does not work shifts at the till"):
            self.as_("storekeeper", "pos.session").search([])
        with self.assertRaises(AccessError, msg="a store keeper cannot delete products"):
            new.unlink()
        with self.assertRaises(AccessError, msg="a store keeper cannot change settings"):
            self.as_("storekeeper", "res.config.settings").create({})

    def test_accountant(self):
        invoice = self.as_("accountant", "account.move").create(
            {
                "move_type": "out_invoice",
                "partner_id": self.supplier.id,
                "invoice_line_ids": [fields.Command.create({"name": "Услуга", "quantity": 1, "price_unit": 1000})],
            }
        )
        self.assertEqual(invoice.state, "draft", "an accountant issues invoices")
        self.assertEqual(self.as_("accountant", "product.template").browse(self.product.id).standard_price, 180)
        with self.assertRaises(AccessError, msg="an accountant cannot change settings"):
            self.as_("accountant", "res.config.settings").create({})
        with self.assertRaises(AccessError, msg="an accountant cannot manage users"):
            self.as_("accountant", "res.users").create({"name": "x", "login": "x_accountant"})
        with self.assertRaises(AccessError, msg="an accountant cannot edit products"):
            self.as_("accountant", "product.template").browse(self.product.id).write({"list_price": 1})

    def test_manager(self):
        product = self.as_("manager", "product.template").browse(self.product.id)
        product.write({"list_price": 390})
        self.assertEqual(self.product.list_price, 390, "a manager runs products and prices")
        self.assertEqual(product.standard_price, 180)
        self.assertTrue(self.as_("manager", "pos.config").create({"name": "Касса 3", "company_id": self.company.id}))
        self.assertTrue(self.as_("manager", "stock.quant").check_access("create") is None)
        with self.assertRaises(AccessError, msg="a manager cannot manage users"):
            self.as_("manager", "res.users").create({"name": "x", "login": "x_manager"})
        with self.assertRaises(AccessError, msg="a manager cannot change the store settings"):
            self.as_("manager", "res.company").browse(self.company.id).write({"clever_receipt_width": "58"})
        with self.assertRaises(AccessError, msg="a manager cannot open the settings"):
            self.as_("manager", "res.config.settings").create({})

    def test_admin(self):
        user = self.as_("admin", "res.users").create({"name": "Новый кассир", "login": "new_cashier_by_admin"})
        self.assertTrue(user.exists(), "an administrator manages users")
        self.as_("admin", "res.company").browse(self.company.id).write({"clever_receipt_width": "58"})
        self.assertEqual(self.company.clever_receipt_width, "58")
        self.assertTrue(self.users["admin"].has_group("clever_pos_base.group_clever_manager"))
