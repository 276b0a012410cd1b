from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain


class CleverFinanceRepayment(models.Model):
    """A customer pays back (part of) a debt, at the till or in the office.

    At the till (a shift given) the money goes into the shift's cash, as a cash-in line of the
    shift, so that the expected cash at closing includes it. In the office it is a customer
    payment into the chosen money account. Either way the customer's oldest open debts are
    settled first, and a repayment receipt can be printed.
    """

    _name = "clever.finance.repayment"
    _description = "Debt repayment"
    _inherit = ["clever.finance.document"]
    _clever_sequence_code = "clever.finance.repayment"
    _clever_posted_fields = frozenset(
        {
            "state",
            "payment_id",
            "statement_line_id",
            "move_id",
            "debt_before",
            "debt_after",
            "matched_line_ids",
            "posted_by_id",
            "posted_at",
            "reversed_by_id",
        }
    )

    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, check_company=True, tracking=True, index=True)
    amount = fields.Monetary(required=True, tracking=True)
    pos_session_id = fields.Many2one(
        "pos.session",
        string="Shift",
        check_company=True,
        domain="[('state', '=', 'opened')]",
        help="Paid at the till: the cash goes into this open shift.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid into",
        required=True,
        check_company=True,
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('type', 'in', ('cash', 'bank')), ('clever_money_kind', '!=', False)]",
        tracking=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("reversed", "Reversed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    payment_id = fields.Many2one("account.payment", readonly=True, copy=False)
    statement_line_id = fields.Many2one("account.bank.statement.line", string="Cash-in of the shift", readonly=True, copy=False)
    move_id = fields.Many2one("account.move", string="Journal entry", readonly=True, copy=False, index="btree_not_null")
    debt_before = fields.Monetary(readonly=True, copy=False)
    debt_after = fields.Monetary(string="Debt left", readonly=True, copy=False)
    current_debt = fields.Monetary(string="Debt now", compute="_compute_current_debt")
    matched_line_ids = fields.Many2many(
        "account.move.line", string="Debts paid", readonly=True, copy=False, help="The sales and invoices this repayment settled."
    )
    reversed_by_id = fields.Many2one("account.move", string="Reversing entry", readonly=True, copy=False)

    _amount_positive = models.Constraint("CHECK(amount > 0)", "The amount of a repayment must be positive.")

    @api.depends("pos_session_id")
    def _compute_journal_id(self):
        for repayment in self:
            if repayment.pos_session_id.cash_journal_id:
                repayment.journal_id = repayment.pos_session_id.cash_journal_id
            elif not repayment.journal_id:
                Journal = self.env["account.journal"]
                repayment.journal_id = Journal.search(
                    Domain.AND(
                        [
                            Journal._check_company_domain(repayment.company_id or self.env.company),
                            [("type", "=", "cash"), ("clever_money_kind", "!=", False)],
                        ]
                    ),
                    limit=1,
                )

    @api.depends("partner_id", "company_id")
    def _compute_current_debt(self):
        for repayment in self:
            repayment.current_debt = repayment.partner_id._clever_debt(repayment.company_id) if repayment.partner_id else 0.0

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for repayment in self:
            repayment.display_name = " ".join(filter(None, [repayment.name, repayment.partner_id.name and f"({repayment.partner_id.name})"]))

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------

    def action_post(self):
        for repayment in self:
            repayment = repayment._clever_posting()
            if repayment.state != "draft":
                raise UserError(self.env._("%(repayment)s is already posted.", repayment=repayment.display_name))
            partner = repayment.partner_id.commercial_partner_id
            company = repayment.company_id
            debt = partner._clever_debt(company)
            if company.currency_id.compare_amounts(repayment.amount, debt) > 0:
                raise UserError(
                    self.env._(
                        "%(partner)s owes %(debt)s only: a repayment cannot be larger than the debt.",
                        partner=partner.display_name,
                        debt=company.currency_id.format(debt),
                    )
                )
            receivable = partner.with_company(company).property_account_receivable_id
            if repayment.pos_session_id:
                move_line = repayment._book_at_till(partner, receivable)
            else:
                move_line = repayment._book_payment(partner)
            matched = repayment._settle_oldest_debts(partner, move_line)
            repayment._clever_mark_posted(
                {
                    "state": "posted",
                    "move_id": move_line.move_id.id,
                    "debt_before": debt,
                    "debt_after": partner._clever_debt(company),
                    "matched_line_ids": [fields.Command.set(matched.ids)],
                }
            )
        return True

    def _book_at_till(self, partner, receivable):
        session = self.pos_session_id
        if session.state != "opened":
            raise UserError(self.env._("The shift %(shift)s is not open.", shift=session.name))
        if self.journal_id != session.cash_journal_id:
            raise UserError(self.env._("At the till the money goes into the shift's cash desk."))
        st_line = (
            self.env["account.bank.statement.line"]
            .sudo()
            .with_company(self.company_id)
            .with_context(no_retrieve_partner=True)
            .create(
                {
                    "pos_session_id": session.id,
                    "journal_id": session.cash_journal_id.id,
                    "amount": self.amount,
                    "date": self.date,
                    "partner_id": partner.id,
                    "payment_ref": self.env._("%(shift)s-repayment-%(number)s", shift=session.name, number=self.name),
                    "counterpart_account_id": receivable.id,
                }
            )
        )
        st_line.move_id.clever_document = f"{self._name},{self.id}"
        self._clever_posting().write({"statement_line_id": st_line.id})
        return st_line.move_id.line_ids.filtered(lambda line: line.account_id == receivable)

    def _book_payment(self, partner):
        payment = (
            self.env["account.payment"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": self.amount,
                    "date": self.date,
                    "journal_id": self.journal_id.id,
                    "memo": self.name,
                    # Into the money account itself, not an outstanding account waiting for a
                    # bank statement: the money is in the shop's hands.
                    "outstanding_account_id": self.journal_id.default_account_id.id,
                }
            )
        )
        payment.action_post()
        payment.move_id.clever_document = f"{self._name},{self.id}"
        self._clever_posting().write({"payment_id": payment.id})
        return payment.move_id.line_ids.filtered(lambda line: line.account_id == payment.destination_account_id)

    def _settle_oldest_debts(self, partner, credit_line):
        """Reconcile the repayment with the partner's open debts, oldest first."""
        matched = self.env["account.move.line"]
        for debt_line in partner._clever_open_debt_lines(self.company_id).sorted(
            lambda line: (line.date_maturity or line.date, line.date, line.id)
        ):
            if credit_line.currency_id.is_zero(credit_line.amount_residual) or credit_line.reconciled:
                break
            (debt_line | credit_line).sudo().reconcile()
            matched |= debt_line
        return matched

    def action_reverse(self):
        """Cancel a repayment entered by mistake: its entry is reversed (dated today), the debts
        it settled are open again."""
        for repayment in self:
            repayment = repayment._clever_posting()
            if repayment.state != "posted":
                raise UserError(self.env._("Only a posted repayment can be reversed."))
            if repayment.pos_session_id and repayment.pos_session_id.state != "opened":
                raise UserError(
                    self.env._("The shift of this repayment is closed: reverse it with a cash-out in a new shift or in the office.")
                )
            reversed_move = repayment.move_id.sudo()._reverse_moves(
                [{"date": fields.Date.context_today(repayment), "ref": self.env._("Reversal of %(number)s", number=repayment.name)}],
                cancel=True,
            )
            reversed_move.clever_document = f"{repayment._name},{repayment.id}"
            repayment.write({"state": "reversed", "reversed_by_id": reversed_move.id})
        return True

    def action_print_receipt(self):
        """The receipt on the shop's receipt paper (58 or 80 mm, from the store settings)."""
        narrow = self[:1].company_id.clever_receipt_width == "58"
        xmlid = "clever_pos_finance.action_report_clever_repayment_receipt" + ("_58" if narrow else "")
        return self.env.ref(xmlid).report_action(self)

    # ------------------------------------------------------------------
    # At the till
    # ------------------------------------------------------------------

    @api.model
    def clever_create_from_pos(self, session_id, partner_id, amount):
        """A repayment taken at the till by the cashier of an open shift. The cashier has no
        rights on money documents: the shift decides. Returns what the receipt shows."""
        session = self.env["pos.session"].browse(session_id).exists()
        if not session or not self.env.user.has_group("point_of_sale.group_pos_user"):
            raise AccessError(self.env._("Only the cashier of an open shift takes repayments at the till."))
        session.check_access("read")
        if session.state != "opened" or (
            session.user_id != self.env.user and not self.env.user.has_group("point_of_sale.group_pos_manager")
        ):
            raise AccessError(self.env._("Only the cashier of an open shift takes repayments at the till."))
        repayment = self.sudo().create(
            {
                "company_id": session.company_id.id,
                "partner_id": partner_id,
                "amount": amount,
                "pos_session_id": session.id,
                "journal_id": session.cash_journal_id.id,
                "user_id": self.env.uid,
            }
        )
        repayment.with_context(clever_finance_posting=True).action_post()
        return {
            "id": repayment.id,
            "name": repayment.name,
            "partner": repayment.partner_id.display_name,
            "amount": repayment.amount,
            "debt_before": repayment.debt_before,
            "debt_after": repayment.debt_after,
        }
