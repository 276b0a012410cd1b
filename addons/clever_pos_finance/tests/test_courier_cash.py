from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CleverFinanceCase


@tagged("post_install", "-at_install")
class TestCourierCash(CleverFinanceCase):
    """Cash on delivery: a customer payment into the courier's money account, handed in at the
    shop with a transfer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "clever_warehouse_shift_required" in cls.company._fields:
            cls.company.clever_warehouse_shift_required = False
        cls.courier = cls.users["courier"]
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.water, cls.stock_location, 10)
        cls.courier_cash = cls.env["account.journal"].create(
            {"name": "Курьер Ержан", "code": "CRX", "type": "cash", "clever_money_kind": "courier", "company_id": cls.company.id}
        )
        cls.courier.with_company(cls.company).clever_courier_journal_id = cls.courier_cash

    def make_delivery(self, amount, partner=None, courier=None):
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": customers.id,
                "partner_id": (partner or self.customer).id,
                "clever_is_delivery": True,
                "clever_amount_to_collect": amount,
                "clever_courier_id": (courier or self.courier).id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.water.id,
                            "product_uom_qty": 1,
                            "product_uom": self.water.uom_id.id,
                            "location_id": self.stock_location.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def deliver(self, picking, cash):
        picking.with_user(self.courier).action_clever_start()
        picking.with_user(self.courier).action_clever_deliver(cash_collected=cash)

    def test_cash_lands_on_courier_account_and_is_handed_in(self):
        picking = self.make_delivery(1160.0)
        self.deliver(picking, 1160.0)
        payment = picking.clever_payment_id
        self.assertTrue(payment, "the cash is a customer payment")
        self.assertEqual(
            (payment.payment_type, payment.partner_type, payment.partner_id, payment.journal_id, payment.move_id.state),
            ("inbound", "customer", self.customer, self.courier_cash, "posted"),
        )
        self.assertEqual(payment.amount, 1160.0)
        self.assertIn(picking.name, payment.memo)
        self.assertEqual(self.money(self.courier_cash), 1160.0, "the courier holds the cash")
        receivable = self.customer.property_account_receivable_id
        self.assertEqual(self.balance(receivable, [("partner_id", "=", self.customer.id)]), -1160.0, "an advance of the customer until invoiced")

        # Back at the shop the courier hands the cash in: a transfer to the register's cash desk.
        desk_before = self.money(self.cash_desk)
        transfer = self.Transfer.with_user(self.accountant).create(
            {
                "journal_from_id": self.courier_cash.id,
                "journal_to_id": self.cash_desk.id,
                "amount": 1160.0,
                "date_received": fields.Date.today(),
            }
        )
        transfer.action_post()
        self.assertEqual(transfer.state, "done")
        self.assertEqual(self.money(self.courier_cash), 0.0)
        self.assertEqual(self.money(self.cash_desk), desk_before + 1160.0)

    def test_cash_settles_an_invoiced_sale(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [Command.create({"product_id": self.water.id, "quantity": 1, "price_unit": 1160.0})],
            }
        )
        invoice.action_post()
        total = invoice.amount_total
        self.assertEqual(self.customer._clever_debt(self.company), total)
        picking = self.make_delivery(total)
        self.deliver(picking, total)
        self.assertEqual(invoice.payment_state, "paid", "the cash collected pays the invoiced sale")
        self.assertEqual(self.customer._clever_debt(self.company), 0.0)
        self.assertEqual(self.money(self.courier_cash), total)

    def test_no_cash_no_payment_and_failed_delivery(self):
        prepaid = self.make_delivery(0.0)
        self.deliver(prepaid, 0.0)
        self.assertFalse(prepaid.clever_payment_id, "paid in advance: nothing to hand in")
        failed = self.make_delivery(580.0)
        failed.with_user(self.courier).action_clever_fail(self.env.ref("clever_pos_stock.delivery_failure_absent").id)
        self.assertFalse(failed.clever_payment_id)
        self.assertEqual(self.money(self.courier_cash), 0.0)

    def test_courier_without_account_gets_one(self):
        other = self.env["res.users"].create(
            {
                "name": "Курьер Тимур",
                "login": "fin_courier_2",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "group_ids": [Command.set(self.env.ref("clever_pos_base.group_clever_courier").ids)],
            }
        )
        picking = self.make_delivery(350.0, courier=other)
        picking.with_user(other).action_clever_start()
        picking.with_user(other).action_clever_deliver(cash_collected=350.0)
        journal = other.with_company(self.company).clever_courier_journal_id
        self.assertEqual((journal.type, journal.clever_money_kind, journal.company_id), ("cash", "courier", self.company))
        self.assertEqual(picking.clever_payment_id.journal_id, journal)
        self.assertEqual(self.money(journal), 350.0)

    def test_courier_cannot_touch_payments(self):
        picking = self.make_delivery(100.0)
        self.deliver(picking, 100.0)
        with self.assertRaises(AccessError):
            picking.clever_payment_id.with_user(self.courier).read(["amount"])
