"""Client of the Kaspi Shop (merchant) API v2 for marketplace orders.

Pure Python + ``requests``, no Odoo: the Odoo models of ``clever_pos_kaspi`` call it, and it is
tested against the local simulator (``simulator.py``) without a database. The facts it relies on
are in ``shared/specs/kaspi.md`` section 2; the choices made where Kaspi documents nothing are
marked "[I]" (inferred) in the docstrings.

What the client guarantees to its caller:

* every request carries the JSON:API headers, ``X-Auth-Token`` and a browser-like User-Agent,
  and a (connect, read) timeout;
* 429, 5xx and timeouts are retried a bounded number of times with exponential backoff and
  jitter; what is still failing then raises :class:`KaspiUnavailableError` ("try later");
* 401/403 raise :class:`AuthError` and are never retried (a wrong token does not heal);
* any other refusal raises :class:`KaspiRefusedError` carrying Kaspi's own message, which is
  what the user must read ("Order is cancelled, so it can't be completed.");
* the API token never appears in a log record, in an exception's text, or in ``repr(client)``;
* order listings cover the asked period completely (windows of at most 14 days that overlap,
  every page, one pass per state, a re-walk when the result set moved while paging) and return
  each order once (deduplicated by Kaspi's order id, the latest version kept);
* results are plain dataclasses (:class:`Order`, :class:`Entry` ...) mapped from JSON:API,
  ``included`` resources resolved.

A client is not thread-safe (one ``requests.Session``, counters): use one per job.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as dt_time
from zoneinfo import ZoneInfo

import requests

_logger = logging.getLogger(__name__)

BASE_URL = "https://kaspi.kz/shop/api/v2"
JSONAPI = "application/vnd.api+json"
# Peers report that Kaspi's front rejects non-browser agents; a plain, current desktop Chrome.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
ALMATY = ZoneInfo("Asia/Almaty")
MAX_PAGE_SIZE = 100
MAX_WINDOW = timedelta(days=14)

# Order states (the cabinet's tabs) in the order an order moves through them. Listing one state
# after the other in this order means an order that moves on while we list is met again in a
# later pass rather than missed.
STATES = ("NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY", "ARCHIVE")
STATUSES = (
    "APPROVED_BY_BANK",
    "ACCEPTED_BY_MERCHANT",
    "COMPLETED",
    "CANCELLED",
    "CANCELLING",
    "KASPI_DELIVERY_RETURN_REQUESTED",
    "RETURN_ACCEPTED_BY_MERCHANT",
    "RETURNED",
)
FINAL_STATUSES = frozenset({"COMPLETED", "CANCELLED", "RETURNED"})
CANCELLATION_REASONS = ("BUYER_CANCELLATION_BY_MERCHANT", "BUYER_NOT_REACHABLE", "MERCHANT_OUT_OF_STOCK")
MAX_CANCELLATION_COMMENT = 1000

RETRY_HTTP_STATUSES = frozenset({429, 500, 502, 503, 504})
AUTH_HTTP_STATUSES = frozenset({401, 403})


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class KaspiError(Exception):
    """Any failure of a Kaspi call. The text never contains the API token."""

    def __init__(self, message, *, http_status=None, kaspi_message=None):
        super().__init__(message)
        self.http_status = http_status
        self.kaspi_message = kaspi_message


class AuthError(KaspiError):
    """Kaspi refused the token (401) or the API is not enabled for it (403): a setup problem for
    the shop's administrator, never retried."""


class KaspiRefusedError(KaspiError):
    """Kaspi understood the request and refused it (4xx): ``kaspi_message`` is Kaspi's reason,
    to be shown to the user as is (refused status change, wrong SMS code, bad filter ...)."""

    def __init__(self, message, *, http_status=None, kaspi_message=None, after_ambiguous_retry=False):
        super().__init__(message, http_status=http_status, kaspi_message=kaspi_message)
        # True when an earlier attempt of the same POST may have been applied by Kaspi (timeout
        # or 5xx), so this refusal may only mean "already done".
        self.after_ambiguous_retry = after_ambiguous_retry


class KaspiUnavailableError(KaspiError):
    """Kaspi did not answer usefully after the bounded retries (429, 5xx, timeouts, network):
    nothing is wrong with the request, try again later."""


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def to_ms(value):
    """Kaspi's timestamps: Unix time in milliseconds.

    An int is taken as milliseconds, an aware datetime converted exactly, and a ``date`` is
    its midnight in Almaty (Kaspi documents its dates in Almaty time, so its days are Almaty
    days). A naive datetime is refused: in Odoo it means UTC, in Kaspi's documentation Almaty
    time, and a wrong guess would shift every window by five hours without any error.
    """
    if isinstance(value, bool):
        raise TypeError("A Kaspi date is milliseconds, an aware datetime or a date.")
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("Give Kaspi dates with a time zone (or as ms): a naive datetime is ambiguous.")
        return int(value.timestamp() * 1000)
    if isinstance(value, date):
        return int(datetime.combine(value, dt_time.min, tzinfo=ALMATY).timestamp() * 1000)
    raise TypeError("A Kaspi date is milliseconds, an aware datetime or a date.")


def from_ms(value):
    """Milliseconds to an aware datetime in Almaty time, or None. Odoo stores naive UTC:
    ``from_ms(ms).astimezone(timezone.utc).replace(tzinfo=None)``."""
    if value in (None, ""):
        return None
    return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc).astimezone(ALMATY)


def normalize_phone(cell_phone):
    """Kaspi sends a Kazakh mobile number as 10 digits (``7011234567``) or 11 (``77011234567``):
    both become E.164 ``+77011234567``; anything else gives None (kept raw on the customer)."""
    digits = "".join(ch for ch in str(cell_phone or "") if ch.isdigit())
    if len(digits) == 10 and digits.startswith("7"):
        return "+7" + digits
    if len(digits) == 11 and digits[0] in "78" and digits[1] == "7":
        return "+7" + digits[1:]
    return None


# --------------------------------------------------------------------------------------------
# Data returned to the caller
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    id: str | None
    first_name: str
    last_name: str
    name: str
    cell_phone: str  # as Kaspi sent it
    phone: str | None  # E.164 (+7...), None when not a Kazakh mobile number


@dataclass(frozen=True)
class Address:
    formatted: str
    street_name: str | None = None
    street_number: str | None = None
    town: str | None = None
    district: str | None = None
    building: str | None = None
    apartment: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Entry:
    """One line of an order (``orderentries``)."""

    id: str
    order_id: str | None
    entry_number: int | None
    offer_code: str | None  # the merchant's offer SKU, as published in the price-list feed
    offer_name: str
    quantity: float
    unit_type: str | None  # PIECES, MEASURABLE, MEASURABLE_PIECES
    base_price: float
    total_price: float
    delivery_cost: float
    weight: float | None
    category_code: str | None
    category_title: str | None
    is_imei_required: bool
    product_id: str | None  # Kaspi master product (masterproducts id)
    point_of_service_id: str | None  # pointofservices id, e.g. "30000001_PP1"
    # Filled only when the related resources came in ``included``:
    product_code: str | None = None  # Kaspi catalog code of the master product
    product_name: str | None = None
    point_of_service_name: str | None = None  # displayName, e.g. "PP1"


@dataclass(frozen=True)
class Order:
    """A Kaspi order as listed. ``entries`` is None when they were not loaded (ask
    :meth:`KaspiShopClient.get_entries`), a tuple otherwise."""

    id: str
    code: str
    state: str | None
    status: str | None
    total_price: float
    creation_ms: int | None
    creation_date: datetime | None
    approved_by_bank_date: datetime | None
    planned_delivery_date: datetime | None
    reservation_date: datetime | None
    payment_mode: str | None
    delivery_mode: str | None
    is_kaspi_delivery: bool
    pre_order: bool
    signature_required: bool
    assembled: bool
    delivery_cost: float
    delivery_cost_for_seller: float
    credit_term: int | None
    pickup_point_id: str | None
    cancellation_reason: str | None
    customer: Customer | None
    delivery_address: Address | None
    origin_point: str | None  # originAddress.displayName (Kaspi Delivery: where the courier collects)
    waybill: str | None
    waybill_number: str | None
    express: bool
    entries: tuple[Entry, ...] | None = None
    attributes: dict = field(default_factory=dict, compare=False, repr=False)  # raw, for audit

    @property
    def is_final(self):
        """Kaspi's state changes are irreversible: a final order never changes again."""
        return self.status in FINAL_STATUSES


@dataclass(frozen=True)
class MasterProduct:
    id: str
    code: str | None  # Kaspi catalog code
    name: str | None
    manufacturer: str | None
    category: str | None
    merchant_product_id: str | None


@dataclass(frozen=True)
class MerchantProduct:
    id: str
    code: str | None  # the merchant's SKU
    name: str | None
    manufacturer: str | None


@dataclass(frozen=True)
class StatusChange:
    """What Kaspi answered to a status change. Its answer echoes only a few attributes, so this
    is not an :class:`Order`: re-read the order when more is needed."""

    order_id: str
    code: str | None
    status: str | None
    requested: str  # the status we sent (ACCEPTED_BY_MERCHANT, ASSEMBLE, ...)
    assembled: bool | None = None
    attributes: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class OrderBatch:
    """Result of :meth:`KaspiShopClient.fetch_orders`: orders oldest first, plus what it cost.

    ``complete`` is False when a window kept moving while it was listed, even after the
    re-walks: the caller must then not advance its "imported up to" cursor past ``date_from``.
    """

    orders: list = field(default_factory=list)
    windows: int = 0
    passes: int = 0
    pages: int = 0
    requests: int = 0
    retries: int = 0
    received: int = 0  # order resources received, duplicates included
    rewalks: int = 0
    complete: bool = True

    @property
    def entries(self):
        return sum(len(order.entries or ()) for order in self.orders)


# --------------------------------------------------------------------------------------------
# JSON:API mapping
# --------------------------------------------------------------------------------------------


def _index_included(document):
    return {(res.get("type"), res.get("id")): res for res in document.get("included") or () if isinstance(res, dict)}


def _related(resource, name):
    """(type, id) of a to-one relationship, or None."""
    data = ((resource.get("relationships") or {}).get(name) or {}).get("data")
    if isinstance(data, dict):
        return data.get("type"), data.get("id")
    return None


def _related_many(resource, name):
    """[(type, id)] of a to-many relationship, or None when the relationship has no data."""
    data = ((resource.get("relationships") or {}).get(name) or {}).get("data")
    if isinstance(data, list):
        return [(item.get("type"), item.get("id")) for item in data if isinstance(item, dict)]
    return None


def _num(value, default=0.0):
    try:
        return float(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def entry_from_resource(resource, included=None, order_id=None):
    included = included or {}
    attrs = resource.get("attributes") or {}
    offer = attrs.get("offer") or {}
    category = attrs.get("category") or {}
    if isinstance(category, str):  # some answers give the category title only
        category = {"title": category}
    product_ref = _related(resource, "product")
    pos_ref = _related(resource, "deliveryPointOfService")
    product = included.get(product_ref) if product_ref else None
    pos = included.get(pos_ref) if pos_ref else None
    imei = attrs.get("isImeiRequired", offer.get("isImeiRequired", False))
    return Entry(
        id=resource.get("id"),
        order_id=order_id,
        entry_number=attrs.get("entryNumber"),
        offer_code=offer.get("code"),
        offer_name=offer.get("name") or "",
        quantity=_num(attrs.get("quantity")),
        unit_type=attrs.get("unitType"),
        base_price=_num(attrs.get("basePrice")),
        total_price=_num(attrs.get("totalPrice")),
        delivery_cost=_num(attrs.get("deliveryCost")),
        weight=_num(attrs.get("weight"), None),
        category_code=category.get("code"),
        category_title=category.get("title"),
        is_imei_required=bool(imei),
        product_id=product_ref[1] if product_ref else None,
        point_of_service_id=pos_ref[1] if pos_ref else None,
        product_code=(product or {}).get("attributes", {}).get("code"),
        product_name=(product or {}).get("attributes", {}).get("name"),
        point_of_service_name=(pos or {}).get("attributes", {}).get("displayName"),
    )


def _customer(attrs, resource, included):
    data = attrs.get("customer")
    if not data:
        user_ref = _related(resource, "user")
        data = (included.get(user_ref) or {}).get("attributes") if user_ref else None
        if data is not None:
            data = {"id": user_ref[1], **data}
    if not data:
        return None
    first, last = data.get("firstName") or "", data.get("lastName") or ""
    return Customer(
        id=data.get("id"),
        first_name=first,
        last_name=last,
        name=data.get("name") or " ".join(part for part in (first, last) if part),
        cell_phone=data.get("cellPhone") or "",
        phone=normalize_phone(data.get("cellPhone")),
    )


def _address(data):
    if not data:
        return None
    return Address(
        formatted=data.get("formattedAddress") or "",
        street_name=data.get("streetName"),
        street_number=data.get("streetNumber"),
        town=data.get("town"),
        district=data.get("district"),
        building=data.get("building"),
        apartment=data.get("apartment"),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )


def _entries_of(resource, included):
    """The order's entries from ``included``, or None when any of them is missing there (not
    requested, or Kaspi ignored the include): the caller then reads them separately."""
    refs = _related_many(resource, "entries")
    if refs is None:
        return None
    found = [included.get(ref) for ref in refs]
    if any(res is None for res in found):
        return None
    entries = (entry_from_resource(res, included, order_id=resource.get("id")) for res in found)
    return tuple(sorted(entries, key=lambda e: (e.entry_number is None, e.entry_number or 0, e.id)))


def order_from_resource(resource, included=None):
    included = included or {}
    attrs = resource.get("attributes") or {}
    kaspi_delivery = attrs.get("kaspiDelivery") or {}
    origin = attrs.get("originAddress") or {}
    creation_ms = attrs.get("creationDate")
    return Order(
        id=resource.get("id"),
        code=str(attrs.get("code") or ""),
        state=attrs.get("state"),
        status=attrs.get("status"),
        total_price=_num(attrs.get("totalPrice")),
        creation_ms=int(creation_ms) if creation_ms is not None else None,
        creation_date=from_ms(creation_ms),
        approved_by_bank_date=from_ms(attrs.get("approvedByBankDate")),
        planned_delivery_date=from_ms(attrs.get("plannedDeliveryDate")),
        reservation_date=from_ms(attrs.get("reservationDate")),
        payment_mode=attrs.get("paymentMode"),
        delivery_mode=attrs.get("deliveryMode"),
        is_kaspi_delivery=bool(attrs.get("isKaspiDelivery")),
        pre_order=bool(attrs.get("preOrder")),
        signature_required=bool(attrs.get("signatureRequired")),
        assembled=bool(attrs.get("assembled")),
        delivery_cost=_num(attrs.get("deliveryCost")),
        delivery_cost_for_seller=_num(attrs.get("deliveryCostForSeller")),
        credit_term=attrs.get("creditTerm"),
        pickup_point_id=attrs.get("pickupPointId"),
        cancellation_reason=attrs.get("cancellationReason"),
        customer=_customer(attrs, resource, included),
        delivery_address=_address(attrs.get("deliveryAddress")),
        origin_point=origin.get("displayName"),
        waybill=kaspi_delivery.get("waybill"),
        waybill_number=kaspi_delivery.get("waybillNumber"),
        express=bool(kaspi_delivery.get("express", attrs.get("express"))),
        entries=_entries_of(resource, included),
        attributes=attrs,
    )


def orders_from_document(document):
    included = _index_included(document)
    data = document.get("data") or []
    if isinstance(data, dict):
        data = [data]
    return [order_from_resource(res, included) for res in data if res.get("type", "orders") == "orders"]


# --------------------------------------------------------------------------------------------
# The client
# --------------------------------------------------------------------------------------------


@dataclass
class _Window:
    ge: int
    le: int


class KaspiShopClient:
    """One merchant's (one token's) access to the Kaspi Shop API v2.

    :param token: the API token of the Kaspi cabinet (Settings → API token).
    :param base_url: ``https://kaspi.kz/shop/api/v2`` or a simulator's URL.
    :param timeout: ``(connect, read)`` seconds for every request.
    :param max_retries: retries after the first attempt on 429/5xx/timeouts (bounded).
    :param backoff_base: first backoff step in seconds; doubles on each retry, capped by
        ``backoff_cap``; the actual pause is drawn in [step/2, step] (jitter), so that several
        Odoo workers hitting the same limit do not come back in lock-step. A ``Retry-After``
        header raises the pause up to the cap.
    :param page_size: orders per page (Kaspi's maximum is 100).
    :param window: length of one creation-date window (Kaspi's maximum is 14 days).
    :param window_overlap: how much consecutive windows overlap. [I] Kaspi documents its
        millisecond timestamps as "Almaty time"; should it ever apply a local-time offset, or
        treat a bound as exclusive, the orders near a window edge would be lost without an
        overlap. 6 hours covers the 5 h UTC offset; duplicates are dropped by order id.
    :param max_rewalks: how many times a window/state pass is listed again when the result set
        moved while paging (``meta.totalCount`` changed, or fewer orders than it announced).
    :param proxies: ``requests`` proxies; Kaspi's API is geo-restricted to Kazakhstan, so an
        Odoo hosted abroad needs a KZ egress.
    :param sleep, rng: injectable for tests (backoff without waiting, deterministic jitter).
    """

    def __init__(
        self,
        token,
        *,
        base_url=BASE_URL,
        timeout=(5.0, 30.0),
        max_retries=4,
        backoff_base=1.0,
        backoff_cap=30.0,
        page_size=MAX_PAGE_SIZE,
        window=MAX_WINDOW,
        window_overlap=timedelta(hours=6),
        max_rewalks=2,
        user_agent=USER_AGENT,
        proxies=None,
        session=None,
        sleep=time.sleep,
        rng=None,
    ):
        if not token:
            raise ValueError("A Kaspi API token is required.")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}.")
        if not timedelta(0) < window <= MAX_WINDOW:
            raise ValueError("window must be positive and at most 14 days.")
        if not timedelta(0) <= window_overlap < window:
            raise ValueError("window_overlap must be shorter than the window.")
        self._token = token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.page_size = page_size
        self.window = window
        self.window_overlap = window_overlap
        self.max_rewalks = max_rewalks
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._session = session or requests.Session()
        self._session.headers.update(
            {
                "Content-Type": JSONAPI,
                "Accept": JSONAPI,
                "User-Agent": user_agent,
                "X-Auth-Token": token,
            }
        )
        if proxies:
            self._session.proxies.update(proxies)
        self.requests_sent = 0
        self.retries = 0

    def __repr__(self):
        return f"<KaspiShopClient {self.base_url}>"

    def close(self):
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---------------------------------------------------------------- transport

    def _scrub(self, text):
        """Remove the token from any text that leaves the client (Kaspi's messages, network
        errors): a server or a proxy echoing request headers must not leak it to our logs."""
        text = str(text)
        return text.replace(self._token, "***") if len(self._token) >= 4 else text

    def _backoff(self, attempt, retry_after=None):
        step = min(self.backoff_cap, self.backoff_base * (2**attempt))
        delay = step / 2 + self._rng.random() * step / 2
        if retry_after:
            try:
                delay = max(delay, min(self.backoff_cap, float(retry_after)))
            except ValueError:
                pass  # an HTTP-date Retry-After: keep our own backoff
        return delay

    def _kaspi_message(self, response):
        """Kaspi's reason from an error answer: JSON:API ``errors[].detail/title``, or a
        ``message`` field, or the start of the body."""
        try:
            document = response.json()
        except ValueError:
            return self._scrub(response.text[:300].strip())
        parts = []
        if isinstance(document, dict):
            for error in document.get("errors") or ():
                if isinstance(error, dict):
                    parts.append(error.get("detail") or error.get("title") or error.get("code") or "")
            if not any(parts) and document.get("message"):
                parts = [str(document["message"])]
        return self._scrub("; ".join(p for p in parts if p) or response.text[:300].strip())

    def _request(self, method, path, *, params=None, body=None, headers=None):
        """One logical call: the request, its bounded retries, and the mapping of failures.

        A POST that timed out or got a 5xx may still have been applied by Kaspi. It is retried
        all the same (repeating a status change is harmless: Kaspi refuses the repetition), and
        a refusal after such a retry is flagged ``after_ambiguous_retry`` so that the caller
        can check whether the change was in fact made. A 429 or a connect timeout never reached
        Kaspi's processing and is not ambiguous.
        """
        url = self.base_url + path
        data = json.dumps(body) if body is not None else None
        attempt = 0
        ambiguous = False
        while True:
            self.requests_sent += 1
            started = time.monotonic()
            retry_after = None
            try:
                response = self._session.request(
                    method, url, params=params, data=data, headers=headers, timeout=self.timeout
                )
            except requests.Timeout as exc:
                failure = "timeout"
                # A connect timeout never reached Kaspi; a read timeout may have been applied.
                ambiguous = ambiguous or not isinstance(exc, requests.ConnectTimeout)
            except requests.ConnectionError:
                failure = "connection error"
                ambiguous = True
            else:
                elapsed = (time.monotonic() - started) * 1000
                _logger.debug("Kaspi %s %s -> %s (%.0f ms)", method, path, response.status_code, elapsed)
                if response.status_code < 400:
                    return self._decode(response, method, path)
                if response.status_code in AUTH_HTTP_STATUSES:
                    message = self._kaspi_message(response)
                    raise AuthError(
                        f"Kaspi refused the API token (HTTP {response.status_code}) on {method} {path}: {message}",
                        http_status=response.status_code,
                        kaspi_message=message,
                    )
                if response.status_code not in RETRY_HTTP_STATUSES:
                    message = self._kaspi_message(response)
                    raise KaspiRefusedError(
                        f"Kaspi refused {method} {path} (HTTP {response.status_code}): {message}",
                        http_status=response.status_code,
                        kaspi_message=message,
                        after_ambiguous_retry=ambiguous,
                    )
                failure = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After")
                ambiguous = ambiguous or response.status_code != 429  # 429: not processed
            if attempt >= self.max_retries:
                raise KaspiUnavailableError(f"Kaspi {method} {path} failed after {attempt + 1} attempts ({failure}).")
            delay = self._backoff(attempt, retry_after)
            attempt += 1
            self.retries += 1
            _logger.warning(
                "Kaspi %s %s: %s, retry %d/%d in %.2f s", method, path, failure, attempt, self.max_retries, delay
            )
            self._sleep(delay)

    def _decode(self, response, method, path):
        if not response.content:
            return {}
        try:
            document = response.json()
        except ValueError:
            raise KaspiError(
                f"Kaspi {method} {path} answered HTTP {response.status_code} without JSON.",
                http_status=response.status_code,
            ) from None
        if not isinstance(document, dict):
            raise KaspiError(
                f"Kaspi {method} {path} answered an unexpected document.", http_status=response.status_code
            )
        return document

    # ---------------------------------------------------------------- listing orders

    def windows(self, date_from, date_to=None):
        """The creation-date windows covering [date_from, date_to] (inclusive ms bounds): at
        most ``window`` long, each starting ``window_overlap`` before the previous one ends."""
        start = to_ms(date_from)
        end = to_ms(date_to) if date_to is not None else int(time.time() * 1000)
        if end < start:
            raise ValueError("date_to is before date_from.")
        span = int(self.window.total_seconds() * 1000) - 1
        overlap = int(self.window_overlap.total_seconds() * 1000)
        windows = []
        while True:
            le = min(start + span, end)
            windows.append(_Window(start, le))
            if le >= end:
                return windows
            start = le - overlap

    def _list_params(self, window, page, state, status, include):
        params = {
            "page[number]": page,
            "page[size]": self.page_size,
            "filter[orders][creationDate][$ge]": window.ge,
            "filter[orders][creationDate][$le]": window.le,
        }
        if state:
            params["filter[orders][state]"] = state
        if status:
            params["filter[orders][status]"] = status
        if include:
            params["include[orders]"] = ",".join(include)
        return params

    def _walk(self, window, state, status, include, batch):
        """List every page of one (window, state) once. Returns the orders by id and whether
        the set stood still meanwhile (same totalCount on every page, all of them received)."""
        seen = {}
        totals = set()
        page = 0
        while True:
            document = self._request("GET", "/orders", params=self._list_params(window, page, state, status, include))
            batch.pages += 1
            meta = document.get("meta") or {}
            totals.add(meta.get("totalCount"))
            orders = orders_from_document(document)
            batch.received += len(orders)
            for order in orders:
                seen[order.id] = order
            page += 1
            page_count = meta.get("pageCount", meta.get("totalPages"))
            if not orders or len(orders) < self.page_size:
                break
            if page_count is not None and page >= int(page_count):
                break
            if page >= 100_000:  # a server that never stops: do not loop for ever
                break
        total = next(iter(totals)) if len(totals) == 1 else None
        stable = len(totals) == 1 and (total is None or len(seen) >= int(total))
        return seen, stable

    def fetch_orders(self, date_from, date_to=None, *, states=STATES, status=None, include=("entries",)):
        """All orders created in [date_from, date_to]: ms, aware datetimes, or dates (Almaty
        midnight); ``date_to`` defaults to now.

        :param states: one listing pass per state, in this order (None: one pass without a
            state filter). Kaspi's guide copies call the state filter required, hence the
            default of every state in lifecycle order.
        :param status: optional status filter, sent on every pass.
        :param include: related resources asked with ``include[orders]``: ``entries`` brings
            the lines in the same answer (no call per order), ``user`` the customer resource.
        :returns: :class:`OrderBatch`, orders oldest first, each order once (its latest
            version: a later pass or window overrides an earlier one).
        """
        batch = OrderBatch()
        found = {}
        requests_before, retries_before = self.requests_sent, self.retries
        windows = self.windows(date_from, date_to)
        batch.windows = len(windows)
        for window in windows:
            for state in states or (None,):
                stable = False
                for walk in range(self.max_rewalks + 1):
                    if walk:
                        batch.rewalks += 1
                        _logger.info("Kaspi orders moved while listing (state %s): listing the window again", state)
                    batch.passes += 1
                    seen, stable = self._walk(window, state, status, include, batch)
                    found.update(seen)
                    if stable:
                        break
                if not stable:
                    batch.complete = False
                    _logger.warning(
                        "Kaspi orders kept moving while listing (state %s); the next import will catch up", state
                    )
        batch.orders = sorted(found.values(), key=lambda o: (o.creation_ms or 0, o.id))
        batch.requests = self.requests_sent - requests_before
        batch.retries = self.retries - retries_before
        return batch

    def get_order(self, order_id, include=("entries",)):
        params = {"include[orders]": ",".join(include)} if include else None
        orders = orders_from_document(self._request("GET", f"/orders/{order_id}", params=params))
        if not orders:
            raise KaspiError(f"Kaspi returned no order for id {order_id}.")
        return orders[0]

    def get_order_by_code(self, code, include=("entries",)):
        """The order with this public code (the number the buyer sees), or None."""
        params = {"page[number]": 0, "page[size]": 1, "filter[orders][code]": code}
        if include:
            params["include[orders]"] = ",".join(include)
        orders = orders_from_document(self._request("GET", "/orders", params=params))
        return orders[0] if orders else None

    # ---------------------------------------------------------------- entries and products

    def get_entries(self, order_id):
        """The lines of one order, for answers that did not include them."""
        document = self._request("GET", f"/orders/{order_id}/entries")
        included = _index_included(document)
        data = document.get("data") or []
        entries = [entry_from_resource(res, included, order_id=order_id) for res in data]
        return sorted(entries, key=lambda e: (e.entry_number is None, e.entry_number or 0, e.id))

    def get_entry_product(self, entry_id):
        """Kaspi's master product of a line (catalog code, name, brand)."""
        resource = self._request("GET", f"/orderentries/{entry_id}/product").get("data") or {}
        attrs = resource.get("attributes") or {}
        merchant = _related(resource, "merchantProduct")
        return MasterProduct(
            id=resource.get("id"),
            code=attrs.get("code"),
            name=attrs.get("name"),
            manufacturer=attrs.get("manufacturer"),
            category=attrs.get("category"),
            merchant_product_id=merchant[1] if merchant else None,
        )

    def get_merchant_product(self, master_product_id):
        """The merchant's own product behind a master product (its SKU), or None."""
        resource = self._request("GET", f"/masterproducts/{master_product_id}/merchantProduct").get("data")
        if not resource:
            return None
        attrs = resource.get("attributes") or {}
        return MerchantProduct(
            id=resource.get("id"),
            code=attrs.get("code"),
            name=attrs.get("name"),
            manufacturer=attrs.get("manufacturer"),
        )

    # ---------------------------------------------------------------- status changes

    def _change_status(self, order_id, code, status, extra=None, headers=None, done=None):
        """POST /orders with the new status. ``done(order)`` says whether a re-read order shows
        the change already made: used when a retried POST is refused after an ambiguous failure
        (the first attempt went through but its answer was lost)."""
        attributes = {"status": status, **(extra or {})}
        if code:
            attributes["code"] = code
        body = {"data": {"type": "orders", "id": order_id, "attributes": attributes}}
        try:
            document = self._request("POST", "/orders", body=body, headers=headers)
        except KaspiRefusedError as error:
            if not (error.after_ambiguous_retry and done):
                raise
            order = self.get_order(order_id, include=())
            if not done(order):
                raise
            _logger.info("Kaspi order %s: the %s sent before the failure was applied", order_id, status)
            return StatusChange(order_id, order.code, order.status, status, order.assembled, order.attributes)
        resource = document.get("data") or {}
        attrs = resource.get("attributes") or {}
        return StatusChange(
            order_id=resource.get("id") or order_id,
            code=attrs.get("code"),
            status=attrs.get("status"),
            requested=status,
            assembled=attrs.get("assembled"),
            attributes=attrs,
        )

    def accept(self, order_id, code):
        """Accept a new order (APPROVED_BY_BANK → ACCEPTED_BY_MERCHANT)."""
        return self._change_status(
            order_id, code, "ACCEPTED_BY_MERCHANT", done=lambda o: o.status == "ACCEPTED_BY_MERCHANT"
        )

    def cancel(self, order_id, code, reason, comment=None):
        """Cancel an order not yet handed over, with one of :data:`CANCELLATION_REASONS`.
        Checked here first: a wrong reason would only cost a refused call."""
        if reason not in CANCELLATION_REASONS:
            raise ValueError(f"Unknown Kaspi cancellation reason {reason!r}.")
        if comment and len(comment) > MAX_CANCELLATION_COMMENT:
            raise ValueError(f"The cancellation comment is limited to {MAX_CANCELLATION_COMMENT} characters.")
        extra = {"cancellationReason": reason}
        if comment:
            extra["cancellationComment"] = comment
        return self._change_status(
            order_id, code, "CANCELLED", extra, done=lambda o: o.status in ("CANCELLED", "CANCELLING")
        )

    def assemble(self, order_id, code, parcels):
        """Kaspi Delivery: the order is packed in ``parcels`` places; Kaspi creates the
        waybill(s). The guide's example sends ``numberOfSpace`` as a string; so do we."""
        if int(parcels) < 1:
            raise ValueError("An assembled order has at least one parcel.")
        return self._change_status(
            order_id, code, "ASSEMBLE", {"numberOfSpace": str(int(parcels))}, done=lambda o: o.assembled
        )

    def mark_arrived(self, order_id, code):
        """Pre-order: the goods arrived at the warehouse (ARRIVED)."""
        return self._change_status(order_id, code, "ARRIVED")

    def mark_return_arrived(self, order_id, code):
        """Returned goods arrived back at the warehouse (ARRIVED_BACKWARD), for an order in
        CANCELLING or KASPI_DELIVERY_RETURN_REQUESTED."""
        return self._change_status(
            order_id, code, "ARRIVED_BACKWARD", done=lambda o: o.status in ("CANCELLED", "RETURNED")
        )

    def send_completion_code(self, order_id, code):
        """Step 1 of handing an order over: Kaspi sends the buyer a one-time code (SMS/push).
        Nothing changes on the order. Calling it again re-sends the code."""
        headers = {"X-Send-Code": "true", "X-Security-Code": ""}
        self._change_status(order_id, code, "COMPLETED", headers=headers)

    def complete(self, order_id, code, security_code):
        """Step 2: the buyer told the code; the order becomes COMPLETED. A wrong code raises
        :class:`KaspiRefusedError` with Kaspi's message; the code is never logged."""
        security_code = str(security_code or "").strip()
        if not security_code:
            raise ValueError("The buyer's code is required to complete a Kaspi order.")
        headers = {"X-Send-Code": "true", "X-Security-Code": security_code}
        return self._change_status(order_id, code, "COMPLETED", headers=headers, done=lambda o: o.status == "COMPLETED")
