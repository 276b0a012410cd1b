from odoo import models


class IrConfigParameter(models.Model):
    _name = "ir.config_parameter"
    _inherit = ["ir.config_parameter", "clever.audit.mixin"]

    # Our system parameters (keys starting with clever_pos) are kept in the audit log.
    _clever_audit_fields = ("value",)

    def _clever_audit_records(self):
        return self.filtered(lambda param: (param.key or "").startswith("clever_pos"))

    def _clever_audit_is_secret(self, field):
        key = (self.key or "").lower()
        return any(mark in key for mark in ("password", "token", "secret", "key")) or super()._clever_audit_is_secret(
            field
        )
