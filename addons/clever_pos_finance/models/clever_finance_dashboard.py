from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

PERIODS = ("day", "week", "month")
DONE_STATES = ("paid", "done", "invoiced")


class CleverFinanceDashboard(models.AbstractModel):
    """The manager's home screen: the figures of today (or this week, this month) against the
    same stretch of the period before, each one opening the records behind it.

    Everything comes from a handful of grouped SQL queries on indexed columns, so that the
    screen opens at once on a shop with years of receipts (see bench/finance_dashboard.py).
    """

    _name = "clever.finance.dashboard"
    _description = "Manager's dashboard"

    # ------------------------------------------------------------------
    # Periods
    # ------------------------------------------------------------------

    @api.model
    def _clever_tz(self, company):
        return pytz.timezone(company.clever_tz or self.env.user.tz or "Asia/Almaty")

    @api.model
    def _period_bounds(self, period, company, now=None):
        """Current and previous period, like for like: the previous one stops at the same point of
        its period as now. Returns local dates and UTC datetimes (naive, as stored)."""
        if period not in PERIODS:
            raise UserError(self.env._("Unknown period: %(period)s", period=period))
        tz = self._clever_tz(company)
        now_utc = now or fields.Datetime.now()
        local_now = pytz.utc.localize(now_utc).astimezone(tz).replace(tzinfo=None)
        today = local_now.date()
        if period == "day":
            start = today
            previous_start = today - timedelta(days=1)
        elif period == "week":
            start = today - timedelta(days=today.weekday())
            previous_start = start - timedelta(days=7)
        else:
            start = today.replace(day=1)
            previous_start = start - relativedelta(months=1)
        start_dt = datetime.combine(start, time.min)
        previous_start_dt = datetime.combine(previous_start, time.min)
        end_dt = local_now
        previous_end_dt = min(previous_start_dt + (end_dt - start_dt), start_dt)

        def to_utc(local):
            return tz.localize(local).astimezone(pytz.utc).replace(tzinfo=None)

        return {
            "start": to_utc(start_dt),
            "end": to_utc(end_dt) + timedelta(seconds=1),
            "previous_start": to_utc(previous_start_dt),
            "previous_end": to_utc(previous_end_dt) + timedelta(seconds=1),
            "date_from": start,
            "date_to": today,
            "previous_date_from": previous_start,
            "previous_date_to": (previous_end_dt - timedelta(microseconds=1)).date() if previous_end_dt > previous_start_dt else previous_start,
            "today": today,
        }

    @api.model
    def _check_access(self):
        if not (self.env.user.has_group("clever_pos_base.group_clever_manager") or self.env.su):
            raise AccessError(self.env._("The dashboard is for the shop's managers."))

    # ------------------------------------------------------------------
    # Data
    # ------------------------------------------------------------------

    @api.model
    def get_dashboard_data(self, period="day"):
        self._check_access()
        company = self.env.company
        bounds = self._period_bounds(period, company)
        sales = self._sales_figures(company, bounds)
        expenses = self._expense_figures(company, bounds)
        shifts = self._shift_figures(company)
        debts = self._debt_figures(company, bounds["today"])
        accounts = self._account_figures(company)
        low_stock = len(self._low_stock_orderpoint_ids(company))

        def card(key, label, value, previous=None, kind="money", tone=None):
            delta = None
            if previous is not None and previous:
                delta = round((value - previous) / abs(previous) * 100.0, 1)
            return {"key": key, "label": label, "value": value, "previous": previous, "kind": kind, "delta": delta, "tone": tone}

        cur, prev = sales["current"], sales["previous"]
        cards = [
            card("revenue", self.env._("Revenue"), cur["revenue"], prev["revenue"]),
            card("sales", self.env._("Sales"), cur["count"], prev["count"], kind="int"),
            card("average", self.env._("Average receipt"), cur["average"], prev["average"]),
            card("returns", self.env._("Returns"), cur["refund_amount"], prev["refund_amount"], tone="bad"),
            card("profit", self.env._("Gross profit"), cur["profit"], prev["profit"]),
            card("expenses", self.env._("Expenses"), expenses["current"], expenses["previous"], tone="bad"),
            card("shifts", self.env._("Open shifts"), shifts["open"], None, kind="int"),
            card("low_stock", self.env._("Low stock"), low_stock, None, kind="int", tone="bad" if low_stock else None),
            card("overdue", self.env._("Overdue debts"), debts["overdue"], None, tone="bad" if debts["overdue"] else None),
            card("debts", self.env._("Customer debts"), debts["total"], None),
            card("transit", self.env._("Money in transit"), accounts["transit"], None),
        ]
        return {
            "period": period,
            "company": company.name,
            "currency_id": company.currency_id.id,
            "date_from": fields.Date.to_string(bounds["date_from"]),
            "date_to": fields.Date.to_string(bounds["date_to"]),
            "previous_date_from": fields.Date.to_string(bounds["previous_date_from"]),
            "previous_date_to": fields.Date.to_string(bounds["previous_date_to"]),
            "cards": cards,
            "details": {
                "returns_count": cur["refund_count"],
                "previous_returns_count": prev["refund_count"],
                "registers": shifts["registers"],
                "open_registers": shifts["open_registers"],
                "overdue_customers": debts["overdue_customers"],
            },
            "accounts": accounts["accounts"],
            "cash_total": accounts["total"],
        }

    @api.model
    def _sales_figures(self, company, bounds):
        self.env["pos.order"].flush_model(["date_order", "amount_total", "state", "company_id", "is_refund"])
        self.env["pos.order.line"].flush_model(["order_id", "price_subtotal", "total_cost"])
        rows = self.env.execute_query_dict(
            SQL(
                """
            SELECT pos_order.date_order >= %(start)s AS current,
                   COUNT(*) FILTER (WHERE NOT pos_order.is_refund AND pos_order.amount_total >= 0) AS count,
                   COALESCE(SUM(pos_order.amount_total), 0) AS revenue,
                   COALESCE(SUM(pos_order.amount_total) FILTER (WHERE NOT pos_order.is_refund AND pos_order.amount_total >= 0), 0) AS gross,
                   COUNT(*) FILTER (WHERE pos_order.is_refund OR pos_order.amount_total < 0) AS refund_count,
                   COALESCE(-SUM(pos_order.amount_total) FILTER (WHERE pos_order.is_refund OR pos_order.amount_total < 0), 0) AS refund_amount
              FROM pos_order
             WHERE pos_order.company_id = %(company)s
               AND pos_order.state IN %(states)s
               AND pos_order.date_order >= %(previous_start)s
               AND pos_order.date_order < %(end)s
               AND (pos_order.date_order >= %(start)s OR pos_order.date_order < %(previous_end)s)
          GROUP BY 1
                """,
                company=company.id,
                states=DONE_STATES,
                **{k: bounds[k] for k in ("start", "end", "previous_start", "previous_end")},
            )
        )
        profit_rows = self.env.execute_query(
            SQL(
                """
            SELECT pos_order.date_order >= %(start)s AS current,
                   COALESCE(SUM(line.price_subtotal - COALESCE(line.total_cost, 0)), 0)
              FROM pos_order
              JOIN pos_order_line line ON line.order_id = pos_order.id
             WHERE pos_order.company_id = %(company)s
               AND pos_order.state IN %(states)s
               AND pos_order.date_order >= %(previous_start)s
               AND pos_order.date_order < %(end)s
               AND (pos_order.date_order >= %(start)s OR pos_order.date_order < %(previous_end)s)
          GROUP BY 1
                """,
                company=company.id,
                states=DONE_STATES,
                **{k: bounds[k] for k in ("start", "end", "previous_start", "previous_end")},
            )
        )
        profit = dict(profit_rows)
        result = {}
        for is_current, key in ((True, "current"), (False, "previous")):
            row = next((r for r in rows if r["current"] is is_current), None) or {
                "count": 0,
                "revenue": 0.0,
                "gross": 0.0,
                "refund_count": 0,
                "refund_amount": 0.0,
            }
            result[key] = {
                "count": row["count"],
                "revenue": float(row["revenue"]),
                "average": company.currency_id.round(float(row["gross"]) / row["count"]) if row["count"] else 0.0,
                "refund_count": row["refund_count"],
                "refund_amount": float(row["refund_amount"]),
                "profit": company.currency_id.round(float(profit.get(is_current, 0.0))),
            }
        return result

    @api.model
    def _expense_figures(self, company, bounds):
        self.env["clever.finance.expense"].flush_model(["date", "signed_amount", "state", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT date >= %(date_from)s AS current, COALESCE(SUM(signed_amount), 0)
              FROM clever_finance_expense
             WHERE company_id = %(company)s
               AND state IN ('posted', 'reversed')
               AND ((date BETWEEN %(date_from)s AND %(date_to)s) OR (date BETWEEN %(previous_date_from)s AND %(previous_date_to)s))
          GROUP BY 1
                """,
                company=company.id,
                **{k: bounds[k] for k in ("date_from", "date_to", "previous_date_from", "previous_date_to")},
            )
        )
        values = dict(rows)
        return {"current": float(values.get(True, 0.0)), "previous": float(values.get(False, 0.0))}

    @api.model
    def _shift_figures(self, company):
        rows = self.env.execute_query(
            SQL(
                """
            SELECT COUNT(session.id), COUNT(DISTINCT session.config_id),
                   (SELECT COUNT(*) FROM pos_config WHERE company_id = %(company)s AND active)
              FROM pos_session session
              JOIN pos_config config ON config.id = session.config_id
             WHERE config.company_id = %(company)s
               AND session.state != 'closed'
                """,
                company=company.id,
            )
        )
        open_count, open_registers, registers = rows[0]
        return {"open": open_count, "open_registers": open_registers, "registers": registers}

    @api.model
    def _debt_figures(self, company, today):
        self.env["account.move.line"].flush_model(["amount_residual", "reconciled", "date_maturity", "parent_state", "partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT COALESCE(SUM(line.amount_residual), 0),
                   COALESCE(SUM(line.amount_residual) FILTER (WHERE COALESCE(line.date_maturity, line.date) < %(today)s), 0),
                   COUNT(DISTINCT line.partner_id) FILTER (WHERE COALESCE(line.date_maturity, line.date) < %(today)s AND line.amount_residual > 0)
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
             WHERE line.company_id = %(company)s
               AND line.parent_state = 'posted'
               AND line.reconciled IS NOT TRUE
               AND line.partner_id IS NOT NULL
               AND account.account_type = 'asset_receivable'
                """,
                company=company.id,
                today=today,
            )
        )
        total, overdue, customers = rows[0]
        return {"total": float(total), "overdue": float(overdue), "overdue_customers": customers}

    @api.model
    def _account_figures(self, company):
        journals = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("clever_money_kind", "!=", False)], order="sequence, id"
        )
        balances = journals._clever_balances()
        kinds = dict(self.env["account.journal"]._fields["clever_money_kind"]._description_selection(self.env))
        accounts = []
        for journal in journals:
            on_account, pending = balances.get(journal.id, (0.0, 0.0))
            accounts.append(
                {
                    "id": journal.id,
                    "name": journal.name,
                    "kind": journal.clever_money_kind,
                    "kind_label": kinds.get(journal.clever_money_kind, ""),
                    "balance": company.currency_id.round(on_account + pending),
                    "pending": company.currency_id.round(pending),
                }
            )
        self.env["clever.finance.transfer"].flush_model(["state", "amount", "company_id"])
        transit = self.env.execute_query(
            SQL(
                "SELECT COALESCE(SUM(amount), 0) FROM clever_finance_transfer WHERE company_id = %s AND state = 'in_transit'",
                company.id,
            )
        )[0][0]
        return {"accounts": accounts, "total": company.currency_id.round(sum(a["balance"] for a in accounts)), "transit": float(transit)}

    @api.model
    def _low_stock_orderpoint_ids(self, company):
        """Reordering rules whose product has less on hand (in the rule's location and below it)
        than the rule's minimum."""
        if "stock.warehouse.orderpoint" not in self.env:
            return []
        self.env["stock.quant"].flush_model(["quantity", "location_id", "product_id"])
        self.env["stock.warehouse.orderpoint"].flush_model(["product_min_qty", "location_id", "product_id", "active"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT orderpoint.id
              FROM stock_warehouse_orderpoint orderpoint
              JOIN stock_location rule_location ON rule_location.id = orderpoint.location_id
         LEFT JOIN LATERAL (
                    SELECT SUM(quant.quantity) AS quantity
                      FROM stock_quant quant
                      JOIN stock_location location ON location.id = quant.location_id
                     WHERE quant.product_id = orderpoint.product_id
                       AND location.usage = 'internal'
                       AND location.parent_path LIKE rule_location.parent_path || '%%'
                   ) on_hand ON TRUE
             WHERE orderpoint.company_id = %(company)s
               AND orderpoint.active
               AND orderpoint.product_min_qty > 0
               AND COALESCE(on_hand.quantity, 0) < orderpoint.product_min_qty
                """,
                company=company.id,
            )
        )
        return [row[0] for row in rows]

    # ------------------------------------------------------------------
    # The records behind a figure
    # ------------------------------------------------------------------

    @api.model
    def open_figure(self, key, period="day", res_id=None):
        self._check_access()
        company = self.env.company
        bounds = self._period_bounds(period, company)
        order_domain = [
            ("company_id", "=", company.id),
            ("state", "in", list(DONE_STATES)),
            ("date_order", ">=", fields.Datetime.to_string(bounds["start"])),
            ("date_order", "<", fields.Datetime.to_string(bounds["end"])),
        ]

        def window(model, domain, views="list,form", context=None, name=None):
            return {
                "type": "ir.actions.act_window",
                "name": name,
                "res_model": model,
                "view_mode": views,
                "views": [(False, view) for view in views.split(",")],
                "domain": domain,
                "context": context or {},
                "target": "current",
            }

        if key in ("revenue", "average"):
            return window("pos.order", order_domain, name=self.env._("Receipts"))
        if key == "sales":
            return window("pos.order", order_domain + [("is_refund", "=", False), ("amount_total", ">=", 0)], name=self.env._("Sales"))
        if key == "returns":
            return window("pos.order", order_domain + ["|", ("is_refund", "=", True), ("amount_total", "<", 0)], name=self.env._("Returns"))
        if key == "profit":
            return window(
                "clever.finance.sales.report",
                [("company_id", "=", company.id), ("date", ">=", order_domain[2][2]), ("date", "<", order_domain[3][2])],
                views="pivot,list",
                context={"pivot_row_groupby": ["product_id"], "pivot_measures": ["price_subtotal", "cost", "margin"]},
                name=self.env._("Profit by product"),
            )
        if key == "expenses":
            return window(
                "clever.finance.expense",
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ["posted", "reversed"]),
                    ("date", ">=", fields.Date.to_string(bounds["date_from"])),
                    ("date", "<=", fields.Date.to_string(bounds["date_to"])),
                ],
                name=self.env._("Expenses"),
            )
        if key == "shifts":
            return window("pos.session", [("company_id", "=", company.id), ("state", "!=", "closed")], name=self.env._("Open shifts"))
        if key == "low_stock":
            return window("stock.warehouse.orderpoint", [("id", "in", self._low_stock_orderpoint_ids(company))], name=self.env._("Low stock"))
        if key in ("overdue", "debts"):
            domain = [("company_id", "=", company.id), ("kind", "=", "customer")]
            if key == "overdue":
                domain.append(("overdue", "=", True))
            return window("clever.finance.debt.report", domain, name=self.env._("Customer debts"))
        if key == "transit":
            return window(
                "clever.finance.transfer", [("company_id", "=", company.id), ("state", "=", "in_transit")], name=self.env._("Money in transit")
            )
        if key == "account" and res_id:
            journal = self.env["account.journal"].browse(res_id)
            if journal.company_id != company:
                raise AccessError(self.env._("This money account belongs to another company."))
            return journal.action_clever_open_moves()
        if key == "accounts":
            return self.env["ir.actions.actions"]._for_xml_id("clever_pos_finance.account_journal_action_clever_money")
        raise UserError(self.env._("Nothing to open for %(key)s.", key=key))
