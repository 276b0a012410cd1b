from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CleverReceivingCase


@tagged("post_install", "-at_install")
class TestReceivingAccess(CleverReceivingCase):
    def test_storekeeper_receives_and_posts_but_sees_no_price_history(self):
        receiving = self.new_receiving(lines=[{"product": self.cola, "quantity": 6, "price_unit": 390}])
        receiving.with_user(self.storekeeper).action_post()
        self.assertEqual(receiving.state, "posted")
        with self.assertRaises(AccessError):
            self.env["clever.purchase.price.history"].with_user(self.storekeeper).search([])
        self.assertTrue(self.env["clever.purchase.price.history"].with_user(self.manager).search([("product_id", "=", self.cola.id)]))
        self.assertTrue(self.env["clever.purchase.price.history"].with_user(self.users["accountant"]).search([("product_id", "=", self.cola.id)]))
        visible = self.env["ir.ui.menu"].with_user(self.storekeeper)._visible_menu_ids()
        self.assertNotIn(self.env.ref("clever_pos_purchase.menu_clever_purchase_price_history").id, visible)
        self.assertIn(self.env.ref("clever_pos_purchase.menu_clever_receiving_new").id, visible)

    def test_cashier_and_courier_stay_out(self):
        receiving = self.new_receiving(lines=[{"product": self.cola, "quantity": 1}])
        for role in ("cashier", "courier"):
            with self.assertRaises(AccessError):
                receiving.with_user(self.users[role]).read(["name"])
            with self.assertRaises(AccessError):
                self.env["clever.receiving"].with_user(self.users[role]).create({"partner_id": self.supplier.id})

    def test_accountant_reads_but_does_not_receive(self):
        receiving = self.new_receiving(lines=[{"product": self.cola, "quantity": 1}])
        self.assertTrue(receiving.with_user(self.users["accountant"]).read(["amount_total"]))
        with self.assertRaises(AccessError):
            receiving.with_user(self.users["accountant"]).action_post()
