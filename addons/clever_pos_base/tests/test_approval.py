import time
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CleverPosCase


@tagged("post_install", "-at_install")
class TestApprovalEngine(CleverPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["clever.approval.request"]
        cls.manager = cls.users["manager"]
        cls.cashier = cls.users["cashier"]
        cls.admin = cls.users["admin"]
        cls.till = cls.env["pos.config"].with_company(cls.company).create({"name": "Касса APR", "company_id": cls.company.id})

    def ask(self, action="refund", user=None, amount=5000, quantity=0, record=None):
        record = record or self.product
        return self.Request.with_user(user or self.cashier).with_company(self.company).request(
            action, record.with_user(user or self.cashier), amount=amount, quantity=quantity, reason="Брак", pos_config=self.till
        )

    def code_of(self, user, t=None):
        return self.env["clever.approval.key"]._for_user(user)._qr_payload(t)

    def present(self, req, code):
        return req.with_user(self.cashier).approve_with_code(code, self.till.id)

    # -- policy ------------------------------------------------------------------------------

    def test_default_policy_and_thresholds(self):
        rules = self.env["clever.approval.rule"].search([("company_id", "=", self.company.id)])
        self.assertEqual(
            set(rules.mapped("action")),
            {"shift_open", "shift_close", "refund", "debt_sale", "stock_adjustment", "cash_out", "discount", "expense"},
        )
        self.assertFalse(self.Request._is_required("cash_out", self.company, amount=5000), "small cash out needs no approval")
        self.assertTrue(self.Request._is_required("cash_out", self.company, amount=25000))
        self.assertFalse(self.Request._is_required("stock_adjustment", self.company, quantity=2))
        self.assertTrue(self.Request._is_required("stock_adjustment", self.company, quantity=-7))
        self.assertTrue(self.Request._is_required("shift_open", self.company))
        rule = rules.filtered(lambda r: r.action == "refund")
        rule.with_user(self.admin).write({"min_amount": 10000})
        self.assertFalse(self.Request._is_required("refund", self.company, amount=5000), "the administrator's threshold applies")
        with self.assertRaises(AccessError, msg="only administrators edit the policy"):
            rule.with_user(self.manager).write({"min_amount": 0})

    # -- the request document ----------------------------------------------------------------

    def test_request_is_announced_and_kept(self):
        req = self.ask()
        self.assertEqual(req.state, "pending")
        self.assertEqual(req.requested_by_id, self.cashier)
        self.assertEqual(req.pos_config_id, self.till)
        self.assertTrue(req.name.startswith("APR/"))
        notified = self.env["mail.message"].search([("model", "=", req._name), ("res_id", "=", req.id)]).partner_ids
        self.assertIn(self.manager.partner_id, notified, "approvers are told in Discuss")
        self.assertNotIn(self.cashier.partner_id, notified)
        with self.assertRaises(UserError):
            req.sudo().unlink()

    def test_manager_qr_approves_once_and_decision_on_chatter(self):
        req = self.ask()
        code = self.code_of(self.manager)
        result = self.present(req, code)
        self.assertTrue(result["ok"], result)
        self.assertEqual((req.state, req.decided_by_id, req.decision_method), ("approved", self.manager, "qr"))
        chatter = self.product.message_ids.mapped("body")
        self.assertTrue(any(req.name in body for body in chatter), "the decision shows on the document")
        # The same code again, on another request: refused (single use).
        second = self.ask()
        self.assertFalse(self.present(second, code)["ok"])
        self.assertEqual(second.state, "pending")

    def test_expired_code_is_refused(self):
        req = self.ask()
        old = self.code_of(self.manager, t=time.time() - 120)
        self.assertFalse(self.present(req, old)["ok"])
        self.assertEqual(req.state, "pending")

    def test_typed_six_digits_work(self):
        req = self.ask()
        digits = self.code_of(self.manager).split(":")[2]
        self.assertTrue(self.present(req, digits)["ok"])
        self.assertEqual(req.decided_by_id, self.manager)

    def test_nobody_approves_their_own_request(self):
        req = self.ask(user=self.manager)
        self.assertFalse(req.with_user(self.manager).approve_with_code(self.code_of(self.manager))["ok"])
        with self.assertRaises(AccessError):
            req.with_user(self.manager).action_approve()
        self.assertTrue(req.with_user(self.admin).action_approve(), "another approver can")
        self.assertEqual(req.state, "approved")

    def test_cashier_qr_approves_nothing(self):
        req = self.ask(user=self.users["storekeeper"])
        cashier_code = self.code_of(self.cashier)
        self.assertFalse(req.with_user(self.users["storekeeper"]).approve_with_code(cashier_code)["ok"])
        with self.assertRaises(AccessError):
            req.with_user(self.cashier).action_approve()
        self.assertEqual(req.state, "pending")

    def test_only_configured_groups_approve(self):
        rule = self.env["clever.approval.rule"].search([("company_id", "=", self.company.id), ("action", "=", "refund")])
        rule.approver_group_ids = self.env.ref("clever_pos_base.group_clever_admin")
        req = self.ask()
        self.assertFalse(self.present(req, self.code_of(self.manager))["ok"], "a manager is not an approver of this action any more")
        self.assertTrue(self.present(req, self.code_of(self.admin))["ok"])

    def test_renewed_secret_invalidates_old_qr(self):
        req = self.ask()
        old_code = self.code_of(self.manager)
        self.manager.with_user(self.manager).action_clever_renew_approval_qr()
        self.assertFalse(self.present(req, old_code)["ok"])
        self.assertTrue(self.present(req, self.code_of(self.manager))["ok"])

    def test_lock_after_five_wrong_codes(self):
        req = self.ask()
        for _ in range(5):
            self.assertFalse(self.present(req, "CPA1:%s:000000" % self.manager.id)["ok"])
        result = self.present(req, self.code_of(self.manager))
        self.assertFalse(result["ok"], "even a right code waits for the lock to end")
        self.assertIn("locked", result["message"])
        lock_message = self.env["mail.message"].search([("model", "=", req._name), ("res_id", "=", req.id), ("body", "ilike", "locked")])
        self.assertIn(self.manager.partner_id, lock_message.partner_ids, "managers are told")
        # The same cashier on another till is still locked; another cashier there is not.
        other_till = self.till.copy({"name": "Касса 2"})
        self.assertFalse(req.with_user(self.cashier).approve_with_code(self.code_of(self.manager), other_till.id)["ok"])
        colleague = self.cashier.copy({"login": "test_cashier_colleague"})
        other = self.ask(user=colleague)
        self.assertTrue(other.with_user(colleague).approve_with_code(self.code_of(self.manager), other_till.id)["ok"])

    def test_lock_ends(self):
        req = self.ask()
        for _ in range(5):
            self.present(req, "111111")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE clever_approval_attempt SET create_date = %s WHERE request_id = %s",
            (fields.Datetime.now() - timedelta(minutes=11), req.id),
        )
        self.env.invalidate_all()
        self.assertTrue(self.present(req, self.code_of(self.manager))["ok"])

    def test_secrets_are_unreadable(self):
        self.code_of(self.manager)
        for role in ("cashier", "manager", "admin"):
            with self.assertRaises(AccessError, msg=role):
                self.env["clever.approval.key"].with_user(self.users[role]).search([]).read(["secret"])
        values = self.ask().with_user(self.cashier).read_for_dialog()
        key = self.env["clever.approval.key"]._for_user(self.manager)
        self.assertNotIn(key.secret, str(values))

    # -- the phone ---------------------------------------------------------------------------

    def test_reject_and_cancel(self):
        req = self.ask()
        req.with_user(self.manager).action_reject(note="Не положено")
        self.assertEqual((req.state, req.decided_by_id, req.decision_note), ("rejected", self.manager, "Не положено"))
        other = self.ask()
        with self.assertRaises(AccessError):
            other.with_user(self.users["courier"]).action_cancel()
        other.with_user(self.cashier).action_cancel()
        self.assertEqual(other.state, "cancelled")
        self.assertFalse(self.present(other, self.code_of(self.manager))["ok"])

    def test_pending_request_expires(self):
        req = self.ask()
        req.sudo().expires_at = fields.Datetime.now() - timedelta(seconds=1)
        self.Request._cron_expire()
        self.assertEqual(req.state, "expired")

    # -- the guard ---------------------------------------------------------------------------

    def test_guard_refuses_without_approval_and_uses_it_once(self):
        with self.assertRaisesRegex(UserError, "needs a manager's approval"):
            self.Request._check_approved("refund", self.product, amount=5000)
        req = self.ask(amount=5000)
        self.present(req, self.code_of(self.manager))
        with self.assertRaisesRegex(UserError, "needs a manager's approval"):
            self.Request._check_approved("refund", self.product, amount=9000)  # more than approved
        self.assertEqual(self.Request._check_approved("refund", self.product, amount=5000), req)
        self.assertTrue(req.used_at)
        with self.assertRaisesRegex(UserError, "needs a manager's approval"):
            self.Request._check_approved("refund", self.product, amount=5000)
        self.assertFalse(self.Request._check_approved("cash_out", self.product, amount=100), "below the threshold: nothing to check")

    # -- offline tills -----------------------------------------------------------------------

    def test_offline_proof_verified_on_sync(self):
        scanned_at = time.time() - 20
        proof = {"code": self.code_of(self.manager, t=scanned_at), "at": scanned_at}
        req = self.Request.with_user(self.cashier)._verify_offline_proof("refund", self.product, proof, amount=3000)
        self.assertEqual((req.state, req.decision_method, req.needs_review), ("approved", "offline_qr", False))
        self.assertTrue(req.used_at)

    def test_bad_offline_proof_flags_for_review(self):
        proof = {"code": "CPA1:%s:123456" % self.manager.id, "at": time.time()}
        req = self.Request.with_user(self.cashier)._verify_offline_proof("refund", self.product, proof, amount=3000)
        self.assertTrue(req.needs_review)
        self.assertEqual(req.state, "rejected")
        activity = self.env["mail.activity"].search([("res_model", "=", "product.template"), ("res_id", "=", self.product.id)])
        self.assertIn(self.manager, activity.user_id, "managers get an activity to review")
