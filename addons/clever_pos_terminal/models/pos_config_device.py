from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .clever_proxy_client import CleverProxyClient, CleverProxyError, normalize_proxy_url

class PosConfig(models.Model):
    """The register's local device proxy: pairing, receipt printer test, Kaspi POS terminal.

    The POS key (``clever_proxy_key``) only lets this Odoo address use the till's devices and is
    loaded by the POS; the admin key registers the terminal and is kept for administrators only,
    off pos.config (model clever.pos.device.key): the POS receives every field of its register.
    The Kaspi terminal's token stays on the proxy (file mode 0600) and never reaches Odoo.
    """

    _inherit = "pos.config"

    clever_proxy_key = fields.Char(
        string="Device proxy key",
        copy=False,
        readonly=True,
        help="Given by the device proxy at pairing; the POS sends it with every call to the proxy.",
    )
    clever_proxy_id = fields.Char(string="Device proxy", copy=False, readonly=True)
    clever_proxy_origin = fields.Char(
        string="Paired Odoo address",
        copy=False,
        readonly=True,
        help="The Odoo address (scheme, host, port) the proxy accepts calls from.",
    )
    clever_kaspi_terminal_host = fields.Char(
        string="Kaspi terminal IP address", help="Static IP address of the Kaspi POS terminal on the shop network."
    )
    clever_kaspi_terminal_port = fields.Integer(string="Kaspi terminal port", default=8080)
    clever_kaspi_terminal_id = fields.Char(string="Kaspi terminal ID", copy=False, readonly=True)

    # ------------------------------------------------------------------
    # Proxy calls
    # ------------------------------------------------------------------

    def _clever_proxy_client(self, admin=False):
        self.ensure_one()
        if not self.proxy_ip:
            raise UserError(self.env._("Set the address of the device proxy first, e.g. http://127.0.0.1:8089."))
        admin_key = False
        if admin:
            self._clever_check_system()
            admin_key = self.env["clever.pos.device.key"]._get(self)
        return CleverProxyClient(self.proxy_ip, key=self.clever_proxy_key, admin_key=admin_key)

    def _clever_check_system(self):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only an administrator may pair the device proxy or register the Kaspi terminal."))

    def _clever_proxy_message(self, code):
        """The cashier's and manager's text for a proxy status code (the proxy shows no text)."""
        _ = self.env._
        messages = {
            "proxy_not_configured": _("The device proxy address is not set."),
            "proxy_unreachable": _("The device proxy cannot be reached: is it running on the till PC?"),
            "printed": _("The test page was printed."),
            "printer_ok": _("The printer is ready."),
            "printer_paper_low": _("The printer paper roll is nearly finished."),
            "printer_not_configured": _("No printer is configured on the device proxy."),
            "printer_offline": _("The printer cannot be reached: check that it is on and connected."),
            "printer_paper_out": _("The printer is out of paper."),
            "printer_cover_open": _("The printer cover is open."),
            "printer_not_ready": _("The printer reports an error and is not ready."),
            "printer_timeout": _("The printer stopped accepting data."),
            "printer_error": _("The printer failed."),
            "paired": _("The register is paired with the device proxy."),
            "origin_not_paired": _("This Odoo address is not paired with the device proxy."),
            "origin_invalid": _("The Odoo address is not valid."),
            "key_invalid": _("The device proxy does not accept this register's key: pair it again."),
            "admin_key_invalid": _("The device proxy does not accept the administrator key: pair it again."),
            "pairing_code_invalid": _("The pairing code is wrong."),
            "pairing_code_expired": _("The pairing code has expired: restart the proxy to get a new one."),
            "pairing_locked": _("Too many wrong pairing codes: wait five minutes and try again."),
            "terminal_ok": _("The Kaspi terminal answered."),
            "terminal_registered": _("The device proxy is registered on the Kaspi terminal."),
            "terminal_not_configured": _("The Kaspi terminal address is not set."),
            "terminal_not_registered": _("The device proxy is not registered on the Kaspi terminal."),
            "terminal_unreachable": _("The Kaspi terminal cannot be reached."),
            "terminal_error": _("The Kaspi terminal returned an error."),
            "terminal_certificate_changed": _("The Kaspi terminal's certificate changed: register the terminal again."),
            "token_invalid": _("The Kaspi terminal refused the proxy: register the terminal again."),
            "registration_failed": _("The Kaspi terminal did not accept the registration."),
        }
        return messages.get(code) or self.env._("Device proxy answer: %(code)s", code=code)

    def _clever_notify(self, code, success, title=None):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title or self.env._("Device proxy"),
                "message": self._clever_proxy_message(code),
                "type": "success" if success else "danger",
                "sticky": not success,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def clever_proxy_pair(self, code, origin=None):
        """Pair this register with the proxy (the code is shown in the proxy's log).

        The register's existing keys are reused, so one register can be paired with the proxies
        of several PCs. Returns the proxy's status code."""
        self.ensure_one()
        self._clever_check_system()
        url = normalize_proxy_url(self.proxy_ip)
        if not url:
            raise UserError(self.env._("Set the address of the device proxy first, e.g. http://127.0.0.1:8089."))
        origin = origin or self.get_base_url()
        client = CleverProxyClient(url)
        sudo = self.sudo()
        try:
            answer = client.pair(
                code, origin, self.name, key=sudo.clever_proxy_key, admin_key=self.env["clever.pos.device.key"]._get(self)
            )
        except CleverProxyError as exc:
            raise UserError(self._clever_proxy_message(exc.code)) from exc
        sudo.write(
            {
                "proxy_ip": url,
                "is_posbox": True,
                "clever_proxy_key": answer["key"],
                "clever_proxy_id": answer.get("proxy_id"),
                "clever_proxy_origin": answer.get("origin"),
            }
        )
        self.env["clever.pos.device.key"]._set(self, answer["admin_key"])
        return answer.get("code") or "paired"

    def action_clever_proxy_pair(self):
        self.ensure_one()
        self._clever_check_system()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pair with the device proxy"),
            "res_model": "clever.proxy.pair.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_config_id": self.id, "default_origin": self.get_base_url()},
        }

    def action_clever_proxy_test_print(self):
        self.ensure_one()
        try:
            answer = self._clever_proxy_client().call("/clever/printer/test", timeout=30)
        except CleverProxyError as exc:
            return self._clever_notify(exc.code, False)
        return self._clever_notify(answer.get("code") or "printer_error", bool(answer.get("result")))

    def action_clever_kaspi_register(self):
        """Register the proxy on the Kaspi terminal; the cashier approves it on the terminal."""
        self.ensure_one()
        if not self.clever_kaspi_terminal_host:
            raise UserError(self.env._("Set the Kaspi terminal's IP address first."))
        params = {"host": self.clever_kaspi_terminal_host.strip(), "name": self.name}
        if self.clever_kaspi_terminal_port:
            params["port"] = self.clever_kaspi_terminal_port
        try:
            answer = self._clever_proxy_client(admin=True).call("/clever/terminal/register", params, admin=True, timeout=150)
        except CleverProxyError as exc:
            return self._clever_notify(exc.code, False)
        if answer.get("registered"):
            self.sudo().clever_kaspi_terminal_id = (answer.get("terminal") or {}).get("terminal_id") or False
        return self._clever_notify(answer.get("code") or "registration_failed", bool(answer.get("registered")))

    def action_clever_kaspi_test(self):
        self.ensure_one()
        try:
            answer = self._clever_proxy_client().call("/clever/terminal/test", timeout=40)
        except CleverProxyError as exc:
            return self._clever_notify(exc.code, False)
        if answer.get("ok"):
            self.sudo().clever_kaspi_terminal_id = (answer.get("device") or {}).get("terminal_id") or False
        return self._clever_notify(answer.get("code") or "terminal_error", bool(answer.get("ok")))
