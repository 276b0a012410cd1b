import base64
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.clever_pos_stock.report.clever_price_tag_report import format_tenge

# Where the PNG of each format is kept for a human to look at (set by the person running the test).
PNG_OUT = os.environ.get("CLEVER_PRICE_TAGS_OUT")
FORMATS = {
    # format: (report, page size in mm)
    "58x40": ("clever_pos_stock.report_clever_price_tag_58x40", (58, 40)),
    "40x30": ("clever_pos_stock.report_clever_price_tag_40x30", (40, 30)),
    "a4_3x8": ("clever_pos_stock.report_clever_price_tag_a4", (210, 297)),
}


def _unlimited():
    # The Odoo server process caps its address space (limit_memory_hard); Chromium needs more, as
    # Odoo's own test browser does (odoo.tests.common lifts RLIMIT_AS the same way).
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


def _run(*args, check=True):
    return subprocess.run(args, capture_output=True, check=check, timeout=120, preexec_fn=_unlimited)  # noqa: PLW1509


# Post-install: with every module of the shop installed (Kaspi feeds, POS loyalty...).
@tagged("post_install", "-at_install")
class TestPriceTags(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        for code in ("ru_RU", "kk_KZ"):
            cls.env["res.lang"]._activate_lang(code)
        cls.company = cls.env.ref("base.demo_company_kz")
        Template = cls.env["product.template"].with_company(cls.company)
        cls.milk = Template.create(
            {"name": "Milk Food Master 2.5% 1 l", "list_price": 1500, "default_code": "TAG-MILK-1",
             "barcode": "4870001234560", "company_id": cls.company.id, "is_storable": True}
        )
        cls.milk.with_context(lang="ru_RU").name = "Молоко Food Master 2,5% 1 л"
        cls.milk.with_context(lang="kk_KZ").name = "Сүт Food Master 2,5% 1 л"
        cls.milk.list_price = 1250  # a recent decrease: the tag shows 1 500 crossed out
        cls.bread = Template.create(
            {"name": "Bread", "list_price": 180, "default_code": "TAG-BREAD", "barcode": "4870009876540",
             "company_id": cls.company.id}
        )
        cls.bread.with_context(lang="ru_RU").name = "Хлеб белый"
        cls.bread.with_context(lang="kk_KZ").name = "Ақ нан"
        cls.products = (cls.milk | cls.bread).product_variant_ids

    def _wizard(self, **values):
        return self.env["clever.price.tag.wizard"].create(
            {"product_ids": [Command.set(self.products.ids)],
             "lang_ids": [Command.set(self.env["res.lang"].search([("code", "in", ("kk_KZ", "ru_RU"))]).ids)],
             **values}
        )

    def _pdf(self, report, data):
        """The report's PDF as Odoo prints it (wkhtmltopdf; under tests Odoo hands back the HTML
        unless asked to render)."""
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        self.assertEqual(Report.get_wkhtmltopdf_state(), "ok", "wkhtmltopdf is needed to print the tags (make setup)")
        content, kind = Report._render_qweb_pdf(report, data["product_ids"], data=data)
        self.assertEqual(kind, "pdf")
        return content

    def _check_pdf(self, print_format, pdf):
        report, (width_mm, height_mm) = FORMATS[print_format]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "tags.pdf")
            with open(path, "wb") as handle:
                handle.write(pdf)
            info = _run("pdfinfo", path).stdout.decode()
            pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
            size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
            self.assertAlmostEqual(float(size.group(1)) * 25.4 / 72, width_mm, delta=1.5)
            self.assertAlmostEqual(float(size.group(2)) * 25.4 / 72, height_mm, delta=1.5)
            text = _run("pdftotext", "-layout", path, "-").stdout.decode().replace("\xa0", " ")
            _run("pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", path, os.path.join(tmp, "page"))
            png = next(os.path.join(tmp, f) for f in sorted(os.listdir(tmp)) if f.startswith("page"))
            codes = _run("zbarimg", "--quiet", png, check=False).stdout.decode()
            if PNG_OUT:
                os.makedirs(PNG_OUT, exist_ok=True)
                shutil.copy(png, os.path.join(PNG_OUT, f"price_tag_{print_format}.png"))
        return pages, text, codes

    def test_price_format(self):
        self.assertEqual(format_tenge(1250), "1\xa0250\xa0₸")
        self.assertEqual(format_tenge(1234567), "1\xa0234\xa0567\xa0₸")
        self.assertEqual(format_tenge(99.5), "99,50\xa0₸")
        self.assertEqual(format_tenge(0), "0\xa0₸")

    def test_each_format_prints_name_price_old_price_sku_and_barcode(self):
        for print_format in FORMATS:
            with self.subTest(print_format=print_format):
                wizard = self._wizard(print_format=print_format)
                action = wizard.action_print()
                self.assertEqual(action["report_name"], self.env.ref(FORMATS[print_format][0]).report_name)
                pdf = self._pdf(FORMATS[print_format][0], action["data"])
                pages, text, codes = self._check_pdf(print_format, pdf)
                self.assertEqual(pages, 1 if print_format == "a4_3x8" else 2)
                flat = re.sub(r"\s+", " ", text)
                # The milk first (1 page of a label roll, or the first cell of the sheet).
                self.assertIn("1 250 ₸", flat)
                self.assertIn("1 500 ₸", flat)  # old price of a recent decrease
                self.assertIn("180 ₸", flat)
                self.assertIn("TAG-MILK-1", flat)
                self.assertIn("Сүт Food Master", flat)
                self.assertIn("Молоко Food Master", flat)
                self.assertIn("Ақ нан", flat)
                self.assertIn(fields.Date.context_today(wizard).strftime("%d.%m.%Y"), flat)
                self.assertIn("EAN-13:4870001234560", codes)

    def test_one_language_and_copies(self):
        wizard = self._wizard(print_format="58x40", copies=3, show_old_price=False)
        wizard.lang_ids = self.env["res.lang"].search([("code", "=", "kk_KZ")])
        data = wizard.action_print()["data"]
        html = self.env["ir.actions.report"]._render_qweb_html(FORMATS["58x40"][0], data["product_ids"], data=data)[0]
        html = html.decode()
        self.assertEqual(html.count('class="o_clever_tag"'), 6)
        self.assertIn("Сүт Food Master", html)
        self.assertNotIn("Молоко", html)
        self.assertNotIn("1\xa0500", html)

    def test_prices_changed_since(self):
        since = fields.Datetime.now()
        self.bread.with_context(clever_price_source="bulk").list_price = 190
        wizard = self._wizard(source="changed", changed_since=since)
        wizard.product_ids = False
        wizard._onchange_changed_since()
        self.assertEqual(wizard.product_ids, self.bread.product_variant_ids)
        data = wizard.action_print()["data"]
        self.assertEqual(data["product_ids"], self.bread.product_variant_ids.ids)

    def test_odoo_label_dialog_offers_the_price_tags(self):
        layout = self.env["product.label.layout"].create(
            {"product_tmpl_ids": [Command.set(self.milk.ids)], "print_format": "clever_40x30", "custom_quantity": 2}
        )
        action = layout.process()
        self.assertEqual(action["report_name"], "clever_pos_stock.report_price_tag_40x30")
        self.assertEqual(action["data"]["copies"], 2)
        html = self.env["ir.actions.report"]._render_qweb_html(
            FORMATS["40x30"][0], action["data"]["product_ids"], data=action["data"]
        )[0].decode()
        self.assertEqual(html.count('class="o_clever_tag"'), 2)
        self.assertIn("1\xa0250\xa0₸", html)

    def test_receipt_printer_through_the_device_proxy(self):
        """The tags drawn as images go to the register's device proxy as POS receipts do; the
        printer simulator renders what it received, and the barcode still scans."""
        proxy_dir = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "proxy"))
        if proxy_dir not in sys.path:
            sys.path.insert(0, proxy_dir)
        from clever_proxy import config as proxy_config  # noqa: PLC0415 (the repository's proxy)
        from clever_proxy.server import RunningProxy  # noqa: PLC0415
        from simulators.escpos_printer import EscposPrinterSimulator  # noqa: PLC0415

        config = self.env["pos.config"].with_company(self.company).create(
            {"name": "Price tag till", "company_id": self.company.id, "proxy_ip": "http://127.0.0.1:8089"}
        )
        wizard = self._wizard(print_format="58x40", pos_config_id=config.id)
        action = wizard.action_print_receipt_printer()
        self.assertEqual(action["tag"], "clever_pos_stock.print_price_tags_proxy")
        self.assertEqual(action["params"]["proxy_url"], "http://127.0.0.1:8089")
        images = action["params"]["images"]
        self.assertEqual(len(images), 2)

        with tempfile.TemporaryDirectory() as tmp:
            printer = EscposPrinterSimulator("127.0.0.1", 0, paper_dots=384).start()
            try:
                cfg = proxy_config.from_dict(
                    {
                        "listen": {"host": "127.0.0.1", "port": 0},
                        "state_dir": os.path.join(tmp, "state"),
                        "require_key_on_hw_proxy": False,
                        "printers": {"tags": {"kind": "network", "address": printer.address, "paper": 58}},
                    },
                    base_dir=tmp,
                )
                proxy = RunningProxy(cfg)
                try:
                    for image in images:  # what the client action's fetch() posts
                        body = json.dumps(
                            {"jsonrpc": "2.0", "method": "call", "id": 1,
                             "params": {"data": {"action": "print_receipt", "receipt": image}}}
                        ).encode()
                        request = urllib.request.Request(
                            f"{proxy.url}/hw_proxy/default_printer_action", data=body,
                            headers={"Content-Type": "application/json"},
                        )
                        with urllib.request.urlopen(request, timeout=30) as response:
                            answer = json.loads(response.read())
                        self.assertTrue(answer["result"]["result"], answer)
                finally:
                    proxy.stop()
                deadline = time.monotonic() + 15
                while len(printer.receipts) < 2 and time.monotonic() < deadline:
                    time.sleep(0.1)
                printed = printer.receipts
            finally:
                printer.stop()
            self.assertEqual(len(printed), 2)
            png = os.path.join(tmp, "receipt.png")
            printed[0].save_png(png)
            self.assertEqual(printed[0].width, 384)
            self.assertIn("EAN-13:4870001234560", _run("zbarimg", "--quiet", png, check=False).stdout.decode())
            if PNG_OUT:
                shutil.copy(png, os.path.join(PNG_OUT, "price_tag_receipt_printer_58mm.png"))
        # The same image the proxy got: a 512 px wide JPEG, as the POS sends its receipts.
        self.assertTrue(base64.b64decode(images[0]).startswith(b"\xff\xd8"))
