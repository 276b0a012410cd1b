import re

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApprovalPhonePages(HttpCase):
    """The manager's phone pages: own QR, pending list, decide; nobody else gets them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref("base.demo_company_kz", raise_if_not_found=False) or cls.env.company
        common = dict(company_id=company.id, company_ids=[company.id])
        cls.cashier = new_test_user(cls.env, login="page_cashier", groups="clever_pos_base.group_clever_cashier", **common)
        cls.manager = new_test_user(cls.env, login="page_manager", groups="clever_pos_base.group_clever_manager", **common)
        cls.product = cls.env["product.template"].create({"name": "Телефон для возврата", "company_id": company.id})
        cls.req = (
            cls.env["clever.approval.request"]
            .with_user(cls.cashier)
            .with_company(company)
            .request("refund", cls.product.with_user(cls.cashier), amount=15000, reason="Не включается")
        )

    def test_my_qr_is_the_managers_own_and_renewable(self):
        self.authenticate("page_manager", "page_manager")
        page = self.url_open("/clever/approval/my_qr")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_clever_my_qr", page.text)
        self.assertEqual(page.headers["Cache-Control"], "no-store")
        svg = self.url_open("/clever/approval/my_qr.svg")
        self.assertEqual(svg.headers["Content-Type"], "image/svg+xml")
        key = self.env["clever.approval.key"].sudo().search([("user_id", "=", self.manager.id)])
        self.assertNotIn(key.secret, page.text + svg.text, "the secret itself never leaves the server")
        old_secret = key.secret
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        renewed = self.url_open("/clever/approval/my_qr/renew", data={"csrf_token": csrf})
        self.assertEqual(renewed.status_code, 200)
        key.invalidate_recordset()
        self.assertNotEqual(key.secret, old_secret)

    def test_cashier_has_no_approval_qr_and_cannot_decide(self):
        self.authenticate("page_cashier", "page_cashier")
        self.assertEqual(self.url_open("/clever/approval/my_qr").status_code, 403)
        self.assertEqual(self.url_open("/clever/approval/my_qr.svg").status_code, 403)
        self.assertEqual(self.url_open(f"/clever/approvals/{self.req.id}").status_code, 404)
        listing = self.url_open("/clever/approvals")
        self.assertNotIn("o_clever_approval_card", listing.text)
        # The till's QR of its own request is readable by the requester.
        self.assertEqual(self.url_open(f"/clever/approvals/{self.req.id}/phone_qr.svg").status_code, 200)

    def test_manager_approves_from_the_list(self):
        self.authenticate("page_manager", "page_manager")
        listing = self.url_open("/clever/approvals")
        self.assertIn(f'data-request-id="{self.req.id}"', listing.text)
        self.assertIn("Не включается", listing.text)
        token_page = self.url_open(f"/clever/approvals/{self.req.id}?token=wrong")
        self.assertEqual(token_page.status_code, 404, "a link with a wrong token opens nothing")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', listing.text).group(1)
        done = self.url_open(f"/clever/approvals/{self.req.id}/decide", data={"decision": "approve", "csrf_token": csrf})
        self.assertEqual(done.status_code, 200)
        self.assertEqual((self.req.state, self.req.decided_by_id, self.req.decision_method), ("approved", self.manager, "phone"))
        self.assertNotIn(f'data-request-id="{self.req.id}"', done.text)
