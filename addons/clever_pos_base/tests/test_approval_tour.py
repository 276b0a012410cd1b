import json
import re
import threading
import time

import requests

import odoo
from odoo import api
from odoo.service import security
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME



@tagged("post_install", "-at_install")
class TestApprovalDialogTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref("base.demo_company_kz", raise_if_not_found=False) or cls.env.company
        common = dict(company_id=company.id, company_ids=[company.id])
        cls.requester = new_test_user(cls.env, login="tour_storekeeper", groups="clever_pos_base.group_clever_storekeeper", **common)
        cls.manager = new_test_user(cls.env, login="tour_manager", groups="clever_pos_base.group_clever_manager", **common)
        cls.product = cls.env["product.template"].create({"name": "Товар для списания", "company_id": company.id})
        Request = cls.env["clever.approval.request"].with_user(cls.requester).with_company(company)
        cls.first = Request.request("stock_adjustment", cls.product.with_user(cls.requester), quantity=12, reason="Бой")
        cls.second = Request.request("stock_adjustment", cls.product.with_user(cls.requester), quantity=7, reason="Пересорт")

    def _session_id(self, user):
        """A separate web session for `user`, as when a manager logs in on their own phone."""
        session = odoo.http.root.session_store.new()
        session.update(odoo.http.get_default_session(), db=get_db_name())
        env = api.Environment(self.cr, user.id, {})
        session.uid = user.id
        session.login = user.login
        session.session_token = security.compute_session_token(session, env)
        session.context = dict(env["res.users"].context_get())
        odoo.http.root.session_store.save(session)
        return session.sid

    def _phone_approves_second_request(self, sid, outcome):
        """The manager's phone: wait until the requester's dialog has presented a code for the
        second request, then press Approve on the phone page."""
        phone = requests.Session()
        phone.cookies.set("session_id", sid)
        base = self.base_url()
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                time.sleep(0.5)
                if not self.http_request_key:
                    continue  # the browser test has not started yet
                # Requests reach the test server only with the key of the running browser test.
                phone.cookies.set(TEST_CURSOR_COOKIE_NAME, self.http_request_key)
                answer = phone.post(
                    f"{base}/web/dataset/call_kw/clever.approval.attempt/search_count",
                    json={
                        "jsonrpc": "2.0",
                        "method": "call",
                        "params": {
                            "model": "clever.approval.attempt",
                            "method": "search_count",
                            "args": [[["request_id", "=", self.second.id]]],
                            "kwargs": {},
                        },
                    },
                    timeout=10,
                )
                if answer.ok and answer.json().get("result"):
                    break
            page = phone.get(f"{base}/clever/approvals/{self.second.id}", timeout=10)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            answer = phone.post(
                f"{base}/clever/approvals/{self.second.id}/decide",
                data={"decision": "approve", "csrf_token": csrf},
                timeout=10,
            )
            outcome["status"] = answer.status_code
        except Exception as error:  # reported by the test's assertion below
            outcome["error"] = repr(error)

    def _start(self, setup, options):
        self.start_tour(
            f"/odoo/action-clever_pos_base.clever_approval_request_action/{self.first.id}",
            "clever_approval_tour",
            code=f"{setup} odoo.startTour('clever_approval_tour', {json.dumps(options)})",
            login=self.requester.login,
        )

    def test_dialog_approved_by_code_and_by_phone_live(self):
        code = self.env["clever.approval.key"]._for_user(self.manager)._qr_payload()
        manager_sid = self._session_id(self.manager)
        outcome = {}
        phone = threading.Thread(target=self._phone_approves_second_request, args=(manager_sid, outcome))
        phone.start()
        options = {"stepDelay": 0, "keepWatchBrowser": False, "debug": False, "startUrl": "", "delayToCheckUndeterminisms": 0}
        setup = "window.cleverTestApprovalCode = %s; window.cleverTestSecondUrl = %s;" % (
            json.dumps(code),
            json.dumps(f"/odoo/action-clever_pos_base.clever_approval_request_action/{self.second.id}"),
        )
        try:
            self._start(setup, options)
        finally:
            phone.join(timeout=70)
        self.assertEqual(outcome, {"status": 200})
        self.assertEqual((self.first.state, self.first.decision_method, self.first.decided_by_id), ("approved", "qr", self.manager))
        self.assertEqual((self.second.state, self.second.decision_method, self.second.decided_by_id), ("approved", "phone", self.manager))
