from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

CHECKS = (
    "open_shift",
    "unapproved_shift",
    "unexplained_difference",
    "loose_return",
    "draft_expense",
    "draft_transfer",
    "transit_transfer",
    "unpaid_bill",
    "unbilled_receiving",
    "overdue_debt",
    "kaspi_trash",
)


class CleverFinanceDayClose(models.TransientModel):
    """The end-of-day checklist of the shop: each line counts what is still to do for the day
    and opens it. The day is closed when every count is zero."""

    _name = "clever.finance.day.close"
    _description = "Day close checklist"

    date = fields.Date(required=True, default=lambda self: self._default_date())
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    open_shift_count = fields.Integer(string="Shifts still open", compute="_compute_checks")
    unapproved_shift_count = fields.Integer(string="Shifts closed without approval", compute="_compute_checks")
    unexplained_difference_count = fields.Integer(string="Cash differences not explained", compute="_compute_checks")
    loose_return_count = fields.Integer(string="Returns not made from a receipt", compute="_compute_checks")
    draft_expense_count = fields.Integer(string="Expenses not posted", compute="_compute_checks")
    draft_transfer_count = fields.Integer(string="Transfers not posted", compute="_compute_checks")
    transit_transfer_count = fields.Integer(string="Transfers in transit", compute="_compute_checks")
    unpaid_bill_count = fields.Integer(string="Supplier bills due", compute="_compute_checks")
    unbilled_receiving_count = fields.Integer(string="Receivings without a bill", compute="_compute_checks")
    overdue_debt_count = fields.Integer(string="Customers with overdue debts", compute="_compute_checks")
    kaspi_trash_count = fields.Integer(string="Kaspi offers moved to the trash", compute="_compute_checks")
    kaspi_available = fields.Boolean(compute="_compute_checks")
    todo_count = fields.Integer(string="Still to do", compute="_compute_checks")
    is_closed = fields.Boolean(string="Day can be closed", compute="_compute_checks")

    @api.model
    def _default_date(self):
        company = self.env.company
        tz = pytz.timezone(company.clever_tz or self.env.user.tz or "Asia/Almaty")
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    def _day_bounds(self):
        """The day in the shop's time zone, as UTC datetimes."""
        tz = pytz.timezone(self.company_id.clever_tz or self.env.user.tz or "Asia/Almaty")
        start = tz.localize(datetime.combine(self.date, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
        return start, start + timedelta(days=1)

    # ------------------------------------------------------------------
    # Domains of the checks (shared by the counts and the links)
    # ------------------------------------------------------------------

    def _domain(self, check):
        self.ensure_one()
        start, end = self._day_bounds()
        start_s, end_s = fields.Datetime.to_string(start), fields.Datetime.to_string(end)
        company = [("company_id", "=", self.company_id.id)]
        if check == "open_shift":
            return [*company, ("state", "!=", "closed"), ("start_at", "<", end_s)]
        if check == "unapproved_shift":
            return [("id", "in", self._unapproved_shift_ids(start, end))]
        if check == "unexplained_difference":
            return [*company, ("stop_at", ">=", start_s), ("stop_at", "<", end_s), ("has_difference", "=", True), ("closing_notes", "in", [False, ""])]
        if check == "loose_return":
            return [("id", "in", self._loose_return_ids(start, end))]
        if check == "draft_expense":
            return [*company, ("state", "in", ["draft", "to_approve"]), ("date", "<=", self.date)]
        if check == "draft_transfer":
            return [*company, ("state", "=", "draft"), ("date", "<=", self.date)]
        if check == "transit_transfer":
            return [*company, ("state", "=", "in_transit")]
        if check == "unpaid_bill":
            return [
                *company,
                ("move_type", "in", ["in_invoice", "in_receipt"]),
                ("state", "=", "posted"),
                ("payment_state", "in", ["not_paid", "partial"]),
                ("invoice_date_due", "<=", self.date),
            ]
        if check == "unbilled_receiving":
            return [*company, ("state", "=", "purchase"), ("invoice_status", "=", "to invoice")]
        if check == "overdue_debt":
            return [*company, ("kind", "=", "customer"), ("overdue", "=", True)]
        if check == "kaspi_trash":
            return [*company, ("state", "=", "trash"), ("trash_date", ">=", start_s), ("trash_date", "<", end_s)]
        raise ValueError(check)

    _MODELS = {
        "open_shift": "pos.session",
        "unapproved_shift": "pos.session",
        "unexplained_difference": "clever.finance.shift.report",
        "loose_return": "pos.order",
        "draft_expense": "clever.finance.expense",
        "draft_transfer": "clever.finance.transfer",
        "transit_transfer": "clever.finance.transfer",
        "unpaid_bill": "account.move",
        "unbilled_receiving": "purchase.order",
        "overdue_debt": "clever.finance.debt.report",
        "kaspi_trash": "clever.kaspi.offer",
    }

    def _unapproved_shift_ids(self, start, end):
        if not self.env["clever.approval.request"]._is_required("shift_close", self.company_id):
            return []
        rows = self.env.execute_query(
            SQL(
                """
            SELECT session.id
              FROM pos_session session
              JOIN pos_config config ON config.id = session.config_id
             WHERE config.company_id = %(company)s
               AND session.state = 'closed'
               AND session.stop_at >= %(start)s AND session.stop_at < %(end)s
               AND NOT EXISTS (
                    SELECT 1 FROM clever_approval_request request
                     WHERE request.res_model = 'pos.session' AND request.res_id = session.id
                       AND request.action = 'shift_close' AND request.state = 'approved')
                """,
                company=self.company_id.id,
                start=start,
                end=end,
            )
        )
        return [row[0] for row in rows]

    def _loose_return_ids(self, start, end):
        """Receipts of the day with returned goods that do not point at the sale they return."""
        rows = self.env.execute_query(
            SQL(
                """
            SELECT DISTINCT pos_order.id
              FROM pos_order
              JOIN pos_order_line line ON line.order_id = pos_order.id
             WHERE pos_order.company_id = %(company)s
               AND pos_order.state IN ('paid', 'done', 'invoiced')
               AND pos_order.date_order >= %(start)s AND pos_order.date_order < %(end)s
               AND line.qty < 0
               AND line.refunded_orderline_id IS NULL
                """,
                company=self.company_id.id,
                start=start,
                end=end,
            )
        )
        return [row[0] for row in rows]

    @api.depends("date", "company_id")
    def _compute_checks(self):
        for wizard in self:
            todo = 0
            wizard.kaspi_available = "clever.kaspi.offer" in self.env
            for check in CHECKS:
                model = self._MODELS[check]
                count = 0
                if wizard.date and model in self.env:
                    # Counted whatever the user's rights on the model: the checklist shows what
                    # is left to do; opening it needs the rights.
                    records = self.env[model].sudo()
                    if check == "overdue_debt":
                        count = len(records._read_group(wizard._domain(check), ["partner_id"]))
                    else:
                        count = records.search_count(wizard._domain(check))
                wizard[f"{check}_count"] = count
                todo += count
            wizard.todo_count = todo
            wizard.is_closed = not todo

    # ------------------------------------------------------------------
    # Links
    # ------------------------------------------------------------------

    def action_open(self):
        """Open what a line of the checklist counts (the check comes in the context)."""
        self.ensure_one()
        check = self.env.context.get("clever_check")
        model = self._MODELS[check]
        if model not in self.env:
            raise UserError(self.env._("This check needs a module that is not installed."))
        if not self.env[model].has_access("read"):
            raise AccessError(self.env._("Your role does not open this list: ask a manager."))
        label = self._fields[f"{check}_count"].get_description(self.env)["string"]
        return {
            "type": "ir.actions.act_window",
            "name": label,
            "res_model": model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": self._domain(check),
            "target": "current",
            "context": {"create": False},
        }

    def action_refresh(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
