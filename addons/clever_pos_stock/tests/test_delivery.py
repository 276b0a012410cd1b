from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CleverStockCase


class CleverDeliveryCase(CleverStockCase):
    """Two couriers of the demo shop, a customer and outgoing transfers delivered by our courier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "clever_warehouse_shift_required" in cls.company._fields:
            # Warehouse shifts are tested on their own; the store keeper takes goods back here.
            cls.company.clever_warehouse_shift_required = False
        cls.courier = cls.users["courier"]
        cls.courier_b = new_test_user(
            cls.env,
            login="test_courier_b",
            groups="clever_pos_base.group_clever_courier",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
            name="Test courier B",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Айгерим Серикова", "street": "ул. Абая 10, кв. 5", "city": "Алматы", "phone": "+7 701 555 12 34"}
        )
        cls.reasons = cls.env["clever.delivery.failure.reason"]
        cls.reason_absent = cls.env.ref("clever_pos_stock.delivery_failure_absent")
        cls.reason_refused = cls.env.ref("clever_pos_stock.delivery_failure_refused")

    @classmethod
    def make_delivery(cls, courier=None, qty=2.0, amount=700.0, **values):
        picking = cls.env["stock.picking"].with_company(cls.company).create(
            {
                "company_id": cls.company.id,
                "picking_type_id": cls.warehouse.out_type_id.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.customer_location.id,
                "partner_id": cls.customer.id,
                "origin": "POS/DLV/0001",
                "clever_is_delivery": True,
                "clever_amount_to_collect": amount,
                "clever_courier_id": courier.id if courier else False,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": cls.water.id,
                            "product_uom_qty": qty,
                            "product_uom": cls.water.uom_id.id,
                            "location_id": cls.stock_location.id,
                            "location_dest_id": cls.customer_location.id,
                        }
                    )
                ],
                **values,
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking


@tagged("post_install", "-at_install")
class TestDelivery(CleverDeliveryCase):
    def test_courier_sees_only_own_deliveries(self):
        mine = self.make_delivery(self.courier)
        theirs = self.make_delivery(self.courier_b)
        self.assertEqual(mine.with_user(self.courier).read(["name"])[0]["name"], mine.name)
        with self.assertRaises(AccessError, msg="courier A cannot read courier B's delivery"):
            theirs.with_user(self.courier).read(["name"])
        found = self.env["stock.picking"].with_user(self.courier).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(found, mine)
        page = self.env["stock.picking"].with_user(self.courier).clever_courier_deliveries()
        self.assertEqual([d["id"] for d in page["deliveries"]], mine.ids)
        self.assertTrue(page["reasons"], "the failure reasons come with the page")
        with self.assertRaises(AccessError, msg="a courier changes deliveries only through the courier actions"):
            mine.with_user(self.courier).write({"clever_cash_collected": 1.0})
        with self.assertRaises(AccessError, msg="courier B cannot run A's delivery"):
            mine.with_user(self.courier_b).action_clever_start()
        with self.assertRaises(AccessError, msg="the courier does not take goods back into stock"):
            mine.with_user(self.courier).action_clever_return()

    def test_phone_page_data(self):
        late = self.make_delivery(self.courier, clever_route_sequence=2, clever_delivery_phone="+7 (701) 555-00-11")
        first = self.make_delivery(self.courier, clever_route_sequence=1, clever_delivery_address="мкр. Самал-2, 33")
        page = self.env["stock.picking"].with_user(self.courier).clever_courier_deliveries()
        cards = {card["id"]: card for card in page["deliveries"]}
        self.assertEqual([card["id"] for card in page["deliveries"]], [first.id, late.id], "route order")
        self.assertEqual(cards[late.id]["phone_url"], "tel:+77015550011")
        self.assertEqual(cards[first.id]["phone_url"], "tel:+77015551234", "the customer's phone when the delivery has none")
        self.assertTrue(cards[first.id]["map_url"].startswith("https://2gis.kz/search/"))
        self.assertIn("%D0%A1%D0%B0%D0%BC%D0%B0%D0%BB", cards[first.id]["map_url"], "the delivery address, URL-encoded")
        self.assertEqual(cards[first.id]["lines"][0]["quantity"], 2.0)
        self.assertEqual(cards[first.id]["state"], "assigned")

    def test_deliver_validates_and_records_cash(self):
        picking = self.make_delivery()
        self.assertEqual(picking.clever_delivery_state, "to_assign")
        picking.with_user(self.manager).action_clever_assign_courier(self.courier.id)
        self.assertEqual((picking.clever_delivery_state, picking.clever_courier_id), ("assigned", self.courier))
        with self.assertRaises(UserError, msg="deliver before leaving? only from the road or assigned"):
            picking.with_user(self.courier).action_clever_return()
        picking.with_user(self.courier).action_clever_start()
        self.assertEqual(picking.clever_delivery_state, "on_the_way")
        picking.with_user(self.courier).action_clever_deliver(cash_collected=700.0, photo=None)
        self.assertEqual(picking.state, "done", "handing over validates the transfer")
        self.assertEqual(picking.clever_delivery_state, "delivered")
        self.assertEqual(picking.clever_cash_collected, 700.0)
        self.assertTrue(picking.clever_finished_at)
        self.assertEqual(self.on_hand(self.water), 8.0)
        with self.assertRaises(UserError, msg="delivered once"):
            picking.with_user(self.courier).action_clever_deliver(cash_collected=700.0)

    def test_history_is_tracked(self):
        picking = self.make_delivery(self.courier).with_context(tracking_disable=False)
        self.env.flush_all()
        self.env.cr.flush()  # the creation's own tracking is done: the next steps are tracked
        picking.with_user(self.courier).with_context(tracking_disable=False).action_clever_start()
        self.env.flush_all()
        self.env.cr.flush()
        picking.invalidate_recordset(["message_ids"])
        tracked = picking.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "clever_delivery_state")
        self.assertTrue(tracked, "each step is kept in the chatter")
        self.assertEqual(tracked[:1].mail_message_id.author_id, self.courier.partner_id, "signed by the courier")

    def test_fail_with_reason_then_back_in_shop(self):
        picking = self.make_delivery(self.courier)
        courier_picking = picking.with_user(self.courier)
        courier_picking.action_clever_start()
        with self.assertRaises(UserError, msg="a reason is required"):
            courier_picking.action_clever_fail(False)
        with self.assertRaises(UserError, msg="a refusal needs a comment"):
            courier_picking.action_clever_fail(self.reason_refused.id, "  ")
        courier_picking.action_clever_fail(self.reason_absent.id, "Домофон не отвечает")
        self.assertEqual(picking.clever_delivery_state, "failed")
        self.assertEqual(picking.clever_failure_reason_id, self.reason_absent)
        self.assertEqual(picking.clever_failure_note, "Домофон не отвечает")
        self.assertNotEqual(picking.state, "done", "the goods never reached the customer")
        self.assertEqual(self.on_hand(self.water), 10.0)
        picking.with_user(self.storekeeper).action_clever_return()
        self.assertEqual(picking.clever_delivery_state, "returned")
        self.assertFalse(picking.move_ids.move_line_ids, "the reservation is released: the goods are back on the shelf")
        self.assertEqual(self.water.with_context(location=self.stock_location.id).free_qty, 10.0)
        # Another try tomorrow with another courier.
        picking.with_user(self.manager).action_clever_assign_courier(self.courier_b.id)
        self.assertEqual((picking.clever_delivery_state, picking.clever_courier_id), ("assigned", self.courier_b))
        self.assertFalse(picking.clever_failure_reason_id)

    def test_return_after_delivery_puts_stock_back(self):
        picking = self.make_delivery(self.courier, qty=3.0)
        picking.with_user(self.courier).action_clever_start()
        picking.with_user(self.courier).action_clever_deliver()
        self.assertEqual(picking.clever_cash_collected, 700.0, "by default the amount to collect")
        self.assertEqual(self.on_hand(self.water), 7.0)
        picking.with_user(self.storekeeper).action_clever_return()
        returned = picking.clever_return_picking_id
        self.assertTrue(returned, "a return transfer brings the goods back")
        self.assertEqual(returned.return_id, picking, "made by Odoo's return wizard")
        self.assertEqual(returned.state, "done")
        self.assertFalse(returned.clever_is_delivery, "the return is not a delivery")
        self.assertEqual(picking.clever_delivery_state, "returned")
        self.assertEqual(self.on_hand(self.water), 10.0)
        self.assertTrue(picking.exists(), "nothing is deleted")

    def test_failure_reason_in_use_is_kept(self):
        picking = self.make_delivery(self.courier)
        picking.with_user(self.courier).action_clever_fail(self.reason_absent.id)
        with self.assertRaises(UserError):
            self.reason_absent.unlink()

    def test_office_outcome_wizard(self):
        picking = self.make_delivery(self.courier)
        action = picking.with_user(self.storekeeper).with_context(clever_outcome="failed").action_clever_open_outcome()
        wizard = self.env["clever.delivery.outcome"].with_user(self.storekeeper).with_context(action["context"]).create({"reason_id": self.reason_absent.id})
        self.assertEqual(wizard.outcome, "failed")
        wizard.action_confirm()
        self.assertEqual(picking.clever_delivery_state, "failed")
