"""Translation coverage of Clever POS (`make i18n-report`), without a database.

For every addon `addons/clever_pos_*`: translated/total of its `i18n/ru.po` and `i18n/kk.po`
against its `i18n/<addon>.pot`.

For every core catalogue that clever_pos_base ships (`addons/clever_pos_base/i18n_core/<module>/`):
translated/total of our `kk.po` against the core module's `.pot` in the Odoo source tree
(ODOO_SRC, default ~/odoo-19.0), next to the coverage of Odoo's own `ru.po` for comparison.

A message counts as translated when the .po has a non-empty, non-fuzzy msgstr for that msgid
(obsolete entries and msgids that are not in the .pot are ignored). Always exits 0: this is a
report, the tests enforce what must be complete.
"""

import argparse
import csv
import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
I18N_CORE = ADDONS / "clever_pos_base" / "i18n_core"
GLOSSARY = ROOT / "addons" / "clever_pos_base" / "i18n_core" / "glossary.csv"
LANGS = ("ru", "kk")


def odoo_src():
    return Path(os.environ.get("ODOO_SRC") or Path.home() / "odoo-19.0").expanduser()


def core_module_dir(src, module):
    for base in (src / "addons", src / "odoo" / "addons"):
        if (base / module / "__manifest__.py").is_file():
            return base / module
    return None


def is_front_end(entry, module):
    """A string of the module's web front end (static/src), emoji picker data excepted."""
    return any(
        path.startswith(f"code:addons/{module}/static/src/") and "/emoji_picker/" not in path
        for path, _line in entry.occurrences
    )


def coverage(pot_path, po_path, keep=None):
    """(translated, total) of po_path against pot_path; translated is None when po_path is missing.
    `keep`, when given, selects the .pot entries that count."""
    pot = polib.pofile(str(pot_path))
    msgids = {(entry.msgctxt, entry.msgid) for entry in pot if not entry.obsolete and (keep is None or keep(entry))}
    if not po_path or not Path(po_path).is_file():
        return None, len(msgids)
    po = polib.pofile(str(po_path))
    done = {
        (entry.msgctxt, entry.msgid)
        for entry in po
        if not entry.obsolete and "fuzzy" not in entry.flags and (entry.msgstr or any(entry.msgstr_plural.values()))
    }
    return len(msgids & done), len(msgids)


def cell(translated, total):
    if total == 0:
        return "-"
    if translated is None:
        return f"missing/{total}"
    return f"{translated}/{total} ({100 * translated / total:.1f} %)"


def print_table(title, header, rows):
    print(title)
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("{:<%d}" % w for w in widths)
    print("  " + line.format(*header))
    print("  " + line.format(*("-" * w for w in widths)))
    for row in rows:
        print("  " + line.format(*row))
    print()


def our_modules():
    rows = []
    for path in sorted(ADDONS.glob("clever_pos_*")):
        if not (path / "__manifest__.py").is_file():
            continue
        pot = path / "i18n" / f"{path.name}.pot"
        if not pot.is_file():
            rows.append((path.name, "no .pot", "no .pot"))
            continue
        rows.append((path.name, *(cell(*coverage(pot, path / "i18n" / f"{lang}.po")) for lang in LANGS)))
    return rows


def core_catalogues(src):
    rows = []
    totals = {"kk": [0, 0], "ru": [0, 0], "kk_front": [0, 0]}
    if not I18N_CORE.is_dir():
        return rows, totals
    for path in sorted(p for p in I18N_CORE.iterdir() if p.is_dir()):
        module_dir = core_module_dir(src, path.name)
        pot = module_dir and module_dir / "i18n" / f"{path.name}.pot"
        if not pot or not pot.is_file():
            rows.append((path.name, f"no .pot in {src}", "-", "-"))
            continue
        kk = coverage(pot, path / "kk.po")
        ru = coverage(pot, module_dir / "i18n" / "ru.po")
        front = coverage(pot, path / "kk.po", keep=lambda entry, m=path.name: is_front_end(entry, m))
        for lang, (done, total) in (("kk", kk), ("ru", ru), ("kk_front", front)):
            totals[lang][0] += done or 0
            totals[lang][1] += total
        rows.append((path.name, cell(*ru), cell(*kk), cell(*front)))
    return rows, totals


def glossary_check():
    """Catalogue entries whose msgid is a glossary term but whose Kazakh differs from the glossary.
    Homonyms are expected (a stock "Receipt" is қабылдау, a sales receipt is чек): check the context."""
    if not GLOSSARY.is_file():
        return []
    with GLOSSARY.open(encoding="utf-8") as handle:
        terms = {row["en"].strip().lower(): row["kk"].strip() for row in csv.DictReader(handle)}
    files = sorted(I18N_CORE.glob("*/kk.po")) + sorted(ADDONS.glob("clever_pos_*/i18n/kk.po"))
    rows = []
    for path in files:
        module = path.parent.name if path.parent.parent == I18N_CORE else path.parent.parent.name
        for entry in polib.pofile(str(path)):
            expected = terms.get(entry.msgid.strip().lower())
            if expected and entry.msgstr and entry.msgstr.strip().lower() != expected.lower():
                rows.append((module, entry.msgid.strip(), entry.msgstr.strip(), expected))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    src = odoo_src()
    print_table("Clever POS modules (i18n/<lang>.po vs i18n/<module>.pot)", ("module", "ru", "kk"), our_modules())
    rows, totals = core_catalogues(src)
    if rows:
        rows.append(("TOTAL", cell(*totals["ru"]), cell(*totals["kk"]), cell(*totals["kk_front"])))
    print_table(
        f"Core catalogues shipped in clever_pos_base/i18n_core (vs {src}/.../<module>.pot);"
        " ru = Odoo's own ru.po, kk = ours; front end = static/src strings without emoji data",
        ("module", "ru (Odoo)", "kk (Clever POS)", "kk front end"),
        rows,
    )
    differences = glossary_check()
    if differences:
        print_table(
            "Glossary check (clever_pos_base/i18n_core/glossary.csv): Kazakh differs from the glossary term; homonyms are fine",
            ("module", "msgid", "kk", "glossary"),
            differences,
        )
    else:
        print("Glossary check (clever_pos_base/i18n_core/glossary.csv): every catalogue entry that is a glossary term uses its Kazakh.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
