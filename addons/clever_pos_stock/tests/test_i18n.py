import os

import polib

from odoo.tests import TransactionCase, tagged

MODULE = "clever_pos_stock"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_term_in_russian_and_kazakh(self):
        folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")
        template = polib.pofile(os.path.join(folder, f"{MODULE}.pot"))
        self.assertGreater(len(template), 50)
        for lang in ("ru", "kk"):
            catalog = {entry.msgid: entry.msgstr for entry in polib.pofile(os.path.join(folder, f"{lang}.po"))}
            missing = [entry.msgid for entry in template if not catalog.get(entry.msgid)]
            self.assertFalse(missing, f"{lang}.po lacks {len(missing)} terms, e.g. {missing[:5]}")
