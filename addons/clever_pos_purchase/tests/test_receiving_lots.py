from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CleverReceivingCase


@tagged("post_install", "-at_install")
class TestReceivingLots(CleverReceivingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_till()
        cls.yogurt = cls.make_product("Йогурт тест", tracking="lot", cost=0, price=420, use_expiration_date=True, expiration_time=21)
        cls.watch = cls.make_product("Смарт-часы тест", tracking="serial", cost=0, price=24990)

    def test_lots_with_expiry_and_serials_from_receipt_to_sale(self):
        expiry = fields.Datetime.now().replace(microsecond=0) + timedelta(days=14)
        receiving = self.new_receiving(
            lines=[
                {"product": self.yogurt, "quantity": 10, "price_unit": 300, "lot_names": "YG-T1", "expiration_date": expiry},
                {"product": self.watch, "quantity": 2, "price_unit": 18500, "lot_names": "RW-T1\nRW-T2"},
            ]
        )
        receiving.with_user(self.storekeeper).action_post()
        lot = self.env["stock.lot"].search([("product_id", "=", self.yogurt.id), ("name", "=", "YG-T1")])
        self.assertEqual(lot.expiration_date, expiry)
        self.assertEqual(lot.product_qty, 10)
        serials = self.env["stock.lot"].search([("product_id", "=", self.watch.id)], order="name")
        self.assertEqual(serials.mapped("name"), ["RW-T1", "RW-T2"])
        self.assertEqual(self.on_hand(self.watch), 2)

        order = self.pos_sell([(self.yogurt, 3, ["YG-T1"]), (self.watch, 1, ["RW-T2"])])
        delivery = order.picking_ids
        self.assertEqual(delivery.state, "done")
        yogurt_lines = delivery.move_line_ids.filtered(lambda ml: ml.product_id == self.yogurt)
        self.assertEqual((yogurt_lines.lot_id, yogurt_lines.quantity), (lot, 3))
        self.assertEqual(yogurt_lines.expiration_date, expiry)
        watch_line = delivery.move_line_ids.filtered(lambda ml: ml.product_id == self.watch)
        self.assertEqual(watch_line.lot_id.name, "RW-T2")
        self.assertEqual(self.on_hand(self.yogurt, lot), 7)
        self.assertEqual(self.on_hand(self.watch, serials[0]), 1)
        self.assertEqual(self.on_hand(self.watch, serials[1]), 0)

    def test_tracked_lines_need_their_numbers(self):
        cases = [
            {"product": self.yogurt, "quantity": 5, "price_unit": 300, "expiration_date": fields.Datetime.now()},
            {"product": self.yogurt, "quantity": 5, "price_unit": 300, "lot_names": "YG-T9"},
            {"product": self.watch, "quantity": 2, "price_unit": 18500, "lot_names": "RW-T8"},
            {"product": self.watch, "quantity": 2, "price_unit": 18500, "lot_names": "RW-T8\nRW-T8"},
        ]
        for values in cases:
            receiving = self.new_receiving(lines=[values])
            with self.assertRaises(UserError):
                receiving.with_user(self.storekeeper).action_post()
            self.assertEqual(receiving.state, "draft")

    def test_existing_lot_is_topped_up(self):
        lot = self.env["stock.lot"].create({"name": "YG-OLD", "product_id": self.yogurt.id, "company_id": self.company.id})
        self.put_stock(self.yogurt, 2, lot=lot)
        receiving = self.new_receiving(
            lines=[{"product": self.yogurt, "quantity": 4, "price_unit": 300, "lot_names": "YG-OLD", "expiration_date": fields.Datetime.now()}]
        )
        receiving.action_post()
        self.assertEqual(self.on_hand(self.yogurt, lot), 6)
        self.assertEqual(self.env["stock.lot"].search_count([("product_id", "=", self.yogurt.id)]), 1)
        self.assertTrue(receiving.picking_id.move_line_ids.lot_id == lot)
        self.assertFalse(self.env["stock.lot"].search([("name", "=", "YG-OLD"), ("id", "!=", lot.id)]))
