from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CleverPosCase


# Post-install: with every module of the shop installed (Kaspi feeds, POS loyalty...).
@tagged("post_install", "-at_install")
class TestAuditLog(CleverPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.users["admin"]
        cls.Log = cls.env["clever.audit.log"]
        cls.env["clever.approval.rule"]._create_defaults(cls.company)
        cls.rule = cls.env["clever.approval.rule"]._get_rule("refund", cls.company)

    def _lines(self, record, since_id=0):
        return self.Log.search([("model", "=", record._name), ("res_id", "=", record.id), ("id", ">", since_id)])

    def _last_id(self):
        return self.Log.search([], order="id desc", limit=1).id

    def test_policy_change_is_logged(self):
        start = self._last_id()
        self.rule.with_user(self.admin).write({"min_amount": 25000, "required": True, "validity_minutes": 7})
        lines = self._lines(self.rule, start)
        by_field = {line.field_name: line for line in lines}
        self.assertIn("min_amount", by_field)
        line = by_field["min_amount"]
        self.assertEqual(line.user_id, self.admin)
        self.assertEqual(line.operation, "write")
        self.assertEqual(line.new_value, "25000.0")
        self.assertEqual(line.model_name, self.env["ir.model"]._get("clever.approval.rule").name)
        self.assertTrue(line.field_description)
        # An unchanged value is not logged again.
        self.rule.with_user(self.admin).write({"min_amount": 25000})
        self.assertEqual(len(self._lines(self.rule, start).filtered(lambda l: l.field_name == "min_amount")), 1)

    def test_role_change_is_logged(self):
        cashier = self.users["cashier"]
        start = self._last_id()
        manager_group = self.env.ref("clever_pos_base.group_clever_manager")
        cashier.with_user(self.admin).write({"group_ids": [Command.link(manager_group.id)]})
        line = self._lines(cashier, start).filtered(lambda l: l.field_name == "group_ids")
        self.assertEqual(len(line), 1)
        self.assertNotIn(manager_group.display_name, line.old_value)
        self.assertIn(manager_group.display_name, line.new_value)
        self.assertEqual(line.user_id, self.admin)

    def test_store_setting_is_logged(self):
        start = self._last_id()
        self.company.with_user(self.admin).write({"clever_receipt_name": "Алма Маркет №2"})
        line = self._lines(self.company, start).filtered(lambda l: l.field_name == "clever_receipt_name")
        self.assertEqual(line.new_value, "Алма Маркет №2")
        # A company field that is not a Clever setting is not logged.
        self.company.with_user(self.admin).write({"street2": "Офис 5"})
        self.assertFalse(self._lines(self.company, start).filtered(lambda l: l.field_name == "street2"))

    def test_secrets_are_logged_without_values(self):
        start = self._last_id()
        secret = "s3cr3t-Zx91-token"
        param = self.env["ir.config_parameter"].sudo()
        param.set_param("clever_pos.test_api_token", secret)
        param.set_param("clever_pos.test_api_token", secret + "2")
        param.set_param("web.base.url.freeze.test", "x")  # not ours: not logged
        records = self.env["ir.config_parameter"].sudo().search([("key", "like", "clever_pos.test_api_token")])
        lines = self._lines(records, start)
        self.assertEqual(lines.mapped("operation"), ["write", "create"])
        self.assertTrue(all(lines.mapped("secret")))
        self.assertFalse(self.Log.search([("id", ">", start), ("model", "=", "ir.config_parameter"), ("res_name", "ilike", "freeze")]))
        if "clever.kaspi.store" in self.env:
            store = self.env["clever.kaspi.store"].search([("company_id", "=", self.company.id)], limit=1) or self.env[
                "clever.kaspi.store"
            ].create({"name": "Audit store", "company_id": self.company.id})
            store.with_user(self.admin).write({"api_token": secret, "name": "Audit store renamed"})
            store_lines = self._lines(store, start)
            token_line = store_lines.filtered(lambda l: l.field_name == "api_token")
            self.assertTrue(token_line.secret)
            self.assertIn("Audit store renamed", store_lines.filtered(lambda l: l.field_name == "name").new_value)
            # Bookkeeping written by the scheduled jobs (read-only fields) is not a setting change.
            store.write({"last_sync_date": "2026-01-01 00:00:00"})
            self.assertFalse(self._lines(store, start).filtered(lambda l: l.field_name == "last_sync_date"))
        every = self.Log.search([("id", ">", start)])
        self.assertTrue(every)
        for line in every:
            self.assertNotIn(secret, (line.old_value or "") + (line.new_value or ""))

    def test_log_is_read_only_and_kept(self):
        self.rule.with_user(self.admin).write({"min_amount": 31000})
        line = self._lines(self.rule)[:1]
        with self.assertRaises(UserError):
            line.sudo().write({"new_value": "forged"})
        with self.assertRaises(UserError):
            line.sudo().unlink()
        with self.assertRaises(AccessError):
            line.with_user(self.admin).unlink()
        # Managers read it; cashiers do not.
        self.assertTrue(line.with_user(self.users["manager"]).new_value)
        with self.assertRaises(AccessError):
            line.with_user(self.users["cashier"]).read(["new_value"])
