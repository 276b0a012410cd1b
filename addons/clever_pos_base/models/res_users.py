from odoo import api, models, tools
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools import kz_validation

# The roles of Clever POS that may see purchase prices and costs; cashiers and couriers
# without one of them never do (see clever.cost.guard).
COST_GROUP = "clever_pos_base.group_clever_cost"
FRONT_LINE_GROUPS = ("clever_pos_base.group_clever_cashier", "clever_pos_base.group_clever_courier")


class ResUsers(models.Model):
    _name = "res.users"
    _inherit = ["res.users", "clever.audit.mixin"]

    # Roles: every change of a user's groups is kept in the audit log.
    _clever_audit_fields = ("group_ids",)

    @api.model
    def _get_login_domain(self, login):
        """Also accept the user's phone number, in any common Kazakh spelling, as the login."""
        domain = super()._get_login_domain(login)
        if kz_validation.looks_like_phone(login):
            e164 = kz_validation.phone_e164(login)
            if e164:
                domain = Domain.OR([domain, Domain("partner_id.phone_sanitized", "=", e164)])
        return domain

    def _clever_hides_cost(self):
        """True for a cashier or courier who has no role that may see costs."""
        self.ensure_one()
        return self._clever_hides_cost_cached() if self.id else self._clever_hides_cost_uncached()

    @tools.ormcache("self.id")
    def _clever_hides_cost_cached(self):
        # Asked for every cost field read (the POS reads thousands of products): cached like
        # _get_group_ids() itself, in the same cache that group changes clear.
        return self._clever_hides_cost_uncached()

    def _clever_hides_cost_uncached(self):
        return not self._has_group(COST_GROUP) and any(self._has_group(g) for g in FRONT_LINE_GROUPS)

    def _clever_is_approver(self):
        self.ensure_one()
        return self.has_group("clever_pos_base.group_clever_manager")

    def action_clever_renew_approval_qr(self):
        """Renew the user's own approval secret: every QR shown before stops working at once."""
        self.ensure_one()
        if self != self.env.user:
            raise AccessError(self.env._("Only the owner can renew their approval QR."))
        self.env["clever.approval.key"]._for_user(self)._renew()
        return True
