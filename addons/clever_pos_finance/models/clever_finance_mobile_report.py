from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

REPORT_GROUPS = ("clever_pos_base.group_clever_manager", "clever_pos_base.group_clever_accountant")
OPEN_DELIVERY_STATES = ("to_assign", "assigned", "on_the_way", "failed")


class CleverFinanceMobileReport(models.AbstractModel):
    """The owner's phone page: today's sales, cash per money account, low stock and what is
    still open, from a handful of grouped queries (the dashboard's own sales and account
    queries, plus grouped counts)."""

    _name = "clever.finance.mobile.report"
    _description = "Phone report of the day"

    @api.model
    def _check_access(self):
        if not (self.env.su or any(self.env.user.has_group(group) for group in REPORT_GROUPS)):
            raise AccessError(self.env._("The phone report is for the shop's managers and accountants."))

    @api.model
    def get_mobile_report(self):
        self._check_access()
        company = self.env.company
        currency = company.currency_id
        dashboard = self.env["clever.finance.dashboard"]
        bounds = dashboard._period_bounds("day", company)
        sales = dashboard._sales_figures(company, bounds)["current"]
        accounts = dashboard._account_figures(company)

        # Low stock: the minimum-stock alerts of clever_pos_stock.
        Orderpoint = self.env["stock.warehouse.orderpoint"].sudo()
        low_domain = Domain.AND([Domain("company_id", "=", company.id), Domain("clever_below_min", "=", True)])
        low_count = Orderpoint.search_count(low_domain)
        low_items = [
            {"product": orderpoint.product_id.display_name, "minimum": orderpoint.product_min_qty, "uom": orderpoint.product_uom_name}
            for orderpoint in Orderpoint.search(low_domain, order="product_id", limit=5)
        ]

        # Open work: till orders not paid yet, deliveries by status, outgoing transfers not done.
        draft_orders = self.env["pos.order"].sudo()._read_group(
            [("company_id", "=", company.id), ("state", "=", "draft")], aggregates=["__count", "amount_total:sum"]
        )[0]
        Picking = self.env["stock.picking"].sudo()
        delivery_states = dict(
            Picking._read_group(
                [("company_id", "=", company.id), ("clever_is_delivery", "=", True), ("clever_delivery_state", "in", OPEN_DELIVERY_STATES)],
                groupby=["clever_delivery_state"],
                aggregates=["__count"],
            )
        )
        state_labels = dict(Picking._fields["clever_delivery_state"]._description_selection(self.env))
        open_outgoing = Picking.search_count(
            [("company_id", "=", company.id), ("picking_type_code", "=", "outgoing"), ("state", "not in", ("draft", "done", "cancel"))]
        )
        SaleOrder = self.env.get("sale.order")
        open_sales = None
        if SaleOrder is not None and "delivery_status" in SaleOrder._fields:
            open_sales = SaleOrder.sudo().search_count(
                [("company_id", "=", company.id), ("state", "=", "sale"), ("delivery_status", "in", ("pending", "partial"))]
            )

        def money(value):
            return {"value": value, "text": currency.format(value)}

        return {
            "company": company.name,
            "date": bounds["today"].isoformat(),
            "sales": {
                "revenue": money(sales["revenue"]),
                "count": sales["count"],
                "average": money(sales["average"]),
                "refunds": money(sales["refund_amount"]),
                "refund_count": sales["refund_count"],
            },
            "accounts": [
                {"id": account["id"], "name": account["name"], "kind": account["kind_label"], **money(account["balance"])}
                for account in accounts["accounts"]
            ],
            "cash_total": money(accounts["total"]),
            "transit": money(accounts["transit"]),
            "low_stock": {"count": low_count, "items": low_items},
            "open": {
                "pos_orders": draft_orders[0],
                "pos_orders_amount": money(draft_orders[1] or 0.0),
                "deliveries": [
                    {"state": state, "label": state_labels.get(state, state), "count": delivery_states.get(state, 0)}
                    for state in OPEN_DELIVERY_STATES
                ],
                "deliveries_total": sum(delivery_states.values()),
                "outgoing": open_outgoing,
                "sale_orders": open_sales,
            },
        }
