from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import CleverReceivingCase


@tagged("post_install", "-at_install")
class TestReceivingPhoneTour(CleverReceivingCase, HttpCase):
    """A store keeper receives on a phone: a 360 px wide touch screen, two scans, one post."""

    browser_size = "360x740"
    touch_enabled = True

    def test_receiving_on_a_phone(self):
        kvass = self.make_product("Квас тест 1 л", barcode="4870204001990", cost=0, price=0)
        kvass.seller_ids = [Command.create({"partner_id": self.supplier.id, "price": 190, "company_id": self.company.id})]
        self.start_tour("/odoo/action-clever_pos_purchase.clever_receiving_action_new", "clever_receiving_phone_tour", login="test_storekeeper")
        receiving = self.env["clever.receiving"].search([("partner_id", "=", self.supplier.id)], order="id desc", limit=1)
        self.assertEqual(receiving.user_id, self.storekeeper)
        self.assertEqual(receiving.state, "posted")
        self.assertEqual(receiving.line_ids.mapped("product_id"), self.cola | kvass)
        self.assertEqual(self.on_hand(self.cola), 1)
        self.assertEqual(self.on_hand(kvass), 6)
        self.assertEqual((kvass.lst_price, kvass.standard_price), (315, 210))
        self.assertEqual(receiving.payment_id.journal_id, receiving.journal_id)
        self.assertEqual(receiving.journal_id.type, "cash", "the till's cash pays by default")
        self.assertAlmostEqual(receiving.invoice_id.amount_total, receiving.amount_total)
