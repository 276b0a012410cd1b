"""Local simulator of the Kaspi Shop API v2 (orders), for tests and benches.

Kaspi offers no sandbox, and the real API only answers from Kazakhstan, so the client and the
Odoo import are tested against this server on 127.0.0.1. Standard library only (it also runs
as a script: ``python simulator.py --port 8089 --orders 500``); it imports nothing from the
client, so that the two cannot share a mistake by construction.

What it reproduces (``shared/specs/kaspi.md`` section 2, plus the guide copies quoted there):

* JSON:API answers (``data``, ``included``, ``links``, ``meta.pageCount/totalCount``);
  ``X-Auth-Token`` checked (401), ``Accept: application/vnd.api+json`` required (406);
* ``GET /orders``: ``page[number]`` (0-based) and ``page[size]`` (1..100) required, the
  creation-date window mandatory (``$ge``; ``$le`` defaults to now) and at most 14 days,
  filters state / status / deliveryType / signatureRequired / code, ``include[orders]`` =
  ``entries`` and/or ``user``. Newest orders first [I];
* ``GET /orders/{id}``, ``/orders/{id}/entries``, ``/orderentries/{id}``,
  ``/orderentries/{id}/product``, ``/masterproducts/{id}/merchantProduct``,
  ``/pointofservices/{id}``;
* ``POST /orders`` status changes with the transitions Kaspi allows, and refusals
  (``{"errors": [{"title": ...}]}``, HTTP 400) for the rest: state changes are irreversible;
  completion takes the two-step SMS code (``X-Send-Code`` / ``X-Security-Code``);
* scripted faults: HTTP 429 / 500 (optionally after applying the change, as when an answer
  is lost), slow answers (client timeouts), and a result set that changes between two page
  calls (a new order arrives, or an order leaves the filtered state).

A test drives it through Python (:class:`KaspiShopSimulator` methods); a script user through
the unauthenticated ``/_sim/...`` routes (see :meth:`KaspiShopSimulator._control`).
Orders are generated from a seed: the same arguments always give the same orders.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import math
import random
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

API_PREFIX = "/shop/api/v2"
JSONAPI = "application/vnd.api+json"
DEFAULT_TOKEN = "sim-kaspi-token-0123456789abcdef"
MAX_PAGE_SIZE = 100
MAX_WINDOW_MS = 14 * 24 * 3600 * 1000
ALMATY_OFFSET = timezone(timedelta(hours=5))
DEFAULT_START = datetime(2025, 3, 1, tzinfo=ALMATY_OFFSET)

STATES = ("NEW", "SIGN_REQUIRED", "PICKUP", "DELIVERY", "KASPI_DELIVERY", "ARCHIVE")
CANCELLATION_REASONS = ("BUYER_CANCELLATION_BY_MERCHANT", "BUYER_NOT_REACHABLE", "MERCHANT_OUT_OF_STOCK")
# The tab an accepted order moves to, by how it is delivered.
STATE_AFTER_ACCEPT = {"pickup": "PICKUP", "local": "DELIVERY", "kaspi": "KASPI_DELIVERY"}

FIRST_NAMES = ("Айгерим", "Нурлан", "Дана", "Ерлан", "Асель", "Тимур", "Жанар", "Бауыржан", "Алия", "Данияр")
LAST_NAMES = ("Ахметова", "Садыков", "Нурланова", "Жумабаев", "Каримова", "Оспанов", "Сейткали", "Ермекова")
CATEGORIES = (
    ("Master - Smartphones", "Смартфоны"),
    ("Master - Headphones", "Наушники"),
    ("Master - Kettles", "Электрочайники"),
    ("Master - Lids", "Крышки для посуды"),
    ("Master - Rulers", "Линейки"),
)
MOBILE_CODES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")
BRANDS = ("Samsung", "Xiaomi", "Tefal", "Philips", "Erich Krause")


def _b64(text):
    """Kaspi's ids look like unpadded base64 of internal numbers."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _error(status, title):
    return status, {"errors": [{"status": str(status), "title": title}]}


class Refused(Exception):
    """A request Kaspi answers with an error document."""

    def __init__(self, status, title):
        super().__init__(title)
        self.status = status
        self.title = title


@dataclass
class Fault:
    """A scripted misbehaviour, used ``count`` times on matching requests."""

    kind: str  # "status" (answer http_status) or "delay" (wait ``seconds`` first)
    count: int = 1
    http_status: int = 500
    seconds: float = 0.0
    method: str | None = None
    path_prefix: str | None = None  # below /shop/api/v2, e.g. "/orders"
    retry_after: int | None = None
    apply_first: bool = False  # "status": process the request, then answer the error anyway

    def matches(self, method, path):
        return (self.method in (None, method)) and (self.path_prefix is None or path.startswith(self.path_prefix))


@dataclass
class ListingChange:
    """Change the data once, right after page ``after_page`` of a listing was answered."""

    mode: str  # "insert": a new order arrives in the window; "remove": an order leaves the state
    after_page: int = 0
    done: bool = False


@dataclass
class RequestRecord:
    method: str
    path: str
    query: dict
    http_status: int
    accept: str | None
    content_type: str | None
    user_agent: str | None
    token_ok: bool  # the token itself is never recorded


@dataclass
class _Order:
    id: str
    kind: str  # pickup / local / kaspi: how it is delivered
    attributes: dict
    entries: list = field(default_factory=list)
    sms_code: str | None = None
    arrived: bool = False
    number_of_space: int | None = None


class KaspiShopSimulator:
    """The simulated Kaspi Shop API of one merchant.

    :param orders: how many orders to generate, spread evenly (with jitter) over
        ``span_days`` from ``start``; states and statuses are mixed like a real shop's.
    :param entries_per_order: lines per order (fixed, so benches know their volume).
    """

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        *,
        token=DEFAULT_TOKEN,
        orders=30,
        entries_per_order=2,
        seed=13,
        start=DEFAULT_START,
        span_days=20,
        merchant_id="30000001",
        products=60,
    ):
        self.host = host
        self.port = port
        self.token = token
        self.merchant_id = merchant_id
        self.start_ms = int(start.timestamp() * 1000)
        self.end_ms = self.start_ms + span_days * 24 * 3600 * 1000
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._server = None
        self._thread = None
        self._rng = random.Random(seed)
        self._next_code = 500_000_000
        self._faults = []
        self._listing_changes = []
        self.requests = []
        self.orders = {}
        self.products = {}
        self.points = {}
        self._entries = {}
        self._generate(orders, entries_per_order, products)

    # ------------------------------------------------------------ data generation

    def _generate(self, count, entries_per_order, product_count):
        rng = self._rng
        for number in (1, 2):
            pos_id = f"{self.merchant_id}_PP{number}"
            self.points[pos_id] = {
                "displayName": f"PP{number}",
                "address": {
                    "streetName": "проспект Абая",
                    "streetNumber": str(10 * number),
                    "town": "Алматы",
                    "formattedAddress": f"Алматы, проспект Абая, {10 * number}",
                    "latitude": 43.238,
                    "longitude": 76.889,
                },
            }
        for index in range(product_count):
            category = CATEGORIES[index % len(CATEGORIES)]
            brand = BRANDS[index % len(BRANDS)]
            master_id = _b64(f"master{100_000_000 + index}")
            self.products[master_id] = {
                "code": str(100_000_000 + index),
                "name": f"{brand} {category[1]} {index}",
                "manufacturer": brand,
                "category": category,
                "sku": f"SKU-{index:05d}",
                "merchant_product_id": _b64(f"mp{self.merchant_id}-{index}"),
                "price": float(rng.randrange(5, 500) * 100),
            }
        step = max(1, (self.end_ms - self.start_ms) // max(count, 1))
        for index in range(count):
            creation = self.start_ms + index * step + rng.randrange(step)
            state, status = self._pick_lifecycle(rng)
            self._add_order(creation, state, status, entries_per_order, rng)

    @staticmethod
    def _pick_lifecycle(rng):
        roll = rng.random()
        if roll < 0.35:
            return "NEW", "APPROVED_BY_BANK"
        if roll < 0.40:
            return "SIGN_REQUIRED", "APPROVED_BY_BANK"
        if roll < 0.75:
            return "ACCEPTED", "ACCEPTED_BY_MERCHANT"  # tab chosen from the delivery kind
        if roll < 0.90:
            return "ARCHIVE", "COMPLETED"
        return "ARCHIVE", "CANCELLED"

    def _add_order(self, creation_ms, state, status, entries_per_order, rng, lines=None, kind=None):
        self._next_code += 1
        code = str(self._next_code)
        order_id = _b64(f"order{code}")
        kind = kind or rng.choice(("pickup", "pickup", "local", "kaspi"))
        if state == "ACCEPTED":
            state = STATE_AFTER_ACCEPT[kind]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        number = rng.randrange(10**8)
        # Kazakh mobile operators' codes only: real buyers have real numbers.
        phone = MOBILE_CODES[number % len(MOBILE_CODES)] + f"{number % 10**7:07d}"
        if rng.random() < 0.5:
            phone = "7" + phone  # Kaspi sends both the 10- and the 11-digit forms
        attributes = {
            "code": code,
            "totalPrice": 0.0,
            "paymentMode": rng.choice(("PAY_WITH_CREDIT", "PREPAID")),
            "creationDate": creation_ms,
            "approvedByBankDate": creation_ms + 5_000,
            "reservationDate": creation_ms + 3 * 24 * 3600 * 1000,
            "plannedDeliveryDate": creation_ms + 2 * 24 * 3600 * 1000 if kind != "pickup" else None,
            "deliveryMode": {
                "pickup": "DELIVERY_PICKUP",
                "local": "DELIVERY_LOCAL",
                "kaspi": "DELIVERY_REGIONAL_TODOOR",
            }[kind],
            "isKaspiDelivery": kind == "kaspi",
            "deliveryCost": 0.0 if kind == "pickup" else 1000.0,
            "deliveryCostForSeller": 895.0 if kind == "kaspi" else 0.0,
            "signatureRequired": state == "SIGN_REQUIRED",
            "creditTerm": 3,
            "preOrder": rng.random() < 0.08,
            "pickupPointId": f"{self.merchant_id}_PP1",
            "assembled": False,
            "state": state,
            "status": status,
            "customer": {
                "id": _b64(phone),
                "name": f"{first} {last}",
                "cellPhone": phone,
                "firstName": first,
                "lastName": last,
            },
        }
        if kind == "local":
            attributes["deliveryAddress"] = {
                "streetName": "улица Кунаева",
                "streetNumber": str(rng.randrange(1, 200)),
                "town": "Алматы",
                "district": None,
                "building": None,
                "apartment": str(rng.randrange(1, 120)),
                "formattedAddress": "Алматы, улица Кунаева",
                "latitude": 43.25,
                "longitude": 76.95,
            }
        if kind == "kaspi":
            attributes["kaspiDelivery"] = {"waybill": None, "waybillNumber": None, "express": False}
            attributes["originAddress"] = {"id": _b64("origin1"), "displayName": "PP1"}
        if status == "CANCELLED":
            attributes["cancellationReason"] = "BUYER_CANCELLATION_BY_MERCHANT"
        order = _Order(order_id, kind, attributes)
        pos_id = f"{self.merchant_id}_PP{rng.choice((1, 1, 2))}"
        master_ids = list(self.products)
        total = 0.0
        by_sku = {product["sku"]: master for master, product in self.products.items()} if lines else {}
        chosen = [(by_sku[sku], qty) for sku, qty in lines] if lines else None
        for number in range(len(chosen) if chosen else entries_per_order):
            if chosen:
                master_id, quantity = chosen[number]
            else:
                master_id = rng.choice(master_ids)
            product = self.products[master_id]
            if not chosen:
                quantity = rng.choice((1, 1, 1, 2, 3))
            entry_id = _b64(f"{code}##{number}")
            entry = {
                "id": entry_id,
                "order_id": order_id,
                "product_id": master_id,
                "pos_id": pos_id,
                "attributes": {
                    "unitType": "PIECES",
                    "offer": {"code": product["sku"], "name": product["name"]},
                    "quantity": quantity,
                    "totalPrice": product["price"] * quantity,
                    "weight": 0.0,
                    "entryNumber": number,
                    "category": {"code": product["category"][0], "title": product["category"][1]},
                    "deliveryCost": 0.0,
                    "basePrice": product["price"],
                    "isImeiRequired": False,
                },
            }
            total += product["price"] * quantity
            order.entries.append(entry)
            self._entries[entry_id] = entry
        attributes["totalPrice"] = total
        self.orders[order_id] = order
        return order

    # ------------------------------------------------------------ control API (tests)

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    def start(self):
        self._server = ThreadingHTTPServer((self.host, self.port), _Handler)
        self._server.daemon_threads = True
        self._server.sim = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="kaspi-shop-sim", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()  # wakes delayed answers
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def order_ids(self, ge=None, le=None, state=None, status=None):
        """Ground truth: ids of the orders matching these filters now."""
        with self._lock:
            return {o.id for o in self._match(ge, le, state, status, None, None)}

    def order(self, order_id):
        """A copy of an order's attributes as Kaspi holds them now."""
        with self._lock:
            return copy.deepcopy(self.orders[order_id].attributes)

    def find_order(self, **conditions):
        """The oldest order whose attributes (or ``kind``) equal ``conditions``."""
        with self._lock:
            for order in sorted(self.orders.values(), key=lambda o: o.attributes["creationDate"]):
                values = {**order.attributes, "kind": order.kind}
                if all(values.get(key) == value for key, value in conditions.items()):
                    return order.id
        raise LookupError(f"No simulated order with {conditions}")

    def set_status(self, order_id, status, state=None, **attributes):
        """Kaspi's own side changes an order (buyer cancels, courier delivers ...), bypassing
        the merchant's rules: how a test moves an order between two imports."""
        with self._lock:
            order = self.orders[order_id]
            order.attributes["status"] = status
            if state:
                order.attributes["state"] = state
            order.attributes.update(attributes)

    def add_order(self, creation_ms=None, state="NEW", status="APPROVED_BY_BANK", entries=2, *, lines=None, kind=None):
        """A new order. ``lines``: [(sku, quantity)] of products known to the simulator (see
        :meth:`add_product`) instead of ``entries`` random lines; ``kind``: pickup, local or
        kaspi instead of a random delivery."""
        with self._lock:
            creation_ms = creation_ms if creation_ms is not None else int(time.time() * 1000)
            return self._add_order(creation_ms, state, status, entries, self._rng, lines=lines, kind=kind).id

    def add_product(self, sku, name=None, price=1000.0):
        """A product of the merchant's catalogue (its offer SKU) that orders can name."""
        with self._lock:
            index = len(self.products)
            master_id = _b64(f"master-extra-{index}-{sku}")
            category = CATEGORIES[index % len(CATEGORIES)]
            self.products[master_id] = {
                "code": str(200_000_000 + index),
                "name": name or f"Product {sku}",
                "manufacturer": BRANDS[index % len(BRANDS)],
                "category": category,
                "sku": sku,
                "merchant_product_id": _b64(f"mp{self.merchant_id}-x{index}"),
                "price": float(price),
            }
            return master_id

    def sms_code(self, order_id):
        """The code the buyer received, as the buyer would read it to the cashier."""
        with self._lock:
            return self.orders[order_id].sms_code

    def fail_next(self, http_status=500, count=1, *, method=None, path=None, retry_after=None, apply_first=False):
        with self._lock:
            self._faults.append(Fault("status", count, http_status, 0.0, method, path, retry_after, apply_first))

    def delay_next(self, seconds, count=1, *, method=None, path=None):
        with self._lock:
            self._faults.append(Fault("delay", count, 0, seconds, method, path))

    def change_during_listing(self, mode="insert", after_page=0):
        """Between page ``after_page`` and the next one of the next listing, a new order
        arrives in the listed window ("insert"), or an order already served moves on and
        leaves the listed state or status ("remove"): the pages after it shift."""
        if mode not in ("insert", "remove"):
            raise ValueError(mode)
        with self._lock:
            self._listing_changes.append(ListingChange(mode, after_page))

    def request_count(self, method=None, path=None):
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method) and (path is None or r.path.startswith(path))
            )

    def clear_requests(self):
        with self._lock:
            self.requests.clear()

    # ------------------------------------------------------------ HTTP dispatch

    def _handle(self, handler, method):
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw_body = handler.rfile.read(length) if length else b""
        if url.path.startswith("/_sim/"):
            status, document = self._control(method, url.path, raw_body)
            return self._send(handler, status, document)
        query = parse_qs(url.query, keep_blank_values=True)
        path = url.path[len(API_PREFIX) :] if url.path.startswith(API_PREFIX) else None
        token_ok = handler.headers.get("X-Auth-Token") == self.token
        fault = self._take_fault(method, path or "")
        if fault and fault.kind == "delay":
            self._stopping.wait(fault.seconds)
        applied = None
        if fault and fault.kind == "status" and fault.apply_first:
            applied = self._answer(handler, method, path, query, raw_body, token_ok)
        if fault and fault.kind == "status":
            status, document = _error(fault.http_status, "Simulated failure")
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        else:
            status, document = applied or self._answer(handler, method, path, query, raw_body, token_ok)
            headers = {}
        self._record(handler, method, path or url.path, query, status, token_ok)
        self._send(handler, status, document, headers)

    def _answer(self, handler, method, path, query, raw_body, token_ok):
        if path is None:
            return _error(404, "Not found")
        if not token_ok:
            received = handler.headers.get("X-Auth-Token")
            # Deliberately hostile: echo the token received, so that the client's scrubbing of
            # server messages is tested (a misconfigured proxy can do this).
            title = f"Invalid token {received}" if received else "Token is missing"
            return _error(401, title)
        if JSONAPI not in (handler.headers.get("Accept") or ""):
            return _error(406, "Not Acceptable: send Accept: application/vnd.api+json")
        try:
            with self._lock:
                if method == "GET":
                    return 200, self._get(path, query)
                if method == "POST" and path == "/orders":
                    if JSONAPI not in (handler.headers.get("Content-Type") or ""):
                        raise Refused(415, "Unsupported Media Type")
                    return 200, self._post_order(raw_body, handler.headers)
                raise Refused(405, "Method not allowed")
        except Refused as refused:
            return _error(refused.status, refused.title)

    def _take_fault(self, method, path):
        with self._lock:
            for fault in self._faults:
                if fault.count > 0 and fault.matches(method, path):
                    fault.count -= 1
                    return fault
        return None

    def _record(self, handler, method, path, query, status, token_ok):
        headers = handler.headers
        record = RequestRecord(
            method,
            path,
            {key: values[-1] for key, values in query.items()},
            status,
            headers.get("Accept"),
            headers.get("Content-Type"),
            headers.get("User-Agent"),
            token_ok,
        )
        with self._lock:
            self.requests.append(record)

    def _send(self, handler, status, document, headers=None):
        body = json.dumps(document, ensure_ascii=False).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", JSONAPI)
            handler.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to answer to

    # ------------------------------------------------------------ GET routes

    def _get(self, path, query):
        parts = path.strip("/").split("/")
        if parts == ["orders"]:
            return self._list_orders(query)
        if len(parts) == 2 and parts[0] == "orders":
            order = self._order_or_404(parts[1])
            include = self._includes(query)
            return {"data": self._order_resource(order), "included": self._included([order], include)}
        if len(parts) == 3 and parts[0] == "orders" and parts[2] == "entries":
            order = self._order_or_404(parts[1])
            return {"data": [self._entry_resource(e) for e in order.entries], "included": []}
        if parts[0] == "orderentries" and len(parts) in (2, 3):
            entry = self._entries.get(parts[1])
            if not entry:
                raise Refused(404, "Order entry not found")
            if len(parts) == 2:
                return {"data": self._entry_resource(entry), "included": []}
            if parts[2] == "product":
                return {"data": self._product_resource(entry["product_id"]), "included": []}
            if parts[2] == "deliveryPointOfService":
                return {"data": self._pos_resource(entry["pos_id"]), "included": []}
        if len(parts) == 3 and parts[0] == "masterproducts" and parts[2] == "merchantProduct":
            product = self.products.get(parts[1])
            if not product:
                raise Refused(404, "Product not found")
            return {"data": self._merchant_product_resource(parts[1]), "included": []}
        if len(parts) == 2 and parts[0] == "pointofservices" and parts[1] in self.points:
            return {"data": self._pos_resource(parts[1]), "included": []}
        raise Refused(404, "Not found")

    @staticmethod
    def _includes(query):
        return {name.strip() for value in query.get("include[orders]", []) for name in value.split(",") if name}

    @staticmethod
    def _one(query, key):
        values = query.get(key)
        return values[-1] if values else None

    def _int_param(self, query, key, required=True):
        value = self._one(query, key)
        if value in (None, ""):
            if required:
                raise Refused(400, f"Required parameter {key} is empty")
            return None
        try:
            return int(value)
        except ValueError:
            raise Refused(400, f"Parameter {key} is not a number") from None

    def _list_orders(self, query):
        number = self._int_param(query, "page[number]")
        size = self._int_param(query, "page[size]")
        if number < 0 or not 1 <= size <= MAX_PAGE_SIZE:
            raise Refused(400, f"page[size] must be between 1 and {MAX_PAGE_SIZE}, page[number] from 0")
        code = self._one(query, "filter[orders][code]")
        state = self._one(query, "filter[orders][state]")
        status = self._one(query, "filter[orders][status]")
        if state and state not in STATES:
            raise Refused(400, f"Unknown state {state}")
        if code:
            ge = le = None
        else:
            ge = self._int_param(query, "filter[orders][creationDate][$ge]", required=False)
            if ge is None:
                raise Refused(400, "Required filter [orders][creationDate][$ge] is empty")
            le = self._int_param(query, "filter[orders][creationDate][$le]", required=False)
            le = le if le is not None else int(time.time() * 1000)
            if le - ge > MAX_WINDOW_MS:
                raise Refused(400, "Maximum search period is 14 days")
        delivery = self._one(query, "filter[orders][deliveryType]")
        signature = self._one(query, "filter[orders][signatureRequired]")
        matched = self._match(ge, le, state, status, delivery, signature, code)
        matched.sort(key=lambda o: (-o.attributes["creationDate"], o.id))  # newest first [I]
        page = matched[number * size : (number + 1) * size]
        document = {
            "data": [self._order_resource(o) for o in page],
            "included": self._included(page, self._includes(query)),
            "meta": {"pageCount": math.ceil(len(matched) / size), "totalCount": len(matched)},
        }
        self._apply_listing_change(number, page, ge, le, state, status)
        return document

    def _match(self, ge, le, state, status, delivery, signature, code=None):
        result = []
        for order in self.orders.values():
            attrs = order.attributes
            if code is not None and attrs["code"] != code:
                continue
            if ge is not None and attrs["creationDate"] < ge:
                continue
            if le is not None and attrs["creationDate"] > le:
                continue
            if state and attrs["state"] != state:
                continue
            if status and attrs["status"] != status:
                continue
            if delivery and delivery not in (attrs["deliveryMode"], attrs["deliveryMode"].replace("DELIVERY_", "")):
                continue
            if signature is not None and str(attrs["signatureRequired"]).lower() != signature.lower():
                continue
            result.append(order)
        return result

    def _apply_listing_change(self, number, page, ge, le, state, status):
        change = next((c for c in self._listing_changes if not c.done and c.after_page == number), None)
        if not change or ge is None:
            return
        change.done = True
        if change.mode == "insert":
            creation = min(le, int(time.time() * 1000)) - 1000
            new_state = state or "NEW"
            new_status = status or ("APPROVED_BY_BANK" if new_state in ("NEW", "SIGN_REQUIRED") else "COMPLETED")
            if new_state in ("PICKUP", "DELIVERY", "KASPI_DELIVERY"):
                new_status = status or "ACCEPTED_BY_MERCHANT"
            self._add_order(creation, new_state, new_status, 2, self._rng)
            return
        # "remove": an order already served is accepted by another cashier meanwhile.
        for order in page:
            if order.attributes["status"] == "APPROVED_BY_BANK" and order.attributes["state"] == "NEW":
                order.attributes["status"] = "ACCEPTED_BY_MERCHANT"
                order.attributes["state"] = STATE_AFTER_ACCEPT[order.kind]
                return

    # ------------------------------------------------------------ JSON:API resources

    def _link(self, path):
        return f"{self.base_url}{path}"

    def _relationship(self, owner, name, data):
        return {
            "links": {"self": self._link(f"/{owner}/relationships/{name}"), "related": self._link(f"/{owner}/{name}")},
            "data": data,
        }

    def _order_resource(self, order):
        owner = f"orders/{order.id}"
        customer = order.attributes["customer"]
        return {
            "type": "orders",
            "id": order.id,
            "attributes": copy.deepcopy(order.attributes),
            "relationships": {
                "entries": self._relationship(
                    owner, "entries", [{"type": "orderentries", "id": e["id"]} for e in order.entries]
                ),
                "user": self._relationship(owner, "user", {"type": "customers", "id": customer["id"]}),
            },
            "links": {"self": self._link(f"/{owner}")},
        }

    def _entry_resource(self, entry):
        owner = f"orderentries/{entry['id']}"
        return {
            "type": "orderentries",
            "id": entry["id"],
            "attributes": copy.deepcopy(entry["attributes"]),
            "relationships": {
                "product": self._relationship(owner, "product", {"type": "masterproducts", "id": entry["product_id"]}),
                "deliveryPointOfService": self._relationship(
                    owner, "deliveryPointOfService", {"type": "pointofservices", "id": entry["pos_id"]}
                ),
            },
            "links": {"self": self._link(f"/{owner}")},
        }

    def _product_resource(self, master_id):
        product = self.products[master_id]
        owner = f"masterproducts/{master_id}"
        return {
            "type": "masterproducts",
            "id": master_id,
            "attributes": {
                "code": product["code"],
                "name": product["name"],
                "manufacturer": product["manufacturer"],
                "category": product["category"][1],
            },
            "relationships": {
                "merchantProduct": self._relationship(
                    owner, "merchantProduct", {"type": "merchantproducts", "id": product["merchant_product_id"]}
                )
            },
            "links": {"self": self._link(f"/{owner}")},
        }

    def _merchant_product_resource(self, master_id):
        product = self.products[master_id]
        return {
            "type": "merchantproducts",
            "id": product["merchant_product_id"],
            "attributes": {"code": product["sku"], "name": product["name"], "manufacturer": product["manufacturer"]},
        }

    def _pos_resource(self, pos_id):
        return {"type": "pointofservices", "id": pos_id, "attributes": copy.deepcopy(self.points[pos_id])}

    def _included(self, orders, include):
        included = []
        for order in orders:
            if "entries" in include:
                included.extend(self._entry_resource(e) for e in order.entries)
            if "user" in include:
                customer = order.attributes["customer"]
                attributes = {key: value for key, value in customer.items() if key != "id"}
                included.append({"type": "customers", "id": customer["id"], "attributes": attributes})
        return included

    def _order_or_404(self, order_id):
        order = self.orders.get(order_id)
        if not order:
            raise Refused(404, f"Order {order_id} not found")
        return order

    # ------------------------------------------------------------ status changes

    def _post_order(self, raw_body, headers):
        try:
            data = json.loads(raw_body or b"{}").get("data") or {}
        except (ValueError, AttributeError):
            raise Refused(400, "Malformed JSON:API document") from None
        if data.get("type") != "orders" or not data.get("id"):
            raise Refused(400, "data.type must be orders and data.id is required")
        order = self._order_or_404(data["id"])
        attributes = data.get("attributes") or {}
        if attributes.get("code") and str(attributes["code"]) != order.attributes["code"]:
            raise Refused(400, "Order code does not match the order id")
        target = attributes.get("status")
        handler = {
            "ACCEPTED_BY_MERCHANT": self._accept,
            "CANCELLED": self._cancel,
            "COMPLETED": self._complete,
            "ASSEMBLE": self._assemble,
            "ARRIVED": self._arrived,
            "ARRIVED_BACKWARD": self._arrived_backward,
        }.get(target)
        if handler is None:
            raise Refused(400, f"Status {target} cannot be set")
        handler(order, attributes, headers)
        echoed = {"code": order.attributes["code"], "status": order.attributes["status"]}
        for key in ("cancellationReason", "assembled"):
            if key in attributes or (key == "assembled" and target == "ASSEMBLE"):
                echoed[key] = order.attributes.get(key)
        owner = f"orders/{order.id}"
        return {
            "data": {
                "type": "orders",
                "id": order.id,
                "attributes": echoed,
                "relationships": {
                    "entries": {"links": {"related": self._link(f"/{owner}/entries")}},
                    "user": {"links": {"related": self._link(f"/{owner}/user")}, "data": None},
                },
                "links": {"self": self._link(f"/{owner}")},
            },
            "included": [],
        }

    @staticmethod
    def _require_status(order, allowed, verb):
        status = order.attributes["status"]
        if status == "CANCELLED":
            raise Refused(400, f"Order is cancelled, so it can't be {verb}.")
        if status == "COMPLETED":
            again = " again" if verb == "completed" else ""
            raise Refused(400, f"Order already has been completed, so it can't be {verb}{again}.")
        if status not in allowed:
            raise Refused(400, f"Order in status {status} can't be {verb}.")

    def _accept(self, order, attributes, headers):
        self._require_status(order, ("APPROVED_BY_BANK",), "accepted")
        if order.attributes["state"] == "SIGN_REQUIRED":
            raise Refused(400, "Order requires the buyer's signature before it can be accepted.")
        order.attributes["status"] = "ACCEPTED_BY_MERCHANT"
        order.attributes["state"] = STATE_AFTER_ACCEPT[order.kind]

    def _cancel(self, order, attributes, headers):
        self._require_status(order, ("APPROVED_BY_BANK", "ACCEPTED_BY_MERCHANT"), "cancelled")
        reason = attributes.get("cancellationReason")
        if reason not in CANCELLATION_REASONS:
            raise Refused(400, "cancellationReason is required: " + ", ".join(CANCELLATION_REASONS))
        comment = attributes.get("cancellationComment") or ""
        if len(comment) > 1000:
            raise Refused(400, "cancellationComment must not exceed 1000 characters")
        order.attributes.update(status="CANCELLED", state="ARCHIVE", cancellationReason=reason)
        if comment:
            order.attributes["cancellationComment"] = comment

    def _complete(self, order, attributes, headers):
        self._require_status(order, ("ACCEPTED_BY_MERCHANT",), "completed")
        if order.attributes["signatureRequired"]:
            raise Refused(400, "Order is not may complete allowed")
        if order.attributes["preOrder"] and not order.arrived:
            raise Refused(400, "Pre-order goods have not arrived, so the order can't be completed.")
        code = (headers.get("X-Security-Code") or "").strip()
        if not code:
            if (headers.get("X-Send-Code") or "").lower() != "true":
                raise Refused(400, "X-Send-Code: true is required to send the security code")
            if not order.sms_code:
                order.sms_code = f"{self._rng.randrange(10**4):04d}"
            return  # code sent to the buyer; the order does not change
        if not order.sms_code:
            raise Refused(400, "Security code was not sent to the buyer yet.")
        if code != order.sms_code:
            raise Refused(400, "Security code is not valid. And the order cannot be completed without it")
        order.attributes.update(status="COMPLETED", state="ARCHIVE")

    def _assemble(self, order, attributes, headers):
        self._require_status(order, ("ACCEPTED_BY_MERCHANT",), "assembled")
        if order.attributes["state"] != "KASPI_DELIVERY":
            raise Refused(400, "Only Kaspi Delivery orders are assembled.")
        if order.attributes["assembled"]:
            raise Refused(400, "Order is already assembled.")
        try:
            spaces = int(attributes.get("numberOfSpace"))
        except (TypeError, ValueError):
            spaces = 0
        if spaces < 1:
            raise Refused(400, "numberOfSpace is required and must be at least 1")
        waybill_number = str(100_000_000 + int(order.attributes["code"]) % 100_000_000)
        order.number_of_space = spaces
        order.attributes["assembled"] = True
        order.attributes["kaspiDelivery"] = {
            **order.attributes.get("kaspiDelivery", {}),
            "waybill": f"{self.base_url}/waybill/{waybill_number}.pdf",
            "waybillNumber": waybill_number,
            "courierTransmissionPlanningDate": order.attributes["creationDate"] + 24 * 3600 * 1000,
        }

    def _arrived(self, order, attributes, headers):
        self._require_status(order, ("ACCEPTED_BY_MERCHANT",), "marked as arrived")
        if not order.attributes["preOrder"]:
            raise Refused(400, "Only pre-orders can be marked as arrived.")
        if order.arrived:
            raise Refused(400, "Pre-order goods have already arrived.")
        order.arrived = True

    def _arrived_backward(self, order, attributes, headers):
        after = {"CANCELLING": "CANCELLED", "KASPI_DELIVERY_RETURN_REQUESTED": "RETURNED"}
        status = order.attributes["status"]
        if status not in after:
            raise Refused(400, f"Order in status {status} is not being returned.")
        order.attributes.update(status=after[status], state="ARCHIVE")

    # ------------------------------------------------------------ control routes (script mode)

    def _control(self, method, path, raw_body):
        """Unauthenticated test hooks for a simulator run as a script (127.0.0.1 only):

        * ``POST /_sim/orders/{id}`` ``{"status": ..., "state": ..., ...}``: Kaspi changes an order;
        * ``GET /_sim/orders/{id}/sms-code``: the code the buyer received;
        * ``POST /_sim/faults`` ``{"kind": "status"|"delay", "http_status", "seconds", "count",
          "method", "path", "retry_after", "apply_first"}`` or ``{"kind": "listing", "mode",
          "after_page"}``;
        * ``GET /_sim/stats``: request count; ``POST /_sim/requests/clear``.
        """
        try:
            body = json.loads(raw_body or b"{}")
            parts = path.strip("/").split("/")[1:]
            if method == "POST" and len(parts) == 2 and parts[0] == "orders":
                body = dict(body)
                self.set_status(parts[1], body.pop("status"), body.pop("state", None), **body)
                return 200, {"order": self.order(parts[1])}
            if method == "GET" and len(parts) == 3 and parts[0] == "orders" and parts[2] == "sms-code":
                return 200, {"code": self.sms_code(parts[1])}
            if method == "POST" and parts == ["faults"]:
                kind = body.pop("kind")
                if kind == "listing":
                    self.change_during_listing(body.get("mode", "insert"), body.get("after_page", 0))
                elif kind == "delay":
                    self.delay_next(
                        body["seconds"], body.get("count", 1), method=body.get("method"), path=body.get("path")
                    )
                else:
                    self.fail_next(
                        body.get("http_status", 500),
                        body.get("count", 1),
                        method=body.get("method"),
                        path=body.get("path"),
                        retry_after=body.get("retry_after"),
                        apply_first=body.get("apply_first", False),
                    )
                return 200, {"ok": True}
            if method == "GET" and parts == ["stats"]:
                return 200, {"requests": self.request_count(), "orders": len(self.orders)}
            if method == "POST" and parts == ["requests", "clear"]:
                self.clear_requests()
                return 200, {"ok": True}
        except (KeyError, ValueError, TypeError) as exc:
            return 400, {"error": str(exc)}
        return 404, {"error": "unknown control route"}


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, like the client's ``requests.Session`` expects."""

    protocol_version = "HTTP/1.1"
    server_version = "KaspiShopSimulator/1.0"
    timeout = 30  # an idle kept-alive connection frees its thread
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def do_GET(self):
        self.server.sim._handle(self, "GET")

    def do_POST(self):
        self.server.sim._handle(self, "POST")

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass  # quiet: tests and benches read the request records instead


def main(argv=None):
    parser = argparse.ArgumentParser(description="Local Kaspi Shop API v2 simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089, help="0 picks a free port")
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--orders", type=int, default=30)
    parser.add_argument("--entries-per-order", type=int, default=2)
    parser.add_argument("--span-days", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    sim = KaspiShopSimulator(
        args.host,
        args.port,
        token=args.token,
        orders=args.orders,
        entries_per_order=args.entries_per_order,
        span_days=args.span_days,
        seed=args.seed,
    ).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    sys.stdout.write(f"Kaspi Shop API simulator on {sim.base_url} ({len(sim.orders)} orders)\n")
    sys.stdout.flush()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    sim.stop()


if __name__ == "__main__":
    main()
