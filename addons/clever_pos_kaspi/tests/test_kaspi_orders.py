import logging
import time
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from ..shop_api.simulator import DEFAULT_START, DEFAULT_TOKEN, KaspiShopSimulator
from .common import KaspiCommonMixin

SPAN_DAYS = 20
SKUS = ("SKU-00000", "SKU-00001", "SKU-00002")


class KaspiOrdersMixin(KaspiCommonMixin):
    """The shop's Kaspi store talking to a local Kaspi Shop API simulator (127.0.0.1, free port),
    three products with stock whose SKUs are the simulator's offers, short backoff."""

    @classmethod
    def setUpKaspiOrders(cls, orders=25):
        cls.setUpKaspi()
        cls.env["ir.config_parameter"].sudo().set_param("clever_pos_kaspi.shop_api_backoff", "0.01")
        cls.env["ir.config_parameter"].sudo().set_param("clever_pos_kaspi.shop_api_timeout", "5")
        cls.products = {}
        for index, sku in enumerate(SKUS):
            cls.products[sku] = cls._product(f"Товар {index}", sku, price=1000 + index, qty=100)
        # Two SKUs are published offers of the store; the third is found by the product's SKU.
        cls._offer(cls.products[SKUS[0]])
        cls._offer(cls.products[SKUS[1]])
        cls.sim_orders = orders
        cls.store.sudo().write({"api_token": DEFAULT_TOKEN, "kaspi_fiscal_receipt": True})
        cls.Import = cls.env["clever.kaspi.order.import"]
        cls.SaleOrder = cls.env["sale.order"]
        start = DEFAULT_START.replace(tzinfo=None) - timedelta(hours=5)  # naive UTC
        cls.date_from = start - timedelta(days=1)
        cls.date_to = start + timedelta(days=SPAN_DAYS + 1)

    def setUp(self):
        super().setUp()
        # A simulator per test: Kaspi's side is not rolled back with the test's transaction.
        self.sim = KaspiShopSimulator(
            "127.0.0.1", 0, orders=self.sim_orders, products=3, span_days=SPAN_DAYS, seed=7
        ).start()
        self.addCleanup(self.sim.stop)
        self.store.sudo().api_base_url = self.sim.base_url

    def _import(self, **kwargs):
        self.sim.clear_requests()
        result = self.Import._import_store(self.store, date_from=self.date_from, date_to=self.date_to, **kwargs)
        self.env.invalidate_all()
        return result

    def _order(self, kaspi_id):
        return self.SaleOrder.search([("kaspi_store_id", "=", self.store.id), ("kaspi_order_id", "=", kaspi_id)])

    def _new_order(self, lines=None, kind="pickup", **values):
        """A new Kaspi order (APPROVED_BY_BANK, in the import window), imported."""
        creation = int(DEFAULT_START.timestamp() * 1000) + 3600_000
        kaspi_id = self.sim.add_order(creation, lines=lines or [(SKUS[0], 2)], kind=kind)
        if values:
            self.sim.set_status(kaspi_id, "APPROVED_BY_BANK", **values)
        self._import()
        order = self._order(kaspi_id)
        self.assertTrue(order, "the new Kaspi order is imported")
        return kaspi_id, order


@tagged("post_install", "-at_install")
class TestKaspiOrderImport(KaspiOrdersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpKaspiOrders()
        cls.env["ir.config_parameter"].sudo().set_param("clever_pos_kaspi.shop_api_page_size", "2")

    def _row_versions(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, ctid::text FROM sale_order WHERE kaspi_store_id = %s ORDER BY id", [self.store.id]
        )
        return self.env.cr.fetchall()

    def test_import_pages_windows_and_reimport_writes_nothing(self):
        result = self._import()
        orders = self.SaleOrder.search([("kaspi_store_id", "=", self.store.id)])
        self.assertEqual(result["created"], 25)
        self.assertEqual(set(orders.mapped("kaspi_order_id")), self.sim.order_ids())
        listings = [r for r in self.sim.requests if r.path == "/orders" and r.method == "GET"]
        # Every page was read (pages of 5: page 2 and beyond), in windows of at most 14 days that overlap.
        self.assertTrue(any(int(r.query["page[number]"]) >= 2 for r in listings), "three pages or more")
        ge_key, le_key = "filter[orders][creationDate][$ge]", "filter[orders][creationDate][$le]"
        windows = sorted({(int(r.query[ge_key]), int(r.query[le_key])) for r in listings})
        self.assertGreaterEqual(len(windows), 2)
        for (ge, le), (next_ge, _next_le) in zip(windows, windows[1:]):
            self.assertLessEqual(le - ge, 14 * 24 * 3600 * 1000)
            self.assertLess(next_ge, le, "consecutive windows overlap")
        for record in listings:
            self.assertEqual(record.accept, "application/vnd.api+json")
            self.assertIn("Mozilla/5.0", record.user_agent)
            self.assertTrue(record.token_ok)

        # The imported order carries Kaspi's data, its customer and its products.
        kaspi_id = next(iter(sorted(self.sim.order_ids())))
        kaspi = self.sim.order(kaspi_id)
        order = self._order(kaspi_id)
        self.assertEqual(order.clever_channel, "kaspi")
        self.assertEqual(order.kaspi_code, kaspi["code"])
        self.assertEqual(order.kaspi_status, kaspi["status"])
        self.assertEqual(order.kaspi_delivery_mode, kaspi["deliveryMode"])
        self.assertEqual(order.warehouse_id, self.warehouse)
        self.assertEqual(order.kaspi_pickup_point_id.code, "PP1")
        self.assertEqual(order.partner_id.phone_sanitized, "+7" + kaspi["customer"]["cellPhone"][-10:])
        self.assertLessEqual(set(order.order_line.product_id.mapped("default_code")), set(SKUS))
        self.assertEqual(len(order.order_line), 2)
        for line in order.order_line:
            entry = next(e for e in self.sim.orders[kaspi_id].entries if e["id"] == line.kaspi_entry_id)
            self.assertEqual(line.price_unit, entry["attributes"]["basePrice"])
            self.assertEqual(line.product_uom_qty, entry["attributes"]["quantity"])
        self.assertFalse(orders.filtered("kaspi_needs_mapping"))
        self.assertFalse(order.clever_needs_fiscal_receipt, "Kaspi's cash register issues the receipt")
        self.store.kaspi_fiscal_receipt = False
        self.assertTrue(order.clever_needs_fiscal_receipt)
        self.assertIn(order, self.SaleOrder.search([("clever_needs_fiscal_receipt", "=", True), ("id", "=", order.id)]))
        # Accepted on Kaspi's side: confirmed here, its stock reserved.
        accepted = orders.filtered(lambda o: o.kaspi_status == "ACCEPTED_BY_MERCHANT")
        self.assertTrue(accepted)
        self.assertEqual(set(accepted.mapped("state")), {"sale"})
        self.assertEqual(set(orders.filtered(lambda o: o.kaspi_status == "APPROVED_BY_BANK").mapped("state")), {"draft"})
        self.assertLessEqual(set(orders.filtered(lambda o: o.kaspi_status == "CANCELLED").mapped("state")), {"cancel"})
        # One customer per phone: buyers who come back are the same partner.
        for partner in orders.partner_id:
            self.assertEqual(self.env["res.partner"].search_count([("phone_sanitized", "=", partner.phone_sanitized)]), 1)

        before = self._row_versions()
        logs = self.env["clever.kaspi.order.status.log"].search_count([("order_id", "in", orders.ids)])
        again = self._import()
        self.assertEqual((again["created"], again["updated"], again["unchanged"]), (0, 0, 25))
        self.assertEqual(self._row_versions(), before, "a re-import writes no row")
        self.assertEqual(self.env["clever.kaspi.order.status.log"].search_count([("order_id", "in", orders.ids)]), logs)

    def test_an_order_arriving_while_pages_are_read_is_not_lost(self):
        self.sim.change_during_listing("insert", after_page=0)
        result = self._import()
        self.assertEqual(len(self.sim.order_ids()), 26)
        self.assertEqual(result["created"], 26)
        orders = self.SaleOrder.search([("kaspi_store_id", "=", self.store.id)])
        self.assertEqual(set(orders.mapped("kaspi_order_id")), self.sim.order_ids())

    def test_status_change_updates_the_order_and_its_history(self):
        self._import()
        new_ids = sorted(self.sim.order_ids(status="APPROVED_BY_BANK", state="NEW"))
        cancelled_id, accepted_id = new_ids[0], new_ids[1]
        self.sim.set_status(cancelled_id, "CANCELLED", "ARCHIVE", cancellationReason="BUYER_NOT_REACHABLE")
        kind = self.sim.orders[accepted_id].kind
        tab = {"pickup": "PICKUP", "local": "DELIVERY", "kaspi": "KASPI_DELIVERY"}[kind]
        self.sim.set_status(accepted_id, "ACCEPTED_BY_MERCHANT", tab)
        result = self._import()
        self.assertEqual(result["updated"], 2)
        cancelled = self._order(cancelled_id)
        self.assertEqual((cancelled.kaspi_status, cancelled.kaspi_state, cancelled.state), ("CANCELLED", "ARCHIVE", "cancel"))
        log = cancelled.kaspi_status_log_ids[0]
        self.assertEqual((log.old_status, log.new_status, log.source), ("APPROVED_BY_BANK", "CANCELLED", "kaspi"))
        self.assertTrue(log.date and log.user_id)
        self.assertEqual(len(cancelled.kaspi_status_log_ids), 2, "the import line and the change")
        accepted = self._order(accepted_id)
        self.assertEqual(accepted.state, "sale")
        self.assertTrue(accepted.picking_ids)

    def test_unknown_sku_flags_the_order_and_the_mapping_is_reused(self):
        self.sim.add_product("ZZ-UNKNOWN-1", "Неизвестный товар", price=777)
        kaspi_id, order = self._new_order(lines=[(SKUS[0], 1), ("ZZ-UNKNOWN-1", 2)])
        self.assertTrue(order.kaspi_needs_mapping)
        self.assertEqual(order.state, "draft")
        note = order.order_line.filtered("kaspi_needs_mapping")
        self.assertEqual((note.display_type, note.kaspi_offer_code, note.kaspi_quantity), ("line_note", "ZZ-UNKNOWN-1", 2))
        self.assertIn("ZZ-UNKNOWN-1", note.name)
        with self.assertRaisesRegex(UserError, "Map the Kaspi offers"):
            order.with_user(self.manager).action_kaspi_accept()
        self.assertEqual(self.sim.order(kaspi_id)["status"], "APPROVED_BY_BANK", "nothing sent to Kaspi")

        target = self._product("Мапленный товар", "OUR-777", price=777, qty=10)
        action = order.with_user(self.manager).action_kaspi_open_mapping()
        wizard = self.env[action["res_model"]].browse(action["res_id"]).with_user(self.manager)
        self.assertEqual(wizard.line_ids.mapped("offer_code"), ["ZZ-UNKNOWN-1"])
        wizard.line_ids.product_id = target
        wizard.action_confirm()
        self.assertFalse(order.kaspi_needs_mapping)
        line = order.order_line.filtered(lambda l: l.product_id == target)
        self.assertEqual((line.product_uom_qty, line.price_unit), (2, 777))
        mapping = self.env["clever.kaspi.order.mapping"].search([("store_id", "=", self.store.id)])
        self.assertEqual((mapping.offer_code, mapping.product_id), ("ZZ-UNKNOWN-1", target))

        # The next order with that offer is mapped by itself.
        _next_id, second = self._new_order(lines=[("ZZ-UNKNOWN-1", 1)])
        self.assertFalse(second.kaspi_needs_mapping)
        self.assertEqual(second.order_line.product_id, target)

    def test_429_and_500_are_retried_and_the_token_is_never_logged(self):
        self.sim.fail_next(429, count=2, method="GET", path="/orders", retry_after=0)
        self.sim.fail_next(500, count=1, method="GET", path="/orders")
        started = time.monotonic()
        with self.assertLogs(level=logging.DEBUG) as logs:
            result = self._import()
        self.assertLess(time.monotonic() - started, 20, "short backoff in tests")
        self.assertNotIn("error", result)
        self.assertEqual(result["created"], 25)
        self.assertGreaterEqual(result["retries"], 3)
        statuses = [r.http_status for r in self.sim.requests]
        self.assertEqual(statuses.count(429), 2)
        self.assertEqual(statuses.count(500), 1)
        self.assertTrue(any("retry" in line for line in logs.output))
        for line in logs.output:
            self.assertNotIn(DEFAULT_TOKEN, line)

    def test_401_is_told_to_the_managers_with_the_store_name_and_never_logs_the_token(self):
        wrong = "wrong-token-SECRET-4242"
        self.store.sudo().api_token = wrong
        with self.assertLogs(level=logging.DEBUG) as logs:
            result = self._import()
        self.assertIn(self.store.display_name, result["error"])
        self.assertIn(self.store.display_name, self.store.orders_last_error)
        self.assertEqual(self.sim.requests[0].http_status, 401)
        message = self.env["mail.message"].search(
            [("model", "=", "clever.kaspi.store"), ("res_id", "=", self.store.id)], order="id desc", limit=1
        )
        self.assertIn(self.store.display_name, message.body)
        self.assertIn(self.manager.partner_id, message.partner_ids)
        self.assertFalse(self.SaleOrder.search_count([("kaspi_store_id", "=", self.store.id)]))
        for line in logs.output:
            self.assertNotIn(wrong, line)
        # The button tells the user too.
        action = self.store.with_user(self.manager).action_fetch_orders()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(self.store.display_name, action["params"]["message"])

    def test_address_and_token_are_for_administrators_only(self):
        with self.assertRaises(AccessError):
            self.store.with_user(self.manager).read(["api_base_url"])
        with self.assertRaises(AccessError):
            self.store.with_user(self.manager).write({"api_base_url": "http://evil.example"})
        values = self.store.with_user(self.admin).read(["api_base_url"])[0]
        self.assertEqual(values["api_base_url"], self.sim.base_url)

    def test_cron_exists_and_imports_enabled_stores(self):
        cron = self.env.ref("clever_pos_kaspi.ir_cron_clever_kaspi_import_orders")
        self.assertTrue(cron.active)
        self.assertIn("_cron_import_orders", cron.code)


@tagged("post_install", "-at_install")
class TestKaspiOrderActions(KaspiOrdersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setUpKaspiOrders(orders=0)

    def _accept(self, order):
        order.with_user(self.manager).action_kaspi_accept()

    def test_accept_reserves_stock_and_a_refused_accept_changes_nothing(self):
        kaspi_id, order = self._new_order(lines=[(SKUS[0], 2)])
        self.assertEqual((order.state, order.kaspi_status), ("draft", "APPROVED_BY_BANK"))
        self._accept(order)
        self.assertEqual(self.sim.order(kaspi_id)["status"], "ACCEPTED_BY_MERCHANT")
        self.assertEqual((order.state, order.kaspi_status, order.kaspi_state), ("sale", "ACCEPTED_BY_MERCHANT", "PICKUP"))
        picking = order.picking_ids
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self.products[SKUS[0]].with_context(warehouse_id=self.warehouse.id).free_qty, 98)
        log = order.kaspi_status_log_ids[0]
        self.assertEqual((log.new_status, log.source, log.user_id), ("ACCEPTED_BY_MERCHANT", "odoo", self.manager))

        # Kaspi's side cancelled the next order meanwhile: Kaspi refuses, nothing changes here.
        other_id, other = self._new_order()
        self.sim.set_status(other_id, "CANCELLED", "ARCHIVE")
        with self.assertRaisesRegex(UserError, "Kaspi refused: Order is cancelled"):
            self._accept(other)
        self.assertEqual((other.state, other.kaspi_status), ("draft", "APPROVED_BY_BANK"))
        self.assertEqual(len(other.kaspi_status_log_ids), 1)

    def test_cancel_with_reason_and_comment(self):
        kaspi_id, order = self._new_order()
        self._accept(order)
        action = order.with_user(self.manager).action_kaspi_open_cancel()
        wizard = self.env[action["res_model"]].browse(action["res_id"]).with_user(self.manager)
        wizard.write({"reason": "MERCHANT_OUT_OF_STOCK", "comment": "Закончился на складе"})
        wizard.action_confirm()
        kaspi = self.sim.order(kaspi_id)
        self.assertEqual((kaspi["status"], kaspi["cancellationReason"]), ("CANCELLED", "MERCHANT_OUT_OF_STOCK"))
        self.assertEqual(kaspi["cancellationComment"], "Закончился на складе")
        self.assertEqual((order.state, order.kaspi_status), ("cancel", "CANCELLED"))
        self.assertEqual(order.picking_ids.state, "cancel", "the reservation is released")
        self.assertIn("Закончился на складе", order.kaspi_status_log_ids[0].note)
        # Cancelling again: Kaspi refuses with its own words.
        with self.assertRaisesRegex(UserError, "Kaspi refused"):
            order._kaspi_cancel("BUYER_NOT_REACHABLE", False)

    def test_pre_order_arrived(self):
        kaspi_id, order = self._new_order(preOrder=True)
        self.assertTrue(order.kaspi_pre_order)
        with self.assertRaisesRegex(UserError, "Kaspi refused"):
            order.with_user(self.manager).action_kaspi_arrived()  # not accepted yet
        self.assertFalse(order.kaspi_arrived)
        self._accept(order)
        order.with_user(self.manager).action_kaspi_arrived()
        self.assertTrue(self.sim.orders[kaspi_id].arrived)
        self.assertTrue(order.kaspi_arrived)

    def test_assemble_for_kaspi_delivery(self):
        kaspi_id, order = self._new_order(kind="kaspi")
        self._accept(order)
        self.assertEqual(order.kaspi_state, "KASPI_DELIVERY")
        action = order.with_user(self.manager).action_kaspi_open_assemble()
        wizard = self.env[action["res_model"]].browse(action["res_id"]).with_user(self.manager)
        wizard.parcels = 2
        wizard.action_confirm()
        self.assertEqual(self.sim.orders[kaspi_id].number_of_space, 2)
        self.assertTrue(order.kaspi_assembled)
        self.assertEqual(order.kaspi_parcels, 2)
        self.assertTrue(order.kaspi_waybill)
        with self.assertRaisesRegex(UserError, "already assembled"):
            order._kaspi_assemble(1)

    def test_complete_with_the_buyers_code_delivers(self):
        kaspi_id, order = self._new_order(lines=[(SKUS[1], 1)])
        self._accept(order)
        action = order.with_user(self.manager).action_kaspi_open_complete()
        wizard = self.env[action["res_model"]].browse(action["res_id"]).with_user(self.manager)
        wizard.action_send_code()
        self.assertTrue(order.kaspi_code_sent)
        code = self.sim.sms_code(kaspi_id)
        self.assertTrue(code)
        wizard.security_code = "0000" if code != "0000" else "1111"
        with self.assertRaisesRegex(UserError, "Kaspi refused: Security code is not valid"):
            wizard.action_confirm()
        self.assertEqual(order.kaspi_status, "ACCEPTED_BY_MERCHANT")
        wizard.security_code = code
        wizard.action_confirm()
        self.assertEqual(self.sim.order(kaspi_id)["status"], "COMPLETED")
        self.assertEqual((order.kaspi_status, order.kaspi_state), ("COMPLETED", "ARCHIVE"))
        self.assertEqual(order.picking_ids.state, "done", "the goods left the shop")

    def test_return_received_back(self):
        kaspi_id, order = self._new_order(kind="kaspi")
        with self.assertRaisesRegex(UserError, "is not being returned"):
            order.with_user(self.manager).action_kaspi_return_arrived()
        self._accept(order)
        self.sim.set_status(kaspi_id, "KASPI_DELIVERY_RETURN_REQUESTED")
        self._import()
        self.assertEqual(order.kaspi_status, "KASPI_DELIVERY_RETURN_REQUESTED")
        order.with_user(self.manager).action_kaspi_return_arrived()
        self.assertEqual(self.sim.order(kaspi_id)["status"], "RETURNED")
        self.assertEqual(order.kaspi_status, "RETURNED")
        self.assertEqual(order.state, "cancel", "not delivered: the reservation is released")

    def test_delivered_then_returned_goods_come_back_to_stock(self):
        kaspi_id, order = self._new_order(lines=[(SKUS[2], 4)])
        self._accept(order)
        order._kaspi_send_code()
        order._kaspi_complete(self.sim.sms_code(kaspi_id))
        product = self.products[SKUS[2]]
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(product.with_context(warehouse_id=self.warehouse.id).qty_available, 96)
        self.sim.set_status(kaspi_id, "KASPI_DELIVERY_RETURN_REQUESTED")
        self._import()
        order.with_user(self.manager).action_kaspi_return_arrived()
        self.assertEqual(order.kaspi_status, "RETURNED")
        self.assertEqual(order.state, "sale", "a delivered order stays a sale, its return is a document")
        returned = order.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        self.assertEqual(returned.state, "done")
        self.assertEqual(product.with_context(warehouse_id=self.warehouse.id).qty_available, 100)

    def test_own_courier_order_becomes_a_courier_delivery(self):
        _kaspi_id, order = self._new_order(kind="local")
        self.assertEqual(order.kaspi_delivery_mode, "DELIVERY_LOCAL")
        self._accept(order)
        picking = order.picking_ids
        self.assertTrue(picking.clever_is_delivery)
        self.assertEqual(picking.clever_delivery_phone, order.kaspi_customer_phone)
        self.assertTrue(picking.clever_delivery_address)
        self.assertEqual(picking.clever_window_start, order.kaspi_planned_date)
        self.assertEqual(picking.clever_amount_to_collect, 0)

    def test_cashier_cannot_act_on_kaspi_orders(self):
        _kaspi_id, order = self._new_order()
        with self.assertRaises(AccessError):
            order.with_user(self.cashier).action_kaspi_accept()
        self.assertEqual(order.kaspi_status, "APPROVED_BY_BANK")
