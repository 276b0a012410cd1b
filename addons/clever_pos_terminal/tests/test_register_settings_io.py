import base64
import json

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.clever_pos_terminal.models.pos_config import SECRET_FIELD


# Post-install: with every module of the shop installed (Kaspi feeds, POS loyalty...).
@tagged("post_install", "-at_install")
class TestRegisterSettingsIO(TransactionCase):
    """Export the settings of "Касса 1" to a JSON file and load it into a new register."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        cls.company = cls.env.ref("base.demo_company_kz")
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        env = cls.env
        cls.admin = new_test_user(
            env, login="clever_io_admin", groups="clever_pos_base.group_clever_admin",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )
        cls.manager = new_test_user(
            env, login="clever_io_manager", groups="clever_pos_base.group_clever_manager,point_of_sale.group_pos_manager",
            company_id=cls.company.id, company_ids=[cls.company.id],
        )
        Journal = env["account.journal"].with_company(cls.company)
        profit = cls.company.default_cash_difference_income_account_id
        loss = cls.company.default_cash_difference_expense_account_id

        def cash(code):
            journal = Journal.create({"name": f"IO cash {code}", "type": "cash", "code": code, "company_id": cls.company.id,
                                      "profit_account_id": profit.id, "loss_account_id": loss.id})
            return env["pos.payment.method"].create({"name": f"Наличные {code}", "journal_id": journal.id, "company_id": cls.company.id})

        bank = Journal.create({"name": "IO Kaspi QR", "type": "bank", "code": "IOKQ", "company_id": cls.company.id})
        cls.kaspi_pm = env["pos.payment.method"].create({"name": "Kaspi QR (IO)", "journal_id": bank.id, "company_id": cls.company.id})
        cls.cash1 = cash("IOC1")
        cls.cash2 = cash("IOC2")
        cls.pricelist = env["product.pricelist"].create({"name": "IO Розница", "company_id": cls.company.id,
                                                         "currency_id": cls.company.currency_id.id})
        cls.favorite = env["product.product"].create({"name": "IO Хлеб", "available_in_pos": True, "list_price": 200})
        cls.config1 = env.ref("clever_pos_base.pos_config_alma_market_demo", raise_if_not_found=False) or env[
            "pos.config"
        ].create({"name": "Касса 1", "company_id": cls.company.id})
        if cls.config1.current_session_id:
            cls.config1 = cls.config1.copy({"name": "Касса 1 (копия)"})
        cls.config1.write(
            {
                "payment_method_ids": [Command.set((cls.cash1 | cls.kaspi_pm).ids)],
                "clever_till": True,
                "clever_max_discount": 7.5,
                "clever_free_line": True,
                "clever_favorite_product_ids": [Command.set(cls.favorite.ids)],
                "is_header_or_footer": True,
                "receipt_header": "Алма Маркет — добро пожаловать",
                "receipt_footer": "Рахмет! Спасибо за покупку!",
                "use_pricelist": True,
                "pricelist_id": cls.pricelist.id,
                "available_pricelist_ids": [Command.set(cls.pricelist.ids)],
                "manual_discount": True,
            }
        )
        cls.config2 = env["pos.config"].create(
            {"name": "Касса 2", "company_id": cls.company.id, "payment_method_ids": [Command.set(cls.cash2.ids)]}
        )

    def _export(self):
        action = self.config1.with_user(self.manager).action_clever_export_settings()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        return self.env["ir.attachment"].browse(attachment_id).raw

    def _import(self, raw, config=None, user=None):
        wizard = (
            self.env["clever.pos.config.import.wizard"]
            .with_user(user or self.admin)
            .with_context(active_model="pos.config", active_id=(config or self.config2).id)
            .create({"settings_file": base64.b64encode(raw), "settings_filename": "kassa1.json"})
        )
        wizard.action_import()
        return wizard

    def _assert_same_settings(self, exported):
        config1, config2 = self.config1, self.config2
        for name in exported["settings"]:
            field = config1._fields[name]
            if name == "payment_method_ids":
                continue
            if field.type in ("many2one", "many2many"):
                self.assertEqual(config2[name], config1[name], name)
            else:
                self.assertEqual(config2[name], config1[name], name)

    def test_round_trip(self):
        raw = self._export()
        exported = json.loads(raw)
        settings = exported["settings"]
        self.assertEqual(exported["register"], self.config1.name)
        for name in ("clever_till", "clever_max_discount", "receipt_footer", "pricelist_id", "payment_method_ids", "picking_type_id"):
            self.assertIn(name, settings)
        self.assertNotIn("name", settings)
        self.assertFalse([n for n in settings if SECRET_FIELD.search(n)], "no secret in the file")
        self.assertFalse([n for n in settings if n.startswith("clever_proxy") or n == "clever_fiscal_register_id"])
        # Records are referred to by xml id or name, never by a database id.
        self.assertEqual(settings["pricelist_id"], {"name": "IO Розница"})
        self.assertIn({"name": "Kaspi QR (IO)", "journal": "IO Kaspi QR"}, settings["payment_method_ids"])
        self.assertEqual(settings["picking_type_id"]["warehouse"], self.config1.picking_type_id.warehouse_id.name)
        self.assertFalse([n for n, v in settings.items() if self.config1._fields[n].type in ("many2one", "many2many")
                          and any(isinstance(r, int) for r in (v if isinstance(v, list) else [v]))])

        wizard = self._import(raw)
        self.assertEqual(wizard.state, "done")
        self._assert_same_settings(exported)
        self.assertEqual(self.config2.name, "Касса 2")
        self.assertEqual(self.config2.receipt_footer, "Рахмет! Спасибо за покупку!")
        self.assertEqual(self.config2.clever_max_discount, 7.5)
        self.assertEqual(self.config2.clever_favorite_product_ids, self.favorite)
        # Card/QR methods are shared; each register keeps its own cash drawer.
        self.assertEqual(self.config2.payment_method_ids, self.kaspi_pm | self.cash2)
        self.assertIn("Наличные IOC1", wizard.result)

    def test_import_by_names_as_in_another_database(self):
        exported = json.loads(self._export())
        # Another database: the same names, other ids, no xml ids of ours.
        for value in exported["settings"].values():
            for ref in value if isinstance(value, list) else [value]:
                if isinstance(ref, dict):
                    ref.pop("xmlid", None)
        self._import(json.dumps(exported).encode())
        self._assert_same_settings(exported)

    def test_manager_imports_all_but_the_receipt_texts(self):
        self._import(self._export(), user=self.manager)
        self.assertEqual(self.config2.clever_max_discount, 7.5)
        self.assertFalse(self.config2.receipt_footer)

    def test_not_a_settings_file(self):
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            self._import(b"not json")
        with self.assertRaises(UserError):
            self._import(json.dumps({"format": "something else"}).encode())
