"""Every user-visible string of every clever_pos module ships in Russian and Kazakh.

For each addons/clever_pos_*/i18n/<module>.pot: ru.po and kk.po exist with the right language and
plural headers, translate every msgid (nothing empty, nothing fuzzy), and keep each placeholder
(%(name)s, %s, %d) exactly, so that a translated message never breaks at run time.
"""

import pathlib
import re

import polib
import pytest

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
MODULES = sorted(p.name for p in ADDONS.glob("clever_pos_*") if (p / "__manifest__.py").exists())
PLACEHOLDER = re.compile(r"%\([a-zA-Z_0-9]+\)[sdf]|%[sdf]")
PLURALS = {"ru": "nplurals=3;", "kk": "nplurals=2;"}


@pytest.mark.parametrize("module", MODULES)
@pytest.mark.parametrize("lang", sorted(PLURALS))
def test_module_is_fully_translated(module, lang):
    folder = ADDONS / module / "i18n"
    template = polib.pofile(str(folder / f"{module}.pot"))
    msgids = {entry.msgid for entry in template if entry.msgid}
    assert msgids, f"{module}.pot is empty"
    catalogue = polib.pofile(str(folder / f"{lang}.po"))
    assert catalogue.metadata.get("Language") == lang
    assert PLURALS[lang] in catalogue.metadata.get("Plural-Forms", "")
    translations = {entry.msgid: entry for entry in catalogue if not entry.obsolete}
    missing = sorted(m for m in msgids if m not in translations or not translations[m].msgstr)
    assert not missing, f"{module}/{lang}.po lacks {len(missing)} strings, e.g. {missing[:5]}"
    fuzzy = sorted(m for m in msgids if "fuzzy" in translations[m].flags)
    assert not fuzzy, f"{module}/{lang}.po has fuzzy entries, e.g. {fuzzy[:5]}"
    for msgid in msgids:
        assert sorted(PLACEHOLDER.findall(translations[msgid].msgstr)) == sorted(PLACEHOLDER.findall(msgid)), (
            f"{module}/{lang}.po changes the placeholders of {msgid!r}"
        )
