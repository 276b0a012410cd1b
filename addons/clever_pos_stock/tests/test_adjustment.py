from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestStockAdjustment(CleverStockCase):
    def test_small_change_applies_at_once_with_its_reason(self):
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "delta", -2, "damage")], comment="Уронили ящик")
        self.assertTrue(adjustment.name.startswith("ADJ/"))
        self.assertFalse(adjustment.needs_approval, "2 units are under the 5-unit limit")
        adjustment.with_user(self.storekeeper).action_request_approval()  # nothing to approve: applied
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(self.on_hand(self.water), 8)
        move = adjustment.move_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "done")
        self.assertEqual(move.clever_reason_id, self.reasons["damage"])
        self.assertEqual(move.clever_adjustment_id, adjustment)
        self.assertIn(adjustment.name, move.reference)
        self.assertEqual(move.move_line_ids.clever_reason_id, self.reasons["damage"])
        self.assertEqual((move.clever_qty_before, move.clever_qty_after, move.clever_done_by_id), (10, 8, self.storekeeper))
        line = adjustment.line_ids
        self.assertEqual((line.qty_before, line.applied_qty, line.qty_after), (10, -2, 8))
        self.assertEqual(adjustment.done_by_id, self.storekeeper)

    def test_over_threshold_waits_for_a_manager(self):
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "counted", 3, "shortage_count")])
        line = adjustment.line_ids
        self.assertEqual((line.on_hand_qty, line.difference_qty), (10, -7))
        self.assertTrue(adjustment.needs_approval, "7 units reach the 5-unit limit of the policy")
        as_keeper = adjustment.with_user(self.storekeeper)
        with self.assertRaises(UserError, msg="no approval, no stock change"):
            as_keeper.action_done()
        self.assertEqual(self.on_hand(self.water), 10)

        action = as_keeper.action_request_approval()
        self.assertEqual(action["tag"], "clever_pos_base.approval_wait")
        self.assertEqual(adjustment.state, "to_approve")
        request = adjustment.approval_request_id
        self.assertEqual((request.state, request.quantity, request.requested_by_id), ("pending", 7, self.storekeeper))
        self.assertEqual(request.reason, self.reasons["shortage_count"].name)
        with self.assertRaises(UserError, msg="still pending"):
            as_keeper.action_done()
        with self.assertRaises(AccessError, msg="a store keeper does not approve"):
            request.with_user(self.storekeeper).action_approve()
        self.assertEqual(self.on_hand(self.water), 10)

        request.with_user(self.manager).action_approve()
        self.assertEqual(adjustment.approval_state, "approved")
        as_keeper.action_done()
        self.assertEqual(adjustment.state, "done")
        self.assertEqual(self.on_hand(self.water), 3)
        self.assertTrue(request.used_at, "the approval is used up")
        self.assertEqual(adjustment.move_ids.clever_reason_id, self.reasons["shortage_count"])
        self.assertEqual(adjustment.move_ids.location_dest_id.usage, "inventory")

    def test_approval_covers_only_what_was_approved(self):
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "delta", 6, "found")])
        adjustment.with_user(self.storekeeper).action_request_approval()
        adjustment.approval_request_id.with_user(self.manager).action_approve()
        # Sent back to draft and made bigger: the old approval does not cover it any more.
        adjustment.with_user(self.storekeeper).action_draft()
        adjustment.line_ids.with_user(self.storekeeper).delta_qty = 9
        with self.assertRaises(UserError):
            adjustment.with_user(self.storekeeper).action_done()
        self.assertEqual(self.on_hand(self.water), 10)

    def test_rejected_request_does_not_apply(self):
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "delta", -8, "write_off")])
        adjustment.with_user(self.storekeeper).action_request_approval()
        adjustment.approval_request_id.with_user(self.manager).action_reject("Пересчитайте")
        with self.assertRaises(UserError):
            adjustment.with_user(self.storekeeper).action_done()
        adjustment.with_user(self.storekeeper).action_cancel()
        self.assertEqual(adjustment.state, "cancel")
        self.assertEqual(self.on_hand(self.water), 10)

    def test_done_adjustment_is_history(self):
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "delta", 1, "found")])
        adjustment.with_user(self.storekeeper).action_done()
        with self.assertRaises(UserError):
            adjustment.line_ids.with_user(self.storekeeper).delta_qty = 3
        with self.assertRaises(UserError):
            adjustment.with_user(self.storekeeper).location_id = self.warehouse.view_location_id
        with self.assertRaises(UserError):
            adjustment.sudo().unlink()
        with self.assertRaises(UserError):
            adjustment.with_user(self.storekeeper).action_done()

    def test_reason_must_fit_and_other_needs_comment(self):
        wrong_way = self.make_adjustment(self.storekeeper, [(self.water, "delta", 2, "damage")])
        with self.assertRaises(UserError, msg="damage never adds stock"):
            wrong_way.with_user(self.storekeeper).action_done()
        other = self.make_adjustment(self.storekeeper, [(self.water, "delta", -1, "other")])
        with self.assertRaises(UserError):
            other.with_user(self.storekeeper).action_done()
        other.line_ids.comment = "Выдали на дегустацию"
        other.with_user(self.storekeeper).action_done()
        self.assertEqual(self.on_hand(self.water), 9)

    def test_tracked_products_need_their_lot(self):
        cheese = self.make_product("Сыр тест (партии)", tracking="lot")
        lot = self.env["stock.lot"].create({"name": "CH-1", "product_id": cheese.id, "company_id": self.company.id})
        self.put_stock(cheese, 4, lot=lot)
        without_lot = self.make_adjustment(self.storekeeper, [(cheese, "delta", -1, "damage")])
        with self.assertRaises(UserError):
            without_lot.with_user(self.storekeeper).action_done()
        with_lot = self.make_adjustment(self.storekeeper, [(cheese, "delta", -1, "damage", lot)])
        with_lot.with_user(self.storekeeper).action_done()
        self.assertEqual(self.on_hand(cheese, lot), 3)
        self.assertEqual(with_lot.move_ids.move_line_ids.lot_id, lot)
