import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path

PLACEHOLDER_RE = re.compile(r"%\([a-zA-Z_0-9]+\)[sdf]|%[sdf]")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_string_in_russian_and_kazakh(self):
        pot = polib.pofile(file_path("clever_pos_finance/i18n/clever_pos_finance.pot"))
        msgids = {entry.msgid for entry in pot if entry.msgid}
        self.assertGreater(len(msgids), 100)
        for lang, plural in (("ru", "nplurals=3;"), ("kk", "nplurals=2;")):
            po = polib.pofile(file_path(f"clever_pos_finance/i18n/{lang}.po"))
            self.assertEqual(po.metadata.get("Language"), lang)
            self.assertIn(plural, po.metadata.get("Plural-Forms", ""))
            translations = {entry.msgid: entry.msgstr for entry in po if not entry.obsolete}
            missing = sorted(msgid for msgid in msgids if not translations.get(msgid))
            self.assertFalse(missing, f"{lang}.po misses {missing[:10]}")
            fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
            self.assertFalse(fuzzy, f"{lang}.po has fuzzy entries {fuzzy[:5]}")
            for msgid in msgids:
                self.assertEqual(
                    sorted(PLACEHOLDER_RE.findall(translations[msgid])),
                    sorted(PLACEHOLDER_RE.findall(msgid)),
                    f"{lang}: placeholders differ in {msgid!r}",
                )
