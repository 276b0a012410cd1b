from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class CleverFinanceExpense(models.Model):
    """Money paid out of a money account for the shop's running costs.

    Posting books it (expense account of the category / the money account's account), after a
    manager's approval when the company's policy asks for one (from 50 000 ₸ by default). A posted
    expense is never edited: it is corrected by a reversing expense, which cancels its entry.
    """

    _name = "clever.finance.expense"
    _description = "Expense"
    _inherit = ["clever.finance.document"]
    _clever_sequence_code = "clever.finance.expense"
    _clever_editable_states = ("draft", "to_approve")
    _clever_posted_fields = frozenset({"state", "move_id", "reversed_by_id", "posted_by_id", "posted_at", "approval_request_id"})

    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid from",
        required=True,
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank')), ('clever_money_kind', '!=', False)]",
        tracking=True,
    )
    category_id = fields.Many2one("clever.finance.expense.category", string="Category", required=True, tracking=True)
    amount = fields.Monetary(required=True, tracking=True)
    signed_amount = fields.Monetary(
        string="Amount (signed)",
        compute="_compute_signed_amount",
        store=True,
        help="Negative on a reversing expense, so that sums over expenses are right.",
    )
    partner_id = fields.Many2one("res.partner", string="Supplier", check_company=True, tracking=True)
    paper_image = fields.Image(string="Photo of the paper", max_width=1920, max_height=1920, attachment=True)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "Waiting for approval"), ("posted", "Posted"), ("reversed", "Reversed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    move_id = fields.Many2one("account.move", string="Journal entry", readonly=True, copy=False, index="btree_not_null")
    reversal_of_id = fields.Many2one(
        "clever.finance.expense", string="Reverses", readonly=True, copy=False, index="btree_not_null"
    )
    reversed_by_id = fields.Many2one("clever.finance.expense", string="Reversed by", readonly=True, copy=False)
    approval_request_id = fields.Many2one("clever.approval.request", string="Approval", readonly=True, copy=False)
    expense_account_id = fields.Many2one(
        "account.account", string="Expense account", compute="_compute_expense_account_id"
    )

    _amount_positive = models.Constraint("CHECK(amount > 0)", "The amount of an expense must be positive.")

    @api.depends("amount", "reversal_of_id")
    def _compute_signed_amount(self):
        for expense in self:
            expense.signed_amount = -expense.amount if expense.reversal_of_id else expense.amount

    @api.depends("category_id", "company_id")
    def _compute_expense_account_id(self):
        for expense in self:
            account = expense.move_id.line_ids.filtered(lambda line: line.account_id != expense.journal_id.default_account_id)[:1].account_id
            if not account and expense.category_id:
                try:
                    account = expense.category_id._get_account(expense.company_id)
                except UserError:
                    account = False
            expense.expense_account_id = account

    @api.depends("name", "category_id")
    def _compute_display_name(self):
        for expense in self:
            expense.display_name = " ".join(filter(None, [expense.name, expense.category_id.name and f"({expense.category_id.name})"]))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_post(self):
        Request = self.env["clever.approval.request"]
        for expense in self:
            expense = expense._clever_posting()
            if expense.state not in ("draft", "to_approve"):
                raise UserError(self.env._("%(expense)s is already posted.", expense=expense.display_name))
            if expense.journal_id.company_id != expense.company_id:
                raise UserError(self.env._("The money account belongs to another company."))
            try:
                approval = Request._check_approved("expense", expense, amount=expense.amount)
            except UserError:
                return expense._clever_ask_approval()
            expense._clever_book(approval)
        return True

    def _clever_ask_approval(self):
        """Ask the managers (once: a pending request is reused) and wait for the decision."""
        self.ensure_one()
        request = self.approval_request_id
        if not (request and request.state == "pending"):
            request = self.env["clever.approval.request"].request(
                "expense",
                self,
                amount=self.amount,
                reason=self.category_id.name,
                comment=self.note or "",
            )
        self.with_context(clever_finance_posting=True).write({"state": "to_approve", "approval_request_id": request.id})
        action = self.env["ir.actions.actions"]._for_xml_id("clever_pos_base.clever_approval_wait_action")
        action["context"] = {"request_id": request.id}
        return action

    def _clever_book(self, approval=None):
        self.ensure_one()
        company = self.company_id
        expense_account = self.category_id._get_account(company)
        money_account = self.journal_id.default_account_id
        if not money_account:
            raise UserError(self.env._("The money account %(journal)s has no account.", journal=self.journal_id.display_name))
        label = " - ".join(filter(None, [self.name, self.category_id.name, self.partner_id.name, self.note and self.note[:60]]))
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.journal_id.id,
                    "date": self.date,
                    "ref": label,
                    "partner_id": self.partner_id.id,
                    "clever_document": f"{self._name},{self.id}",
                    "line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "account_id": expense_account.id,
                                "partner_id": self.partner_id.id,
                                "debit": self.amount,
                            }
                        ),
                        Command.create(
                            {
                                "name": label,
                                "account_id": money_account.id,
                                "partner_id": self.partner_id.id,
                                "credit": self.amount,
                            }
                        ),
                    ],
                }
            )
        )
        move.action_post()
        vals = {"state": "posted", "move_id": move.id}
        if approval:
            vals["approval_request_id"] = approval.id
        self._clever_mark_posted(vals)

    def action_reverse(self):
        """Cancel a posted expense with a reversing expense (dated today) and a reversed entry."""
        reversals = self.browse()
        for expense in self:
            expense = expense._clever_posting()
            if expense.state != "posted" or expense.reversal_of_id:
                raise UserError(self.env._("Only a posted expense can be reversed, and only once."))
            reversal = expense.copy(
                {
                    "reversal_of_id": expense.id,
                    "date": fields.Date.context_today(expense),
                    "note": self.env._("Reverses %(expense)s", expense=expense.name),
                    "paper_image": expense.paper_image,
                }
            )
            reversed_move = expense.move_id.sudo()._reverse_moves(
                [{"date": reversal.date, "ref": self.env._("Reversal of %(expense)s", expense=expense.name)}],
                cancel=True,
            )
            reversed_move.clever_document = f"{reversal._name},{reversal.id}"
            reversal._clever_mark_posted({"state": "posted", "move_id": reversed_move.id})
            expense._clever_posting().write({"state": "reversed", "reversed_by_id": reversal.id})
            reversals |= reversal
        if len(reversals) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": self._name,
                "res_id": reversals.id,
                "view_mode": "form",
            }
        return True

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }
