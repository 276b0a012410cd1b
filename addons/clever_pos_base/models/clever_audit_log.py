from odoo import api, fields, models
from odoo.exceptions import UserError


class CleverAuditLog(models.Model):
    """Who changed which setting, policy line, role or Kaspi store, when, from what to what.

    Written only by clever.audit.mixin (as superuser); read-only and never deleted. Secret
    fields are logged as changed, without their values."""

    _name = "clever.audit.log"
    _description = "Audit log"
    _order = "date desc, id desc"
    _rec_name = "res_name"

    date = fields.Datetime(string="When", readonly=True, default=fields.Datetime.now, index=True)
    user_id = fields.Many2one("res.users", string="Who", readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", string="Company", readonly=True, index=True)
    model = fields.Char(string="Model", readonly=True, index=True)
    model_name = fields.Char(string="Object", readonly=True)
    res_id = fields.Integer(string="Record ID", readonly=True, index=True)
    res_name = fields.Char(string="Record", readonly=True)
    operation = fields.Selection(
        [("create", "Created"), ("write", "Changed"), ("unlink", "Deleted")], readonly=True, required=True
    )
    field_name = fields.Char(string="Field", readonly=True)
    field_description = fields.Char(string="Field label", readonly=True)
    old_value = fields.Text(string="Old value", readonly=True)
    new_value = fields.Text(string="New value", readonly=True)
    secret = fields.Boolean(string="Secret", readonly=True, help="A secret: only the fact of the change is kept.")

    def write(self, vals):
        raise UserError(self.env._("The audit log cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The audit log is never deleted."))
