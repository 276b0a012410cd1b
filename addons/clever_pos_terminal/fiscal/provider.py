"""Provider-neutral side of fiscalisation: payloads, results, errors and the FiscalProvider interface.

Why a separate module: the Odoo side (pos.order, the fiscal operation record, the queue cron) talks
to one interface and stores one set of fields, whatever cloud cash register the shop uses. Webkassa
is the only implementation today (see webkassa_client.py); Kassa24 or TipTop Pay would be another
subclass of FiscalProvider. Nothing here imports Odoo, so the code is tested with plain pytest.

Amounts are Decimal tenge (not tiyn), as the provider wants them. Quantities have at most three
decimals, prices and amounts at most two.
"""

import abc
import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

# Kazakhstan's base VAT rate from 01.01.2026 (new Tax Code), spec section 8.
DEFAULT_VAT_PERCENT = Decimal(16)
CENT = Decimal("0.01")
MILLI = Decimal("0.001")
UNIT = Decimal(1)


def to_decimal(value):
    """Decimal from int/str/Decimal, and from float through its repr (never its binary value)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_away(value, step):
    """Half-away-from-zero rounding, the only rounding Webkassa uses (spec 3.2).

    Python's ROUND_HALF_UP on Decimal rounds ties away from zero for negative numbers too.
    """
    return to_decimal(value).quantize(step, rounding=ROUND_HALF_UP)


# Enumerations ------------------------------------------------------------------------------------


class ReceiptOperation(enum.IntEnum):
    """Webkassa OperationType of /check (same numbers are used as our neutral values)."""

    BUY = 0
    BUY_RETURN = 1
    SALE = 2
    SALE_RETURN = 3

    @property
    def is_return(self):
        return self in (ReceiptOperation.BUY_RETURN, ReceiptOperation.SALE_RETURN)


class PaymentKind(str, enum.Enum):
    """How the customer paid, as the POS knows it. The provider maps it to its own payment types.

    KASPI is separate from MOBILE because whether Kaspi QR / Kaspi Red is a "mobile payment" (4) or a
    "bank card" (1) is an accounting decision (spec section 10, question 9): the client has a setting.
    CREDIT is a sale on debt (pay later).
    """

    CASH = "cash"
    CARD = "card"
    MOBILE = "mobile"
    KASPI = "kaspi"
    CREDIT = "credit"
    TARE = "tare"


class MoneyOperationKind(enum.IntEnum):
    DEPOSIT = 0
    WITHDRAWAL = 1


class ModifierKind(enum.IntEnum):
    DISCOUNT = 1
    MARKUP = 2


# Payloads (what the Odoo side builds and stores) -------------------------------------------------


@dataclass(frozen=True)
class ReceiptLine:
    """One position. ``price`` is the unit price VAT included; ``discount``/``markup`` are absolute
    tenge for the whole line (Odoo's percentage discount must be converted by the caller).
    ``vat_percent=None`` means "no VAT" (TaxType 0)."""

    name: str
    quantity: Decimal
    price: Decimal
    vat_percent: Decimal | None = DEFAULT_VAT_PERCENT
    discount: Decimal = Decimal(0)
    markup: Decimal = Decimal(0)
    code: str | None = None
    unit_code: int = 796  # pieces, references/RefUnits
    section_code: str | None = None
    mark: str | None = None
    mark_list: tuple = ()
    gtin: str | None = None
    ntin: str | None = None


@dataclass(frozen=True)
class Payment:
    kind: PaymentKind
    amount: Decimal


@dataclass(frozen=True)
class ReceiptModifier:
    """Whole-receipt discount or markup (TicketModifiers)."""

    kind: ModifierKind
    amount: Decimal
    text: str
    vat_percent: Decimal | None = DEFAULT_VAT_PERCENT


@dataclass(frozen=True)
class ReturnBasis:
    """Fiscal data of the original receipt, mandatory for returns on OFD protocol 2.0.3 cashboxes.

    Store these five values on the sale when it is fiscalised (spec 3.2): without them a return is
    impossible. ``registration_number`` is the RNM of the cashbox that printed the sale.
    """

    check_number: str
    date_time: datetime
    registration_number: str
    total: Decimal
    is_offline: bool = False

    @classmethod
    def from_result(cls, result):
        return cls(
            check_number=result.check_number,
            date_time=result.date_time,
            registration_number=result.registration_number,
            total=result.total,
            is_offline=result.offline_mode,
        )


@dataclass(frozen=True)
class Receipt:
    """A fiscal receipt to send. ``external_number`` is the idempotency key: generate it once, store
    it with the operation BEFORE the first send, and pass the same value on every resend."""

    external_number: str
    operation: ReceiptOperation
    lines: tuple
    payments: tuple
    return_basis: ReturnBasis | None = None
    modifiers: tuple = ()
    order_number: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    customer_xin: str | None = None


@dataclass(frozen=True)
class MoneyOperation:
    """Cash in (deposit) or cash out (withdrawal), with its idempotency key."""

    external_number: str
    kind: MoneyOperationKind
    amount: Decimal


# Results (what the Odoo side stores and prints) --------------------------------------------------


@dataclass
class PrintLine:
    """A ready-made receipt line from the provider: kind 0 text, 1 image (base64), 2 QR; style 1 bold."""

    order: int
    kind: int
    value: str
    style: int = 0


@dataclass
class ShiftReport:
    """An X or Z report. ``already_closed`` is set when a Z found no open shift (idempotent close)."""

    kind: str  # "X" or "Z"
    shift_number: int | None = None
    report_number: int | None = None
    document_count: int = 0
    start_on: str | None = None
    report_on: str | None = None
    close_on: str | None = None
    sum_in_cashbox: Decimal = Decimal(0)
    put_money_sum: Decimal = Decimal(0)
    take_money_sum: Decimal = Decimal(0)
    sell_total: Decimal = Decimal(0)
    sell_count: int = 0
    return_sell_total: Decimal = Decimal(0)
    return_sell_count: int = 0
    offline_mode: bool = False
    already_closed: bool = False
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class ReceiptResult:
    """Fiscal data of an accepted receipt: everything the printed receipt and a later return need.

    ``duplicate`` is True when the provider said the external number was already fiscalised and
    gave (or we looked up) the original data: the receipt exists exactly once.
    ``closed_shift_report`` is the Z report the client made itself because the shift was over 24 h.
    """

    external_number: str
    check_number: str  # fiscal sign (ФП)
    date_time: datetime  # timezone-aware
    total: Decimal
    registration_number: str  # RNM
    cashbox_unique_number: str  # ZNM
    offline_mode: bool = False
    cashbox_offline_mode: bool = False
    check_order_number: int | None = None
    shift_number: int | None = None
    identity_number: str | None = None  # INK
    ticket_url: str | None = None  # QR code content
    ticket_print_url: str | None = None
    ofd_name: str | None = None
    ofd_host: str | None = None
    taxpayer_name: str | None = None
    taxpayer_in: str | None = None
    cashbox_address: str | None = None
    employee_name: str | None = None
    print_lines: list = field(default_factory=list)
    duplicate: bool = False
    closed_shift_report: ShiftReport | None = None
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class MoneyOperationResult:
    external_number: str
    balance: Decimal | None  # cash in the drawer after the operation; None if unknown (duplicate)
    shift_number: int | None = None
    date_time: datetime | None = None
    offline_mode: bool = False
    duplicate: bool = False
    closed_shift_report: ShiftReport | None = None
    raw: dict = field(default_factory=dict, repr=False)


@dataclass
class ShiftState:
    """Is a shift open, since when, and for how long (the 24 h rule is enforced on the next
    operation, so the POS should close the shift before ``hours_open`` reaches 24)."""

    shift_number: int | None
    is_open: bool
    opened_at: datetime | None = None
    hours_open: float | None = None


# Errors --------------------------------------------------------------------------------------------


class FiscalError(Exception):
    """Base of every fiscal failure the caller can meet.

    ``code`` is a stable identifier for the Odoo side to translate (cashier/manager message);
    ``message`` is English text; ``provider_code``/``provider_text`` are the provider's own values
    (Webkassa texts are Russian) for the log and the manager's detail view.
    ``blocks_queue`` tells the queue whether the failure concerns the whole cashbox (stop draining,
    keep the operation pending) or only this operation (mark it failed, go on).
    """

    blocks_queue = True

    def __init__(self, code, message, provider_code=None, provider_text=None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.provider_code = provider_code
        self.provider_text = provider_text


class FiscalUnreachableError(FiscalError):
    """Transport failure (timeout, connection lost, HTTP 5xx, domain switch exhausted).

    ``maybe_accepted`` is True when the request may have reached the provider: the operation must be
    resent later with the SAME external number (a duplicate answer then returns the original)."""

    def __init__(self, code, message, maybe_accepted=True, **kwargs):
        super().__init__(code, message, **kwargs)
        self.maybe_accepted = maybe_accepted


class FiscalBusyError(FiscalError):
    """Another request for the same cashbox is in flight; try again shortly."""


class FiscalConfigError(FiscalError):
    """Wrong credentials, API key, cashbox number or permissions: an administrator must fix the
    fiscal settings. No automatic retry."""


class FiscalBlockedError(FiscalError):
    """The cashbox cannot fiscalise now (blocked, no licence, offline over 72 h, shift cannot be
    closed): stop selling fiscally and call the manager."""


class FiscalRejectedError(FiscalError):
    """The provider rejected this operation's data (validation, not enough cash...). Fix the data;
    resending the same body will fail again."""

    blocks_queue = False


class FiscalValidationError(FiscalRejectedError):
    """The payload is invalid before anything is sent (checked locally)."""


class FiscalNotFoundError(FiscalError):
    """A lookup found nothing (receipt, shift, report)."""

    blocks_queue = False


class FiscalProviderError(FiscalError):
    """Any other provider answer. Treated as a cashbox-level problem: the operation stays pending
    and is resent with the same external number after investigation."""


# The provider interface ------------------------------------------------------------------------------


class FiscalProvider(abc.ABC):
    """What the Odoo side needs from a cloud cash register.

    Contract for every implementation:
    * a fiscal write (receipt, money operation, Z) carries the caller's external number and may be
      repeated any number of times with that number without creating a second document;
    * one request at a time per cashbox;
    * failures are FiscalError subclasses with stable codes; credentials never reach a log.
    """

    @abc.abstractmethod
    def authorize(self):
        """Log in (or refresh the session). Returns nothing; raises FiscalConfigError on bad
        credentials."""

    @abc.abstractmethod
    def send_receipt(self, receipt):
        """Fiscalise a sale, purchase or return. Returns a ReceiptResult."""

    @abc.abstractmethod
    def money_operation(self, operation):
        """Cash in / cash out. Returns a MoneyOperationResult."""

    @abc.abstractmethod
    def x_report(self):
        """Shift report without closing. Returns a ShiftReport."""

    @abc.abstractmethod
    def z_report(self, external_number=None):
        """Close the shift. Returns a ShiftReport (``already_closed`` when there was none)."""

    @abc.abstractmethod
    def lookup_receipt(self, external_number):
        """The ReceiptResult of an already fiscalised external number, or None."""

    @abc.abstractmethod
    def shift_state(self):
        """The current ShiftState."""
