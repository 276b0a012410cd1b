import logging
import uuid
from datetime import timezone
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..fiscal import (
    FiscalError,
    FiscalQueue,
    FiscalRejectedError,
    ModifierKind,
    MoneyOperation,
    MoneyOperationKind,
    MoneyOperationResult,
    OperationKind,
    OperationState,
    Payment,
    PaymentKind,
    QueuedOperation,
    QueueStorage,
    Receipt,
    ReceiptLine,
    ReceiptModifier,
    ReceiptOperation,
    ReceiptResult,
    ReturnBasis,
    ShiftReport,
)
from ..fiscal.provider import CENT, round_half_away
from ..fiscal.webkassa_client import PAYMENT_TYPES, payment_type_of, receipt_total

_logger = logging.getLogger(__name__)

KINDS = [
    ("sale", "Sale"),
    ("refund", "Return"),
    ("cash_in", "Cash in"),
    ("cash_out", "Cash out"),
    ("x_report", "X report"),
    ("z_report", "Z report"),
]
QUEUE_KINDS = {
    "sale": OperationKind.RECEIPT,
    "refund": OperationKind.RECEIPT,
    "cash_in": OperationKind.MONEY,
    "cash_out": OperationKind.MONEY,
    "z_report": OperationKind.Z_REPORT,
}
D = Decimal


def _dec(value):
    return D(str(value))


class _RecordStorage(QueueStorage):
    """FiscalQueue storage backed by clever.fiscal.operation rows of one register. The row of
    the operation being sent is locked (SELECT ... FOR UPDATE) under the register's lock."""

    def __init__(self, register, provider):
        self.register = register
        self.provider = provider
        self.Operation = register.env["clever.fiscal.operation"].sudo()

    def _domain(self):
        return [("register_id", "=", self.register.id), ("state", "=", "pending")]

    def next_pending(self):
        record = self.Operation.search(self._domain(), order="id", limit=1)
        if not record:
            return None
        self.Operation.env.cr.execute("SELECT id FROM clever_fiscal_operation WHERE id = %s FOR UPDATE", (record.id,))
        return QueuedOperation(
            sequence=record.id,
            kind=QUEUE_KINDS[record.kind],
            external_number=record.external_number,
            payload=record,
            attempts=record.attempts,
        )

    def save(self, operation):
        operation.payload._store_outcome(operation, self.provider.last_error)

    def find(self, external_number):
        return None

    def count_pending(self):
        return self.Operation.search_count(self._domain())

    def next_sequence(self):
        return 0


class _RecordProvider:
    """Turns an operation row into the provider's payload at send time (a return gets the fiscal
    data of its sale here, once the sale is fiscalised) and remembers the last error."""

    def __init__(self, client):
        self.client = client
        self.last_error = None

    def _wrap(self, function, *args):
        self.last_error = None
        try:
            return function(*args)
        except FiscalError as error:
            self.last_error = error
            raise

    def send_receipt(self, record):
        return self._wrap(lambda: self.client.send_receipt(record._build_receipt(self.client.config)))

    def money_operation(self, record):
        return self._wrap(self.client.money_operation, record._build_money_operation())

    def z_report(self, external_number):
        return self._wrap(self.client.z_report, external_number)


class CleverFiscalOperation(models.Model):
    """One fiscal document of a POS document: a sale, a return, a cash in/out, an X or Z report.

    The external number (the provider's idempotency key) is generated when the row is created,
    which is committed with the sale itself, before any request to the provider; every resend
    uses the same number, so the provider answers "already registered" with the original data
    instead of making a second receipt."""

    _name = "clever.fiscal.operation"
    _description = "Fiscal operation"
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "external_number"

    register_id = fields.Many2one("clever.fiscal.register", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="register_id.company_id", store=True, index=True)
    kind = fields.Selection(KINDS, required=True, readonly=True)
    external_number = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: str(uuid.uuid4()),
        help="Sent with every try: the provider registers an operation only once per number.",
    )
    state = fields.Selection(
        [("pending", "Waiting to be sent"), ("done", "Fiscalised"), ("failed", "Failed")],
        required=True, default="pending", readonly=True, index=True,
    )
    order_id = fields.Many2one("pos.order", readonly=True, index="btree_not_null", ondelete="restrict")
    origin_operation_id = fields.Many2one(
        "clever.fiscal.operation", string="Receipt returned", readonly=True,
        help="The fiscal receipt of the sale this return refers to.",
    )
    session_id = fields.Many2one("pos.session", readonly=True, index="btree_not_null", ondelete="restrict")
    config_id = fields.Many2one("pos.config", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True)
    payload = fields.Json(readonly=True, copy=False)
    attempts = fields.Integer(readonly=True)
    last_attempt_at = fields.Datetime(readonly=True)
    error_code = fields.Char(readonly=True)
    error_message = fields.Text(string="Technical error", readonly=True, help="As the connector reported it, in English.")
    error_text = fields.Text(string="Error", compute="_compute_error_text", help="What went wrong, in the user's language.")
    provider_message = fields.Text(string="Provider's message", readonly=True)
    # Fiscal data of the provider's answer (printed on the receipt; a return's basis)
    check_number = fields.Char(string="Fiscal sign", readonly=True, index="btree_not_null")
    fiscal_date = fields.Datetime(string="Fiscal date", readonly=True)
    registration_number = fields.Char(string="RNM", readonly=True)
    cashbox_unique_number = fields.Char(string="ZNM", readonly=True)
    identity_number = fields.Char(string="INK", readonly=True)
    shift_number = fields.Integer(readonly=True)
    check_order_number = fields.Integer(string="Receipt number in shift", readonly=True)
    ticket_url = fields.Char(string="Receipt check link", readonly=True)
    ofd_name = fields.Char(string="OFD", readonly=True)
    ofd_host = fields.Char(string="OFD website", readonly=True)
    taxpayer_name = fields.Char(readonly=True)
    taxpayer_in = fields.Char(string="Taxpayer BIN", readonly=True)
    cashbox_address = fields.Char(readonly=True)
    offline_mode = fields.Boolean(string="Autonomous mode", readonly=True)
    duplicate = fields.Boolean(
        string="Found already registered", readonly=True,
        help="An earlier try had reached the provider: its receipt was reused, nothing was registered twice.",
    )
    cash_balance = fields.Monetary(string="Cash in cashbox after", readonly=True)
    report_data = fields.Json(readonly=True, copy=False)

    _external_number_unique = models.Constraint("UNIQUE(external_number)", "The external number of a fiscal operation is unique.")

    @api.model_create_multi
    def create(self, vals_list):
        operations = super().create(vals_list)
        if any(op.state == "pending" for op in operations):
            # The queue worker runs as soon as this transaction is committed.
            cron = self.env.ref("clever_pos_terminal.ir_cron_clever_fiscal_send", raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()
        return operations

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Fiscal operations are never deleted."))

    def _compute_display_name(self):
        labels = dict(KINDS)
        for operation in self:
            document = operation.order_id.pos_reference or operation.order_id.name or operation.session_id.name or ""
            operation.display_name = f"{labels.get(operation.kind, '')} {document}".strip()

    # ------------------------------------------------------------------
    # Creating operations (inside the POS document's transaction: no request here)
    # ------------------------------------------------------------------

    @api.model
    def _enqueue_order(self, order):
        """The fiscal operation of a paid POS order, created once (a re-sent order reuses it)."""
        register = order.config_id.clever_fiscal_register_id
        if not register or order.clever_is_repayment:
            return self.browse()
        Operation = self.sudo()
        existing = Operation.search([("order_id", "=", order.id), ("kind", "in", ("sale", "refund"))], limit=1)
        if existing:
            return existing
        payload = self._order_payload(order)
        if not payload["lines"]:
            return self.browse()
        origin = Operation.browse()
        if payload["refund"]:
            sales = order.lines.refunded_orderline_id.order_id
            origin = Operation.search([("order_id", "in", sales.ids), ("kind", "=", "sale")], order="id desc", limit=1)
        return Operation.create(
            {
                "register_id": register.id,
                "kind": "refund" if payload["refund"] else "sale",
                "order_id": order.id,
                "origin_operation_id": origin.id,
                "session_id": order.session_id.id,
                "config_id": order.config_id.id,
                "amount": abs(order.amount_total),
                "payload": payload,
            }
        )

    @api.model
    def _enqueue_cash_move(self, session, move_type, amount):
        register = session.config_id.clever_fiscal_register_id
        if not register:
            return self.browse()
        return self.sudo().create(
            {
                "register_id": register.id,
                "kind": "cash_in" if move_type == "in" else "cash_out",
                "session_id": session.id,
                "config_id": session.config_id.id,
                "amount": abs(amount),
            }
        )

    @api.model
    def _enqueue_z_report(self, session):
        register = session.config_id.clever_fiscal_register_id
        if not register:
            return self.browse()
        return self.sudo().create(
            {"register_id": register.id, "kind": "z_report", "session_id": session.id, "config_id": session.config_id.id}
        )

    @api.model
    def _vat_percent(self, taxes):
        percent = sum(tax.amount for tax in taxes if tax.amount_type == "percent")
        return str(percent) if percent else None

    @api.model
    def _order_payload(self, order):
        """What the fiscal receipt says, in provider-neutral terms: lines with the VAT rate of the
        product's tax, whole-order discounts as modifiers, payments by fiscal kind."""
        refund = order.amount_total < 0 or any(line.qty < 0 for line in order.lines)
        sign = -1 if refund else 1
        lines, modifiers = [], []
        for line in order.lines:
            qty = line.qty * sign
            incl = line.price_subtotal_incl * sign
            vat = self._vat_percent(line.tax_ids_after_fiscal_position)
            name = (line.full_product_name or line.product_id.display_name or "-")[:255]
            if incl < 0 and qty > 0:
                # A negative-price line (the order discount of pos_discount): a receipt discount.
                modifiers.append({"amount": str(round(-incl, 2)), "text": name[:50], "vat": vat})
                continue
            if qty <= 0:
                continue
            factor = 1 - (line.discount or 0.0) / 100.0
            gross = incl / factor if factor > 0 else line.price_unit * qty
            price = round(gross / qty, 2)
            discount = max(round(price * qty - incl, 2), 0.0)
            lines.append(
                {
                    "name": name,
                    "quantity": str(round(qty, 3)),
                    "price": str(price),
                    "discount": str(discount),
                    "vat": vat,
                    "code": (line.product_id.default_code or "")[:50] or None,
                }
            )
        payments = {}
        for payment in order.payment_ids:
            if payment.is_change:
                continue
            amount = payment.amount * sign
            if amount <= 0:
                continue
            kind = payment.payment_method_id._clever_fiscal_kind()
            payments[kind] = round(payments.get(kind, 0.0) + amount, 2)
        return {
            "refund": refund,
            "lines": lines,
            "modifiers": modifiers,
            "payments": [{"kind": kind, "amount": str(amount)} for kind, amount in payments.items()],
            "order_number": order.pos_reference or order.name,
        }

    # ------------------------------------------------------------------
    # Payloads at send time
    # ------------------------------------------------------------------

    def _build_receipt(self, config):
        self.ensure_one()
        data = self.payload or {}
        lines = tuple(
            ReceiptLine(
                name=line["name"],
                quantity=_dec(line["quantity"]),
                price=_dec(line["price"]),
                discount=_dec(line.get("discount") or 0),
                vat_percent=None if line.get("vat") is None else _dec(line["vat"]),
                code=line.get("code"),
            )
            for line in data.get("lines", [])
        )
        modifiers = tuple(
            ReceiptModifier(
                kind=ModifierKind.DISCOUNT,
                amount=_dec(modifier["amount"]),
                text=modifier["text"],
                vat_percent=None if modifier.get("vat") is None else _dec(modifier["vat"]),
            )
            for modifier in data.get("modifiers", [])
        )
        payments = [[PaymentKind(p["kind"]), _dec(p["amount"])] for p in data.get("payments", [])]
        basis = None
        if self.kind == "refund":
            origin = self.origin_operation_id
            if not origin or origin.state != "done":
                raise FiscalRejectedError(
                    "fiscal_return_basis_missing",
                    "The sale of this return has no fiscal receipt yet: fiscalise the sale first, then retry the return.",
                )
            basis = ReturnBasis(
                check_number=origin.check_number,
                date_time=origin.fiscal_date.replace(tzinfo=timezone.utc),
                registration_number=origin.registration_number,
                total=_dec(origin.amount),
                is_offline=origin.offline_mode,
            )
        receipt = Receipt(
            external_number=self.external_number,
            operation=ReceiptOperation.SALE_RETURN if self.kind == "refund" else ReceiptOperation.SALE,
            lines=lines,
            payments=(),
            modifiers=modifiers,
            return_basis=basis,
            order_number=data.get("order_number"),
        )
        # The provider rounds every line (RoundType): fit the payments to its total, taking the
        # rounding difference on cash when there is cash, else on the largest payment.
        total = receipt_total(receipt, config.round_type)
        paid = sum((p[1] for p in payments), D(0))
        cash_type = PAYMENT_TYPES[PaymentKind.CASH]
        non_cash = [p for p in payments if payment_type_of(p[0], config) != cash_type]
        cash = [p for p in payments if payment_type_of(p[0], config) == cash_type]
        non_cash_sum = sum((p[1] for p in non_cash), D(0))
        if non_cash and non_cash_sum > total:
            biggest = max(non_cash, key=lambda p: p[1])
            biggest[1] = max(biggest[1] - (non_cash_sum - total), D(0))
        elif paid < total and total - paid < D(1) * max(len(lines), 1) and payments:
            target = cash[0] if cash else max(payments, key=lambda p: p[1])
            target[1] += total - paid
        payments = tuple(Payment(kind, round_half_away(amount, CENT)) for kind, amount in payments if amount > 0)
        return Receipt(
            external_number=receipt.external_number,
            operation=receipt.operation,
            lines=lines,
            payments=payments,
            modifiers=modifiers,
            return_basis=basis,
            order_number=receipt.order_number,
        )

    @api.model
    def _x_report(self, register, session=None):
        """An X report now (a read: nothing is registered, so no queue) kept as a done row."""
        client = register._fiscal_client()
        if not register._try_lock():
            raise UserError(self.env._("The fiscal cash register is busy; try again in a moment."))
        try:
            report = client.x_report()
        except FiscalError as error:
            raise UserError(
                self.env._(
                    "The X report failed: %(message)s %(provider)s", message=error.message, provider=error.provider_text or ""
                )
            ) from None
        return self.sudo().create(
            {
                "register_id": register.id,
                "kind": "x_report",
                "state": "done",
                "session_id": session.id if session else False,
                "config_id": session.config_id.id if session else False,
                "fiscal_date": fields.Datetime.now(),
                **self._report_vals(report),
            }
        )

    def _build_money_operation(self):
        self.ensure_one()
        return MoneyOperation(
            external_number=self.external_number,
            kind=MoneyOperationKind.DEPOSIT if self.kind == "cash_in" else MoneyOperationKind.WITHDRAWAL,
            amount=_dec(round(self.amount, 2)),
        )

    # ------------------------------------------------------------------
    # Outcome
    # ------------------------------------------------------------------

    @api.model
    def _utc_naive(self, value):
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value else False

    @api.model
    def _report_vals(self, report):
        return {
            "shift_number": report.shift_number or 0,
            "offline_mode": report.offline_mode,
            "cash_balance": float(report.sum_in_cashbox or 0),
            "report_data": {
                "already_closed": report.already_closed,
                "shift_number": report.shift_number,
                "report_number": report.report_number,
                "document_count": report.document_count,
                "start_on": report.start_on,
                "report_on": report.report_on,
                "close_on": report.close_on,
                "sum_in_cashbox": str(report.sum_in_cashbox),
                "put_money_sum": str(report.put_money_sum),
                "take_money_sum": str(report.take_money_sum),
                "sell_total": str(report.sell_total),
                "sell_count": report.sell_count,
                "return_sell_total": str(report.return_sell_total),
                "return_sell_count": report.return_sell_count,
            },
        }

    def _store_outcome(self, queued, error):
        self.ensure_one()
        vals = {"attempts": queued.attempts, "last_attempt_at": fields.Datetime.now()}
        if queued.state == OperationState.PENDING:
            vals.update(error_code=queued.error_code, error_message=queued.error_message)
            vals["provider_message"] = error and error.provider_text or False
        elif queued.state == OperationState.FAILED:
            vals.update(state="failed", error_code=queued.error_code, error_message=queued.error_message)
            vals["provider_message"] = error and error.provider_text or False
        else:
            vals.update(state="done", error_code=False, error_message=False, provider_message=False)
            result = queued.result
            if isinstance(result, ReceiptResult):
                vals.update(
                    check_number=result.check_number,
                    fiscal_date=self._utc_naive(result.date_time),
                    registration_number=result.registration_number,
                    cashbox_unique_number=result.cashbox_unique_number,
                    identity_number=result.identity_number,
                    shift_number=result.shift_number or 0,
                    check_order_number=result.check_order_number or 0,
                    ticket_url=result.ticket_url,
                    ofd_name=result.ofd_name,
                    ofd_host=result.ofd_host,
                    taxpayer_name=result.taxpayer_name,
                    taxpayer_in=result.taxpayer_in,
                    cashbox_address=result.cashbox_address,
                    offline_mode=result.offline_mode,
                    duplicate=result.duplicate,
                )
            elif isinstance(result, MoneyOperationResult):
                vals.update(
                    shift_number=result.shift_number or 0,
                    fiscal_date=self._utc_naive(result.date_time),
                    offline_mode=result.offline_mode,
                    duplicate=result.duplicate,
                    cash_balance=float(result.balance) if result.balance is not None else 0.0,
                )
            elif isinstance(result, ShiftReport):
                vals.update(self._report_vals(result), fiscal_date=fields.Datetime.now())
            closed = getattr(result, "closed_shift_report", None)
            if closed is not None:
                # The provider's shift was over 24 h: the client closed it (Z) and resent.
                self.create(
                    {
                        "register_id": self.register_id.id,
                        "kind": "z_report",
                        "state": "done",
                        "session_id": self.session_id.id,
                        "config_id": self.config_id.id,
                        "fiscal_date": fields.Datetime.now(),
                        "error_message": self.env._("Closed automatically: the shift was open for more than 24 hours."),
                        **self._report_vals(closed),
                    }
                )
        self.write(vals)

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _drain(self, register, until=None, limit=None, live=False):
        """Send the register's pending operations oldest first, one at a time under the cashbox
        lock, until `until` is sent, a cashbox-level failure stops the queue or nothing is left.
        Returns {"sent", "failed", "stopped", "busy"}."""
        Operation = self.sudo()
        outcome = {"sent": 0, "failed": 0, "stopped": False, "busy": False}
        try:
            client = register._fiscal_client(transport_retries=0 if live else 1)
        except UserError as error:
            _logger.warning("Fiscal register %s cannot send: %s", register.id, error.args[0])
            outcome["stopped"] = True
            return outcome
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        while limit is None or outcome["sent"] + outcome["failed"] < limit:
            if not register._try_lock():
                outcome["busy"] = True
                break
            provider = _RecordProvider(client)
            report = FiscalQueue(provider, _RecordStorage(register, provider)).drain(max_operations=1)
            outcome["sent"] += len(report.sent)
            outcome["failed"] += len(report.failed)
            processed = [op.payload for op in report.sent + report.failed]
            if in_cron and processed:
                self.env["ir.cron"]._commit_progress(len(processed), remaining=report.remaining)
            if report.stopped_by is not None:
                outcome["stopped"] = True
                break
            if not processed or not report.remaining:
                break
            if until is not None and until.id in [record.id for record in processed]:
                break
        Operation.env.flush_all()
        return outcome

    @api.model
    def _cron_send_pending(self):
        """The queue worker: every register with waiting operations, in creation order."""
        Operation = self.sudo()
        registers = Operation.search([("state", "=", "pending")], order="id").register_id
        for register in registers.filtered("active"):
            Operation._drain(register)

    def _send_now(self):
        """The live path of the till: send everything older than and including these operations.
        Never raises for the provider: a failure leaves the operation waiting for the cron."""
        for register in self.register_id:
            mine = self.filtered(lambda op: op.register_id == register and op.state == "pending")
            if mine:
                self._drain(register, until=mine.sorted("id")[-1], live=True)
        return self

    def action_retry(self):
        """Managers: send a failed or waiting operation again (same external number)."""
        if not self.env.user.has_group("clever_pos_base.group_clever_manager"):
            raise AccessError(self.env._("Only managers retry fiscal operations."))
        failed = self.filtered(lambda op: op.state == "failed")
        failed.sudo().write({"state": "pending"})
        self.sudo()._send_now()
        return True

    # ------------------------------------------------------------------
    # What the till prints
    # ------------------------------------------------------------------

    @api.depends("error_code", "error_message")
    @api.depends_context("lang")
    def _compute_error_text(self):
        texts = self._error_texts()
        for op in self:
            op.error_text = texts.get(op.error_code) or op.error_message or False

    def _error_texts(self):
        """The connector's stable error codes (fiscal/webkassa_client.py), told in the user's language."""
        _ = self.env._
        kept = _("The operation is kept with its number and will be sent again with the same number.")
        return {
            "fiscal_unknown_error": _("Webkassa reported an unknown error. The operation is kept with its number; check it in the Webkassa cabinet before trying again."),
            "fiscal_wrong_credentials": _("Webkassa rejected the login or password of the fiscal settings."),
            "fiscal_session_expired": _("The Webkassa session expired and logging in again did not help."),
            "fiscal_not_authorized": _("Webkassa refused the request: check the API key and the login of the fiscal settings."),
            "fiscal_operation_denied": _("The Webkassa user is not allowed to perform this operation."),
            "fiscal_cashbox_access_denied": _("The Webkassa user has no access to this cash register."),
            "fiscal_cashbox_not_found": _("Webkassa does not know this cash register number (check the number and the test/production setting)."),
            "fiscal_cashbox_blocked": _("The cash register is blocked by the OFD or the tax authority."),
            "fiscal_not_enough_cash": _("There is not enough cash in the cash register for this operation."),
            "fiscal_invalid_data": _("Webkassa rejected the data of the operation."),
            "fiscal_cashbox_not_activated": _("The cash register is not activated; contact the service centre."),
            "fiscal_shift_over_24h": _("The shift has been open for more than 24 hours and closing it automatically did not help."),
            "fiscal_shift_already_closed": _("The shift is already closed."),
            "fiscal_no_open_shift": _("There is no open shift on the cash register."),
            "fiscal_duplicate_unresolved": _("Webkassa says this operation was already registered, but its fiscal data could not be found."),
            "fiscal_shift_not_found": _("This shift does not exist on the cash register."),
            "fiscal_receipt_not_found": _("No such receipt in this shift."),
            "fiscal_discount_not_allowed": _("A discount or markup cannot be given on this operation."),
            "fiscal_offline_over_72h": _("The cash register has worked without the OFD for more than 72 hours: fiscal operations are blocked until the OFD connection is restored."),
            "fiscal_external_number_not_found": _("No receipt with this external number."),
            "fiscal_date_before_connection": _("The date is earlier than the cash register's connection date."),
            "fiscal_return_basis_missing": _("A return needs the fiscal data of the original receipt."),
            "fiscal_domain_unavailable": _("Webkassa is temporarily unavailable on this domain.") + " " + kept,
            "fiscal_invalid_amount": _("Webkassa refused an amount of the operation (negative or with a fractional part where none is allowed)."),
            "fiscal_offline_not_supported": _("The cash register does not support offline receipts."),
            "fiscal_z_report_not_found": _("No Z report: the shift is still open."),
            "fiscal_license_not_found": _("The cash register has no active Webkassa licence."),
            "fiscal_unreachable": _("The fiscal service cannot be reached.") + " " + kept,
            "fiscal_bad_response": _("The fiscal service sent an answer that cannot be read.") + " " + kept,
            "fiscal_busy": _("Another operation is being sent to this cash register. Try again in a moment."),
            "fiscal_invalid_receipt": _("The receipt cannot be fiscalised as it is: see the technical error."),
            "fiscal_provider_error": _("The fiscal service answered with an unexpected error."),
        }

    def _pos_receipt_data(self):
        """Fiscal data for the printed receipt; nothing invented when not fiscalised."""
        self.ensure_one()
        op = self.sudo()
        data = {"state": op.state, "kind": op.kind}
        if op.state != "done":
            data["message"] = op.error_text or ""
            return data
        tz = op.session_id._clever_tz() if op.session_id else timezone.utc
        when = op.fiscal_date and op.fiscal_date.replace(tzinfo=timezone.utc).astimezone(tz)
        data.update(
            check_number=op.check_number,
            date=when.strftime("%d.%m.%Y %H:%M:%S") if when else "",
            registration_number=op.registration_number or "",
            cashbox_unique_number=op.cashbox_unique_number or "",
            identity_number=op.identity_number or "",
            shift_number=op.shift_number,
            check_order_number=op.check_order_number,
            ticket_url=op.ticket_url or "",
            ofd_name=op.ofd_name or "",
            ofd_host=(op.ofd_host or "").split("/")[0],
            taxpayer_name=op.taxpayer_name or "",
            taxpayer_in=op.taxpayer_in or "",
            address=op.cashbox_address or "",
            offline_mode=op.offline_mode,
        )
        return data
