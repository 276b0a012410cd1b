import base64
import binascii
import json

from odoo import api, fields, models
from odoo.exceptions import UserError


class CleverPosConfigImportWizard(models.TransientModel):
    """Set a register up like another one: load the JSON file exported from the first register
    (see pos.config.action_clever_export_settings) into this one."""

    _name = "clever.pos.config.import.wizard"
    _description = "Import register settings"

    config_id = fields.Many2one("pos.config", string="Register", required=True)
    settings_file = fields.Binary(string="Settings file", required=True)
    settings_filename = fields.Char(string="File name")
    result = fields.Text(string="Result", readonly=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "pos.config" and context.get("active_id") and "config_id" in fields_list:
            values["config_id"] = context["active_id"]
        return values

    def action_import(self):
        self.ensure_one()
        try:
            payload = json.loads(base64.b64decode(self.settings_file or b"").decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise UserError(self.env._("This is not a register settings file.")) from error
        warnings = self.config_id._clever_import_settings(payload)
        lines = [self.env._("Settings loaded into %(register)s.", register=self.config_id.display_name)]
        if warnings:
            lines.append(self.env._("Not found here, left as they were:"))
            lines.extend(f"- {warning}" for warning in warnings)
        self.write({"state": "done", "result": "\n".join(lines)})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import register settings"),
        }
