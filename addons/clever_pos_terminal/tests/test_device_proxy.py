import json
import os
import urllib.error
import urllib.request

from PIL import Image

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged

from .common import CleverTillSetup
from .device_proxy_common import PAIRING_CODE, CleverDeviceSetup

ORIGIN = "https://till.example.kz"


@tagged("post_install", "-at_install")
class TestCleverDeviceProxy(CleverTillSetup, CleverDeviceSetup, TransactionCase):
    """The register's settings against the real device proxy process and its simulators."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_till()
        cls._start_devices()
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.company_ids |= cls.company
        cls.kaspi_terminal_pm = cls.env["pos.payment.method"].create(
            {
                "name": "Kaspi terminal",
                "journal_id": cls.kaspi_journal.id,
                "company_id": cls.company.id,
                "use_payment_terminal": "clever_kaspi",
            }
        )
        cls.config.payment_method_ids |= cls.kaspi_terminal_pm
        cls._pair_and_register(cls.config, ORIGIN)

    def proxy_post(self, route, params=None, headers=None):
        """(HTTP status, answer) of a call as a browser page of another site would make it."""
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params or {}, "id": 1}).encode()
        request = urllib.request.Request(
            self.proxy_url + route, data=body, method="POST", headers={"Content-Type": "application/json", **(headers or {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read()), response.headers
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null"), exc.headers

    def test_pairing_keys_and_refusals(self):
        config = self.config
        self.assertTrue(config.clever_proxy_key)
        self.assertEqual(config.clever_proxy_origin, ORIGIN)
        self.assertTrue(config.clever_proxy_id)
        self.assertEqual(config.clever_kaspi_terminal_id, "31452963")
        # The paired origin's page may call the proxy with the register's key...
        status, answer, headers = self.proxy_post("/clever/info", headers={"Origin": ORIGIN, "X-Clever-Proxy-Key": config.clever_proxy_key})
        self.assertEqual(status, 200)
        self.assertEqual(headers["Access-Control-Allow-Origin"], ORIGIN)
        self.assertTrue(answer["result"]["terminal"]["registered"])
        # ...a page of another site is refused, with or without the key, and gets no CORS header.
        for key in (config.clever_proxy_key, None):
            status, answer, headers = self.proxy_post(
                "/clever/terminal/pay",
                {"payment_uuid": "evil-1", "amount": 1000},
                headers={"Origin": "https://evil.example.com", **({"X-Clever-Proxy-Key": key} if key else {})},
            )
            self.assertEqual(status, 403)
            self.assertEqual(answer["error"]["data"]["code"], "origin_not_paired")
            self.assertNotIn("Access-Control-Allow-Origin", headers)
        self.assertFalse(self.terminal.charges())
        # A wrong pairing code pairs nothing and says so.
        other = self.config.copy({"name": "Other till"})
        other.proxy_ip = self.proxy_url
        with self.assertRaisesRegex(UserError, "pairing code is wrong"):
            other.clever_proxy_pair("11112222", "https://other.example.kz")
        self.assertFalse(other.clever_proxy_key)
        status, _answer, _headers = self.proxy_post("/clever/info", headers={"Origin": "https://other.example.kz", "X-Clever-Proxy-Key": config.clever_proxy_key})
        self.assertEqual(status, 403)
        # Only an administrator pairs or registers; a cashier never reads the admin key.
        with self.assertRaises(AccessError):
            other.with_user(self.cashier).clever_proxy_pair(PAIRING_CODE, "https://other.example.kz")
        with self.assertRaises(AccessError):
            self.config.with_user(self.manager).action_clever_kaspi_register()
        with self.assertRaises(AccessError):
            self.env["clever.pos.device.key"].with_user(self.cashier).search([]).read(["admin_key"])
        with self.assertRaises(AccessError):
            self.env["clever.pos.device.key"].with_user(self.manager).search([]).read(["admin_key"])

    def test_pos_data_never_holds_the_admin_key_or_the_terminal_token(self):
        admin_key = self.env["clever.pos.device.key"]._get(self.config)
        self.assertTrue(admin_key)
        with open(os.path.join(self.proxy_dir, "state", "kaspi_terminal.json"), encoding="utf-8") as handle:
            token = json.load(handle)["access_token"]
        self.assertTrue(token)
        self.config.with_user(self.cashier).open_ui()
        session = self.config.current_session_id
        for user in (self.cashier, self.admin):
            data = session.with_user(user).load_data([])
            config_data = data["pos.config"][0]
            self.assertEqual(config_data["clever_proxy_key"], self.config.clever_proxy_key, "the POS holds its own key")
            self.assertFalse([name for name in config_data if "admin" in name])
            method = next(m for m in data["pos.payment.method"] if m["id"] == self.kaspi_terminal_pm.id)
            self.assertEqual(method["use_payment_terminal"], "clever_kaspi")
            dump = json.dumps(data, default=str)
            self.assertNotIn(admin_key, dump)
            self.assertNotIn(token, dump)
        # Nor does any field of the register or of the payment method (the token stays on the proxy).
        values = json.dumps(self.config.read()[0], default=str) + json.dumps(self.kaspi_terminal_pm.read()[0], default=str)
        self.assertNotIn(token, values)

    def test_test_print_button_prints_on_the_printer(self):
        before = len(self.printer.jobs)
        answer = self.config.action_clever_proxy_test_print()
        self.assertEqual(answer["params"]["type"], "success", answer)
        self.assertEqual(answer["params"]["message"], "The test page was printed.")
        jobs = self.printer.wait_for_jobs(before + 1)
        printed = [receipt for job in jobs[before:] for receipt in job.receipts]
        self.assertEqual(len(printed), 1)
        page = printed[0]
        self.assertTrue(page.cut)
        self.assertEqual(page.width, 576, "80 mm paper: 576 dots")
        self.assertGreater(page.height, 150)
        ink = sum(1 for value in page.image.getdata() if value < 128)
        self.assertGreater(ink / (page.width * page.height), 0.005, "the page is not blank")
        # A printer that is switched off: the button says so, nothing is printed.
        self.printer.set_mode("unreachable")
        try:
            answer = self.config.action_clever_proxy_test_print()
        finally:
            self.printer.set_mode("online")
        self.assertEqual(answer["params"]["type"], "danger")
        self.assertIn("printer cannot be reached", answer["params"]["message"])
        self.assertIsInstance(page.image, Image.Image)

    def test_terminal_test_button_and_unreachable_proxy(self):
        answer = self.config.action_clever_kaspi_test()
        self.assertEqual(answer["params"]["type"], "success", answer)
        other = self.config.copy({"name": "Till without proxy"})
        other.proxy_ip = "http://127.0.0.1:9"
        answer = other.action_clever_proxy_test_print()
        self.assertEqual(answer["params"]["type"], "danger")
        self.assertIn("device proxy cannot be reached", answer["params"]["message"])

    def test_pairing_with_keys_from_the_proxy_command(self):
        """Odoo cannot reach the proxy: the keys printed by the proxy's pair command are pasted."""
        other = self.config.copy({"name": "Till paired by hand"})
        other.proxy_ip = self.proxy_url
        wizard = self.env["clever.proxy.pair.wizard"].create(
            {"config_id": other.id, "origin": "https://hand.example.kz", "key": "k" * 40, "admin_key": "a" * 40}
        )
        answer = wizard.action_pair()
        self.assertEqual(answer["params"]["type"], "success")
        admin_key = self.env["clever.pos.device.key"]._get(other)
        self.assertEqual((other.clever_proxy_key, admin_key, other.is_posbox), ("k" * 40, "a" * 40, True))
        wizard = self.env["clever.proxy.pair.wizard"].create({"config_id": other.id, "origin": "https://hand.example.kz", "key": "k" * 40})
        with self.assertRaisesRegex(UserError, "both keys"):
            wizard.action_pair()
        with self.assertRaises(AccessError):
            self.env["clever.proxy.pair.wizard"].with_user(self.manager).create({"config_id": other.id, "origin": "https://x.kz", "code": "1"})
