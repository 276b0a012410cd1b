from odoo import api, models


class ResLang(models.Model):
    _inherit = "res.lang"

    @api.model
    def clever_install_languages(self, codes):
        """Activate the languages and load their translations for every installed module, as
        Settings > Languages > Add does (used by the demo shop for Russian and Kazakh)."""
        for code in codes:
            self._activate_lang(code)
        modules = self.env["ir.module.module"].search([("state", "=", "installed")])
        modules._update_translations(list(codes))
        return True
