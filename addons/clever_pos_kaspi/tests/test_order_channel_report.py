from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOrderChannelReport(TransactionCase):
    """One table of the shop's orders, whatever the channel, each row opening the real order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.demo_company_kz")
        cls.other_company = cls.env["res.company"].create({"name": "Другой магазин"})
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.config = (
            env["pos.config"].with_company(cls.company).create({"name": "Касса отчёта", "company_id": cls.company.id})
        )
        session = env["pos.session"].with_company(cls.company).create({"config_id": cls.config.id})
        cls.customer = env["res.partner"].create({"name": "Покупатель отчёта"})
        cls.pos_order = env["pos.order"].with_company(cls.company).create(
            {
                "session_id": session.id,
                "company_id": cls.company.id,
                "partner_id": cls.customer.id,
                "amount_tax": 0,
                "amount_total": 500,
                "amount_paid": 0,
                "amount_return": 0,
            }
        )
        product = env["product.product"].create({"name": "Товар отчёта", "list_price": 100, "type": "consu"})
        cls.backend_order = env["sale.order"].with_company(cls.company).create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2, "price_unit": 100})],
            }
        )
        cls.store = env["clever.kaspi.store"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.kaspi_order = env["sale.order"].with_company(cls.company).create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "clever_channel": "kaspi",
                "kaspi_store_id": cls.store.id,
                "kaspi_order_id": "report-test-1",
                "kaspi_status": "COMPLETED",
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 300})],
            }
        )
        cls.other_order = cls.env["sale.order"].with_company(cls.other_company).create(
            {"partner_id": cls.customer.id, "company_id": cls.other_company.id}
        )
        cls.manager = cls._user("report_manager", "clever_pos_base.group_clever_manager")
        cls.accountant = cls._user("report_accountant", "clever_pos_base.group_clever_accountant")
        cls.cashier = cls._user("report_cashier", "clever_pos_base.group_clever_cashier")

    @classmethod
    def _user(cls, login, group):
        return cls.env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": login,
                "login": f"{login}_channel_report",
                "company_id": cls.company.id,
                "company_ids": [Command.set([cls.company.id])],
                "group_ids": [Command.set([cls.env.ref(group).id])],
            }
        )

    def _rows(self, user):
        self.env.flush_all()
        Report = self.env["clever.order.channel.report"].with_user(user)
        return Report.search([("partner_id", "=", self.customer.id)])

    def test_every_channel_in_one_table(self):
        rows = self._rows(self.manager)
        by_doc = {(row.res_model, row.res_id): row for row in rows}
        till = by_doc[("pos.order", self.pos_order.id)]
        self.assertEqual((till.channel, till.point_name, till.amount_total), ("till", "Касса отчёта", 500))
        self.assertEqual((till.payment_state, till.fulfilment_state), ("not_paid", "draft"))
        backend = by_doc[("sale.order", self.backend_order.id)]
        self.assertEqual((backend.channel, backend.amount_total, backend.fulfilment_state), ("backend", 200, "draft"))
        kaspi = by_doc[("sale.order", self.kaspi_order.id)]
        self.assertEqual((kaspi.channel, kaspi.kaspi_store_id, kaspi.payment_state), ("kaspi", self.store, "paid"))
        self.assertNotIn(("sale.order", self.other_order.id), by_doc, "another company's orders are not shown")
        # Grouping by channel, as the pivot and the list do.
        groups = dict(
            self.env["clever.order.channel.report"].with_user(self.manager)._read_group(
                [("partner_id", "=", self.customer.id)], ["channel"], ["amount_total:sum"]
            )
        )
        self.assertEqual(groups, {"till": 500, "backend": 200, "kaspi": 300})

    def test_a_row_opens_the_real_order(self):
        rows = self._rows(self.manager)
        till = rows.filtered(lambda r: r.channel == "till")
        action = till.action_open_order()
        self.assertEqual((action["res_model"], action["res_id"]), ("pos.order", self.pos_order.id))
        kaspi = rows.filtered(lambda r: r.channel == "kaspi")
        action = kaspi.action_open_order()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", self.kaspi_order.id))
        # The manager can read the documents behind the rows.
        self.pos_order.with_user(self.manager).read(["name", "payment_ids", "picking_ids"])
        self.kaspi_order.with_user(self.manager).read(["name", "kaspi_status_log_ids", "picking_ids", "invoice_ids"])

    def test_accountant_reads_cashier_does_not(self):
        self.assertEqual(len(self._rows(self.accountant)), 3)
        self.pos_order.with_user(self.accountant).read(["name"])
        with self.assertRaises(AccessError):
            self._rows(self.cashier)
