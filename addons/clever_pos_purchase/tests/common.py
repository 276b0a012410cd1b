from odoo import Command

from odoo.addons.clever_pos_stock.tests.common import CleverStockCase


class CleverReceivingCase(CleverStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.cash_journal = cls.env["account.journal"].with_company(company).create(
            {"name": "Касса приёмки (тест)", "type": "cash", "code": "TSTR", "company_id": company.id}
        )
        cls.kaspi_journal = cls.env["account.journal"].with_company(company).create(
            {"name": "Kaspi (тест)", "type": "bank", "code": "TSKP", "company_id": company.id}
        )
        cls.vat = company.account_purchase_tax_id
        cls.cola = cls.make_product("Кола тест 1 л", barcode="4871013000181", cost=0, price=550, supplier_taxes_id=[Command.set(cls.vat.ids)])
        cls.cola.seller_ids = [Command.create({"partner_id": cls.supplier.id, "price": 390, "company_id": company.id})]

    def new_receiving(self, user=None, lines=(), **values):
        """lines: dicts of clever.receiving.line values (product given as a record)."""
        commands = []
        for line in lines:
            vals = dict(line)
            vals["product_id"] = vals.pop("product").id
            commands.append(Command.create(vals))
        return (
            self.env["clever.receiving"]
            .with_user(user or self.storekeeper)
            .with_company(self.company)
            .create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.supplier.id,
                    "warehouse_id": self.warehouse.id,
                    "journal_id": self.cash_journal.id,
                    "line_ids": commands,
                    **values,
                }
            )
        )
