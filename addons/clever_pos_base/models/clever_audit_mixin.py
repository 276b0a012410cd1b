from odoo import api, models

# Names that mark a secret field (with groups base.group_system): its values are never logged.
SECRET_MARKS = ("password", "token", "secret", "api_key", "apikey", "private_key")
NOT_AUDITED = frozenset(
    {"id", "create_uid", "create_date", "write_uid", "write_date", "display_name", "message_ids",
     "message_follower_ids", "activity_ids", "website_message_ids", "message_main_attachment_id"}
)
MAX_VALUE = 500


class CleverAuditMixin(models.AbstractModel):
    """Keep every change of the model's audited fields in clever.audit.log.

    A model inherits it and may set ``_clever_audit_fields`` (a tuple of field names; empty:
    every stored field that is not computed) or override ``_clever_audit_field_names``."""

    _name = "clever.audit.mixin"
    _description = "Audit log mixin"

    _clever_audit_fields = ()
    # Fields kept out of the default list: bookkeeping written by scheduled jobs, not settings.
    _clever_audit_exclude = ()

    def _clever_audit_field_names(self):
        if self._clever_audit_fields:
            return [name for name in self._clever_audit_fields if name in self._fields]
        return [
            name
            for name, field in self._fields.items()
            if field.store
            and not field.compute
            and not field.related
            and name not in NOT_AUDITED
            and name not in self._clever_audit_exclude
            and field.type not in ("binary", "one2many", "html")
            # read-only fields are written by the system (last sync, last error...), except secrets
            and (not field.readonly or any(mark in name for mark in SECRET_MARKS))
        ]

    def _clever_audit_is_secret(self, field):
        """Passwords, tokens and keys: the log says "changed" and keeps no value."""
        name = field.name.lower()
        if any(mark in name for mark in SECRET_MARKS):
            return True
        return "base.group_system" in (field.groups or "") and ("key" in name or "email" in name)

    def _clever_audit_format(self, field, value):
        if field.type in ("many2one", "many2many", "one2many"):
            # value is a recordset read as superuser: names, sorted for a stable text
            return ", ".join(sorted(value.mapped("display_name"))) if value else ""
        if field.type == "selection":
            selection = dict(field._description_selection(self.env))
            return str(selection.get(value, value or ""))
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if value is False or value is None:
            return ""
        return str(value)[:MAX_VALUE]

    def _clever_audit_records(self):
        """The records whose changes are logged (all by default)."""
        return self

    def _clever_audit_snapshot(self, names):
        snapshot = {}
        for record in self.sudo().with_context(active_test=False):
            snapshot[record.id] = {
                name: record._clever_audit_format(record._fields[name], record[name]) for name in names
            }
        return snapshot

    def _clever_audit_company(self):
        self.ensure_one()
        company = self["company_id"] if "company_id" in self._fields and self._name != "res.users" else False
        if self._name == "res.company":
            company = self
        return (company or self.env.company).id

    def _clever_audit_log(self, operation, old, new, names):
        vals_list = []
        model_name = self.env["ir.model"]._get(self._name).name
        for record in self.sudo()._clever_audit_records():
            before = old.get(record.id, {})
            after = new.get(record.id, {})
            for name in names:
                old_value, new_value = before.get(name, ""), after.get(name, "")
                if operation == "write" and old_value == new_value:
                    continue
                if operation == "create" and not new_value:
                    continue
                field = record._fields[name]
                secret = record._clever_audit_is_secret(field)
                vals_list.append(
                    {
                        "user_id": self.env.uid,
                        "company_id": record._clever_audit_company(),
                        "model": record._name,
                        "model_name": model_name,
                        "res_id": record.id,
                        "res_name": (record.display_name or "")[:200],
                        "operation": operation,
                        "field_name": name,
                        "field_description": field._description_string(self.env),
                        "old_value": False if secret else old_value,
                        "new_value": False if secret else new_value,
                        "secret": secret,
                    }
                )
        if vals_list:
            self.env["clever.audit.log"].sudo().create(vals_list)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if not self.env.context.get("clever_audit_skip"):
            names = records._clever_audit_field_names()
            records._clever_audit_log("create", {}, records._clever_audit_snapshot(names), names)
        return records

    def write(self, vals):
        if self.env.context.get("clever_audit_skip") or not self:
            return super().write(vals)
        audited = set(self._clever_audit_field_names())
        names = [name for name in vals if name in audited]
        if not names:
            return super().write(vals)
        old = self._clever_audit_snapshot(names)
        result = super().write(vals)
        self._clever_audit_log("write", old, self._clever_audit_snapshot(names), names)
        return result
