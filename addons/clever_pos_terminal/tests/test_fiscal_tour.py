import json
import time

from odoo.tests import HttpCase, tagged

from .test_fiscal_receipts import CleverFiscalSetup


@tagged("post_install", "-at_install")
class TestFiscalTour(CleverFiscalSetup, HttpCase):
    """A sale at the till on a register with a (simulated) Webkassa cash register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_fiscal()

    def test_fiscal_sale_receipt(self):
        self._start_simulator()
        session = self.open_session(0)
        url = f"/pos/ui/{self.config.id}"
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": url, "delayToCheckUndeterminisms": 0}
        codes = [self.env["clever.approval.key"]._for_user(m)._qr_payload(t=time.time() + 30) for m in self.managers]
        code = f"window.cleverTestApprovalCodes = {json.dumps(codes)}; odoo.startTour('CleverFiscalSaleTour', {json.dumps(options)})"
        self.start_tour(url, "CleverFiscalSaleTour", login=self.cashier.login, code=code, timeout=180)
        order = session.order_ids
        self.assertEqual(len(order), 1)
        operation = self.Operation.search([("order_id", "=", order.id)])
        self.assertEqual(operation.state, "done")
        receipts = self.sim.receipts()
        self.assertEqual(len(receipts), 1)
        self.assertEqual(receipts[0]["sign"], operation.check_number)
        self.assertEqual(float(receipts[0]["tax"]), 160)
