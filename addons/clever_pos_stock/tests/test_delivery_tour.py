from odoo.tests import HttpCase, tagged

from .test_delivery import CleverDeliveryCase


@tagged("post_install", "-at_install")
class TestCourierPhoneTour(CleverDeliveryCase, HttpCase):
    """A courier on a phone (375 px, touch): delivers the first order of the route, fails the second."""

    browser_size = "375x667"
    touch_enabled = True

    def test_courier_delivers_one_and_fails_another(self):
        first = self.make_delivery(self.courier, clever_route_sequence=1, amount=700.0, clever_delivery_address="ул. Абая 10")
        second = self.make_delivery(self.courier, clever_route_sequence=2, amount=350.0, qty=1.0)
        other = self.make_delivery(self.courier_b, clever_route_sequence=0)
        self.start_tour("/odoo/action-clever_pos_stock.clever_courier_deliveries_action", "clever_courier_phone_tour", login="test_courier")
        self.assertEqual((first.clever_delivery_state, first.state), ("delivered", "done"))
        self.assertEqual(first.clever_cash_collected, 650.0, "the courier typed what the customer paid")
        self.assertTrue(first.clever_handover_photo, "the handover photo is kept")
        self.assertEqual(second.clever_delivery_state, "failed")
        self.assertEqual(second.clever_failure_reason_id, self.reason_absent)
        self.assertEqual(other.clever_delivery_state, "assigned", "another courier's delivery is untouched")
        self.assertEqual(self.on_hand(self.water), 8.0)
