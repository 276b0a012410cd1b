from odoo import fields, models


class CleverApprovalAttempt(models.Model):
    """Every manager code presented for a request, right or wrong: the audit trail, and what the
    lock after repeated wrong codes counts."""

    _name = "clever.approval.attempt"
    _description = "Approval code attempt"
    _order = "id desc"

    request_id = fields.Many2one("clever.approval.request", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", string="Presented by", required=True, default=lambda self: self.env.user, index=True)
    pos_config_id = fields.Many2one("pos.config", string="Register", index="btree_not_null")
    approver_id = fields.Many2one("res.users", string="Code of")
    success = fields.Boolean()
    create_date = fields.Datetime(index=True)
