from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import CleverStockCase


@tagged("post_install", "-at_install")
class TestWarehouseShift(CleverStockCase):
    """A store keeper works in a warehouse shift: documents record it, and without one a store
    keeper cannot validate them (company setting, on by default)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.clever_warehouse_shift_required = True
        cls.Shift = cls.env["clever.warehouse.shift"]
        cls.other_keeper = cls.env["res.users"].create(
            {
                "name": "Test second keeper",
                "login": "test_storekeeper_2",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [Command.set(cls.env.ref("clever_pos_base.group_clever_storekeeper").ids)],
            }
        )
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Полка A", "usage": "internal", "location_id": cls.stock_location.id, "company_id": cls.company.id}
        )

    def open_shift(self, user):
        return self.Shift.with_user(user).with_company(self.company).create({"warehouse_id": self.warehouse.id})

    def internal_transfer(self, user, qty=1):
        env = self.env(user=user)
        picking = env["stock.picking"].with_company(self.company).create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.shelf.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.water.id,
                            "product_uom_qty": qty,
                            "product_uom": self.water.uom_id.id,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.shelf.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        return picking

    def test_one_open_shift_per_keeper_and_warehouse_and_closing_is_recorded(self):
        shift = self.open_shift(self.storekeeper)
        self.assertEqual((shift.state, shift.user_id, shift.warehouse_id), ("open", self.storekeeper, self.warehouse))
        self.assertTrue(shift.name.startswith("WSH/"))
        with self.assertRaisesRegex(UserError, "already have an open shift"):
            self.open_shift(self.storekeeper)
        # Another keeper opens their own in the same warehouse.
        self.assertTrue(self.open_shift(self.other_keeper))
        with self.assertRaises(AccessError):
            self.Shift.with_user(self.storekeeper).create({"warehouse_id": self.warehouse.id, "user_id": self.other_keeper.id})

        shift.with_user(self.storekeeper).action_close()
        self.assertEqual((shift.state, shift.closed_by_id), ("closed", self.storekeeper))
        self.assertTrue(shift.date_close)
        with self.assertRaises(UserError):
            shift.with_user(self.storekeeper).action_close()
        with self.assertRaises(UserError):
            shift.with_user(self.manager).write({"warehouse_id": self.warehouse.id})
        # History is never deleted, not even by an administrator.
        with self.assertRaises(UserError):
            shift.with_user(self.admin).sudo().unlink()
        # Closed: a new one can be opened.
        self.assertEqual(self.open_shift(self.storekeeper).state, "open")

    def test_keeper_needs_an_open_shift_and_documents_record_it(self):
        adjustment = self.make_adjustment(self.storekeeper, [(self.water, "delta", -1, "damage")])
        with self.assertRaisesRegex(UserError, "Open your warehouse shift"):
            adjustment.with_user(self.storekeeper).action_done()
        count = self.env["clever.stock.count"].with_user(self.storekeeper).create(
            {"location_id": self.stock_location.id, "product_ids": [Command.set(self.water.ids)]}
        )
        with self.assertRaisesRegex(UserError, "Open your warehouse shift"):
            count.with_user(self.storekeeper).action_start()
        transfer = self.internal_transfer(self.storekeeper)
        with self.assertRaisesRegex(UserError, "Open your warehouse shift"):
            transfer.with_user(self.storekeeper).button_validate()
        self.assertEqual(self.on_hand(self.water), 10, "nothing moved without a shift")

        shift = self.open_shift(self.storekeeper)
        adjustment.with_user(self.storekeeper).action_done()
        count.with_user(self.storekeeper).action_start()
        count.line_ids.write({"counted_qty": 9, "is_counted": True})
        count.with_user(self.storekeeper).action_create_adjustment()
        transfer.with_user(self.storekeeper).button_validate()

        self.assertEqual(adjustment.state, "done")
        self.assertEqual(transfer.state, "done")
        self.assertEqual(adjustment.warehouse_shift_id, shift)
        self.assertEqual(count.warehouse_shift_id, shift)
        self.assertEqual(transfer.warehouse_shift_id, shift)
        self.assertEqual((shift.adjustment_count, shift.count_count, shift.picking_count), (1, 1, 1))
        self.assertEqual(shift.adjustment_ids, adjustment)
        # What the shift did, as its form shows it to its keeper.
        data = shift.with_user(self.storekeeper).read(["adjustment_count", "count_count", "picking_count", "picking_ids"])[0]
        self.assertEqual(data["picking_ids"], transfer.ids)
        action = shift.with_user(self.storekeeper).action_view_adjustments()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), adjustment)

    def test_deliveries_managers_and_the_setting_do_not_need_a_shift(self):
        # A delivery is not a store keeper's shift work.
        delivery = self.move_goods(self.water, 1, self.stock_location, self.customer_location, user=self.storekeeper)
        self.assertEqual((delivery.state, delivery.warehouse_shift_id.id), ("done", False))
        # A manager validates without a shift.
        adjustment = self.make_adjustment(self.manager, [(self.water, "delta", -1, "damage")])
        adjustment.with_user(self.manager).action_done()
        self.assertEqual((adjustment.state, adjustment.warehouse_shift_id.id), ("done", False))
        # A shop that does not want shifts switches them off in the settings.
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertTrue(settings.clever_warehouse_shift_required)
        settings.clever_warehouse_shift_required = False
        settings.execute()
        self.assertFalse(self.company.clever_warehouse_shift_required)
        transfer = self.internal_transfer(self.storekeeper)
        transfer.with_user(self.storekeeper).button_validate()
        self.assertEqual(transfer.state, "done")

    def test_keepers_see_their_own_shifts_managers_all(self):
        mine = self.open_shift(self.storekeeper)
        theirs = self.open_shift(self.other_keeper)
        self.assertEqual(self.Shift.with_user(self.storekeeper).search([("id", "in", (mine | theirs).ids)]), mine)
        self.assertEqual(self.Shift.with_user(self.manager).search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        with self.assertRaises(AccessError):
            theirs.with_user(self.storekeeper).action_close()
        # A manager closes a shift left open.
        theirs.with_user(self.manager).action_close()
        self.assertEqual(theirs.closed_by_id, self.manager)
        # A cashier has no business with warehouse shifts.
        with self.assertRaises(AccessError):
            self.Shift.with_user(self.cashier).search([])

    def test_shift_history_menu_and_my_shift(self):
        menus = {
            name: self.env.ref(f"clever_pos_stock.{name}")
            for name in ("menu_clever_shift_history", "menu_clever_till_shifts", "menu_clever_warehouse_shifts")
        }
        keeper_menus = self.env["ir.ui.menu"].with_user(self.storekeeper)._visible_menu_ids()
        manager_menus = self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        self.assertTrue(all(menu.id in manager_menus for menu in menus.values()))
        self.assertIn(menus["menu_clever_warehouse_shifts"].id, keeper_menus)
        self.assertNotIn(menus["menu_clever_till_shifts"].id, keeper_menus)
        self.assertEqual(menus["menu_clever_till_shifts"].action.res_model, "pos.session")

        Shift = self.Shift.with_user(self.storekeeper).with_company(self.company)
        action = Shift.action_my_shift()
        self.assertFalse(action.get("res_id"), "no open shift: the form opens a new one")
        shift = self.open_shift(self.storekeeper)
        self.assertEqual(Shift.action_my_shift()["res_id"], shift.id)
        # The phone form (Odoo's mobile web) and the kanban load for the keeper.
        views = Shift.get_views([(False, "form"), (False, "kanban"), (False, "list")])
        self.assertIn("action_close", views["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestWarehouseShiftPhone(CleverStockCase, HttpCase):
    """A store keeper opens and closes a shift on a phone (Odoo's mobile web, 360 px)."""

    browser_size = "360x740"
    touch_enabled = True

    def test_keeper_opens_and_closes_a_shift_on_a_phone(self):
        self.company.clever_warehouse_shift_required = True
        self.start_tour(
            "/odoo/action-clever_pos_stock.clever_warehouse_shift_action_my",
            "clever_warehouse_shift_phone_tour",
            login="test_storekeeper",
        )
        shift = self.env["clever.warehouse.shift"].search([("user_id", "=", self.storekeeper.id)])
        self.assertEqual(len(shift), 1)
        self.assertEqual((shift.state, shift.closed_by_id, shift.warehouse_id), ("closed", self.storekeeper, self.warehouse))
