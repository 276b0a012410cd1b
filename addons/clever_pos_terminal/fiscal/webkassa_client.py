"""Webkassa (webkassa.kz) cloud cash register: the FiscalProvider implementation.

Follows /work/shared/specs/fiscal-kz.md (integrator API v4). The rules that shape this code:

* Every call is POST + JSON; business errors come as HTTP 200 with ``{"Errors": [...]}``; non-2xx
  answers and timeouts are transport failures (spec 2).
* The session token goes in the body. A new Authorize probably revokes the previous token of the
  same login, so tokens are shared by every client of one login in the process (TokenCache), and
  logins are serialised (spec 2, "Token lifetime").
* ExternalCheckNumber is the idempotency key. The caller generates and stores it before the first
  send; this client only ever resends the same body. Code 14 ("duplicate") is success with the
  original data, or we look the receipt up (spec 6).
* Retry matrix (spec 6): transport failure -> resend the same body; 2 -> log in again and resend;
  3 -> one new login then stop; 11 -> Z report then resend; 505 -> switch domain and resend;
  everything else -> a FiscalError with a stable code, no automatic retry.
* One request in flight per cashbox (spec 2 "Concurrency", spec 6): a process-wide lock per
  cashbox. Several Odoo workers need a database lock on top (see the report / module docs).
* Credentials, API key and tokens never reach a log record.
"""

import json
import logging
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit, urlunsplit

import requests

from .provider import (
    CENT,
    MILLI,
    UNIT,
    FiscalBlockedError,
    FiscalBusyError,
    FiscalConfigError,
    FiscalNotFoundError,
    FiscalProvider,
    FiscalProviderError,
    FiscalRejectedError,
    FiscalUnreachableError,
    FiscalValidationError,
    ModifierKind,
    MoneyOperationResult,
    PaymentKind,
    PrintLine,
    ReceiptOperation,
    ReceiptResult,
    ShiftReport,
    ShiftState,
    round_half_away,
    to_decimal,
)

_logger = logging.getLogger(__name__)

TEST_URL = "https://devkkm.webkassa.kz"
PRODUCTION_URL = "https://kkm.webkassa.kz"
KZ_TZ = timezone(timedelta(hours=5))  # single Kazakhstan time zone since 2024

ROUTES = {
    "authorize": "/api/v4/Authorize",
    "check": "/api/v4/check",
    "money": "/api/v4/MoneyOperation",
    "x_report": "/api/v4/XReport",
    "z_report": "/api/v4/ZReport",
    "shift_history": "/api/v4/Cashbox/ShiftHistory",
    "check_history": "/api/v4/Check/History",
    "cashboxes": "/api/v4/Cashboxes",
}

# Webkassa PaymentType (spec 3.2). KASPI is resolved through WebkassaConfig.kaspi_payment_type.
PAYMENT_TYPES = {
    PaymentKind.CASH: 0,
    PaymentKind.CARD: 1,
    PaymentKind.CREDIT: 2,
    PaymentKind.TARE: 3,
    PaymentKind.MOBILE: 4,
}
CASH = 0
TAX_TYPE_VAT = 100
TAX_TYPE_NONE = 0
MAX_AMOUNT = Decimal(999_999_999)
MAX_QUANTITY = Decimal("4294967.295")
HISTORY_PAGE = 50  # Webkassa's maximum Take


# Errors: Webkassa code -> (class, stable code, English text). The Odoo side translates the codes.
PROVIDER_ERRORS = {
    -1: (
        FiscalProviderError,
        "fiscal_unknown_error",
        (
            "Webkassa reported an unknown error. The operation is kept with its number; check it in the "
            "Webkassa cabinet before trying again."
        ),
    ),
    1: (
        FiscalConfigError,
        "fiscal_wrong_credentials",
        "Webkassa rejected the login or password of the fiscal settings.",
    ),
    2: (FiscalConfigError, "fiscal_session_expired", "The Webkassa session expired and logging in again did not help."),
    3: (
        FiscalConfigError,
        "fiscal_not_authorized",
        "Webkassa refused the request: check the API key and the login of the fiscal settings.",
    ),
    4: (FiscalConfigError, "fiscal_operation_denied", "The Webkassa user is not allowed to perform this operation."),
    5: (FiscalConfigError, "fiscal_cashbox_access_denied", "The Webkassa user has no access to this cash register."),
    6: (
        FiscalConfigError,
        "fiscal_cashbox_not_found",
        "Webkassa does not know this cash register number (check the number and the test/production setting).",
    ),
    7: (FiscalBlockedError, "fiscal_cashbox_blocked", "The cash register is blocked by the OFD or the tax authority."),
    8: (
        FiscalRejectedError,
        "fiscal_not_enough_cash",
        "There is not enough cash in the cash register for this operation.",
    ),
    9: (FiscalRejectedError, "fiscal_invalid_data", "Webkassa rejected the data of the operation."),
    10: (
        FiscalBlockedError,
        "fiscal_cashbox_not_activated",
        "The cash register is not activated; contact the service centre.",
    ),
    11: (
        FiscalBlockedError,
        "fiscal_shift_over_24h",
        "The shift has been open for more than 24 hours and closing it automatically did not help.",
    ),
    12: (FiscalNotFoundError, "fiscal_shift_already_closed", "The shift is already closed."),
    13: (FiscalNotFoundError, "fiscal_no_open_shift", "There is no open shift on the cash register."),
    14: (
        FiscalProviderError,
        "fiscal_duplicate_unresolved",
        "Webkassa says this operation was already registered, but its fiscal data could not be found.",
    ),
    15: (FiscalNotFoundError, "fiscal_shift_not_found", "This shift does not exist on the cash register."),
    16: (FiscalNotFoundError, "fiscal_receipt_not_found", "No such receipt in this shift."),
    17: (FiscalRejectedError, "fiscal_discount_not_allowed", "A discount or markup cannot be given on this operation."),
    18: (
        FiscalBlockedError,
        "fiscal_offline_over_72h",
        (
            "The cash register has worked without the OFD for more than 72 hours: fiscal operations are "
            "blocked until the OFD connection is restored."
        ),
    ),
    19: (FiscalNotFoundError, "fiscal_external_number_not_found", "No receipt with this external number."),
    20: (
        FiscalRejectedError,
        "fiscal_date_before_connection",
        "The date is earlier than the cash register's connection date.",
    ),
    255: (
        FiscalRejectedError,
        "fiscal_return_basis_missing",
        "A return needs the fiscal data of the original receipt.",
    ),
    505: (FiscalUnreachableError, "fiscal_domain_unavailable", "Webkassa is temporarily unavailable on this domain."),
    1007: (FiscalRejectedError, "fiscal_invalid_amount", "The amount must not have a fractional part here."),
    1008: (FiscalRejectedError, "fiscal_invalid_amount", "The amount must not be negative."),
    1013: (FiscalBlockedError, "fiscal_offline_not_supported", "The cash register does not support offline receipts."),
    1014: (FiscalNotFoundError, "fiscal_z_report_not_found", "No Z report: the shift is still open."),
    1404: (FiscalBlockedError, "fiscal_license_not_found", "The cash register has no active Webkassa licence."),
}
# Code 9 is also used for "no active licence" and for sequence violations (spec 4).
_LICENCE_WORDS = ("лиценз", "licen")
_SEQUENCE_WORDS = ("последовательност", "очередност", "sequence")

# Errors raised by this module itself (no provider code).
LOCAL_ERRORS = {
    "fiscal_unreachable": "The fiscal service cannot be reached. The operation is kept and will be sent "
    "again with the same number.",
    "fiscal_bad_response": "The fiscal service sent an answer that cannot be read. The operation is kept "
    "and will be sent again with the same number.",
    "fiscal_busy": "Another operation is being sent to this cash register. Try again in a moment.",
    "fiscal_invalid_receipt": "The receipt cannot be fiscalised as it is.",
    "fiscal_provider_error": "The fiscal service answered with an unexpected error.",
}


def error_from_provider(code, text):
    """The FiscalError for a Webkassa error code (spec 4)."""
    lowered = (text or "").lower()
    if code == 9 and any(word in lowered for word in _LICENCE_WORDS):
        return FiscalBlockedError(
            "fiscal_license_not_found", PROVIDER_ERRORS[1404][2], provider_code=code, provider_text=text
        )
    if code == 9 and any(word in lowered for word in _SEQUENCE_WORDS):
        return FiscalBusyError("fiscal_busy", LOCAL_ERRORS["fiscal_busy"], provider_code=code, provider_text=text)
    cls, stable, message = PROVIDER_ERRORS.get(
        code, (FiscalProviderError, "fiscal_provider_error", LOCAL_ERRORS["fiscal_provider_error"])
    )
    return cls(stable, message, provider_code=code, provider_text=text)


def first_error(envelope):
    """(code, text) of the first error of an answer, or (None, None)."""
    errors = envelope.get("Errors") or []
    if not errors:
        return None, None
    error = errors[0] or {}
    return error.get("Code"), error.get("Text")


# Settings and shared state ---------------------------------------------------------------------


@dataclass(kw_only=True)
class WebkassaConfig:
    """Fiscal settings of one cashbox. Password and API key are excluded from repr()."""

    base_url: str
    api_key: str = ""
    login: str
    password: str
    cashbox_unique_number: str  # ZNM, e.g. SWK00033717
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    token_max_age: float = 22 * 3600  # peers re-login after 22-24 h (spec 2)
    transport_retries: int = 1  # immediate resends of the same body after a transport failure
    retry_backoff: float = 0.5
    auth_retries: int = 2  # re-logins after code 2 within one call
    lock_timeout: float = 120.0
    round_type: int = 2  # Webkassa's default: every item to whole tenge (spec 3.2)
    kaspi_payment_type: int = PAYMENT_TYPES[PaymentKind.MOBILE]
    paper_kind: int = 0  # 0 = 80 mm, 3 = 57/58 mm
    language: str = "ru-RU"
    secondary_language: str = "kk-KZ"
    lookup_shifts: int = 3  # how many recent shifts a lookup by external number scans

    def __repr__(self):
        return (
            f"WebkassaConfig(base_url={self.base_url!r}, login=***, password=***, api_key=***, "
            f"cashbox_unique_number={self.cashbox_unique_number!r})"
        )


class TokenCache:
    """Where session tokens live, keyed by environment + login.

    The default instance is process-wide, so that every client of one Webkassa user shares one
    token (a new Authorize would revoke the others'). The Odoo side may pass a subclass that keeps
    the token in a system-only parameter so that all workers share it.
    """

    def __init__(self):
        self._tokens = {}
        self._guard = threading.Lock()

    def get(self, key):
        """(token, obtained_at epoch seconds) or None."""
        with self._guard:
            return self._tokens.get(key)

    def set(self, key, token, obtained_at):
        with self._guard:
            self._tokens[key] = (token, obtained_at)

    def discard(self, key, token):
        """Forget ``token`` unless another thread has already replaced it."""
        with self._guard:
            if self._tokens.get(key, (None,))[0] == token:
                del self._tokens[key]


SHARED_TOKENS = TokenCache()
_LOCKS = {}
_LOCKS_GUARD = threading.Lock()


def _named_lock(name):
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(name, threading.Lock())


def redact(payload):
    """A copy of a request body that is safe to log."""
    hidden = {"token", "password", "login"}
    return {key: ("***" if key.lower() in hidden else value) for key, value in payload.items()}


# Payload building (pure functions, unit-testable) -----------------------------------------------


def item_step(round_type):
    """Rounding step of a position sum for a RoundType (spec 3.2)."""
    return UNIT if round_type in (1, 2) else CENT


def total_step(round_type):
    return UNIT if round_type in (1, 3) else CENT


def position_sum(line, round_type):
    """Ri(Price x Count - Ri(Discount) + Ri(Markup))."""
    step = item_step(round_type)
    gross = to_decimal(line.price) * quantity_of(line)
    return round_half_away(gross - round_half_away(line.discount, step) + round_half_away(line.markup, step), step)


def quantity_of(line):
    return round_half_away(line.quantity, MILLI)


def vat_of(amount, percent):
    """VAT included in ``amount``: round2(amount x p / (100 + p)); 0 without VAT."""
    if percent is None:
        return Decimal("0.00")
    percent = to_decimal(percent)
    return round_half_away(to_decimal(amount) * percent / (100 + percent), CENT)


def modifier_sum(modifier, round_type):
    return round_half_away(modifier.amount, item_step(round_type))


def receipt_total(receipt, round_type):
    """The fiscal total Webkassa will compute: the POS can show it before taking payment."""
    total = sum((position_sum(line, round_type) for line in receipt.lines), Decimal(0))
    for modifier in receipt.modifiers:
        amount = modifier_sum(modifier, round_type)
        total += amount if modifier.kind == ModifierKind.MARKUP else -amount
    return round_half_away(total, total_step(round_type))


def _number(value):
    """A JSON number for a Decimal: int when whole, float otherwise (2-3 decimals survive repr)."""
    value = to_decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _invalid(message):
    return FiscalValidationError("fiscal_invalid_receipt", f"{LOCAL_ERRORS['fiscal_invalid_receipt']} {message}")


def _check_length(value, limit, label):
    if value is not None and len(value) > limit:
        raise _invalid(f"{label} is longer than {limit} characters.")


def _tax_fields(percent, amount):
    if percent is None:
        return {"TaxType": TAX_TYPE_NONE, "Tax": 0}
    return {"TaxType": TAX_TYPE_VAT, "TaxPercent": int(to_decimal(percent)), "Tax": _number(vat_of(amount, percent))}


def position_body(line, round_type):
    quantity = quantity_of(line)
    price = round_half_away(line.price, CENT)
    if not line.name:
        raise _invalid("A line has no name.")
    _check_length(line.name, 255, "A line name")
    _check_length(line.code, 50, "A line code")
    if not Decimal(0) < quantity <= MAX_QUANTITY:
        raise _invalid(f"The quantity of '{line.name}' must be positive and at most {MAX_QUANTITY}.")
    for label, value in (("price", price), ("discount", line.discount), ("markup", line.markup)):
        if not Decimal(0) <= to_decimal(value) <= MAX_AMOUNT:
            raise _invalid(f"The {label} of '{line.name}' must be between 0 and {MAX_AMOUNT}.")
    if line.mark and line.mark_list:
        raise _invalid(f"'{line.name}' has both one marking code and a list of codes.")
    amount = position_sum(line, round_type)
    if amount < 0:
        raise _invalid(f"The discount of '{line.name}' is larger than its price.")
    body = {
        "Count": _number(quantity),
        "Price": _number(price),
        "PositionName": line.name,
        "UnitCode": line.unit_code,
        **_tax_fields(line.vat_percent, amount),
    }
    optional = {
        "Discount": _number(line.discount) if line.discount else None,
        "Markup": _number(line.markup) if line.markup else None,
        "PositionCode": line.code,
        "SectionCode": line.section_code,
        "Mark": line.mark,
        "MarkList": list(line.mark_list) or None,
        "GTIN": line.gtin,
        "NTIN": line.ntin,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    return body


def modifier_body(modifier, round_type):
    _check_length(modifier.text, 50, "A discount/markup text")
    amount = modifier_sum(modifier, round_type)
    return {
        "Type": int(modifier.kind),
        "Sum": _number(amount),
        "Text": modifier.text,
        **_tax_fields(modifier.vat_percent, amount),
    }


def payment_type_of(kind, config):
    if kind == PaymentKind.KASPI:
        return config.kaspi_payment_type
    return PAYMENT_TYPES[PaymentKind(kind)]


def payments_body(payments, total, config):
    """Merge payments per Webkassa type (each type at most once) and check them against the total.

    Checked here, before sending, because Webkassa would reject the same with code 9 (spec 3.2):
    non-cash payments must not exceed the total, and the payments must cover it (the surplus is
    change, which only cash can give).
    """
    merged = {}
    for payment in payments:
        amount = round_half_away(payment.amount, CENT)
        if amount < 0:
            raise _invalid("A payment is negative.")
        ptype = payment_type_of(payment.kind, config)
        merged[ptype] = merged.get(ptype, Decimal(0)) + amount
    if not merged:
        raise _invalid("The receipt has no payment.")
    paid = sum(merged.values(), Decimal(0))
    non_cash = paid - merged.get(CASH, Decimal(0))
    if non_cash > total:
        raise _invalid(f"Non-cash payments ({non_cash}) exceed the receipt total ({total}).")
    if paid < total:
        raise _invalid(f"The payments ({paid}) do not cover the receipt total ({total}).")
    if len(str(int(paid))) > 9:
        raise _invalid("The payments exceed 999 999 999.")
    return [{"Sum": _number(amount), "PaymentType": ptype} for ptype, amount in sorted(merged.items())], paid - total


def basis_datetime(value):
    """ReturnBasisDetails.DateTime as Webkassa's own 2.0.3 example writes it: ISO UTC with Z.
    A naive datetime is taken as UTC (Odoo's convention for stored datetimes)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def return_basis_body(basis):
    return {
        "CheckNumber": basis.check_number,
        "DateTime": basis_datetime(basis.date_time),
        "RegistrationNumber": basis.registration_number,
        "Total": _number(round_half_away(basis.total, CENT)),
        "IsOffline": bool(basis.is_offline),
    }


def build_check_body(receipt, config):
    """(body without Token, fiscal total, change) of a /check request. Raises FiscalValidationError."""
    if not receipt.external_number or len(receipt.external_number) > 50:
        raise _invalid("The external number must have 1 to 50 characters.")
    if not receipt.lines:
        raise _invalid("The receipt has no line.")
    operation = ReceiptOperation(receipt.operation)  # an int from the database is fine too
    if operation.is_return and receipt.return_basis is None:
        raise _invalid("A return needs the fiscal data of the original receipt.")
    round_type = config.round_type
    total = receipt_total(receipt, round_type)
    if total < 0:
        raise _invalid("The receipt total is negative.")
    payments, change = payments_body(receipt.payments, total, config)
    body = {
        "CashboxUniqueNumber": config.cashbox_unique_number,
        "OperationType": int(operation),
        "Positions": [position_body(line, round_type) for line in receipt.lines],
        "Payments": payments,
        "RoundType": round_type,
        "ExternalCheckNumber": receipt.external_number,
        "PaperKind": config.paper_kind,
    }
    if receipt.modifiers:
        body["TicketModifiers"] = [modifier_body(modifier, round_type) for modifier in receipt.modifiers]
    if receipt.return_basis is not None:
        body["ReturnBasisDetails"] = return_basis_body(receipt.return_basis)
    _check_length(receipt.order_number, 200, "The order number")
    _check_length(receipt.customer_email, 50, "The customer e-mail")
    _check_length(receipt.customer_phone, 20, "The customer phone")
    if receipt.customer_xin and not (receipt.customer_xin.isdigit() and len(receipt.customer_xin) == 12):
        raise _invalid("The customer IIN/BIN must have 12 digits.")
    optional = {
        "ExternalOrderNumber": receipt.order_number,
        "CustomerEmail": receipt.customer_email,
        "CustomerPhone": receipt.customer_phone,
        "CustomerXin": receipt.customer_xin,
    }
    body.update({key: value for key, value in optional.items() if value})
    return body, total, change


def build_money_body(operation, config):
    amount = round_half_away(operation.amount, CENT)
    if not operation.external_number or len(operation.external_number) > 50:
        raise _invalid("The external number must have 1 to 50 characters.")
    if not Decimal(0) < amount <= MAX_AMOUNT:
        raise _invalid(f"The amount must be positive and at most {MAX_AMOUNT}.")
    return {
        "CashboxUniqueNumber": config.cashbox_unique_number,
        "OperationType": int(operation.kind),
        "Sum": _number(amount),
        "ExternalCheckNumber": operation.external_number,
    }


# Answer parsing -----------------------------------------------------------------------------------


def parse_datetime(text, default_tz=KZ_TZ):
    """Webkassa dates: 'dd.MM.yyyy HH:mm:ss' (local), the same with ' +05:00', or ISO-8601."""
    if not text:
        return None
    text = text.strip()
    for pattern in ("%d.%m.%Y %H:%M:%S %z", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M"):
        try:
            value = datetime.strptime(text, pattern)
            break
        except ValueError:
            continue
    else:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=default_tz)


def _decimal(value, default=Decimal(0)):
    return default if value is None else to_decimal(value)


def _total_from_ticket_url(url):
    """The receipt total printed in the OFD link (s=...), authoritative when present (spec 3.2)."""
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get("s")
    return Decimal(values[0]) if values else None


def parse_receipt(data, external_number, local_total, duplicate=False):
    cashbox = data.get("Cashbox") or {}
    ofd = cashbox.get("Ofd") or {}
    organization = data.get("Organization") or {}
    when = parse_datetime(data.get("DateTimeUTC")) or parse_datetime(data.get("DateTime"))
    total = data.get("Total")
    total = _decimal(total) if total is not None else (_total_from_ticket_url(data.get("TicketUrl")) or local_total)
    return ReceiptResult(
        external_number=external_number,
        check_number=str(data.get("CheckNumber")),
        date_time=when,
        total=total,
        registration_number=cashbox.get("RegistrationNumber"),
        cashbox_unique_number=cashbox.get("UniqueNumber"),
        offline_mode=bool(data.get("OfflineMode")),
        cashbox_offline_mode=bool(data.get("CashboxOfflineMode")),
        check_order_number=data.get("CheckOrderNumber"),
        shift_number=data.get("ShiftNumber"),
        identity_number=None if cashbox.get("IdentityNumber") is None else str(cashbox.get("IdentityNumber")),
        ticket_url=data.get("TicketUrl"),
        ticket_print_url=data.get("TicketPrintUrl"),
        ofd_name=ofd.get("Name"),
        ofd_host=ofd.get("Host"),
        taxpayer_name=organization.get("TaxPayerName"),
        taxpayer_in=organization.get("TaxPayerIN"),
        cashbox_address=cashbox.get("Address"),
        employee_name=data.get("EmployeeName"),
        print_lines=[
            PrintLine(
                order=line.get("Order"), kind=line.get("Type"), value=line.get("Value"), style=line.get("Style", 0)
            )
            for line in data.get("TicketPrintFormat") or []
            if isinstance(line, dict)
        ],
        duplicate=duplicate,
        raw=data,
    )


def parse_history_item(item, external_number, cashbox_unique_number):
    """A Check/History item as a ReceiptResult (recovery of a duplicate answer without Data)."""
    return ReceiptResult(
        external_number=external_number,
        check_number=str(item.get("Number")),
        date_time=parse_datetime(item.get("RegistratedOn"), default_tz=timezone.utc),
        total=_decimal(item.get("Total")),
        registration_number=item.get("CashboxRegistrationNumber"),
        cashbox_unique_number=item.get("CashboxUniqueNumber") or cashbox_unique_number,
        offline_mode=bool(item.get("IsOffline")),
        check_order_number=item.get("OrderNumber"),
        shift_number=item.get("ShiftNumber"),
        identity_number=None if item.get("CashboxIdentityNumber") is None else str(item.get("CashboxIdentityNumber")),
        ticket_url=item.get("TicketUrl"),
        ticket_print_url=item.get("TicketPrintUrl"),
        duplicate=True,
        raw=item,
    )


def parse_report(kind, data):
    sell = data.get("Sell") or {}
    return_sell = data.get("ReturnSell") or {}
    return ShiftReport(
        kind=kind,
        shift_number=data.get("ShiftNumber"),
        report_number=data.get("ReportNumber"),
        document_count=data.get("DocumentCount") or 0,
        start_on=data.get("StartOn"),
        report_on=data.get("ReportOn"),
        close_on=data.get("CloseOn"),
        sum_in_cashbox=_decimal(data.get("SumInCashbox")),
        put_money_sum=_decimal(data.get("PutMoneySum")),
        take_money_sum=_decimal(data.get("TakeMoneySum")),
        sell_total=_decimal(sell.get("Taken")) - _decimal(sell.get("Change")),
        sell_count=sell.get("Count") or 0,
        return_sell_total=_decimal(return_sell.get("Taken")) - _decimal(return_sell.get("Change")),
        return_sell_count=return_sell.get("Count") or 0,
        offline_mode=bool(data.get("OfflineMode")),
        raw=data,
    )


# The client ------------------------------------------------------------------------------------------


class WebkassaClient(FiscalProvider):
    """Webkassa integrator API v4 for one cashbox.

    ``token_cache`` defaults to the process-wide cache; ``clock`` (epoch seconds) is injectable for
    tests of token age and shift duration; ``session`` for connection reuse.
    """

    def __init__(self, config, *, token_cache=None, clock=time.time, session=None):
        self.config = config
        self._tokens = token_cache or SHARED_TOKENS
        self._clock = clock
        self._session = session or requests.Session()
        self._base_url = config.base_url.rstrip("/")
        self._token_key = f"{self._base_url}|{config.login}"
        self._cashbox_lock = _named_lock(f"cashbox|{self._base_url}|{config.cashbox_unique_number}")
        self._login_lock = _named_lock(f"login|{self._token_key}")
        self.request_count = 0  # HTTP requests made by this client (benchmarks, tests)

    @property
    def base_url(self):
        return self._base_url

    # Public API (FiscalProvider) ---------------------------------------------------------------

    def authorize(self):
        with self._locked():
            cached = self._tokens.get(self._token_key)
            if cached:
                self._tokens.discard(self._token_key, cached[0])
            self._token()

    def send_receipt(self, receipt):
        body, total, _change = build_check_body(receipt, self.config)
        with self._locked():
            envelope, closed = self._fiscal_write("check", body, receipt.external_number)
            code, _text = first_error(envelope)
            data = envelope.get("Data")
            if code is None and data:
                result = parse_receipt(data, receipt.external_number, total)
            elif code == 14:
                result = self._resolve_duplicate(receipt.external_number, data, total)
            else:
                raise self._error(envelope, "check", receipt.external_number)
            result.closed_shift_report = closed
            _logger.info(
                "Webkassa cashbox %s: receipt %s fiscalised, fiscal sign %s%s%s",
                self.config.cashbox_unique_number,
                receipt.external_number,
                result.check_number,
                " (already registered before)" if result.duplicate else "",
                " OFFLINE" if result.offline_mode else "",
            )
            return result

    def money_operation(self, operation):
        body = build_money_body(operation, self.config)
        with self._locked():
            envelope, closed = self._fiscal_write("money", body, operation.external_number)
            code, _text = first_error(envelope)
            data = envelope.get("Data") or {}
            if code not in (None, 14) or (code is None and not data):
                raise self._error(envelope, "money", operation.external_number)
            # A duplicate without Data cannot be looked up (no endpoint, spec 6): the caller's own
            # journal is the reference, so the balance is unknown.
            result = MoneyOperationResult(
                external_number=operation.external_number,
                balance=None if data.get("Sum") is None else to_decimal(data["Sum"]),
                shift_number=data.get("ShiftNumber"),
                date_time=parse_datetime(data.get("DateTimeUTC")) or parse_datetime(data.get("DateTime")),
                offline_mode=bool(data.get("OfflineMode")),
                duplicate=code == 14,
                closed_shift_report=closed,
                raw=data,
            )
            _logger.info(
                "Webkassa cashbox %s: money operation %s registered%s, balance %s",
                self.config.cashbox_unique_number,
                operation.external_number,
                " (already registered before)" if result.duplicate else "",
                result.balance,
            )
            return result

    def x_report(self):
        with self._locked():
            envelope = self._request("x_report", {"CashboxUniqueNumber": self.config.cashbox_unique_number})
            if first_error(envelope)[0] is not None:
                raise self._error(envelope, "x_report")
            return parse_report("X", envelope.get("Data") or {})

    def z_report(self, external_number=None):
        with self._locked():
            return self._z_report_locked(external_number)

    def lookup_receipt(self, external_number):
        with self._locked():
            return self._lookup_locked(external_number)

    def shift_state(self):
        with self._locked():
            shifts = self._shift_history()
            if not shifts:
                return ShiftState(shift_number=None, is_open=False)
            last = max(shifts, key=lambda shift: shift.get("ShiftNumber") or 0)
            opened_at = parse_datetime(last.get("OpenDate"))
            is_open = not last.get("CloseDate")
            hours = None
            if is_open and opened_at:
                hours = (self._clock() - opened_at.timestamp()) / 3600
            return ShiftState(
                shift_number=last.get("ShiftNumber"), is_open=is_open, opened_at=opened_at, hours_open=hours
            )

    def cashbox_info(self):
        """Registration data of this cashbox as the provider lists it (ZNM, RNM, INK, name,
        address, autonomous mode, open shift number). Raises FiscalNotFoundError if the login
        does not see this cashbox."""
        with self._locked():
            data = self._read("cashboxes", {})
            for item in data.get("List") or []:
                if item.get("UniqueNumber") == self.config.cashbox_unique_number:
                    return item
            raise FiscalNotFoundError("fiscal_cashbox_not_found", PROVIDER_ERRORS[6][2])

    def preview_total(self, receipt):
        """Fiscal total of a receipt under this cashbox's rounding, without sending anything."""
        return receipt_total(receipt, self.config.round_type)

    # Locking -------------------------------------------------------------------------------------

    @contextmanager
    def _locked(self):
        """One request at a time per cashbox in this process (spec 6, "Serialize per cashbox")."""
        if not self._cashbox_lock.acquire(timeout=self.config.lock_timeout):
            raise FiscalBusyError("fiscal_busy", LOCAL_ERRORS["fiscal_busy"])
        try:
            yield
        finally:
            self._cashbox_lock.release()

    # Fiscal writes ---------------------------------------------------------------------------------

    def _fiscal_write(self, route, body, external_number):
        """Send a write; on code 11 close the shift (Z) and resend the same body (spec 5, 6).
        Returns (answer, Z report made on the way or None)."""
        envelope = self._request(route, body)
        if first_error(envelope)[0] != 11:
            return envelope, None
        _logger.warning(
            "Webkassa cashbox %s: shift open for more than 24 h, closing it before resending %s",
            self.config.cashbox_unique_number,
            external_number,
        )
        closed = self._z_report_locked(None)
        return self._request(route, body), closed

    def _resolve_duplicate(self, external_number, data, total):
        """Code 14: the receipt exists. Use the original data, or look it up (spec 6)."""
        if data:
            return parse_receipt(data, external_number, total, duplicate=True)
        _logger.info(
            "Webkassa cashbox %s: %s already registered, answer without data: looking it up",
            self.config.cashbox_unique_number,
            external_number,
        )
        found = self._lookup_locked(external_number)
        if found is None:
            code, message = "fiscal_duplicate_unresolved", PROVIDER_ERRORS[14][2]
            raise FiscalProviderError(code, message, provider_code=14)
        return found

    def _z_report_locked(self, external_number):
        body = {"CashboxUniqueNumber": self.config.cashbox_unique_number}
        if external_number:
            body["ExternalCheckNumber"] = external_number
        envelope = self._request("z_report", body)
        code, _text = first_error(envelope)
        if code in (12, 13):
            # Nothing to close: someone (the nightly auto-close, another till) did it (spec 5).
            _logger.info("Webkassa cashbox %s: Z report, shift already closed", self.config.cashbox_unique_number)
            return ShiftReport(kind="Z", already_closed=True)
        if code == 14:
            # This Z (same external number) was made by an earlier try whose answer was lost.
            data = envelope.get("Data")
            return parse_report("Z", data) if data else ShiftReport(kind="Z", already_closed=True)
        if code is not None:
            raise self._error(envelope, "z_report")
        report = parse_report("Z", envelope.get("Data") or {})
        _logger.info(
            "Webkassa cashbox %s: shift %s closed (Z report %s)",
            self.config.cashbox_unique_number,
            report.shift_number,
            report.report_number,
        )
        return report

    # Lookups ---------------------------------------------------------------------------------------

    def _shift_history(self):
        """All shifts needed to know the newest one, whatever the order Webkassa lists them in."""
        cashbox = self.config.cashbox_unique_number
        first = self._read("shift_history", {"CashboxUniqueNumber": cashbox, "Skip": 0, "Take": HISTORY_PAGE})
        shifts = list(first.get("Shifts") or [])
        total = first.get("Total") or 0
        if total > HISTORY_PAGE:
            last = self._read(
                "shift_history", {"CashboxUniqueNumber": cashbox, "Skip": total - HISTORY_PAGE, "Take": HISTORY_PAGE}
            )
            shifts += last.get("Shifts") or []
        return shifts

    def _lookup_locked(self, external_number):
        """Newest-first scan of recent shifts' Check/History (spec 6 recovery, documented calls only)."""
        numbers = sorted({shift.get("ShiftNumber") for shift in self._shift_history()}, reverse=True)
        for shift_number in numbers[: self.config.lookup_shifts]:
            skip = 0
            while True:
                envelope = self._request(
                    "check_history",
                    {
                        "CashboxUniqueNumber": self.config.cashbox_unique_number,
                        "ShiftNumber": shift_number,
                        "Skip": skip,
                        "Take": HISTORY_PAGE,
                    },
                )
                code, _text = first_error(envelope)
                if code in (15, 16):
                    break
                if code is not None:
                    raise self._error(envelope, "check_history")
                data = envelope.get("Data") or {}
                items = data.get("Items") or []
                for item in items:
                    if item.get("ExternalCheckNumber") == external_number:
                        item.setdefault("ShiftNumber", shift_number)
                        return parse_history_item(item, external_number, self.config.cashbox_unique_number)
                skip += len(items)
                if not items or skip >= (data.get("Total") or 0):
                    break
        return None

    def _read(self, route, body):
        envelope = self._request(route, body)
        if first_error(envelope)[0] is not None:
            raise self._error(envelope, route)
        return envelope.get("Data") or {}

    # Session -----------------------------------------------------------------------------------

    def _token(self):
        """A valid token: the cached one if young enough, else a new login (one at a time)."""
        cached = self._tokens.get(self._token_key)
        if cached and self._clock() - cached[1] < self.config.token_max_age:
            return cached[0]
        with self._login_lock:
            cached = self._tokens.get(self._token_key)
            if cached and self._clock() - cached[1] < self.config.token_max_age:
                return cached[0]  # another thread logged in meanwhile
            return self._login()

    def _login(self):
        envelope = self._request(
            "authorize", {"Login": self.config.login, "Password": self.config.password}, with_token=False
        )
        token = (envelope.get("Data") or {}).get("Token")
        if first_error(envelope)[0] is not None or not token:
            raise self._error(envelope, "authorize")
        self._tokens.set(self._token_key, token, self._clock())
        _logger.info("Webkassa: logged in for cashbox %s", self.config.cashbox_unique_number)
        return token

    # Transport ---------------------------------------------------------------------------------

    def _request(self, route, body, with_token=True):
        """POST with the session token. Code 2 -> new login and resend (bounded); code 3 -> one new
        login; code 505 -> switch to the alternative domain once. Returns the answer envelope."""
        auth_left = self.config.auth_retries
        not_authorized_retry = True
        domain_switch = True
        while True:
            payload = dict(body)
            token = None
            if with_token:
                token = self._token()
                payload["Token"] = token
            envelope, headers = self._post(route, payload)
            code, _text = first_error(envelope)
            if with_token and code == 2 and auth_left > 0:
                auth_left -= 1
                _logger.info("Webkassa: session expired, logging in again")
                self._tokens.discard(self._token_key, token)
                continue
            if with_token and code == 3 and not_authorized_retry:
                not_authorized_retry = False
                _logger.warning("Webkassa: request not authorised, logging in once more")
                self._tokens.discard(self._token_key, token)
                continue
            if code == 505 and domain_switch and self._switch_domain(headers):
                domain_switch = False
                continue
            return envelope

    def _post(self, route, payload):
        """One exchange, resent with the same body after a transport failure (spec 6)."""
        attempts = 1 + max(0, self.config.transport_retries)
        for attempt in range(1, attempts + 1):
            try:
                return self._post_once(route, payload)
            except FiscalUnreachableError as error:
                if attempt == attempts:
                    raise
                _logger.warning(
                    "Webkassa %s: %s (attempt %d of %d), resending the same request",
                    ROUTES[route],
                    error.provider_text or error.code,
                    attempt,
                    attempts,
                )
                time.sleep(self.config.retry_backoff * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _headers(self):
        return {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "x-api-key": self.config.api_key,
            "Accept-Language": self.config.language,
            "Secondary-Language": self.config.secondary_language,
        }

    def _post_once(self, route, payload):
        url = self._base_url + ROUTES[route]
        if _logger.isEnabledFor(logging.DEBUG):
            _logger.debug("Webkassa POST %s %s", ROUTES[route], json.dumps(redact(payload), ensure_ascii=False))
        self.request_count += 1
        try:
            response = self._session.post(
                url,
                data=json.dumps(payload, ensure_ascii=False).encode(),
                headers=self._headers(),
                timeout=(self.config.connect_timeout, self.config.read_timeout),
            )
        except requests.RequestException as exc:
            not_sent = isinstance(exc, requests.ConnectTimeout) or "NewConnectionError" in repr(exc)
            raise FiscalUnreachableError(
                "fiscal_unreachable",
                LOCAL_ERRORS["fiscal_unreachable"],
                maybe_accepted=not not_sent,
                provider_text=type(exc).__name__,
            ) from None
        if not 200 <= response.status_code < 300:
            raise FiscalUnreachableError(
                "fiscal_unreachable", LOCAL_ERRORS["fiscal_unreachable"], provider_text=f"HTTP {response.status_code}"
            )
        try:
            envelope = response.json(parse_float=Decimal)
        except ValueError:
            raise FiscalUnreachableError(
                "fiscal_bad_response", LOCAL_ERRORS["fiscal_bad_response"], provider_text="not JSON"
            ) from None
        if not isinstance(envelope, dict):
            raise FiscalUnreachableError(
                "fiscal_bad_response", LOCAL_ERRORS["fiscal_bad_response"], provider_text="not an object"
            )
        return envelope, response.headers

    def _switch_domain(self, headers):
        """Code 505: move to the first domain of the AlternativeDomainNames header (spec 4)."""
        names = [name.strip() for name in (headers.get("AlternativeDomainNames") or "").replace(";", ",").split(",")]
        names = [name for name in names if name]
        if not names:
            return False
        parts = urlsplit(self._base_url)
        self._base_url = urlunsplit((parts.scheme, names[0], parts.path, "", "")).rstrip("/")
        _logger.warning("Webkassa: domain unavailable, switching to %s", names[0])
        return True

    def _error(self, envelope, route, external_number=None):
        code, text = first_error(envelope)
        error = (
            error_from_provider(code, text)
            if code is not None
            else FiscalProviderError("fiscal_bad_response", LOCAL_ERRORS["fiscal_bad_response"])
        )
        _logger.warning(
            "Webkassa cashbox %s: %s%s refused: %s (Webkassa code %s: %s)",
            self.config.cashbox_unique_number,
            ROUTES[route],
            f" {external_number}" if external_number else "",
            error.code,
            code,
            text,
        )
        return error
