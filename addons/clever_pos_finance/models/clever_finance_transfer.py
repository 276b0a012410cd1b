from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command


class CleverFinanceTransfer(models.Model):
    """Money moved between two money accounts of the shop (cash desk to safe, cash desk to bank,
    Kaspi to the settlement account...).

    Sending books the amount from the source account to the company's liquidity transfer
    account; receiving books it from there to the destination account, on the date it arrives.
    Until then the money is "in transit". No income or expense account is ever touched.
    """

    _name = "clever.finance.transfer"
    _description = "Transfer between money accounts"
    _inherit = ["clever.finance.document"]
    _clever_sequence_code = "clever.finance.transfer"
    _clever_posted_fields = frozenset(
        {"state", "move_sent_id", "move_received_id", "date_received", "posted_by_id", "posted_at", "reversal_of_id", "reversed_by_id"}
    )

    date = fields.Date(string="Sent on", required=True, default=fields.Date.context_today, tracking=True)
    date_received = fields.Date(
        string="Received on",
        tracking=True,
        help="Leave empty while the money is on its way (e.g. cash handed to the bank, Kaspi settlement).",
    )
    journal_from_id = fields.Many2one(
        "account.journal",
        string="From",
        required=True,
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank')), ('clever_money_kind', '!=', False)]",
        tracking=True,
    )
    journal_to_id = fields.Many2one(
        "account.journal",
        string="To",
        required=True,
        check_company=True,
        domain="[('type', 'in', ('cash', 'bank')), ('clever_money_kind', '!=', False), ('id', '!=', journal_from_id)]",
        tracking=True,
    )
    amount = fields.Monetary(required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("in_transit", "In transit"), ("done", "Received"), ("reversed", "Reversed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    move_sent_id = fields.Many2one("account.move", string="Sending entry", readonly=True, copy=False)
    move_received_id = fields.Many2one("account.move", string="Receiving entry", readonly=True, copy=False)
    reversal_of_id = fields.Many2one("clever.finance.transfer", string="Reverses", readonly=True, copy=False)
    reversed_by_id = fields.Many2one("clever.finance.transfer", string="Reversed by", readonly=True, copy=False)

    _amount_positive = models.Constraint("CHECK(amount > 0)", "The amount of a transfer must be positive.")
    _accounts_differ = models.Constraint(
        "CHECK(journal_from_id != journal_to_id)", "A transfer goes from one money account to another."
    )

    @api.constrains("date", "date_received")
    def _check_dates(self):
        for transfer in self:
            if transfer.date_received and transfer.date_received < transfer.date:
                raise ValidationError(self.env._("Money cannot arrive before it is sent."))

    @api.constrains("journal_from_id", "journal_to_id")
    def _check_currency(self):
        for transfer in self:
            currencies = (transfer.journal_from_id | transfer.journal_to_id).mapped(
                lambda j: j.currency_id or j.company_id.currency_id
            )
            if len(currencies) > 1:
                raise ValidationError(self.env._("Both money accounts of a transfer must be in the same currency."))

    @api.depends("name", "journal_from_id", "journal_to_id")
    def _compute_display_name(self):
        for transfer in self:
            transfer.display_name = "%s (%s → %s)" % (
                transfer.name,
                transfer.journal_from_id.name or "?",
                transfer.journal_to_id.name or "?",
            )

    # ------------------------------------------------------------------
    # Accounting
    # ------------------------------------------------------------------

    def _transfer_account(self):
        account = self.company_id.sudo().transfer_account_id
        if not account:
            raise UserError(self.env._("Set the liquidity transfer account of %(company)s first.", company=self.company_id.name))
        return account

    def _book(self, journal, date, debit_account, credit_account, label):
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": label,
                    "clever_document": f"{self._name},{self.id}",
                    "line_ids": [
                        Command.create({"name": label, "account_id": debit_account.id, "debit": self.amount}),
                        Command.create({"name": label, "account_id": credit_account.id, "credit": self.amount}),
                    ],
                }
            )
        )
        move.action_post()
        return move

    def action_post(self):
        """Send the money; received at once when the receiving date is already known."""
        for transfer in self:
            transfer = transfer._clever_posting()
            if transfer.state != "draft":
                raise UserError(self.env._("%(transfer)s is already posted.", transfer=transfer.display_name))
            label = self.env._(
                "%(number)s: %(origin)s → %(target)s",
                number=transfer.name,
                origin=transfer.journal_from_id.name,
                target=transfer.journal_to_id.name,
            )
            move = transfer._book(
                transfer.journal_from_id,
                transfer.date,
                transfer._transfer_account(),
                transfer.journal_from_id.default_account_id,
                label,
            )
            transfer._clever_mark_posted({"state": "in_transit", "move_sent_id": move.id})
            if transfer.date_received:
                transfer._receive(transfer.date_received)
        return True

    def action_receive(self):
        """The money has arrived (today unless a receiving date was entered)."""
        for transfer in self:
            transfer = transfer._clever_posting()
            if transfer.state != "in_transit":
                raise UserError(self.env._("Only a transfer in transit can be received."))
            transfer._receive(transfer.date_received or fields.Date.context_today(transfer))
        return True

    def _receive(self, date):
        self.ensure_one()
        if date < self.date:
            raise UserError(self.env._("Money cannot arrive before it is sent."))
        label = self.env._(
            "%(number)s: %(origin)s → %(target)s",
            number=self.name,
            origin=self.journal_from_id.name,
            target=self.journal_to_id.name,
        )
        transit = self._transfer_account()
        move = self._book(self.journal_to_id, date, self.journal_to_id.default_account_id, transit, label)
        self._clever_posting().write({"state": "done", "move_received_id": move.id, "date_received": date})
        if transit.reconcile:
            (self.move_sent_id.line_ids | move.line_ids).filtered(lambda line: line.account_id == transit).reconcile()

    def action_reverse(self):
        """Cancel a transfer booked by mistake: its entries are reversed (dated today) and a
        reversing transfer records it."""
        for transfer in self:
            transfer = transfer._clever_posting()
            if transfer.state not in ("in_transit", "done") or transfer.reversal_of_id:
                raise UserError(self.env._("Only a posted transfer can be reversed, and only once."))
            today = fields.Date.context_today(transfer)
            reversal = transfer.copy(
                {
                    "journal_from_id": transfer.journal_to_id.id if transfer.state == "done" else transfer.journal_from_id.id,
                    "journal_to_id": transfer.journal_from_id.id if transfer.state == "done" else transfer.journal_to_id.id,
                    "date": today,
                    "date_received": today,
                    "reversal_of_id": transfer.id,
                    "note": self.env._("Reverses %(transfer)s", transfer=transfer.name),
                }
            )
            moves = (transfer.move_sent_id | transfer.move_received_id).sudo()
            reversed_moves = moves._reverse_moves([{"date": today} for _move in moves], cancel=True)
            reversed_moves.clever_document = f"{reversal._name},{reversal.id}"
            reversed_sent = reversed_moves.filtered(lambda m: m.reversed_entry_id == transfer.move_sent_id)
            reversal._clever_mark_posted(
                {"state": "done", "move_sent_id": reversed_sent.id, "move_received_id": (reversed_moves - reversed_sent)[:1].id}
            )
            transfer.write({"state": "reversed", "reversed_by_id": reversal.id})
        return True
