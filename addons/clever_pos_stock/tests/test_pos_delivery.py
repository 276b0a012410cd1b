from uuid import uuid4

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPosSaleDelivery(TransactionCase):
    """A till sale shipped later becomes a delivery for the shop's courier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.demo_company_kz")
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company.clever_warehouse_shift_required = False
        env = cls.env
        cash_journal = env["account.journal"].create(
            {"name": "Delivery test cash", "type": "cash", "code": "DTCS", "company_id": cls.company.id}
        )
        cls.cash_pm = env["pos.payment.method"].create(
            {"name": "Cash", "journal_id": cash_journal.id, "company_id": cls.company.id}
        )
        cls.account_pm = env["pos.payment.method"].create(
            {"name": "On account", "split_transactions": True, "company_id": cls.company.id}
        )
        cls.water = env["product.product"].create(
            {"name": "Delivery test water", "is_storable": True, "list_price": 400, "available_in_pos": True,
             "taxes_id": [Command.clear()], "company_id": cls.company.id}
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(cls.water, warehouse.lot_stock_id, 10)
        cls.customer = env["res.partner"].create(
            {"name": "Delivery customer Dana", "phone": "+7 701 555 07 07", "street": "ул. Абая 10",
             "city": "Алматы", "country_id": env.ref("base.kz").id}
        )
        cls.config = env["pos.config"].create(
            {"name": "Delivery test till", "company_id": cls.company.id, "ship_later": True,
             "payment_method_ids": [Command.set((cls.cash_pm | cls.account_pm).ids)]}
        )
        cls.config.open_ui()
        cls.session = cls.config.current_session_id
        cls.session.set_opening_control(0, "")

    def _sell(self, payments, shipping_date=None):
        total = 3 * 400.0
        payload = {
            "amount_paid": total, "amount_return": 0.0, "amount_tax": 0.0, "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "lines": [Command.create({
                "product_id": self.water.id, "qty": 3, "price_unit": 400.0, "price_subtotal": total,
                "price_subtotal_incl": total, "tax_ids": [Command.clear()], "pack_lot_ids": [], "uuid": str(uuid4()),
            })],
            "partner_id": self.customer.id, "session_id": self.session.id,
            "payment_ids": [Command.create({"amount": amount, "payment_method_id": method.id, "uuid": str(uuid4()),
                                            "payment_date": fields.Datetime.to_string(fields.Datetime.now())})
                            for method, amount in payments],
            "uuid": str(uuid4()), "user_id": self.env.uid, "pos_reference": f"DLV-{uuid4().hex[:6]}",
            "state": "paid", "to_invoice": False, "shipping_date": shipping_date,
        }
        self.env["pos.order"].with_context(config_id=self.config.id).sync_from_ui([payload])
        return self.env["pos.order"].search([("uuid", "=", payload["uuid"])])

    def test_shipped_later_is_a_courier_delivery_collecting_what_is_on_account(self):
        order = self._sell([(self.cash_pm, 500.0), (self.account_pm, 700.0)], shipping_date=fields.Date.to_string(fields.Date.today()))
        delivery = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual(len(delivery), 1)
        self.assertTrue(delivery.clever_is_delivery)
        self.assertEqual(delivery.clever_delivery_state, "to_assign")
        self.assertIn("Абая 10", delivery.clever_delivery_address)
        self.assertEqual(delivery.clever_delivery_phone, self.customer.phone)
        self.assertEqual(delivery.clever_amount_to_collect, 700.0, "the courier collects what was put on account")

    def test_taken_away_at_the_till_is_no_delivery(self):
        order = self._sell([(self.cash_pm, 1200.0)])
        self.assertTrue(order.picking_ids)
        self.assertFalse(order.picking_ids.filtered("clever_is_delivery"))
