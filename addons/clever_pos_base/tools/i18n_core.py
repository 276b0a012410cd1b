"""Kazakh catalogues that Clever POS ships for Odoo's own modules (issue 8).

Odoo reads the translations of a module's code (Python `_()`, JS `_t()`) only from that module's
own i18n folder: `odoo.tools.translate.get_po_paths(module, lang)` lists `<module>/i18n/<lang>.po`
and `<module>/i18n_extra/<lang>.po`, and both the code-translation cache
(`CodeTranslations._get_code_translations`) and the import of model terms
(`ir.module.module._load_module_terms`) read exactly those files. Stock Odoo 19 has no Kazakh
for the modules a shop uses, so clever_pos_base ships `i18n_core/<module>/kk.po` for them.

`post_load()` (this addon's `post_load` hook, run once per process when the addon is imported)
wraps `get_po_paths` so that, for a Kazakh language (base languages `kk` / `kk_KZ`), it also
yields `clever_pos_base/i18n_core/<module>/<base lang>.po` after the module's own files (ours win
where both translate a term). Nothing in the Odoo tree is touched, other languages are not
affected (a Russian user keeps Odoo's own Russian), and because `_load_module_terms` and the code
cache both go through the wrapper, `-u <core module>`, `--i18n-overwrite`, activating the language
later and the per-language web/Python code caches all see our catalogues.

`ir.module.module._load_module_terms` (models/ir_module_module.py) closes the remaining gap: when clever_pos_base's own
terms are (re)loaded — its install, its upgrade (which every upgrade of a core module it depends on
triggers), `--i18n-overwrite`, or activating Kazakh — it also imports our catalogues' model terms
(menus, fields, views, selections) for the core modules that are installed, since those modules
may have loaded their terms earlier in the same run, before this addon was imported.
"""

import logging
import os
import sys

from odoo.tools import translate

_logger = logging.getLogger(__name__)

I18N_CORE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n_core")
# Base languages (as given by `get_base_langs`) for which we ship catalogues of core modules.
CORE_CATALOGUE_LANGS = ("kk", "kk_KZ")

# Modules that bound `get_po_paths` by name at import time (`from ... import get_po_paths`).
_IMPORTERS = (
    "odoo.addons.base.models.ir_module",
    "odoo.addons.mail.models.template_reset_mixin",
)


def core_catalogue_paths(module_name, lang):
    """Our catalogues of `module_name` for `lang` (absolute paths of files that exist)."""
    for base_lang in translate.get_base_langs(lang):
        if base_lang not in CORE_CATALOGUE_LANGS:
            continue
        path = os.path.join(I18N_CORE_DIR, module_name, base_lang + ".po")
        if os.path.isfile(path):
            yield path


def core_catalogue_modules():
    """Names of the core modules we ship a catalogue for."""
    if not os.path.isdir(I18N_CORE_DIR):
        return []
    return sorted(
        name
        for name in os.listdir(I18N_CORE_DIR)
        if any(os.path.isfile(os.path.join(I18N_CORE_DIR, name, lang + ".po")) for lang in CORE_CATALOGUE_LANGS)
    )


def post_load():
    """Extend `get_po_paths` with our Kazakh catalogues of core modules (idempotent)."""
    current = translate.get_po_paths
    if getattr(current, "_clever_i18n_core", False):
        return
    original = current

    def get_po_paths(module_name, lang):
        yield from original(module_name, lang)
        yield from core_catalogue_paths(module_name, lang)

    get_po_paths._clever_i18n_core = True
    get_po_paths.__wrapped__ = original
    get_po_paths.__doc__ = original.__doc__
    translate.get_po_paths = get_po_paths
    for name in _IMPORTERS:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "get_po_paths", None) is original:
            module.get_po_paths = get_po_paths
    # A Kazakh code catalogue cached by this process before the wrapper existed would lack ours.
    cache = translate.code_translations
    for per_lang in (cache.python_translations, cache.web_translations):
        for key in [key for key in per_lang if key[1].split("_")[0] == "kk"]:
            per_lang.pop(key, None)
    _logger.debug("Clever POS Kazakh catalogues of core modules enabled from %s", I18N_CORE_DIR)

