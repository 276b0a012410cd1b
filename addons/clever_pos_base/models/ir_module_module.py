import logging

from odoo import api, models
from odoo.tools import translate

from ..tools.i18n_core import CORE_CATALOGUE_LANGS, core_catalogue_modules, core_catalogue_paths, post_load

_logger = logging.getLogger(__name__)


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _register_hook(self):
        # Odoo runs the post_load hook only when it imports the addon itself; a process that imported
        # it earlier (a test runner collecting our tests, another addon's import) would skip it.
        post_load()
        return super()._register_hook()

    @api.model
    def _load_module_terms(self, modules, langs, overwrite=False):
        post_load()  # no-op once the wrapper is in place
        super()._load_module_terms(modules, langs, overwrite=overwrite)
        if "clever_pos_base" not in modules:
            return
        kk_langs = [lang for lang in langs if set(translate.get_base_langs(lang)) & set(CORE_CATALOGUE_LANGS)]
        shipped = [name for name in core_catalogue_modules() if name not in modules]
        if not kk_langs or not shipped:
            return
        installed = self.sudo().search([("name", "in", shipped), ("state", "in", ("installed", "to upgrade"))])
        if not installed:
            return
        importer = translate.TranslationImporter(self.env.cr, verbose=False)
        for module_name in installed.mapped("name"):
            for lang in kk_langs:
                for path in core_catalogue_paths(module_name, lang):
                    _logger.info("module %s: loading Clever POS catalogue %s for language %s", module_name, path, lang)
                    importer.load_file(path, lang)
        importer.save(overwrite=overwrite)
