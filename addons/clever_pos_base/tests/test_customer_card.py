from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import CleverPosCase


@tagged("post_install", "-at_install")
class TestCustomerCard(CleverPosCase):
    """The customer card: purchases over the channels, lifetime value, segments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"clever_lapsed_days": 60, "clever_regular_purchases": 3, "clever_top_customer_count": 1})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.till = cls.env["pos.config"].with_company(cls.company).create({"name": "Касса карточки", "company_id": cls.company.id})
        cls.cash_method = cls._cash_method()
        cls.session = cls.env["pos.session"].create({"config_id": cls.till.id, "user_id": cls.users["cashier"].id})
        Partner = cls.env["res.partner"]
        cls.regular = Partner.create({"name": "Асель Регулярная", "phone": "+7 701 111 22 01"})
        cls.newcomer = Partner.create({"name": "Ерлан Новый", "phone": "+7 701 111 22 02"})
        cls.lapsed = Partner.create({"name": "Мадина Давняя", "phone": "+7 701 111 22 03"})
        cls.company_customer = Partner.create({"name": "ТОО Клиент", "is_company": True})
        cls.employee = Partner.create({"name": "Сотрудник ТОО", "parent_id": cls.company_customer.id})
        now = fields.Datetime.now()
        cls.orders = cls.env["pos.order"]
        for partner, amount, days_ago in (
            (cls.regular, 1000, 40),
            (cls.regular, 3000, 10),
            (cls.regular, 2000, 1),
            (cls.regular, -500, 0),  # a return: less value, no purchase
            (cls.newcomer, 800, 2),
            (cls.lapsed, 90000000, 200),
            (cls.employee, 1500, 5),
        ):
            cls.orders |= cls._order(partner, amount, now - timedelta(days=days_ago))
        # A draft order is no purchase.
        cls._order(cls.newcomer, 99999, now, state="draft")

    @classmethod
    def _order(cls, partner, amount, date, state="paid"):
        order = cls.env["pos.order"].with_company(cls.company).create(
            {
                "company_id": cls.company.id,
                "session_id": cls.session.id,
                "partner_id": partner.id,
                "amount_tax": 0,
                "amount_total": amount,
                "amount_paid": amount,
                "amount_return": 0,
            }
        )
        order.write({"state": state, "date_order": date})
        return order

    def test_card_figures_and_segments(self):
        self.env["res.partner"]._cron_clever_customer_stats()
        today = fields.Date.context_today(self.regular)
        self.assertEqual(self.regular.clever_purchase_count, 3)
        self.assertEqual(self.regular.clever_ltv, 5500)
        self.assertAlmostEqual(self.regular.clever_avg_receipt, 5500 / 3, places=2)
        self.assertEqual(self.regular.clever_last_purchase_date, today)
        self.assertEqual(self.regular.clever_first_purchase_date, today - timedelta(days=40))
        self.assertEqual(self.regular.clever_segment, "regular")
        self.assertEqual((self.newcomer.clever_purchase_count, self.newcomer.clever_ltv, self.newcomer.clever_segment), (1, 800, "new"))
        self.assertEqual(self.lapsed.clever_segment, "lapsed")
        # A company's people buy for the company: the company's card counts them.
        self.assertEqual((self.company_customer.clever_purchase_count, self.company_customer.clever_ltv), (1, 1500))
        # Top customers by lifetime value: as many as the setting says (1 here).
        self.assertTrue(self.lapsed.clever_top_customer)
        self.assertFalse(self.regular.clever_top_customer)

    def test_segments_are_searchable_filters(self):
        self.env["res.partner"]._cron_clever_customer_stats()
        Partner = self.env["res.partner"].with_user(self.users["manager"])
        mine = (self.regular | self.newcomer | self.lapsed).ids
        self.assertEqual(Partner.search([("id", "in", mine), ("clever_segment", "=", "lapsed")]), self.lapsed)
        self.assertEqual(Partner.search([("id", "in", mine), ("clever_segment", "=", "new")]), self.newcomer)
        self.assertEqual(Partner.search([("id", "in", mine), ("clever_segment", "=", "regular")]), self.regular)
        top = Partner.search([("id", "in", mine)], order="clever_ltv desc")
        self.assertEqual(top[0], self.lapsed)
        # The manager exports the segment with its figures.
        rows = Partner.search([("id", "in", mine), ("clever_segment", "=", "regular")]).export_data(
            ["phone", "name", "clever_purchase_count", "clever_ltv", "clever_last_purchase_date"]
        )["datas"]
        self.assertEqual(rows[0][:4], ["+7 701 111 22 01", "Асель Регулярная", 3, 5500.0])
        # A longer lapse setting brings the customer back among the regular/new ones.
        self.company.clever_lapsed_days = 365
        self.env["res.partner"]._cron_clever_customer_stats()
        self.assertEqual(self.lapsed.clever_segment, "new")

    def test_paid_order_updates_the_card(self):
        self.regular._clever_recompute_customer_stats()
        self.assertEqual(self.regular.clever_purchase_count, 3)
        order = self._order(self.regular, 700, fields.Datetime.now(), state="draft")
        order.amount_paid = 700
        self.env["pos.payment"].create(
            {"pos_order_id": order.id, "amount": 700, "payment_method_id": self.cash_method.id}
        )
        order.action_pos_order_paid()
        self.assertEqual((self.regular.clever_purchase_count, self.regular.clever_ltv), (4, 6200))

    def test_other_channels_count(self):
        if "sale.order" not in self.env or not hasattr(type(self.env["res.partner"]), "_clever_purchase_stats_hook"):
            return
        channels = self.env["res.partner"]._clever_purchase_stats_hook({self.newcomer.id})
        before = sum(channel.get(self.newcomer.id, {}).get("count", 0) for channel in channels)
        self.assertEqual(before, 1)
        kaspi_installed = self.env["ir.module.module"].search_count([("name", "=", "clever_pos_kaspi"), ("state", "=", "installed")])
        if not kaspi_installed:
            return
        sale = self.env["sale.order"].with_company(self.company).create(
            {"partner_id": self.newcomer.id, "company_id": self.company.id, "order_line": [(0, 0, {"product_id": self.product.product_variant_id.id, "product_uom_qty": 2, "price_unit": 1000, "tax_ids": [(5, 0, 0)]})]}
        )
        sale.action_confirm()
        self.newcomer._clever_recompute_customer_stats()
        self.assertEqual((self.newcomer.clever_purchase_count, self.newcomer.clever_ltv), (2, 2800))

    @classmethod
    def _cash_method(cls):
        journal = cls.env["account.journal"].with_company(cls.company).create(
            {"name": "Card test cash", "type": "cash", "code": "CTCS", "company_id": cls.company.id}
        )
        method = cls.env["pos.payment.method"].with_company(cls.company).create(
            {"name": "Cash card test", "journal_id": journal.id, "company_id": cls.company.id}
        )
        cls.till.payment_method_ids |= method
        return method
