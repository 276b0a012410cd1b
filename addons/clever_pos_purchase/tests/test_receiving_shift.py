from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CleverReceivingCase


@tagged("post_install", "-at_install")
class TestReceivingShift(CleverReceivingCase):
    def test_receiving_records_the_keepers_warehouse_shift(self):
        self.company.clever_warehouse_shift_required = True
        receiving = self.new_receiving(lines=[{"product": self.cola, "quantity": 6, "price_unit": 390}])
        with self.assertRaisesRegex(UserError, "Open your warehouse shift"):
            receiving.with_user(self.storekeeper).action_post()
        self.assertEqual((receiving.state, self.on_hand(self.cola)), ("draft", 0))

        shift = self.env["clever.warehouse.shift"].with_user(self.storekeeper).with_company(self.company).create(
            {"warehouse_id": self.warehouse.id}
        )
        receiving.with_user(self.storekeeper).action_post()
        self.assertEqual(receiving.state, "posted")
        self.assertEqual(receiving.warehouse_shift_id, shift)
        self.assertEqual(receiving.picking_id.warehouse_shift_id, shift, "the receipt it validated too")
        self.assertEqual((shift.receiving_count, shift.picking_count), (1, 1))
        self.assertEqual(shift.with_user(self.storekeeper).receiving_ids, receiving)
        shift.with_user(self.storekeeper).action_close()
        # A manager posts without a shift.
        other = self.new_receiving(user=self.manager, lines=[{"product": self.cola, "quantity": 1, "price_unit": 390}])
        other.with_user(self.manager).action_post()
        self.assertEqual((other.state, other.warehouse_shift_id.id), ("posted", False))
