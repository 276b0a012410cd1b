from odoo import api, fields, models


class CleverPosDeviceKey(models.Model):
    """The device proxy's administrator key of a register, for administrators only.

    Kept off pos.config on purpose: the POS receives every field of its register, so no field of
    pos.config may ever hold a secret. The Kaspi terminal's token never reaches Odoo at all (it
    stays on the proxy)."""

    _name = "clever.pos.device.key"
    _description = "Device proxy administrator key of a register"

    config_id = fields.Many2one("pos.config", string="Register", required=True, index=True, ondelete="cascade")
    admin_key = fields.Char(string="Device proxy administrator key", copy=False, groups="base.group_system")

    _config_unique = models.Constraint("UNIQUE(config_id)", "A register has one device proxy administrator key.")

    @api.model
    def _get(self, config):
        return self.sudo().search([("config_id", "=", config.id)], limit=1).admin_key or False

    @api.model
    def _set(self, config, admin_key):
        record = self.sudo().search([("config_id", "=", config.id)], limit=1)
        if record:
            record.admin_key = admin_key
        else:
            self.sudo().create({"config_id": config.id, "admin_key": admin_key})
