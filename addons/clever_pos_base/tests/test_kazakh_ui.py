"""Kazakh interface (issue 8): the POS screen, the receipt and the core catalogues Clever POS ships.

Stock Odoo 19 has no Kazakh; clever_pos_base ships `i18n_core/<module>/kk.po` for the core
modules a shop uses and extends `get_po_paths` (tools/i18n_core.py) so that Odoo reads them for
both code strings (Python `_()`, JS `_t()`) and model terms (menus, fields, views).
"""

import csv
import os
import re

import polib

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open, file_path
from odoo.tools.translate import code_translations

from odoo.addons.clever_pos_base.tools import i18n_core
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon

# Core modules whose Kazakh catalogue the acceptance of issue 8 requires.
REQUIRED_CATALOGUES = ("point_of_sale", "pos_hr", "web", "product", "stock", "purchase")
PLACEHOLDER_RE = re.compile(r"%\([a-zA-Z_0-9]+\)[sdf]|%[sdf]")


def _web_messages(module, lang):
    return {m["id"]: m["string"] for m in code_translations.get_web_translations(module, lang)["messages"]}


def _load_languages(env, codes):
    """Activate the languages (which loads every installed module's terms) or, when they are
    active already, reload the terms of the core modules we ship catalogues for."""
    langs = env["res.lang"].with_context(active_test=False).search([("code", "in", codes)])
    if not all(langs.mapped("active")) or len(langs) != len(codes):
        env["res.lang"].clever_install_languages(codes)
        return
    modules = env["ir.module.module"].search(
        [("name", "in", [*i18n_core.core_catalogue_modules(), "clever_pos_base"]), ("state", "=", "installed")]
    )
    modules._update_translations(codes)


@tagged("post_install", "-at_install")
class TestKazakhCatalogues(HttpCase):
    """The catalogues themselves and the loading mechanism, without a browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _load_languages(cls.env, ["kk_KZ", "ru_RU"])
        cls.user = cls.env["res.users"].create(
            {
                "name": "Айгүл Серікқызы",
                "login": "kk_cashier",
                "password": "kk_cashier",
                "lang": "ru_RU",
                "group_ids": [Command.set([cls.env.ref("point_of_sale.group_pos_user").id])],
            }
        )

    def test_catalogues_are_shipped_and_well_formed(self):
        shipped = i18n_core.core_catalogue_modules()
        for module in REQUIRED_CATALOGUES:
            self.assertIn(module, shipped, f"no Kazakh catalogue shipped for {module}")
        for module in shipped:
            po = polib.pofile(os.path.join(i18n_core.I18N_CORE_DIR, module, "kk.po"))
            self.assertEqual(po.metadata.get("Language"), "kk", module)
            self.assertEqual(po.metadata.get("Plural-Forms"), "nplurals=2; plural=(n != 1);", module)
            translated = po.translated_entries()
            self.assertTrue(translated, module)
            for entry in translated:
                self.assertEqual(
                    sorted(PLACEHOLDER_RE.findall(entry.msgstr)),
                    sorted(PLACEHOLDER_RE.findall(entry.msgid)),
                    f"{module}: placeholders differ in {entry.msgid!r}",
                )

    def test_pos_front_end_fully_translated(self):
        """Every string of the POS front end (point_of_sale and pos_hr static files) is Kazakh."""
        for module in ("point_of_sale", "pos_hr"):
            po = polib.pofile(os.path.join(i18n_core.I18N_CORE_DIR, module, "kk.po"))
            missing = [
                e.msgid
                for e in po
                if any(o[0].startswith(f"code:addons/{module}/static/src") for o in e.occurrences)
                and not e.msgstr
            ]
            self.assertFalse(missing, f"{module}: untranslated front-end strings: {missing[:10]}")

    def test_code_translations_per_language_without_restart(self):
        """A Russian user keeps Odoo's own Russian, a Kazakh user gets ours, in the same process."""
        with file_open("point_of_sale/i18n/ru.po", "rb") as ru_file:
            odoo_ru = {e.msgid: e.msgstr for e in polib.pofile(ru_file.read().decode())}
        user = self.user
        self.authenticate(user.login, user.login)
        for lang, expected in (
            ("ru_RU", odoo_ru["Payment"]),
            ("kk_KZ", "Төлем"),
            ("ru_RU", odoo_ru["Payment"]),
        ):
            user.lang = lang
            response = self.url_open(f"/web/webclient/translations?mods=point_of_sale,web&lang={lang}")
            self.assertEqual(response.status_code, 200)
            modules = response.json()["modules"]
            pos = {m["id"]: m["string"] for m in modules["point_of_sale"]["messages"]}
            web = {m["id"]: m["string"] for m in modules["web"]["messages"]}
            self.assertEqual(pos["Payment"], expected, lang)
            if lang == "kk_KZ":
                self.assertEqual(pos["Validate"], "Растау")
                self.assertEqual(web["Save"], "Сақтау")
                self.assertEqual(web["Discard"], "Болдырмау")
                self.assertEqual(web["Group By"], "Топтау")
        # Python strings of core code (server messages) follow the user's language too.
        refund = "Refund Orders"
        self.assertEqual(code_translations.get_python_translations("point_of_sale", "kk_KZ")[refund],
                         "Қайтару тапсырыстары")
        self.assertEqual(code_translations.get_python_translations("point_of_sale", "ru_RU").get(refund),
                         odoo_ru[refund])
        self.assertEqual(_web_messages("pos_hr", "kk_KZ")["Select Cashier"], "Кассирді таңдау")

    def test_server_messages_follow_the_user_language(self):
        """An error raised by point_of_sale's Python code reaches a Kazakh user in Kazakh and a
        Russian user in Odoo's Russian."""
        parent = self.env["pos.category"].create({"name": "Сусындар"})
        child = self.env["pos.category"].create({"name": "Шырындар", "parent_id": parent.id})
        with file_open("point_of_sale/i18n/ru.po", "rb") as ru_file:
            odoo_ru = {e.msgid: e.msgstr for e in polib.pofile(ru_file.read().decode())}
        source = "Error! You cannot create recursive categories."
        for lang, expected in (("kk_KZ", "Қате! Рекурсивті санаттар жасауға болмайды."), ("ru_RU", odoo_ru[source])):
            with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
                parent.with_context(lang=lang).parent_id = child
            self.assertEqual(str(caught.exception), expected, lang)

    def test_core_model_terms_in_kazakh(self):
        """Menus, fields and views of the manager's backend come in Kazakh, Russian stays Odoo's."""
        menu = self.env.ref("point_of_sale.menu_point_root")
        self.assertEqual(menu.with_context(lang="kk_KZ").name, "Сату нүктесі")
        self.assertNotEqual(menu.with_context(lang="ru_RU").name, "Сату нүктесі")
        field = self.env["ir.model.fields"]._get("stock.picking", "scheduled_date")
        self.assertEqual(field.with_context(lang="kk_KZ").field_description, "Жоспарланған күні")
        po_field = self.env["ir.model.fields"]._get("purchase.order", "partner_id")
        self.assertEqual(po_field.with_context(lang="kk_KZ").field_description, "Жеткізуші")
        view = self.env.ref("stock.view_picking_form")
        arch = view.with_context(lang="kk_KZ").arch_db
        self.assertIn("Қолжетімділікті тексеру", arch)

    def test_reloading_clever_pos_base_restores_core_terms(self):
        """Loading clever_pos_base's terms (install, upgrade, --i18n-overwrite, activating Kazakh)
        also (re)loads our catalogues' model terms of the core modules already installed."""
        menu = self.env.ref("point_of_sale.menu_point_root")
        self.env.flush_all()
        self.env.cr.execute("UPDATE ir_ui_menu SET name = name - 'kk_KZ' WHERE id = %s", [menu.id])
        self.env.invalidate_all()
        self.assertEqual(menu.with_context(lang="kk_KZ").name, "Point of Sale")
        self.env["ir.module.module"].search([("name", "=", "clever_pos_base")])._update_translations(["kk_KZ"])
        self.env.invalidate_all()
        self.assertEqual(menu.with_context(lang="kk_KZ").name, "Сату нүктесі")

    def test_glossary(self):
        """i18n_core/glossary.csv: the shop terms in English, Russian and Kazakh, none missing."""
        path = file_path("clever_pos_base/i18n_core/glossary.csv")
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.assertGreaterEqual(len(rows), 80)
        for row in rows:
            for column in ("en", "ru", "kk"):
                self.assertTrue(row[column].strip(), f"{row} lacks {column}")
        kk = {row["en"].lower(): row["kk"] for row in rows}
        # The catalogues use the glossary's words for the key POS terms.
        messages = _web_messages("point_of_sale", "kk_KZ")
        for term in ("Receipt", "Refund", "Customer", "Cash", "Change", "Payment", "Tax", "Total", "Discard"):
            self.assertEqual(messages[term].lower(), kk[term.lower()], term)


@tagged("post_install", "-at_install")
class TestKazakhPosTour(TestPointOfSaleHttpCommon):
    """A Kazakh cashier's sale, receipt, ticket list and closing dialog, all in Kazakh."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        _load_languages(env, ["kk_KZ"])
        kk = {"lang": "kk_KZ"}
        # A Kazakh shop names its things in Kazakh: the deny-list then only catches interface text.
        cls.company_data["company"].name = "Clever дүкені"
        cls.pos_user.write({"name": "Айгүл Серікқызы", "lang": "kk_KZ"})
        category = env["pos.category"].create({"name": "Нан-тоқаш"})
        cls.kk_bread = env["product.template"].create(
            {
                "name": "Бородино наны",
                "available_in_pos": True,
                "list_price": 350,
                "taxes_id": False,
                "pos_categ_ids": [Command.set(category.ids)],
            }
        )
        env["product.template"].create(
            {
                "name": "Айран",
                "available_in_pos": True,
                "list_price": 420,
                "taxes_id": False,
                "pos_categ_ids": [Command.set(category.ids)],
            }
        )
        config = cls.main_pos_config
        # This test is about language: the shop opens and closes its shifts without a manager's
        # approval (policy lines of clever_pos_base), whatever module enforces that policy.
        rules = env["clever.approval.rule"].sudo()
        rules._create_defaults(config.company_id)
        rules.search(
            [("company_id", "=", config.company_id.id), ("action", "in", ("shift_open", "shift_close"))]
        ).write({"required": False})
        config.write(
            {
                "name": "Алматы дүкені",
                "limit_categories": True,
                "iface_available_categ_ids": [Command.set(category.ids)],
            }
        )
        for method in config.payment_method_ids:
            method.with_context(**kk).name = "Қолма-қол" if method.is_cash_count else "Карта"
        if not config.payment_method_ids.filtered("is_cash_count"):
            cash_journal = env["account.journal"].search(
                [("type", "=", "cash"), ("company_id", "=", config.company_id.id)], limit=1
            )
            config.payment_method_ids |= env["pos.payment.method"].with_context(**kk).create(
                {"name": "Қолма-қол", "journal_id": cash_journal.id, "is_cash_count": True}
            )
        if not config.payment_method_ids.filtered(lambda m: not m.is_cash_count):
            config.payment_method_ids |= cls.bank_payment_method
            cls.bank_payment_method.with_context(**kk).name = "Карта"

    def test_kazakh_pos_tour(self):
        self.assertTrue(self.main_pos_config.cash_control)
        self.start_pos_tour("clever_pos_base.KazakhPosTour", login="pos_user")
        order = self.env["pos.order"].search([("config_id", "=", self.main_pos_config.id)], limit=1)
        self.assertEqual(order.state, "paid")
        self.assertEqual(order.lines.product_id.product_tmpl_id, self.kk_bread)
