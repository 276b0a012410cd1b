from odoo import fields, models
from odoo.exceptions import UserError


class CleverProxyPairWizard(models.TransientModel):
    _name = "clever.proxy.pair.wizard"
    _description = "Pair a register with its device proxy"

    config_id = fields.Many2one("pos.config", string="Register", required=True, ondelete="cascade")
    code = fields.Char(string="Pairing code", help="Shown in the device proxy's log when it starts.")
    origin = fields.Char(
        string="Odoo address",
        required=True,
        help="The address the POS is opened from (scheme, host and port), e.g. https://shop.example.kz.",
    )
    key = fields.Char(
        string="POS key",
        help="When the Odoo server cannot reach the proxy: the key printed by "
        "'python -m clever_proxy pair --origin <Odoo address>' on the till PC.",
    )
    admin_key = fields.Char(string="Administrator key", help="Printed by the same command.")

    def action_pair(self):
        self.ensure_one()
        config = self.config_id
        if self.key or self.admin_key:
            config._clever_check_system()
            if not (self.key and self.admin_key) or self.key.strip() == self.admin_key.strip():
                raise UserError(self.env._("Paste both keys printed by the proxy's pair command."))
            config.sudo().write(
                {
                    "is_posbox": True,
                    "clever_proxy_key": self.key.strip(),
                    "clever_proxy_origin": self.origin.strip(),
                }
            )
            self.env["clever.pos.device.key"]._set(config, self.admin_key.strip())
            return config._clever_notify("paired", True)
        if not self.code:
            raise UserError(self.env._("Type the pairing code shown by the proxy."))
        code = config.clever_proxy_pair(self.code.strip(), self.origin.strip())
        return config._clever_notify(code, True)
