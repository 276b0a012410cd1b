import json
import re

from odoo.tests import TransactionCase, tagged
from odoo.tools import json_default

from .common import CleverTillSetup

# Field names that would carry a secret if a module put one on a model the till loads.
SECRET_NAME = re.compile(r"token|passw|secret|(^|_)pin($|_)|api_?key|private|totp|salt|hash|credential|signature", re.I)

# What stock Odoo sends by design, and why it is not a secret of ours:
# - pos.order / pos.session / pos.config access_token: the portal token of a receipt (printed as
#   the QR of the customer's "get your invoice" link), and the register's own token for its
#   customer display; per record, made to be shown.
# - hr.employee _pin: pos_hr sends the unsalted SHA-1 of each employee's PIN to the browser and
#   checks the PIN there. It switches the cashier on a till; it is never an approval in Clever POS
#   (approvals need a manager's own time-based code, checked by the server).
ALLOWED = {
    ("pos.order", "access_token"),
    ("pos.session", "access_token"),
    ("pos.config", "access_token"),
    ("hr.employee", "_pin"),
}


@tagged("post_install", "-at_install")
class TestPosDataHasNoSecret(CleverTillSetup, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_clever_till()
        # pos_hr is optional (employee PIN login): when installed, its employees are loaded too.
        cls.with_pos_hr = "basic_employee_ids" in cls.env["pos.config"]._fields
        if cls.with_pos_hr:
            cls.config.module_pos_hr = True
            cls.config.basic_employee_ids = cls.env["hr.employee"].create(
                {"name": "Employee with PIN", "pin": "4321", "company_id": cls.company.id}
            )

    def test_nothing_secret_is_loaded_by_the_till(self):
        session = self.open_session()
        for manager in self.managers:
            self.env["clever.approval.key"]._for_user(manager)
        till = session.with_user(self.cashier).with_context(pos_last_server_date=False, pos_limited_loading=True)
        params = till.load_data_params()
        data = till.load_data([])
        self.assertTrue(data["pos.config"] and data["product.product"] and data["clever.pos.return.reason"])

        found = set()
        for model, spec in params.items():
            for name in spec["fields"]:
                if SECRET_NAME.search(name):
                    found.add((model, name))
        for model, records in data.items():
            for record in records if isinstance(records, list) else []:
                for name in record:
                    if SECRET_NAME.search(name):
                        found.add((model, name))
        self.assertEqual(found - ALLOWED, set(), "fields that look secret are sent to the till")
        if self.with_pos_hr:
            self.assertIn(("hr.employee", "_pin"), found)  # pos_hr loaded: the exception is real
        self.assertNotIn("clever.approval.key", data)

        # No approval secret, nor a manager's current code, in what the browser receives.
        dump = json.dumps([params, data], default=json_default)
        for key in self.env["clever.approval.key"].sudo().search([]):
            self.assertNotIn(key.secret, dump)
            self.assertNotIn(key._qr_payload(), dump)
        # pos.config sends all its fields: none of ours is restricted or secret.
        config_fields = {name for name, field in self.env["pos.config"]._fields.items() if name.startswith("clever_")}
        self.assertTrue(config_fields <= set(data["pos.config"][0]))
        self.assertFalse([n for n in config_fields if self.env["pos.config"]._fields[n].groups])
