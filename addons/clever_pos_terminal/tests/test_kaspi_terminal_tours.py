import json
import threading
import time

from odoo.tests import HttpCase, tagged

from .common import CleverTillSetup
from .device_proxy_common import CleverDeviceSetup


@tagged("post_install", "-at_install")
class TestCleverDeviceTours(CleverTillSetup, CleverDeviceSetup, HttpCase):
    """The till with the real device proxy process, the Kaspi terminal simulator and the receipt
    printer simulator, in headless Chromium; every outcome is checked on the server and on the
    simulated devices afterwards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_till()
        cls._start_devices()
        cls.kaspi_terminal_pm = cls.env["pos.payment.method"].create(
            {"name": "Kaspi terminal", "journal_id": cls.kaspi_journal.id, "company_id": cls.company.id, "use_payment_terminal": "clever_kaspi"}
        )
        cls.config.write({"payment_method_ids": [(4, cls.kaspi_terminal_pm.id)], "auto_validate_terminal_payment": False, "iface_print_auto": False})
        cls._pair_and_register(cls.config, cls.base_url())

    def setUp(self):
        super().setUp()
        self.terminal.reset()
        self.printer.set_mode("online")

    def start_device_tour(self, tour_name, timeout=300):
        url = f"/pos/ui/{self.config.id}"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url, "delayToCheckUndeterminisms": 0}
        now = time.time()
        codes = [self.env["clever.approval.key"]._for_user(manager)._qr_payload(t=now + 30) for manager in self.managers]
        code = (
            f"window.cleverTestSimUrl = {json.dumps(self.terminal.url)}; window.cleverTestApprovalCodes = {json.dumps(codes)}; "
            f"odoo.startTour({tour_name!r}, {json.dumps(options)})"
        )
        self.start_tour(url, tour_name, login=self.cashier.login, code=code, timeout=timeout)

    def restart_proxy_when_paying(self, amount):
        """Restart the proxy process once the terminal has started a payment of `amount`."""

        def watch():
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                if any(op.amount == amount and not op.final for op in self.terminal.charges()):
                    self.restart_proxy(pause=2.0)
                    return
                time.sleep(0.1)

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        return thread

    def test_01_kaspi_terminal_outcomes(self):
        session = self.open_session(0)
        terminal = self.terminal
        terminal.script("success")  # 1: double click
        terminal.script("decline")  # 2: declined...
        terminal.script("unknown_then_success")  # ...retried: unknown, then paid
        terminal.script("timeout")  # 3: waits until cancelled on the terminal
        terminal.script("success", delay=6.0)  # 4: page reloaded while waiting
        terminal.script("drop")  # 5: answer lost; the customer paid (then=success)
        terminal.script("success", delay=8.0)  # 6: proxy restarted while waiting
        watcher = self.restart_proxy_when_paying(660)
        self.start_device_tour("CleverKaspiTerminalTour")
        watcher.join(timeout=5)

        charges = terminal.charges("payment")
        self.assertEqual([op.amount for op in charges], [350, 220, 220, 700, 440, 1050, 660], "every sale reached the terminal once, none twice")
        outcomes = [op.final[0] if op.final else "wait" for op in charges]
        self.assertEqual(outcomes, ["success", "fail", "success", "fail", "success", "success", "success"])

        orders = session.order_ids.sorted("id")
        self.assertEqual(len(orders), 6)
        self.assertEqual(set(orders.mapped("state")), {"paid"})
        kaspi = orders.payment_ids.filtered(lambda p: p.payment_method_id == self.kaspi_terminal_pm).sorted("id")
        self.assertEqual(kaspi.mapped("amount"), [350, 220, 440, 1050, 660])
        self.assertEqual(set(kaspi.mapped("payment_status")), {"done"})
        by_amount = {op.amount: op for op in charges if op.final and op.final[0] == "success"}
        for payment in kaspi:
            if payment.amount == 1050:
                continue  # resolved by hand: the terminal's answer was lost
            self.assertEqual(payment.transaction_id, by_amount[int(payment.amount)].transaction_id)
        # The timed-out sale was paid in cash after the customer cancelled on the terminal.
        third = orders[2]
        self.assertEqual(third.payment_ids.payment_method_id, self.cash_pm)
        self.assertEqual(third.amount_paid, 700)

    def test_02_receipt_printed_through_the_proxy(self):
        self.open_session(0)
        before = len(self.printer.jobs)
        self.start_device_tour("CleverDevicePrintTour")
        jobs = self.printer.wait_for_jobs(before + 1)
        printed = [receipt for job in jobs[before:] for receipt in job.receipts]
        self.assertEqual(len(printed), 1)
        receipt = printed[0]
        self.assertTrue(receipt.cut)
        self.assertEqual(receipt.width, 576, "scaled to 80 mm paper")
        self.assertGreater(receipt.height, 400, "a whole receipt, not a strip")
        pixels = list(receipt.image.getdata())
        ink = sum(1 for value in pixels if value < 128) / len(pixels)
        self.assertGreater(ink, 0.01, "the receipt is not blank")
        self.assertLess(ink, 0.5, "the receipt is not a black page")
        rows_with_ink = sum(
            1 for y in range(receipt.height) if any(pixels[y * receipt.width + x] < 128 for x in range(0, receipt.width, 2))
        )
        self.assertGreater(rows_with_ink, 100, "lines of text")

    def test_03_printer_off_falls_back_to_the_browser(self):
        self.open_session(0)
        self.printer.set_mode("unreachable")
        try:
            self.start_device_tour("CleverDevicePrintFallbackTour")
        finally:
            self.printer.set_mode("online")
        order = self.config.current_session_id.order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "paid")

    def test_04_refund_goes_back_to_the_terminal(self):
        session = self.open_session(0)
        self.start_device_tour("CleverKaspiRefundTour")
        payments = self.terminal.charges("payment")
        refunds = self.terminal.charges("refund")
        self.assertEqual([op.amount for op in payments], [700])
        self.assertEqual([op.amount for op in refunds], [700])
        self.assertEqual(refunds[0].refund_of, payments[0].transaction_id, "refunded against the original Kaspi transaction")
        self.assertEqual(refunds[0].method, payments[0].method)
        sale, refund = session.order_ids.sorted("id")
        self.assertEqual(refund.amount_total, -700)
        self.assertEqual(refund.state, "paid")
        back = refund.payment_ids
        self.assertEqual((back.payment_method_id, back.amount, back.payment_status), (self.kaspi_terminal_pm, -700, "done"))
        self.assertEqual(back.transaction_id, refunds[0].transaction_id)
        self.assertEqual(sale.payment_ids.transaction_id, payments[0].transaction_id)
        approval = self.env["clever.approval.request"].search([("action", "=", "refund"), ("res_model", "=", "pos.order"), ("res_id", "=", sale.id)])
        self.assertEqual(len(approval), 1, "approved once, before the terminal gave the money back")
        self.assertEqual(approval.state, "approved")
        self.assertTrue(approval.used_at)
