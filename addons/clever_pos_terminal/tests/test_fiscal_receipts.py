import json
import logging
from urllib.parse import urlsplit

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tests.common import _super_send

from ..fiscal.webkassa_simulator import USERS, WebkassaSimulator
from .common import CleverTillSetup

LOGIN = "cashier@clever.kz"
PASSWORD = USERS[LOGIN]["password"]
API_KEY = "test-api-key"
CASHBOX = "SWK00000001"


class CleverFiscalSetup(CleverTillSetup):
    """A Clever till with a Webkassa register pointing at a local simulator (a new one per test,
    on a free port of 127.0.0.1), and a product taxed at 16 % VAT."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # The simulator on 127.0.0.1 is reached with the client's own (connect, read) timeouts:
        # the test framework would stretch them to 10 s, and lost answers are what we test.
        if urlsplit(r.url).hostname == "127.0.0.1" and isinstance(kw.get("timeout"), tuple):
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def _setup_fiscal(cls):
        cls._setup_clever_till()
        env, company = cls.env, cls.company
        cls.vat16 = env["account.tax"].search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 16), ("amount_type", "=", "percent")],
            limit=1,
        ) or env["account.tax"].create(
            {"name": "VAT 16 % test", "amount": 16, "amount_type": "percent", "price_include_override": "tax_included", "company_id": company.id}
        )
        cls.tea = env["product.product"].with_company(company).create(
            {"name": "Clever Tea 100 g", "type": "consu", "list_price": 580, "available_in_pos": True, "taxes_id": [(6, 0, cls.vat16.ids)], "company_id": company.id, "default_code": "TEA-100"}
        )
        cls.register = env["clever.fiscal.register"].create(
            {
                "name": "Webkassa test till",
                "company_id": company.id,
                "cashbox_unique_number": CASHBOX,
                "login": LOGIN,
                "password": PASSWORD,
                "api_key": API_KEY,
                "timeout": 0.5,
            }
        )
        cls.config.clever_fiscal_register_id = cls.register
        cls.kaspi_pm.clever_fiscal_payment_kind = "kaspi"
        cls.Operation = env["clever.fiscal.operation"]

    def _start_simulator(self, **options):
        self.sim = WebkassaSimulator("127.0.0.1", 0, seed=14, **options).start()
        self.addCleanup(self.sim.stop)
        self.register.host_url = self.sim.url

    def tea_line(self, qty=1, **extra):
        """A line of tea at 580 VAT included (500 + 80 VAT 16 %)."""
        return {
            "product_id": self.tea.id,
            "qty": qty,
            "price_unit": 580,
            "tax_ids": [(6, 0, self.vat16.ids)],
            "price_subtotal": 500 * qty,
            "price_subtotal_incl": 580 * qty,
            **extra,
        }

    def sell(self, session, lines=None, payments=None, **extra):
        lines = lines or [self.tea_line(1)]
        payload = self.order_payload(session, lines, payments=payments, **extra)
        return self.sync(payload)

    def fiscalise(self, order):
        """What the till does once the order is saved."""
        return order.with_user(self.cashier).clever_fiscal_send()

    def operation_of(self, order):
        return self.Operation.search([("order_id", "=", order.id)])

    def cash_move(self, session, kind, amount):
        return session.with_user(self.cashier).try_cash_in_out(
            kind, amount, "Change for the till", self.cashier.partner_id.id, {"translatedType": kind, "formattedAmount": str(amount)}
        )

    def sim_box(self):
        return self.sim.summary()["Cashboxes"][CASHBOX]


@tagged("post_install", "-at_install")
class TestFiscalReceipts(CleverFiscalSetup, TransactionCase):
    """Every POS document becomes exactly one fiscal operation on the (simulated) Webkassa."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fiscal()

    def setUp(self):
        super().setUp()
        self._start_simulator()

    def test_01_sale_with_vat_and_receipt_data(self):
        session = self.open_session(0)
        order = self.sell(session, [self.tea_line(2)], payments=[(self.cash_pm, 2000)], amount_return=-840)
        operation = self.operation_of(order)
        # Queued with its number in the sale's transaction, nothing sent yet.
        self.assertEqual((operation.kind, operation.state, len(self.sim.receipts())), ("sale", "pending", 0))
        number = operation.external_number
        data = self.fiscalise(order)
        self.assertEqual(data["state"], "done")
        receipts = self.sim.receipts()
        self.assertEqual(len(receipts), 1)
        receipt = receipts[0]
        self.assertEqual((receipt["ext"], receipt["sign"], receipt["operation"]), (number, operation.check_number, 2))
        self.assertEqual(float(receipt["total"]), 1160)
        self.assertEqual(float(receipt["change"]), 840)
        self.assertEqual(float(receipt["tax"]), 160)  # 1160 x 16 / 116
        self.assertEqual({int(k): float(v) for k, v in receipt["payments"].items()}, {0: 2000})
        # What the receipt prints (spec 8): fiscal sign, RNM, ZNM, OFD, check link for the QR.
        self.assertEqual(data["check_number"], receipt["sign"])
        self.assertEqual(data["cashbox_unique_number"], CASHBOX)
        self.assertTrue(data["registration_number"] and data["ofd_name"] and data["ofd_host"] and data["date"])
        self.assertEqual(data["ticket_url"], receipt["ticket_url"])
        self.assertIn(f"i={receipt['sign']}", data["ticket_url"])
        self.assertFalse(data["offline_mode"])
        # Fiscalising again (a reloaded till) changes nothing.
        self.assertEqual(self.fiscalise(order)["check_number"], receipt["sign"])
        self.assertEqual(len(self.sim.receipts()), 1)

    def test_02_mixed_payment_types(self):
        session = self.open_session(0)
        order = self.sell(
            session,
            [self.tea_line(3)],
            payments=[(self.kaspi_pm, 1000), (self.card_pm, 500), (self.cash_pm, 300)],
            amount_return=-60,
        )
        self.assertEqual(self.fiscalise(order)["state"], "done")
        receipt = self.sim.receipts()[0]
        # Kaspi -> mobile payment (4, the register's setting), card -> 1, cash -> 0.
        self.assertEqual({int(k): float(v) for k, v in receipt["payments"].items()}, {4: 1000, 1: 500, 0: 300})
        self.assertEqual(float(receipt["total"]), 1740)
        self.assertEqual(float(receipt["change"]), 60)

    def test_03_return_with_the_sale_as_basis(self):
        session = self.open_session(0)
        sale = self.sell(session, [self.tea_line(2)], payments=[(self.cash_pm, 1160)])
        self.fiscalise(sale)
        sale_op = self.operation_of(sale)
        self.approve(session, "refund", amount=580, record_id=sale.id)
        refund = self.sell(
            session,
            [self.tea_line(-1, refunded_orderline_id=sale.lines.id)],
            payments=[(self.cash_pm, -580)],
            is_refund=True,
            clever_return_reason_id=self.env.ref("clever_pos_terminal.return_reason_not_fit").id,
        )
        refund_op = self.operation_of(refund)
        self.assertEqual((refund_op.kind, refund_op.origin_operation_id), ("refund", sale_op))
        data = self.fiscalise(refund)
        self.assertEqual(data["state"], "done", refund_op.error_message)
        receipts = self.sim.receipts()
        self.assertEqual([r["operation"] for r in receipts], [2, 3])
        self.assertEqual(float(receipts[1]["total"]), 580)
        # The simulator accepts a return only with the original's fiscal sign, RNM, total, date.
        self.assertEqual(receipts[1]["sign"], refund_op.check_number)
        self.assertNotEqual(refund_op.check_number, sale_op.check_number)

    def test_04_return_waits_for_its_sale(self):
        """A return whose sale could not be fiscalised fails with a clear message, never a
        fiscal return without basis; after the sale is retried, the return goes through."""
        session = self.open_session(0)
        sale = self.sell(session, [self.tea_line(1)], payments=[(self.cash_pm, 580)])
        self.sim.add_fault("error", route="check", code=9, text="Positions[0].Tax: Налог подсчитан неверно")
        self.fiscalise(sale)
        sale_op = self.operation_of(sale)
        self.assertEqual(sale_op.state, "failed")
        self.approve(session, "refund", amount=580, record_id=sale.id)
        refund = self.sell(
            session,
            [self.tea_line(-1, refunded_orderline_id=sale.lines.id)],
            payments=[(self.cash_pm, -580)],
            is_refund=True,
            clever_return_reason_id=self.env.ref("clever_pos_terminal.return_reason_not_fit").id,
        )
        self.assertEqual(self.fiscalise(refund)["state"], "failed")
        refund_op = self.operation_of(refund)
        self.assertEqual(refund_op.error_code, "fiscal_return_basis_missing")
        (sale_op | refund_op).with_user(self.manager).action_retry()
        self.assertEqual((sale_op.state, refund_op.state), ("done", "done"))
        self.assertEqual([r["operation"] for r in self.sim.receipts()], [2, 3])

    def test_05_cash_in_and_out(self):
        session = self.open_session(0)
        self.cash_move(session, "in", 5000)
        self.cash_move(session, "out", 2000)
        operations = self.Operation.search([("session_id", "=", session.id)], order="id")
        self.assertEqual(operations.mapped("kind"), ["cash_in", "cash_out"])
        self.assertEqual(set(operations.mapped("state")), {"pending"})
        self.Operation._cron_send_pending()
        self.assertEqual(set(operations.mapped("state")), {"done"})
        box = self.sim_box()
        self.assertEqual((box["MoneyOperations"], float(box["SumInCashbox"])), (2, 3000))
        self.assertEqual(operations[1].cash_balance, 3000)

    def test_06_x_report_and_z_report_at_closing(self):
        session = self.open_session(0)
        sale = self.sell(session, [self.tea_line(1)], payments=[(self.cash_pm, 580)])
        self.fiscalise(sale)
        action = session.with_user(self.manager).action_clever_fiscal_x_report()
        x_report = self.Operation.browse(action["res_id"])
        self.assertEqual((x_report.kind, x_report.state), ("x_report", "done"))
        self.assertEqual(x_report.report_data["sell_count"], 1)
        self.assertTrue(self.sim_box()["ShiftOpen"])
        with self.assertRaises(AccessError):
            session.with_user(self.cashier).action_clever_fiscal_x_report()

        self.env.invalidate_all()
        cashier_session = session.with_user(self.cashier)
        self.approve(session, "shift_close", amount=580)
        self.assertTrue(cashier_session.post_closing_cash_details(580)["successful"])
        cashier_session.update_closing_control_state_session("")
        result = cashier_session.close_session_from_ui([[self.card_pm.id, 0.0]])
        self.assertTrue(result["successful"], result)
        z_report = self.Operation.search([("session_id", "=", session.id), ("kind", "=", "z_report")])
        self.assertEqual(z_report.state, "pending")
        self.Operation._cron_send_pending()
        self.assertEqual(z_report.state, "done")
        self.assertEqual(z_report.report_data["sell_count"], 1)
        self.assertFalse(self.sim_box()["ShiftOpen"])

    def test_07_timeout_after_acceptance_gives_one_receipt(self):
        session = self.open_session(0)
        order = self.sell(session, [self.tea_line(1)], payments=[(self.cash_pm, 580)])
        # Webkassa registers the receipt but the answer is lost, twice (the client's own resend too).
        self.sim.add_fault("timeout_after_commit", route="check", times=2, delay=1.0)
        data = self.fiscalise(order)
        operation = self.operation_of(order)
        self.assertEqual(data["state"], "pending")
        self.assertNotIn("check_number", data)  # nothing invented
        self.assertEqual(len(self.sim.receipts()), 1)
        number = operation.external_number
        # The queue resends the same number: "already registered" with the original data.
        self.Operation._cron_send_pending()
        self.assertEqual((operation.state, operation.duplicate, operation.external_number), ("done", True, number))
        receipts = self.sim.receipts()
        self.assertEqual(len(receipts), 1)
        self.assertEqual(operation.check_number, receipts[0]["sign"])
        self.assertEqual(operation.attempts, 2)

    def test_08_token_expiry_logs_in_again(self):
        session = self.open_session(0)
        self.fiscalise(self.sell(session, payments=[(self.cash_pm, 580)]))
        self.sim.token_ttl = 60
        self.sim.advance(seconds=120)
        order = self.sell(session, payments=[(self.cash_pm, 580)])
        self.assertEqual(self.fiscalise(order)["state"], "done")
        self.assertEqual(len(self.sim.receipts()), 2)
        self.assertEqual(self.sim.request_counts["authorize"], 2)

    def test_09_shift_over_24_hours_is_closed_and_the_receipt_resent(self):
        session = self.open_session(0)
        self.fiscalise(self.sell(session, payments=[(self.cash_pm, 580)]))
        self.sim.advance(hours=25)
        order = self.sell(session, payments=[(self.cash_pm, 580)])
        self.assertEqual(self.fiscalise(order)["state"], "done")
        receipts = self.sim.receipts()
        self.assertEqual([r["shift"] for r in receipts], [1, 2])
        automatic_z = self.Operation.search([("register_id", "=", self.register.id), ("kind", "=", "z_report")])
        self.assertEqual((automatic_z.state, automatic_z.shift_number), ("done", 1))

    def test_10_provider_down_then_back(self):
        # No shift-close approval by policy: only the unsent fiscal operations will ask for one.
        self.env["clever.approval.rule"].search([("company_id", "=", self.company.id), ("action", "=", "shift_close")]).required = False
        session = self.open_session(0)
        self.assertFalse(session.with_user(self.cashier)._clever_close_approval_missing())
        self.sim.stop()
        orders = self.env["pos.order"]
        for qty in (1, 2, 3):
            order = self.sell(session, [self.tea_line(qty)], payments=[(self.cash_pm, 580 * qty)])
            data = self.fiscalise(order)
            # The sale is done; its receipt says "not fiscalised" and carries no fiscal data.
            self.assertEqual(order.state, "paid")
            self.assertEqual(data, {"state": "pending", "kind": "sale", "message": data["message"]})
            orders |= order
        self.cash_move(session, "in", 1000)
        operations = self.Operation.search([("session_id", "=", session.id)], order="id")
        self.assertEqual(len(operations), 4)
        self.assertEqual(set(operations.mapped("state")), {"pending"})
        self.assertEqual(self.register.unsent_count, 4)
        self.assertTrue(operations[0].error_message)
        # Closing now needs a manager's approval, and the till is told so.
        self.assertTrue(session.with_user(self.cashier)._clever_close_approval_missing())
        summary = session.with_user(self.cashier).clever_get_closing_summary()
        self.assertEqual((summary["approval_required"], summary["fiscal_unsent"]), (True, 4))
        self.assertTrue(session.with_user(self.cashier).clever_request_approval("shift_close", amount=1000)["required"])

        self.sim.start()  # same port
        self.Operation._cron_send_pending()
        self.assertEqual(set(operations.mapped("state")), {"done"})
        receipts = self.sim.receipts()
        # In order, each once.
        self.assertEqual([r["ext"] for r in receipts], operations[:3].mapped("external_number"))
        self.assertEqual([float(r["total"]) for r in receipts], [580, 1160, 1740])
        box = self.sim_box()
        self.assertEqual(box["DuplicateExternalNumbers"], [])
        self.assertEqual(box["ExternalNumbers"], operations.mapped("external_number"))
        self.env.invalidate_all()
        self.assertFalse(session.with_user(self.cashier)._clever_close_approval_missing())
        # Nothing left: another run sends nothing.
        requests_before = sum(self.sim.request_counts.values())
        self.Operation._cron_send_pending()
        self.assertEqual(sum(self.sim.request_counts.values()), requests_before)

    def test_11_failure_message_reaches_the_manager(self):
        session = self.open_session(0)
        order = self.sell(session, payments=[(self.cash_pm, 580)])
        self.sim.add_fault("error", route="check", code=9, text="Positions[0].Tax: Налог подсчитан неверно")
        self.assertEqual(self.fiscalise(order)["state"], "failed")
        rows = self.Operation.with_user(self.manager).search_read(
            [("state", "=", "failed"), ("order_id", "=", order.id)], ["error_code", "error_message", "provider_message"]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["error_code"], "fiscal_invalid_data")
        self.assertIn("Налог подсчитан неверно", rows[0]["provider_message"])
        # The manager reads what went wrong in their language, the provider's own text beside it.
        failed = self.operation_of(order).with_user(self.manager)
        self.assertEqual(failed.with_context(lang="ru_RU").error_text, "Webkassa отклонила данные операции.")
        self.assertEqual(failed.with_context(lang="kk_KZ").error_text, "Webkassa операция деректерін қабылдамады.")
        with self.assertRaises(AccessError):
            self.operation_of(order).with_user(self.cashier).action_retry()
        self.operation_of(order).with_user(self.manager).action_retry()
        self.assertEqual(self.operation_of(order).state, "done")
        self.assertEqual(len(self.sim.receipts()), 1)

    def test_12_test_connection_shows_registration_and_shift(self):
        action = self.register.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        info = self.register.registration_info
        self.assertIn(CASHBOX, info)
        self.assertIn(self.sim.cashboxes[CASHBOX]["RegistrationNumber"], info)
        self.assertIn("No open shift", info)

    def test_13_credentials_never_in_pos_data_or_logs(self):
        session = self.open_session(0)
        with self.assertLogs("odoo.addons.clever_pos_terminal", level=logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.clever_pos_terminal").debug("fiscal log capture")
            self.register.action_test_connection()
            self.fiscalise(self.sell(session, payments=[(self.cash_pm, 580)]))
            self.sim.token_ttl = 60
            self.sim.advance(seconds=120)
            self.fiscalise(self.sell(session, payments=[(self.cash_pm, 580)]))
        text = "\n".join(logs.output)
        self.assertIn("fiscal sign", text)
        secrets = [PASSWORD, API_KEY, *self.sim.issued_tokens]
        self.assertEqual(len(self.sim.issued_tokens), 2)  # test connection, then after expiry
        for secret in secrets:
            self.assertNotIn(secret, text)
        # The till's data: no register secrets, whatever the model.
        loaded = json.dumps(session.with_user(self.cashier).load_data([]), default=str)
        for secret in (PASSWORD, API_KEY, LOGIN):
            self.assertNotIn(secret, loaded)
        self.assertNotIn("clever.fiscal.register", loaded)
        # A cashier or a manager cannot read the secrets.
        for user in (self.cashier, self.manager):
            with self.assertRaises(AccessError):
                self.register.with_user(user).read(["password"])
        self.assertFalse(self.register.copy({"cashbox_unique_number": "SWK00000002"}).password)

    def test_14_autonomous_mode_is_marked(self):
        """The OFD is unreachable from Webkassa: Webkassa still fiscalises (autonomous mode), the
        receipt carries the mark and the manager's list shows it."""
        session = self.open_session(0)
        self.sim.set_ofd_online(False)
        order = self.sell(session, payments=[(self.cash_pm, 580)])
        data = self.fiscalise(order)
        self.assertEqual((data["state"], data["offline_mode"]), ("done", True))
        self.assertTrue(data["check_number"])
        offline = self.Operation.with_user(self.manager).search([("offline_mode", "=", True), ("order_id", "=", order.id)])
        self.assertEqual(len(offline), 1)
