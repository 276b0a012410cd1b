import os

import polib

from odoo.tests import TransactionCase, tagged

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_string_is_translated_in_russian_and_kazakh(self):
        template = polib.pofile(os.path.join(I18N, "clever_pos_kaspi.pot"))
        msgids = {entry.msgid for entry in template if entry.msgid}
        self.assertTrue(msgids)
        for lang in ("ru", "kk"):
            catalogue = {entry.msgid: entry for entry in polib.pofile(os.path.join(I18N, f"{lang}.po"))}
            with self.subTest(lang=lang):
                missing = sorted(m for m in msgids if m not in catalogue or not catalogue[m].msgstr)
                self.assertFalse(missing, f"untranslated in {lang}.po: {missing[:5]}")
                for msgid in msgids:
                    for placeholder in ("%(", "%s"):
                        self.assertEqual(
                            msgid.count(placeholder),
                            catalogue[msgid].msgstr.count(placeholder),
                            f"{lang}.po changes the placeholders of {msgid!r}",
                        )
