from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

# report key: (model, view modes, row groupby, measures, label)
ANALYSES = {
    "sales_by_day": ("clever.finance.sales.report", "pivot,graph,list", ["date:day"], ["price_total", "nbr_lines"]),
    "sales_by_cashier": ("clever.finance.sales.report", "pivot,graph,list", ["user_id"], ["price_total", "nbr_lines"]),
    "sales_by_register": ("clever.finance.sales.report", "pivot,graph,list", ["config_id"], ["price_total", "nbr_lines"]),
    "sales_by_payment": ("clever.finance.payment.report", "pivot,graph,list", ["payment_method_id"], ["amount", "nbr_payments"]),
    "profit_by_product": ("clever.finance.sales.report", "pivot,list", ["product_id"], ["qty", "price_subtotal", "cost", "margin"]),
    "profit_by_category": ("clever.finance.sales.report", "pivot,graph,list", ["categ_id"], ["price_subtotal", "cost", "margin"]),
    "top_customers": ("clever.finance.sales.report", "pivot,list", ["partner_id"], ["price_total"]),
    "vat_by_rate": ("clever.finance.vat.report", "pivot,list", ["tax_id"], ["base", "tax_amount", "total"]),
    "expenses_by_category": ("clever.finance.expense", "pivot,graph,list", ["category_id"], ["signed_amount"]),
    "supplier_performance": ("clever.finance.supplier.report", "pivot,graph,list", ["partner_id"], ["amount", "qty_received", "price_unit"]),
    "price_trend": ("clever.finance.supplier.report", "graph,pivot,list", ["date:month"], ["price_unit"]),
    "stock_value": ("clever.finance.stock.value.report", "pivot,list", ["categ_id"], ["quantity", "value"]),
}


class CleverFinanceReportWizard(models.TransientModel):
    """Choose a period, then open an analysis (pivot, graph, list: each exports to Excel) or
    print the sales summary or the VAT report as PDF."""

    _name = "clever.finance.report.wizard"
    _description = "Shop reports"

    date_from = fields.Date(string="From", required=True, default=lambda self: fields.Date.context_today(self).replace(day=1))
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period must start before it ends."))

    def _bounds(self):
        """The period in the shop's time zone, as UTC datetimes [start, end)."""
        self.ensure_one()
        tz = pytz.timezone(self.company_id.clever_tz or self.env.user.tz or "Asia/Almaty")

        def to_utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return to_utc(self.date_from), to_utc(self.date_to + timedelta(days=1))

    def _analysis_domain(self, model):
        start, end = self._bounds()
        company = [("company_id", "=", self.company_id.id)]
        if model == "clever.finance.expense":
            return [*company, ("state", "in", ["posted", "reversed"]), ("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        if model == "clever.finance.stock.value.report":
            return company
        return [*company, ("date", ">=", fields.Datetime.to_string(start)), ("date", "<", fields.Datetime.to_string(end))]

    def action_open_analysis(self):
        self.ensure_one()
        key = self.env.context.get("clever_report")
        if key not in ANALYSES:
            raise UserError(self.env._("Unknown report."))
        model, views, groupby, measures = ANALYSES[key]
        labels = self._analysis_labels()
        context = {"pivot_row_groupby": groupby, "pivot_measures": measures, "graph_groupbys": groupby, "graph_measure": measures[0]}
        if key == "price_trend":
            context.update({"graph_mode": "line", "graph_groupbys": ["date:month", "product_id"]})
        return {
            "type": "ir.actions.act_window",
            "name": labels[key],
            "res_model": model,
            "view_mode": views,
            "views": [(False, view) for view in views.split(",")],
            "domain": self._analysis_domain(model),
            "context": context,
            "target": "current",
        }

    def _analysis_labels(self):
        return {
            "sales_by_day": self.env._("Sales by day"),
            "sales_by_cashier": self.env._("Sales by cashier"),
            "sales_by_register": self.env._("Sales by register"),
            "sales_by_payment": self.env._("Sales by payment method"),
            "profit_by_product": self.env._("Profit by product"),
            "profit_by_category": self.env._("Profit by category"),
            "top_customers": self.env._("Sales by customer"),
            "vat_by_rate": self.env._("VAT by rate"),
            "expenses_by_category": self.env._("Expenses by category"),
            "supplier_performance": self.env._("Supplier performance"),
            "price_trend": self.env._("Purchase price trend"),
            "stock_value": self.env._("Stock value"),
        }

    def action_print_summary(self):
        return self.env.ref("clever_pos_finance.action_report_clever_sales_summary").report_action(self)

    def action_print_vat(self):
        return self.env.ref("clever_pos_finance.action_report_clever_vat").report_action(self)

    # ------------------------------------------------------------------
    # Figures of the printed reports (also used by the tests)
    # ------------------------------------------------------------------

    def _grouped(self, model, groupby, aggregates, domain=None, order=None, limit=None):
        return self.env[model]._read_group(
            domain if domain is not None else self._analysis_domain(model), [groupby], aggregates, order=order, limit=limit
        )

    def _summary(self):
        """Everything the sales summary prints for the period."""
        self.ensure_one()
        sales = "clever.finance.sales.report"
        totals = self.env[sales]._read_group(
            self._analysis_domain(sales), [], ["price_total:sum", "price_subtotal:sum", "tax_amount:sum", "cost:sum", "margin:sum"]
        )[0]
        orders = self.env["pos.order"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ["paid", "done", "invoiced"]),
                ("date_order", ">=", fields.Datetime.to_string(self._bounds()[0])),
                ("date_order", "<", fields.Datetime.to_string(self._bounds()[1])),
            ],
            ["is_refund"],
            ["__count", "amount_total:sum"],
        )
        sale_count = sum(count for is_refund, count, _total in orders if not is_refund)
        sale_amount = sum(total for is_refund, _count, total in orders if not is_refund)
        refund_count = sum(count for is_refund, count, _total in orders if is_refund)
        refund_amount = -sum(total for is_refund, _count, total in orders if is_refund)
        expense_total = sum(
            amount for _category, amount in self._grouped("clever.finance.expense", "category_id", ["signed_amount:sum"])
        )
        return {
            "revenue": totals[0],
            "revenue_untaxed": totals[1],
            "tax": totals[2],
            "cost": totals[3],
            "profit": totals[4],
            "sale_count": sale_count,
            "average": self.company_id.currency_id.round(sale_amount / sale_count) if sale_count else 0.0,
            "refund_count": refund_count,
            "refund_amount": refund_amount,
            "expenses": expense_total,
            "by_day": self._grouped(sales, "date:day", ["price_total:sum"], order="date:day"),
            "by_cashier": self._grouped(sales, "user_id", ["price_total:sum"], order="price_total:sum desc"),
            "by_register": self._grouped(sales, "config_id", ["price_total:sum"], order="price_total:sum desc"),
            "by_payment": self._grouped("clever.finance.payment.report", "payment_method_id", ["amount:sum"], order="amount:sum desc"),
            "by_category": self._grouped(sales, "categ_id", ["price_subtotal:sum", "cost:sum", "margin:sum"], order="margin:sum desc"),
            "top_products": self._grouped(
                sales, "product_id", ["qty:sum", "price_total:sum", "margin:sum"], order="price_total:sum desc", limit=10
            ),
            "top_customers": self._grouped(
                sales,
                "partner_id",
                ["price_total:sum"],
                domain=[*self._analysis_domain(sales), ("partner_id", "!=", False)],
                order="price_total:sum desc",
                limit=10,
            ),
            "top_suppliers": self._grouped(
                "clever.finance.supplier.report", "partner_id", ["amount:sum"], order="amount:sum desc", limit=10
            ),
            "expenses_by_category": self._grouped(
                "clever.finance.expense", "category_id", ["signed_amount:sum"], order="signed_amount:sum desc"
            ),
        }

    def _vat(self):
        """VAT of the period by rate: rows (tax, base, VAT, total) and totals."""
        self.ensure_one()
        rows = self._grouped(
            "clever.finance.vat.report", "tax_id", ["base:sum", "tax_amount:sum", "total:sum"], order="tax_id"
        )
        totals = [sum(row[i] for row in rows) for i in (1, 2, 3)]
        return {"rows": rows, "base": totals[0], "tax": totals[1], "total": totals[2]}
