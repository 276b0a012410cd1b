from random import randint

from odoo import fields
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user

# Actions of other Clever POS modules that guard POS flows with the approvals engine; the test
# shop approves none of them so that the finance flows are tested on their own.
UNGUARDED_ACTIONS = ("shift_open", "shift_close", "refund", "debt_sale", "discount", "cash_out")


class CleverFinanceCase(TransactionCase):
    """A Kazakh shop of its own (chart of accounts kz, KZT, VAT 16 % included in prices), one
    user per role, its money accounts (the register's cash desk, the safe, the bank, Kaspi), a
    register with cash, card and customer-account payments, two goods and a customer.

    The shop is a company created here, so that other modules' demo data never get in the way
    of the sums the tests check."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, no_reset_password=True))
        kz = cls.env.ref("base.kz")
        cls.company = cls.env["res.company"].create(
            {
                "name": "Finance Test Shop",
                "country_id": kz.id,
                "currency_id": cls.env.ref("base.KZT").id,
                "clever_tz": "Asia/Almaty",
            }
        )
        cls.env["account.chart.template"].try_loading("kz", cls.company, install_demo=False)
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company = cls.company.with_env(cls.env)
        cls.currency = cls.company.currency_id
        cls.env["clever.approval.rule"].search(
            [("company_id", "=", cls.company.id), ("action", "in", UNGUARDED_ACTIONS)]
        ).write({"required": False})

        cls.users = {}
        for role in ("cashier", "courier", "storekeeper", "accountant", "manager", "admin"):
            cls.users[role] = new_test_user(
                cls.env,
                login=f"fin_{role}",
                groups=f"clever_pos_base.group_clever_{role}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
                name=f"Fin {role}",
                tz="Asia/Almaty",
            )
        cls.accountant = cls.users["accountant"]
        cls.manager = cls.users["manager"]
        cls.cashier = cls.users["cashier"]

        # The Kazakh chart has no default POS receivable account (Odoo's generic chart has one),
        # without which a shift with card payments cannot close: give the shop one if the
        # chart did not.
        if not cls.company.account_default_pos_receivable_account_id:
            cls.company.account_default_pos_receivable_account_id = cls.env["account.account"].create(
                {"code": "1211", "name": "Дебиторская задолженность POS", "account_type": "asset_receivable", "reconcile": True}
            )

        # The register and its money accounts.
        cls.config = cls.env["pos.config"].create({"name": "Касса FIN", "company_id": cls.company.id})
        methods = cls.config.payment_method_ids
        cls.pm_cash = methods.filtered(lambda m: m.type == "cash")[:1]
        cls.pm_card = methods.filtered(lambda m: m.type == "bank")[:1]
        cls.pm_debt = methods.filtered(lambda m: m.type == "pay_later")[:1]
        cls.cash_desk = cls.pm_cash.journal_id
        cls.bank = cls.pm_card.journal_id
        Journal = cls.env["account.journal"]
        cls.safe = Journal.create({"name": "Сейф", "code": "SAFEX", "type": "cash", "clever_money_kind": "safe", "company_id": cls.company.id})
        cls.kaspi = Journal.create({"name": "Kaspi Pay", "code": "KSPX", "type": "bank", "clever_money_kind": "kaspi", "company_id": cls.company.id})

        chart = cls.env["account.chart.template"].with_company(cls.company)
        cls.acc = {code: chart.ref(f"kz{code}") for code in ("1210", "3130", "5610", "6010", "6210", "7010", "7110", "7210", "7410", "7480")}

        cls.acc["transit"] = cls.company.transfer_account_id
        cls.vat16 = cls.company.account_sale_tax_id
        cls.category = cls.env["product.category"].create({"name": "Напитки FIN"})
        Product = cls.env["product.product"].with_company(cls.company)
        cls.water = Product.create(
            {
                "name": "Вода FIN 1 л",
                "is_storable": True,
                "list_price": 1160.0,
                "standard_price": 600.0,
                "categ_id": cls.category.id,
                "taxes_id": [Command.set(cls.vat16.ids)],
                "available_in_pos": True,
                "company_id": cls.company.id,
            }
        )
        cls.juice = Product.create(
            {
                "name": "Сок FIN 1 л",
                "is_storable": True,
                "list_price": 580.0,
                "standard_price": 300.0,
                "categ_id": cls.category.id,
                "taxes_id": [Command.set(cls.vat16.ids)],
                "available_in_pos": True,
                "company_id": cls.company.id,
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Асель Нурланова", "company_id": cls.company.id})

        cls.Expense = cls.env["clever.finance.expense"]
        cls.Transfer = cls.env["clever.finance.transfer"]
        cls.Repayment = cls.env["clever.finance.repayment"]
        cls.categories = {
            name: cls.env.ref(f"clever_pos_finance.expense_category_{name}")
            for name in ("rent", "delivery", "salary", "purchase_costs", "write_off", "other")
        }

    # ------------------------------------------------------------------
    # Accounting helpers
    # ------------------------------------------------------------------

    @classmethod
    def balance(cls, accounts, domain=None):
        """Posted balance of accounts in the test company."""
        lines = cls.env["account.move.line"].search(
            [("account_id", "in", accounts.ids), ("company_id", "=", cls.company.id), ("parent_state", "=", "posted"), *(domain or [])]
        )
        return cls.currency.round(sum(lines.mapped("balance")))

    @classmethod
    def money(cls, journals):
        """What the money accounts hold now (on their account plus unmatched payments)."""
        balances = journals._clever_balances()
        return cls.currency.round(sum(sum(balances.get(journal.id, (0.0, 0.0))) for journal in journals))

    @classmethod
    def opening_balance(cls, journal, amount, date=None):
        """Money that was already in an account before the tests (booked against equity)."""
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": date or fields.Date.today(),
                "ref": "Opening balance",
                "line_ids": [
                    Command.create({"account_id": journal.default_account_id.id, "debit": amount}),
                    Command.create({"account_id": cls.acc["5610"].id, "credit": amount}),
                ],
            }
        )
        move.action_post()
        return move

    # ------------------------------------------------------------------
    # POS helpers (the shapes Odoo's own POS tests use, see point_of_sale/tests/common.py)
    # ------------------------------------------------------------------

    @classmethod
    def open_session(cls, opening_cash=0.0, user=None):
        """Open a shift of the register, as `user` (its cashier) when given."""
        config = cls.config.with_user(user) if user else cls.config
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(opening_cash, "")
        return session.with_user(cls.env.user)

    @classmethod
    def sell(cls, session, lines, payments, partner=None):
        """A paid receipt synced from the till: lines [(product, qty)], payments [(method, amount)]."""
        order_lines = []
        for product, qty in lines:
            price = product.lst_price
            taxes = product.taxes_id.filtered(lambda t: t.company_id == cls.company)
            computed = taxes.compute_all(price, cls.currency, qty, product=product)
            order_lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "qty": qty,
                        "price_unit": price,
                        "discount": 0,
                        "tax_ids": [Command.set(taxes.ids)],
                        "price_subtotal": computed["total_excluded"],
                        "price_subtotal_incl": computed["total_included"],
                        "pack_lot_ids": [],
                    }
                )
            )
        total = sum(line[2]["price_subtotal_incl"] for line in order_lines)
        untaxed = sum(line[2]["price_subtotal"] for line in order_lines)
        uuid = "%05d-%03d-%04d" % (randint(1, 99999), randint(1, 999), randint(1, 9999))
        data = {
            "amount_paid": sum(amount for _method, amount in payments),
            "amount_return": 0,
            "amount_tax": total - untaxed,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": cls.config.pricelist_id.id,
            "name": f"Order {uuid}",
            "last_order_preparation_change": "{}",
            "lines": order_lines,
            "partner_id": partner.id if partner else False,
            "session_id": session.id,
            "payment_ids": [
                Command.create({"amount": amount, "name": fields.Datetime.now(), "payment_method_id": method.id})
                for method, amount in payments
            ],
            "uuid": uuid,
            "user_id": session.user_id.id,
            "to_invoice": False,
        }
        result = cls.env["pos.order"].sync_from_ui([data])
        return cls.env["pos.order"].browse(result["pos.order"][0]["id"])

    @classmethod
    def refund(cls, order, method, lines=None):
        """Return goods from a receipt (backend return flow), paid back with `method`.
        `lines`: {product: qty to return}; everything by default."""
        refund = order._refund()
        if lines is not None:
            for line in refund.lines:
                qty = lines.get(line.product_id)
                if not qty:
                    line.unlink()
                else:
                    line.write({"qty": -qty})
                    line._onchange_amount_line_all()
            refund._compute_prices()
        payment = (
            cls.env["pos.make.payment"]
            .with_context(active_ids=refund.ids, active_id=refund.id)
            .create({"amount": refund.amount_total, "payment_method_id": method.id})
        )
        payment.check()
        return refund

    @classmethod
    def close_session(cls, session, counted_cash=None, notes=""):
        """Close the shift, counting `counted_cash` (the expected cash when None)."""
        if counted_cash is None:
            counted_cash = session.cash_register_balance_end
        session.post_closing_cash_details(counted_cash)
        # The till calls each step in its own request: forget the difference computed above.
        session.invalidate_recordset()
        session.update_closing_control_state_session(notes)
        result = session.close_session_from_ui()
        assert result.get("successful"), result
        return session
