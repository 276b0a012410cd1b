from contextlib import contextmanager
from uuid import uuid4

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user


class CleverTillSetup:
    """A Clever till of its own in the demo shop company (Kazakh chart, KZT): cash, card, Kaspi and
    debt ("customer account") methods, a cashier without accounting rights, two managers, goods,
    a service and a customer. Mixed into TransactionCase and HttpCase classes."""

    @classmethod
    def _setup_clever_till(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        env = cls.env
        cls.company = env.ref("base.demo_company_kz")
        env["clever.approval.rule"]._create_defaults(cls.company)
        env.user.company_ids |= cls.company
        env = cls.env = env(context=dict(env.context, allowed_company_ids=[cls.company.id]))
        # The tours read the screen in English (the database may only have Russian and Kazakh).
        env["res.lang"]._activate_lang("en_US")
        cls.cashier = new_test_user(
            env,
            login="clever_t_cashier",
            password="clever_t_cashier",
            groups="clever_pos_base.group_clever_cashier",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
            name="Test Cashier Aidana",
            lang="en_US",
            tz="Asia/Almaty",
        )
        cls.managers = []
        for index in (1, 2):
            cls.managers.append(
                new_test_user(
                    env,
                    login=f"clever_t_manager{index}",
                    password=f"clever_t_manager{index}",
                    groups="clever_pos_base.group_clever_manager",
                    company_id=cls.company.id,
                    company_ids=[cls.company.id],
                    name=f"Test Manager {index}",
                )
            )
        cls.manager = cls.managers[0]

        company = cls.company
        profit = company.default_cash_difference_income_account_id
        loss = company.default_cash_difference_expense_account_id
        Journal = env["account.journal"].with_company(company)
        cls.cash_journal = Journal.create(
            {"name": "Test till cash", "type": "cash", "code": "TCSH", "company_id": company.id, "profit_account_id": profit.id, "loss_account_id": loss.id}
        )
        cls.bank_journal = Journal.create({"name": "Test till card", "type": "bank", "code": "TBNK", "company_id": company.id})
        cls.kaspi_journal = Journal.create({"name": "Test till Kaspi", "type": "bank", "code": "TKSP", "company_id": company.id})
        Method = env["pos.payment.method"].with_company(company)
        cls.cash_pm = Method.create({"name": "Cash", "journal_id": cls.cash_journal.id, "company_id": company.id})
        cls.card_pm = Method.create({"name": "Card", "journal_id": cls.bank_journal.id, "company_id": company.id, "clever_ask_reference": True})
        cls.kaspi_pm = Method.create({"name": "Kaspi", "journal_id": cls.kaspi_journal.id, "company_id": company.id, "clever_ask_reference": True})
        cls.debt_pm = Method.create({"name": "On debt", "split_transactions": True, "company_id": company.id})

        Product = env["product.product"].with_company(company)
        cls.water = Product.create(
            {"name": "Clever Water 1 l", "is_storable": True, "list_price": 350, "available_in_pos": True, "taxes_id": [(5, 0, 0)], "company_id": company.id, "barcode": "4870000000104"}
        )
        cls.bread = Product.create(
            {"name": "Clever Bread", "type": "consu", "list_price": 220, "available_in_pos": True, "taxes_id": [(5, 0, 0)], "company_id": company.id}
        )
        cls.phone_setup = Product.create(
            {"name": "Clever Phone setup", "type": "service", "list_price": 2000, "available_in_pos": True, "taxes_id": [(5, 0, 0)], "company_id": company.id}
        )
        cls.free_line = Product.create(
            {"name": "Clever free price item", "type": "consu", "list_price": 0, "available_in_pos": True, "taxes_id": [(5, 0, 0)], "company_id": company.id}
        )
        cls.customer = env["res.partner"].create({"name": "Clever Customer Arman", "phone": "+7 701 555 01 01", "company_id": False})
        cls.config = env["pos.config"].with_company(company).create(
            {
                "name": "Clever Test Till",
                "company_id": company.id,
                "clever_till": True,
                "clever_max_discount": 10,
                "payment_method_ids": [(6, 0, (cls.cash_pm | cls.card_pm | cls.kaspi_pm | cls.debt_pm).ids)],
                "clever_favorite_product_ids": [(6, 0, cls.bread.ids)],
                "clever_free_line": True,
                "clever_free_product_ids": [(6, 0, cls.free_line.ids)],
                "manual_discount": True,
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @contextmanager
    def refused(self, pattern):
        """The server refuses (UserError matching `pattern`), and what was done is rolled back."""
        with self.assertRaises(UserError) as caught:
            yield
        self.assertRegex(caught.exception.args[0], pattern)

    def approve(self, session, action, amount=0.0, quantity=0.0, record_id=False, manager=None):
        """Ask as the cashier (as the till does) and approve as a manager."""
        answer = session.with_user(self.cashier).clever_request_approval(action, amount=amount, quantity=quantity, record_id=record_id)
        if answer["required"] and not answer["approved"]:
            request = self.env["clever.approval.request"].browse(answer["request_id"])
            request.with_user(manager or self.manager).action_approve()
        return answer

    def open_session(self, cashbox=0.0):
        self.config.with_user(self.cashier).open_ui()
        session = self.config.current_session_id
        self.approve(session, "shift_open", amount=cashbox)
        session.with_user(self.cashier).set_opening_control(cashbox, "")
        self.assertEqual(session.state, "opened")
        return session

    def order_payload(self, session, lines, payments=None, partner=None, uuid=None, **extra):
        """What the till sends for a paid order (PosOrder.serializeForORM): lines are
        (product, qty) or dicts, payments (method, amount); amounts without taxes."""
        order_lines = []
        for line in lines:
            if not isinstance(line, dict):
                product, qty = line[0], line[1]
                line = {"product_id": product.id, "qty": qty, "price_unit": product.lst_price}
            price = line["price_unit"] * line["qty"] * (1 - line.get("discount", 0.0) / 100.0)
            order_lines.append(
                (
                    0,
                    0,
                    {
                        "price_subtotal": price,
                        "price_subtotal_incl": price,
                        "tax_ids": [(6, 0, [])],
                        "pack_lot_ids": [],
                        "uuid": str(uuid4()),
                        **line,
                    },
                )
            )
        total = sum(line[2]["price_subtotal_incl"] for line in order_lines)
        if payments is None:
            payments = [(self.cash_pm, total)]
        payment_vals = [
            (0, 0, {"amount": amount, "payment_method_id": method.id, "uuid": str(uuid4()), "payment_date": fields.Datetime.to_string(fields.Datetime.now())})
            for method, amount in payments
        ]
        paid = sum(amount for _method, amount in payments)
        return {
            "amount_paid": paid,
            "amount_return": extra.pop("amount_return", 0.0),
            "amount_tax": 0.0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "lines": order_lines,
            "partner_id": partner.id if partner else False,
            "session_id": session.id,
            "payment_ids": payment_vals,
            "uuid": uuid or str(uuid4()),
            "user_id": self.cashier.id,
            "pos_reference": extra.pop("pos_reference", f"25-{self.config.id}-{uuid4().hex[:6]}"),
            "state": "paid",
            "to_invoice": False,
            **extra,
        }

    def sync(self, *payloads, user=None):
        """sync_from_ui as the till calls it; returns the orders of these payloads."""
        uuids = [p["uuid"] for p in payloads]
        (
            self.env["pos.order"]
            .with_user(user or self.cashier)
            .with_context(config_id=self.config.id, device_identifier="test")
            .sync_from_ui([dict(p) for p in payloads])
        )
        return self.env["pos.order"].search([("uuid", "in", uuids)])
