from collections import defaultdict

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# The actions the till may ask a manager for, and what each approval is bound to.
POS_APPROVAL_ACTIONS = ("shift_open", "shift_close", "cash_out", "debt_sale", "refund", "discount")


class PosSession(models.Model):
    _inherit = "pos.session"

    # ------------------------------------------------------------------
    # Data loaded by the till
    # ------------------------------------------------------------------

    @api.model
    def _load_pos_data_models(self, config):
        return super()._load_pos_data_models(config) + ["clever.pos.return.reason"]

    # ------------------------------------------------------------------
    # Approvals (clever_pos_base engine), as the till uses them
    # ------------------------------------------------------------------

    def _clever_approval_required(self, action, amount=0.0, quantity=0.0, force=False):
        """Whether this action needs a manager's approval here: only on registers with Clever POS
        controls, never for an approver (a manager at the till approves by doing), and then as the
        company's policy says, or always when `force` (e.g. over the customer's credit limit)."""
        self.ensure_one()
        if not self.config_id.clever_till or self.env.user._clever_is_approver():
            return False
        Request = self.env["clever.approval.request"].with_company(self.company_id)
        return bool(force or Request._is_required(action, self.company_id, amount, quantity))

    def _clever_find_approval(self, action, record, amount=0.0, quantity=0.0):
        """An approved, unused approval covering this (without using it up)."""
        return self.env["clever.approval.request"]._find_approval(action, record, amount, quantity)

    def _clever_consume_approval(self, action, record, amount=0.0, quantity=0.0, force=False):
        """The server-side guard of the till: raise unless an approval covers the action, and use
        it up. Returns the approval (empty when none was needed)."""
        self.ensure_one()
        Request = self.env["clever.approval.request"].with_company(self.company_id)
        if not self._clever_approval_required(action, amount, quantity, force):
            return Request.browse()
        # Required here (by the policy, or forced e.g. over a credit limit): the engine's guard.
        return Request._check_approved(action, record, amount=amount, quantity=quantity, force=True)

    def _clever_approval_record(self, action, record_id):
        if action in ("shift_open", "shift_close", "cash_out", "discount"):
            return self
        if action == "debt_sale":
            partner = self.env["res.partner"].browse(int(record_id or 0)).exists()
            if not partner:
                raise UserError(self.env._("Choose the customer first."))
            return partner
        if action == "refund":
            order = self.env["pos.order"].browse(int(record_id or 0)).exists()
            if not order:
                raise UserError(self.env._("The sale to return was not found."))
            return order
        raise UserError(self.env._("Unknown approval action: %(action)s", action=action))

    def clever_request_approval(self, action, amount=0.0, quantity=0.0, record_id=False, reason="", comment=""):
        """Called by the till before an action that may need a manager. Returns
        {"required": False} when none is needed, otherwise {"required": True, "request_id",
        "approved"}; an earlier request of the same cashier for the same thing is reused, so that
        a reload of the page does not ask twice and an approval given meanwhile is not lost."""
        self.ensure_one()
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only cashiers ask for approvals at the till."))
        if action not in POS_APPROVAL_ACTIONS:
            raise UserError(self.env._("Unknown approval action: %(action)s", action=action))
        record = self._clever_approval_record(action, record_id)
        force = False
        if action == "debt_sale":
            force = record._clever_debt_over_limit(amount, self.company_id)
        elif action == "shift_close":
            force = bool(self._clever_fiscal_unsent())
        if not self._clever_approval_required(action, amount, quantity, force):
            return {"required": False}
        Request = self.env["clever.approval.request"].sudo()
        now = fields.Datetime.now()
        earlier = Request.search(
            [
                ("action", "=", action),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("requested_by_id", "=", self.env.user.id),
                ("state", "in", ("pending", "approved")),
                ("used_at", "=", False),
                ("expires_at", ">", now),
                ("amount", ">=", abs(amount) - 0.005),
                ("quantity", ">=", abs(quantity) - 0.0001),
            ],
            order="id desc",
        )
        approved = earlier.filtered(lambda r: r.state == "approved")[:1]
        if approved:
            return {"required": True, "request_id": approved.id, "approved": True}
        pending = earlier.filtered(
            lambda r: abs(r.amount - abs(amount)) < 0.005 and abs(r.quantity - abs(quantity)) < 0.0001
        )[:1]
        if pending:
            return {"required": True, "request_id": pending.id, "approved": False}
        request = (
            self.env["clever.approval.request"]
            .with_company(self.company_id)
            .request(
                action,
                record,
                amount=abs(amount),
                quantity=abs(quantity),
                reason=reason or "",
                comment=comment or "",
                pos_config=self.config_id,
                device=self.env.context.get("device_identifier") and str(self.env.context["device_identifier"]),
            )
        )
        return {"required": True, "request_id": request.id, "approved": False}

    # ------------------------------------------------------------------
    # Shift opening and closing
    # ------------------------------------------------------------------

    def _set_opening_control_data(self, cashbox_value: int, notes: str):
        # The shift opens only with a manager's approval (used up here): without it the session
        # stays in opening control and the till cannot sell, also not after a reload.
        self._clever_consume_approval("shift_open", self, amount=cashbox_value or 0.0)
        return super()._set_opening_control_data(cashbox_value, notes)

    def _clever_close_approval_missing(self):
        return (
            self.state != "closed"
            and self._clever_approval_required(
                "shift_close", self.cash_register_balance_end_real, force=bool(self._clever_fiscal_unsent())
            )
            and not self._clever_find_approval("shift_close", self)
        )

    def _cannot_close_session(self, bank_payment_method_diffs=None):
        result = super()._cannot_close_session(bank_payment_method_diffs)
        if not result and self._clever_close_approval_missing():
            return {
                "successful": False,
                "message": self.env._("Closing the shift needs a manager's approval first."),
                "redirect": False,
            }
        return result

    def update_closing_control_state_session(self, notes):
        if self._clever_close_approval_missing():
            raise UserError(self.env._("Closing the shift needs a manager's approval first."))
        return super().update_closing_control_state_session(notes)

    def action_pos_session_closing_control(self, balancing_account=False, amount_to_balance=0, bank_payment_method_diffs=None):
        for session in self.filtered(lambda s: s.state != "closed"):
            # Unsent fiscal operations: closing needs a manager's approval whatever the policy.
            unsent = bool(session._clever_fiscal_unsent())
            session._clever_consume_approval(
                "shift_close", session, amount=session.cash_register_balance_end_real, force=unsent
            )
        result = super().action_pos_session_closing_control(balancing_account, amount_to_balance, bank_payment_method_diffs)
        for session in self.filtered(lambda s: s.state == "closed" and s.config_id.clever_fiscal_register_id):
            # The provider's shift is closed by a Z report, queued and sent by the fiscal cron.
            self.env["clever.fiscal.operation"]._enqueue_z_report(session)
        return result

    # ------------------------------------------------------------------
    # Fiscal receipts (clever.fiscal.operation)
    # ------------------------------------------------------------------

    def _clever_fiscal_unsent(self):
        """Fiscal operations of this shift not fiscalised yet (waiting or failed)."""
        self.ensure_one()
        if not self.config_id.clever_fiscal_register_id:
            return self.env["clever.fiscal.operation"]
        return self.env["clever.fiscal.operation"].sudo().search(
            [("session_id", "=", self.id), ("state", "in", ("pending", "failed"))]
        )

    def action_clever_fiscal_x_report(self):
        """X report of the fiscal cash register (shift totals, nothing closed), for managers."""
        self.ensure_one()
        if not self.env.user.has_group("clever_pos_base.group_clever_manager"):
            raise AccessError(self.env._("Only managers print the fiscal X report."))
        register = self.config_id.clever_fiscal_register_id
        if not register:
            raise UserError(self.env._("This register has no fiscal cash register."))
        operation = self.env["clever.fiscal.operation"]._x_report(register, self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "clever.fiscal.operation",
            "res_id": operation.id,
            "view_mode": "form",
            "target": "current",
        }

    def _compute_cash_balance(self):
        # The till's cash statement lines belong to journal entries a cashier may not read
        # (point_of_sale's rule shows a POS user only entries of orders): computed without that
        # filter, or cash in/out would be left out of the expected cash and of the difference.
        return super(PosSession, self.sudo())._compute_cash_balance()

    def _post_statement_difference(self, amount):
        # Tag the counting difference line, so that it is never listed as a cash in or out.
        return super(PosSession, self.with_context(clever_cash_move_type="difference"))._post_statement_difference(amount)

    # ------------------------------------------------------------------
    # Cash in / out
    # ------------------------------------------------------------------

    def try_cash_in_out(self, _type, amount, reason, partner_id, extras):
        clever = self.filtered(lambda s: s.config_id.clever_till)
        if not clever:
            return super().try_cash_in_out(_type, amount, reason, partner_id, extras)
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only cashiers move cash in or out of the till."))
        if _type not in ("in", "out"):
            raise UserError(self.env._("A cash move is either in or out."))
        if not amount or amount <= 0:
            raise UserError(self.env._("The amount of a cash move must be positive."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the cash move."))
        for session in self:
            if session.state != "opened":
                raise UserError(self.env._("Cash moves are only possible in an open shift."))
            if _type == "out":
                session._clever_consume_approval("cash_out", session, amount=amount)
        sessions = self.with_context(
            clever_cash_move_type=_type, clever_cash_note=(extras or {}).get("clever_note") or False
        )
        # A cashier needs no accounting rights for this: the checks above are the permission, the
        # statement line is booked with the server's rights.
        result = super(PosSession, sessions.sudo()).try_cash_in_out(_type, amount, reason.strip(), partner_id, extras)
        for session in self:
            # Fiscalised by the fiscal queue once this transaction is committed.
            self.env["clever.fiscal.operation"]._enqueue_cash_move(session, _type, amount)
        return result

    def _prepare_account_bank_statement_line_vals(self, session, sign, amount, reason, partner_id, extras):
        vals = super()._prepare_account_bank_statement_line_vals(session, sign, amount, reason, partner_id, extras)
        if self.env.context.get("clever_cash_move_type") in ("in", "out"):
            vals["clever_pos_move_type"] = self.env.context["clever_cash_move_type"]
            vals["clever_note"] = self.env.context.get("clever_cash_note") or False
        return vals

    def clever_get_cash_moves(self, offset=0, limit=10):
        """One page of the shift's cash moves, newest first."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("You don't have the access rights to get the cash in/out list."))
        lines = self.sudo().statement_line_ids.filtered(lambda l: l.clever_pos_move_type in ("in", "out"))
        lines = lines.sorted(lambda l: (l.create_date or fields.Datetime.now(), l.id), reverse=True)
        tz = self._clever_tz()
        page = lines[int(offset) : int(offset) + int(limit)]
        return {
            "total": len(lines),
            "moves": [
                {
                    "id": line.id,
                    "type": line.clever_pos_move_type or ("in" if line.amount > 0 else "out"),
                    "amount": line.amount,
                    "reason": line.payment_ref or "",
                    "note": line.clever_note or "",
                    "cashier": line.partner_id.name or line.create_uid.name or "",
                    "date": self._clever_format_dt(line.create_date, tz),
                }
                for line in page
            ],
        }

    # ------------------------------------------------------------------
    # Expected cash, totals per payment method, Z report
    # ------------------------------------------------------------------

    def _clever_tz(self):
        return pytz.timezone(self.company_id.clever_tz or self.env.user.tz or "Asia/Almaty")

    @api.model
    def _clever_format_dt(self, value, tz):
        if not value:
            return ""
        return pytz.utc.localize(value).astimezone(tz).strftime("%d.%m.%Y %H:%M")

    def _clever_cash_summary(self):
        """The till's cash: opening + cash sales - cash returns + debt repaid in cash + cash in -
        cash out = expected; and counted and difference when known."""
        self.ensure_one()
        session = self.sudo()
        orders = session._get_closed_orders()
        cash_methods = session.payment_method_ids.filtered("is_cash_count")
        cash_payments = orders.payment_ids.filtered(lambda p: p.payment_method_id in cash_methods)
        sales = returns = repaid = 0.0
        for payment in cash_payments:
            order = payment.pos_order_id
            if order.clever_is_repayment:
                repaid += payment.amount
            elif order.is_refund or order.amount_total < 0:
                returns += -payment.amount
            else:
                sales += payment.amount
        moves = session.statement_line_ids.filtered(lambda l: l.clever_pos_move_type in ("in", "out"))
        cash_in = sum(moves.filtered(lambda l: l.amount > 0).mapped("amount"))
        cash_out = -sum(moves.filtered(lambda l: l.amount < 0).mapped("amount"))
        opening = session.cash_register_balance_start
        expected = opening + sales - returns + repaid + cash_in - cash_out
        counted = session.cash_register_balance_end_real
        rounding = self.currency_id
        return {
            "has_cash": bool(cash_methods),
            "opening": rounding.round(opening),
            "cash_sales": rounding.round(sales),
            "cash_returns": rounding.round(returns),
            "cash_repaid": rounding.round(repaid),
            "cash_in": rounding.round(cash_in),
            "cash_out": rounding.round(cash_out),
            "expected": rounding.round(expected),
            "counted": rounding.round(counted),
            "difference": rounding.round(counted - expected),
        }

    def _clever_payment_totals(self):
        self.ensure_one()
        orders = self.sudo()._get_closed_orders()
        totals = {}
        for payment in orders.payment_ids:
            method = payment.payment_method_id
            entry = totals.setdefault(
                method.id, {"id": method.id, "name": method.name, "type": method.type, "amount": 0.0, "count": 0}
            )
            entry["amount"] += payment.amount
            if not payment.is_change:
                entry["count"] += 1
        for method in self.payment_method_ids:
            totals.setdefault(method.id, {"id": method.id, "name": method.name, "type": method.type, "amount": 0.0, "count": 0})
        return sorted(totals.values(), key=lambda e: e["name"])

    def clever_get_closing_summary(self):
        """What the closing screen shows next to the counted cash."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("You don't have the access rights to close this register."))
        return {
            "cash": self._clever_cash_summary(),
            "payment_methods": self._clever_payment_totals(),
            "approval_required": self._clever_approval_required("shift_close", force=bool(self._clever_fiscal_unsent())),
            "fiscal_unsent": len(self._clever_fiscal_unsent()),
        }

    def _clever_z_report_data(self):
        """Everything of the Z report: per payment method, per VAT rate (sales and returns),
        returns, discounts, rounding, cash in/out, counted against expected."""
        self.ensure_one()
        session = self.sudo()
        company = session.company_id
        currency = session.currency_id
        tz = session._clever_tz()
        orders = session._get_closed_orders()
        repayments = orders.filtered("clever_is_repayment")
        sale_orders = orders - repayments
        returns = sale_orders.filtered(lambda o: o.is_refund or o.amount_total < 0)
        sales = sale_orders - returns

        def vat_table(lines):
            groups = defaultdict(lambda: {"base": 0.0, "tax": 0.0, "total": 0.0})
            for line in lines:
                taxes = line.tax_ids_after_fiscal_position
                name = ", ".join(taxes.mapped("name")) if taxes else self.env._("No VAT")
                groups[name]["base"] += line.price_subtotal
                groups[name]["tax"] += line.price_subtotal_incl - line.price_subtotal
                groups[name]["total"] += line.price_subtotal_incl
            return [
                {"name": name, **{k: currency.round(v) for k, v in values.items()}} for name, values in sorted(groups.items())
            ]

        special = session.config_id._clever_special_products() - session.config_id.clever_free_product_ids
        discount_lines = sale_orders.lines.filtered(lambda l: l.product_id in special and l.price_subtotal_incl < 0)
        line_discounts = sum(l._get_discount_amount() for l in sale_orders.lines.filtered(lambda l: l.discount and l.qty > 0))
        order_discounts = -sum(discount_lines.mapped("price_subtotal_incl"))
        rounding = sum(o.amount_paid - o.amount_total for o in sale_orders)
        debts = 0.0
        for payment in sale_orders.payment_ids.filtered(lambda p: p.payment_method_id.type == "pay_later"):
            debts += payment.amount
        repaid = -sum(repayments.payment_ids.filtered(lambda p: p.payment_method_id.type == "pay_later").mapped("amount"))
        moves = session.statement_line_ids.filtered(lambda l: l.clever_pos_move_type in ("in", "out")).sorted("id")
        cashier = session.user_id.name
        return {
            "company_name": company._clever_receipt_name(),
            "company_vat": company.vat or "",
            "company_address": ", ".join(p for p in (company.street, company.city) if p),
            "register": session.config_id.name,
            "session": session.name,
            "cashier": cashier,
            "state": session.state,
            "start_at": self._clever_format_dt(session.start_at, tz),
            "stop_at": self._clever_format_dt(session.stop_at, tz),
            "printed_at": self._clever_format_dt(fields.Datetime.now(), tz),
            "currency_symbol": currency.symbol,
            "sales_count": len(sales),
            "sales_total": currency.round(sum(sales.mapped("amount_total"))),
            "returns_count": len(returns),
            "returns_total": currency.round(-sum(returns.mapped("amount_total"))),
            "net_total": currency.round(sum(sale_orders.mapped("amount_total"))),
            "vat_sales": vat_table(sales.lines),
            "vat_returns": vat_table(returns.lines),
            "discounts_line": currency.round(line_discounts),
            "discounts_order": currency.round(order_discounts),
            "rounding": currency.round(rounding),
            "debts": currency.round(debts),
            "repaid": currency.round(repaid),
            "repayments_count": len(repayments),
            "payment_methods": self._clever_payment_totals(),
            "cash": self._clever_cash_summary(),
            "cash_moves": [
                {
                    "type": m.clever_pos_move_type or ("in" if m.amount > 0 else "out"),
                    "amount": currency.round(m.amount),
                    "reason": m.payment_ref or "",
                    "note": m.clever_note or "",
                }
                for m in moves
            ],
        }

    def clever_get_z_report(self):
        """The Z report data for the till's receipt printer."""
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("You don't have the access rights to this report."))
        return self._clever_z_report_data()
