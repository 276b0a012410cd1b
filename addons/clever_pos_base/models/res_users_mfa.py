from odoo import models

# Roles that confirm each login with a one-time code sent by e-mail (auth_totp_mail), when their
# company's policy asks for it. The till's roles (cashier, courier, store keeper) are left out on
# purpose: a till must never wait for a mail.
LOGIN_CODE_GROUPS = (
    "clever_pos_base.group_clever_manager",
    "clever_pos_base.group_clever_accountant",
    "clever_pos_base.group_clever_admin",
    "base.group_system",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _mfa_type(self):
        """An authenticator app (auth_totp) or Odoo's global policy (auth_totp.policy) win; else
        the users of the roles above get the code by e-mail of auth_totp_mail (whose _mfa_url()
        then sends them to /web/login/totp, and whose _rpc_api_keys_only() then refuses their
        password on XML-RPC/JSON-RPC: API keys only, as for any second factor)."""
        mfa_type = super()._mfa_type()
        if mfa_type is None and self._clever_login_code_required():
            return "totp_mail"
        return mfa_type

    def _clever_login_code_required(self):
        # Called during the login, as the public user: read the user with su.
        self.ensure_one()
        user = self.sudo()
        return bool(
            user.company_id.clever_login_code_required
            and user._is_internal()
            and any(user._has_group(group) for group in LOGIN_CODE_GROUPS)
        )
