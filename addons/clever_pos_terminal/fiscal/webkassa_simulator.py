"""A local Webkassa (integrator API v4) for tests, demos and benchmarks. Standard library only.

Built from the checklist of /work/shared/specs/fiscal-kz.md section 9, so that the client is tested
against the provider's behaviour rather than against our own assumptions about it:

* routes under /api/v4, /api/v1, /api/v2 and the legacy /api, /api-history and /api-portal, case-
  insensitive paths and request property names, PascalCase answers;
* the envelope {"Data"} / {"Errors": [{"Code", "Text"}]} with HTTP 200 for business errors;
* x-api-key per environment (code 3), logins (code 1), 32-hex tokens revoked by the next login of
  the same user and expiring after a TTL (code 2);
* a cashbox registry (unknown 6, no access 5, no permission 4, blocked 7, not activated 10,
  no licence 9), the /check validations of spec 3.2 (code 9 "<Field>: <message>"), RoundType
  0-3 half-away-from-zero, the VAT formula, change rules, payment types, return basis;
* numbering (fiscal sign, CheckOrderNumber per shift, ShiftNumber, DocumentCount), implicit shift
  opening, X/Z reports, the 24 h rule (11), cash balance and withdrawals (8), duplicates by
  ExternalCheckNumber (14 with the original Data, or without it on request), lookups (19/16/15);
* OFD down/up (offline receipts, 72 h limit -> 18), an injectable clock, persistent state;
* scripted faults: timeout or connection drop before/after commit, HTTP 500, code 505 with
  AlternativeDomainNames, any error code, slow answers, and concurrent calls per cashbox either
  serialised or refused with code 9.

Simulator-only endpoints live under /_sim/ (GET /_sim/state, POST /_sim/control).

Run:  python addons/clever_pos_terminal/fiscal/webkassa_simulator.py --port 8765
 or:  cd addons/clever_pos_terminal && python -m fiscal.webkassa_simulator --port 8765
From tests:  sim = WebkassaSimulator(port=0).start(); ...; sim.stop()
"""

import argparse
import copy
import gzip
import hashlib
import json
import os
import random
import secrets
import socket
import sys
import threading
import time
import traceback
from collections import Counter
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

KZ_TZ = timezone(timedelta(hours=5))
CENT = Decimal("0.01")
UNIT = Decimal(1)
MAX_AMOUNT = Decimal(999_999_999)
MAX_COUNT = Decimal("4294967.295")
MAX_TAKE = 50

# Demo fixture ------------------------------------------------------------------------------------

API_KEYS = {"test-api-key": "test", "prod-api-key": "prod"}
ALL_PERMISSIONS = [0, 1, 2, 3, 4, 5, 6, 62]
USERS = {
    "cashier@clever.kz": {
        "password": "Cashier-Pass-1",
        "name": "Айгуль Сейткали",
        "code": 64,
        "cashboxes": ["SWK00000001", "SWK00000002", "SWK00000004", "SWK00000005", "SWK00000006"],
        "permissions": ALL_PERMISSIONS,
    },
    "seller@clever.kz": {
        "password": "Seller-Pass-1",
        "name": "Ерлан Жумабаев",
        "code": 65,
        "cashboxes": ["SWK00000001"],
        "permissions": [0, 6],  # sales and X report only
    },
}
# Illustrative OFD hosts (spec 1: codes 1-4).
OFDS = {
    1: {
        "Name": 'АО "Казахтелеком"',
        "NameKz": '"Қазақтелеком" АҚ',
        "NameEn": "Kazakhtelecom JSC",
        "Host": "consumer.oofd.kz",
        "Code": 1,
    },
    2: {
        "Name": 'АО "Транстелеком"',
        "NameKz": '"Транстелеком" АҚ',
        "NameEn": "Transtelecom JSC",
        "Host": "ofd1.kz",
        "Code": 2,
    },
    3: {
        "Name": 'АО "KazTranscom"',
        "NameKz": '"KazTranscom" АҚ',
        "NameEn": "KazTranscom JSC",
        "Host": "consumer.kofd.kz",
        "Code": 3,
    },
    4: {
        "Name": 'ТОО "Smartcontract" (WOFD)',
        "NameKz": '"Smartcontract" ЖШС (WOFD)',
        "NameEn": "Smartcontract LLP (WOFD)",
        "Host": "consumer.wofd.kz",
        "Code": 4,
    },
}


def _cashbox(znm, rnm, ink, ofd, status=1, licence=True, protocol=203, name=None):
    return {
        "UniqueNumber": znm,
        "RegistrationNumber": rnm,
        "IdentityNumber": ink,
        "Name": name or f"Касса {znm[-1]}",
        "Address": "г. Алматы, ул. Абая, 10",
        "AddressKz": "Алматы қ., Абай к-сі, 10",
        "Ofd": dict(OFDS[ofd]),
        "CurrentStatus": status,  # 0 created, 1 active, 2 blocked by OFD, 3 integrity, 4 tax, 5 dereg., 6 non-fiscal
        "Licence": licence,
        "OfdProtocolVersion": protocol,
    }


CASHBOXES = {
    "SWK00000001": _cashbox("SWK00000001", "660000000001", "748", 4),
    "SWK00000002": _cashbox("SWK00000002", "660000000002", "749", 1, status=2),
    "SWK00000003": _cashbox("SWK00000003", "660000000003", "750", 1),  # nobody has access
    "SWK00000004": _cashbox("SWK00000004", "660000000004", "751", 2, licence=False),
    "SWK00000005": _cashbox("SWK00000005", "660000000005", "752", 3, status=0),
    "SWK00000006": _cashbox("SWK00000006", "660000000006", "753", 1, protocol=202),
}
ORGANIZATION = {
    "Xin": "150740000001",
    "FullName": 'ТОО "Clever Demo"',
    "LegalAddress": "г. Алматы, ул. Абая, 10",
    "TaxationType": 100,
    "EconomicActivityCode": "47111",
    "VATInfo": {"VATPayer": True, "VATSeries": "60001", "VATNumber": "1234567", "VATRates": [0, 16]},
}
REF_UNITS = [
    {"Code": 796, "NameRu": "шт", "NameKz": "дана", "NameEn": "pcs"},
    {"Code": 166, "NameRu": "кг", "NameKz": "кг", "NameEn": "kg"},
    {"Code": 112, "NameRu": "литр", "NameKz": "литр", "NameEn": "litre"},
    {"Code": 6, "NameRu": "м", "NameKz": "м", "NameEn": "m"},
    {"Code": 55, "NameRu": "м2", "NameKz": "м2", "NameEn": "m2"},
    {"Code": 113, "NameRu": "м3", "NameKz": "м3", "NameEn": "m3"},
    {"Code": 778, "NameRu": "упак.", "NameKz": "орам", "NameEn": "pack"},
    {"Code": 5114, "NameRu": "одн.усл.", "NameKz": "бір қызмет", "NameEn": "service"},
    {"Code": 356, "NameRu": "час", "NameKz": "сағат", "NameEn": "hour"},
    {"Code": 163, "NameRu": "г", "NameKz": "г", "NameEn": "g"},
]
UNIT_NAMES = {unit["Code"]: unit for unit in REF_UNITS}

# Texts (Russian, as Webkassa answers) ----------------------------------------------------------------

TEXTS = {
    1: "Неверный логин и/или пароль",
    2: "Срок действия сессии истек",
    3: "Пользователь не авторизован",
    4: "Нет прав на выполнение операции",
    5: "Нет доступа к кассе",
    6: "Касса не зарегистрирована в системе или не доступна пользователю",
    7: "Касса заблокирована",
    8: "Недостаточно наличных денег в кассе",
    10: "Касса не активирована",
    11: "Продолжительность смены превышает 24 часа. Произведите закрытие смены.",
    12: "Смена уже закрыта",
    13: "Не найдена открытая смена",
    15: "Смена не найдена",
    16: "Чек не зарегистрирован в рамках смены",
    17: "Скидка/наценка не может быть указана",
    18: "Продолжительность работы в автономном режиме превышает 72 часа. Для продолжения работы "
    "необходимо подключение к ОФД",
    1014: "Z-отчет не найден",
}
NO_LICENCE = "Касса не имеет активной лицензии"
SEQUENCE_VIOLATION = "Нарушена последовательность операций: предыдущий запрос по кассе еще выполняется"
OFFLINE_MARK = "Автономды режимде қалыптастырылған құжат / Документ сформирован в автономном режиме"

OPERATION_PERMISSION = {0: 1, 1: 62, 2: 0, 3: 2}
OPERATION_BLOCK = {0: "Buy", 1: "ReturnBuy", 2: "Sell", 3: "ReturnSell"}
OPERATION_TEXT = {
    0: "САТЫП АЛУ / ПОКУПКА",
    1: "САТЫП АЛУДЫ ҚАЙТАРУ / ВОЗВРАТ ПОКУПКИ",
    2: "САТУ / ПРОДАЖА",
    3: "САТУДЫ ҚАЙТАРУ / ВОЗВРАТ ПРОДАЖИ",
}
PAYMENT_TEXT = {
    0: "Қолма-қол ақша / Наличные",
    1: "Банк картасы / Банковская карта",
    2: "Несие / Кредит",
    3: "Ыдыс / Тара",
    4: "Мобильді төлем / Мобильный платеж",
}
PAPER_WIDTH = {0: 42, 3: 32, 12: 80, 13: 110}

# Fault kinds: applied before processing, or after the operation is committed.
FAULTS_BEFORE = {"timeout_before_commit", "drop_before_commit", "http_500", "code_505", "error"}
FAULTS_AFTER = {"timeout_after_commit", "drop_after_commit", "slow"}

ROUTE_PREFIXES = {
    "api": ("/api/v4/", "/api/v2/", "/api/v1/", "/api/"),
    "history": ("/api-history/v4/", "/api-history/"),
    "portal": ("/api-portal/v4/", "/api-portal/"),
}
ROUTES = {
    "api": {
        "authorize": "authorize",
        "check": "check",
        "moneyoperation": "money",
        "xreport": "x_report",
        "zreport": "z_report",
        "ticket/printformat": "print_format",
        "check/history": "check_history",
        "check/historybynumber": "check_by_number",
        "cashbox/shifthistory": "shift_history",
        "zreport/byshiftnumber": "z_by_shift",
        "cashboxes": "cashboxes",
        "references/refunits": "ref_units",
    },
    "history": {"ticket/getticketbyexternalchecknumber": "ticket_by_external"},
    "portal": {"organization/main-info": "main_info"},
}


class ApiError(Exception):
    def __init__(self, code, text=None, data=None):
        super().__init__(code, text)
        self.code = code
        self.text = text or TEXTS.get(code, "Ошибка")
        self.data = data


def invalid(field, message):
    return ApiError(9, f"{field}: {message}")


# Small helpers -------------------------------------------------------------------------------------


def lower_keys(value):
    """Request property names are case-insensitive (spec 9): compare them in lower case."""
    if isinstance(value, dict):
        return {str(key).lower(): lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lower_keys(item) for item in value]
    return value


def rnd(value, step):
    return value.quantize(step, rounding=ROUND_HALF_UP)


def as_decimal(value, field, places=2, low=Decimal(0), high=MAX_AMOUNT, default=None):
    """A JSON number checked for range and decimals, else code 9."""
    if value is None:
        if default is None:
            raise invalid(field, "обязательное поле")
        return default
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise invalid(field, "должно быть числом")
    value = Decimal(value)
    if not low <= value <= high:
        raise invalid(field, f"значение должно быть от {low} до {high}")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise invalid(field, f"не более {places} знаков после запятой")
    return value


def check_length(body, key, field, limit):
    value = body.get(key)
    if value is not None and (not isinstance(value, str) or len(value) > limit):
        raise invalid(field, f"длина не должна превышать {limit} символов")
    return value


def json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def encode_state(value):
    """State -> JSON-able, keeping Decimals exact ({"$d": "12.50"})."""
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, dict):
        return {key: encode_state(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encode_state(item) for item in value]
    return value


def decode_state(value):
    if isinstance(value, dict):
        if set(value) == {"$d"}:
            return Decimal(value["$d"])
        return {key: decode_state(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode_state(item) for item in value]
    return value


def parse_basis_datetime(text):
    """ReturnBasisDetails.DateTime in the three forms seen (spec 3.2): ISO with Z/offset,
    'dd.MM.yyyy HH:mm' and 'yyyy-MM-dd HH:mm:ss' (local time); also 'dd.MM.yyyy HH:mm:ss'."""
    if not isinstance(text, str):
        return None
    for pattern in ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=KZ_TZ)
        except ValueError:
            pass
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=KZ_TZ)


def pair(left, right, width):
    left, right = str(left), str(right)
    gap = width - len(left) - len(right)
    return left + " " * gap + right if gap >= 1 else f"{left} {right}"


def fresh_cashbox_state():
    return {
        "shift_number": 0,
        "shift_open": False,
        "shift_opened_at": None,
        "closed_without_ops": False,
        "check_order": 0,
        "document_count": 0,
        "sum_in_cashbox": Decimal(0),
        "shift_start_sum": Decimal(0),
        "put_money": Decimal(0),
        "take_money": Decimal(0),
        "put_count": 0,
        "take_count": 0,
        "blocks": {},
        "non_nullable": {block: Decimal(0) for block in OPERATION_BLOCK.values()},
        "start_non_nullable": {block: Decimal(0) for block in OPERATION_BLOCK.values()},
        "documents": [],
        "by_external": {},
        "signs": [],
        "shifts": [],
        "offline_since": None,
    }


def empty_block():
    return {
        "Payments": {},
        "Discount": Decimal(0),
        "Markup": Decimal(0),
        "Taken": Decimal(0),
        "Change": Decimal(0),
        "Count": 0,
        "VAT": Decimal(0),
    }


# The simulator ---------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """Tracks open connections so that stop() really cuts keep-alive clients off."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, sim):
        self.sim = sim
        self.open_sockets = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        """A client that went away (timeout tests) is normal here: no traceback for it."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def cut_connections(self):
        with self.sockets_lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "WebkassaSimulator/1.0"
    timeout = 10  # idle keep-alive connections end on their own
    # One TCP segment per answer (buffered headers + body, no Nagle): otherwise a keep-alive client
    # waits for the 40 ms delayed ACK on every call.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def do_POST(self):
        self.server.sim.handle(self, "POST")

    def do_GET(self):
        self.server.sim.handle(self, "GET")

    def log_message(self, format, *args):
        if self.server.sim.verbose:
            super().log_message(format, *args)


class WebkassaSimulator:
    """The simulator. Everything a test needs is a method here or an action of /_sim/control."""

    def __init__(
        self,
        host="127.0.0.1",
        port=0,
        *,
        environment="test",
        state_file=None,
        token_ttl=24 * 3600,
        shift_limit=24 * 3600,
        offline_limit=72 * 3600,
        vat_rates=(0, 16),
        concurrency="serialize",
        seed=None,
        web_host=None,
        verbose=False,
    ):
        self.host = host
        self.port = port
        self.environment = environment
        self.state_file = state_file
        self.token_ttl = token_ttl
        self.shift_limit = shift_limit
        self.offline_limit = offline_limit
        self.concurrency = concurrency  # "serialize" or "reject" (code 9)
        self.web_host = web_host or ("devkkm.webkassa.kz" if environment == "test" else "kkm.webkassa.kz")
        self.verbose = verbose
        self.duplicate_with_data = True
        self.down = False
        self.alternative_domains = None
        self.users = copy.deepcopy(USERS)
        self.cashboxes = copy.deepcopy(CASHBOXES)
        self.organization = copy.deepcopy(ORGANIZATION)
        self.organization["VATInfo"]["VATRates"] = list(vat_rates)
        self.ofd_down = set()  # OFD codes that are unreachable from "Webkassa"
        self.faults = []
        self.request_counts = Counter()
        self.max_in_flight = Counter()
        self.sequence_violations = 0
        self.issued_tokens = []  # every token handed out (tests check none of them reaches a log)
        self._in_flight = Counter()
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._faults_lock = threading.Lock()
        self._cashbox_locks = {}
        self._wake = threading.Event()
        self._server = None
        self._thread = None
        self.state = self._load_state()

    # Life cycle -------------------------------------------------------------------------------

    def start(self):
        """Listen (port 0 = a free port, kept for later restarts) and serve in a thread."""
        self._wake.clear()
        self._server = _Server((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="webkassa-sim", daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        """Stop listening and cut open connections; the state stays (start() again to resume)."""
        self._wake.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.cut_connections()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # Test controls ------------------------------------------------------------------------------

    def now(self):
        return time.time() + self.state["clock_offset"]

    def advance(self, hours=0, seconds=0):
        """Move the simulated clock forward (24 h shift rule, 72 h offline limit, token TTL)."""
        with self._lock:
            self.state["clock_offset"] += hours * 3600 + seconds
            self._save()

    def add_fault(self, kind, route="*", times=1, delay=1.0, code=None, text=None, domains=None, status=500):
        """Script a fault for the next ``times`` requests of ``route`` (a route key such as
        "check", "money", "authorize", or "*")."""
        if kind not in FAULTS_BEFORE | FAULTS_AFTER:
            raise ValueError(f"unknown fault {kind}")
        with self._faults_lock:
            self.faults.append(
                {
                    "kind": kind,
                    "route": route,
                    "times": times,
                    "delay": delay,
                    "code": code,
                    "text": text,
                    "domains": domains,
                    "status": status,
                }
            )

    def clear_faults(self):
        with self._faults_lock:
            self.faults.clear()

    def set_ofd_online(self, online, codes=None):
        """OFD down: receipts are made offline (autonomous mode). OFD up: offline documents are
        "sent" and the cashboxes leave autonomous mode."""
        with self._lock:
            codes = set(codes or OFDS)
            if online:
                self.ofd_down -= codes
                for znm, box in self.cashboxes.items():
                    state = self._box_state(znm)
                    if box["Ofd"]["Code"] in codes and state["offline_since"] is not None:
                        state["offline_since"] = None
                        for document in state["documents"]:
                            document["ofd_sent"] = True
            else:
                self.ofd_down |= codes
            self._save()

    def set_cashbox(self, znm, **values):
        with self._lock:
            self.cashboxes[znm].update(values)

    def receipts(self, znm="SWK00000001"):
        """Fiscal receipts of a cashbox (not money operations), in registration order."""
        with self._lock:
            return [doc for doc in self._box_state(znm)["documents"] if doc["kind"] == "check"]

    def summary(self):
        """What GET /_sim/state returns."""
        with self._lock:
            boxes = {}
            for znm, state in self.state["cashboxes"].items():
                checks = [doc for doc in state["documents"] if doc["kind"] == "check"]
                externals = [doc["ext"] for doc in state["documents"] if doc.get("ext")]
                boxes[znm] = {
                    "ShiftNumber": state["shift_number"],
                    "ShiftOpen": state["shift_open"],
                    "ShiftOpenedAt": self._local(state["shift_opened_at"]) if state["shift_opened_at"] else None,
                    "SumInCashbox": state["sum_in_cashbox"],
                    "DocumentCount": state["document_count"],
                    "Receipts": len(checks),
                    "MoneyOperations": sum(1 for doc in state["documents"] if doc["kind"] == "money"),
                    "ExternalNumbers": externals,
                    "DuplicateExternalNumbers": sorted(ext for ext, count in Counter(externals).items() if count > 1),
                    "OfflineSince": self._local(state["offline_since"]) if state["offline_since"] else None,
                    "OfflineNotSent": sum(
                        1 for doc in state["documents"] if doc.get("offline") and not doc.get("ofd_sent")
                    ),
                }
            return {
                "Clock": self._local(self.now()),
                "Requests": dict(self.request_counts),
                "MaxInFlightPerCashbox": dict(self.max_in_flight),
                "SequenceViolations": self.sequence_violations,
                "Down": self.down,
                "OfdDown": sorted(self.ofd_down),
                "Cashboxes": boxes,
            }

    # State --------------------------------------------------------------------------------------

    def _load_state(self):
        if self.state_file and os.path.exists(self.state_file):
            with open(self.state_file, encoding="utf-8") as handle:
                saved = decode_state(json.load(handle))
            self.ofd_down = set(saved.pop("ofd_down", []))
            return saved
        return {"clock_offset": 0.0, "tokens": {}, "user_tokens": {}, "cashboxes": {}}

    def _save(self):
        if not self.state_file:
            return
        data = encode_state({**self.state, "ofd_down": sorted(self.ofd_down)})
        temporary = f"{self.state_file}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(temporary, self.state_file)

    def _box_state(self, znm):
        return self.state["cashboxes"].setdefault(znm, fresh_cashbox_state())

    def _local(self, epoch):
        return datetime.fromtimestamp(epoch, KZ_TZ).strftime("%d.%m.%Y %H:%M:%S")

    # HTTP ---------------------------------------------------------------------------------------

    def handle(self, handler, method):
        path = urlsplit(handler.path).path.lower().rstrip("/")
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        if path.startswith("/_sim/"):
            return self._control(handler, method, path, raw)
        route = self._resolve(path)
        with self._lock:
            self.request_counts["total"] += 1
            self.request_counts[route or "unknown"] += 1
        if self.down:
            return self._drop(handler)
        if route is None:
            return self._reply(handler, 404, {"Errors": [{"Code": -1, "Text": "Метод не найден"}]})
        if method != "POST":
            return self._reply(handler, 405, {"Errors": [{"Code": -1, "Text": "Метод не поддерживается"}]})
        fault = self._take_fault(route)
        if fault and fault["kind"] in FAULTS_BEFORE:
            return self._fault_before(handler, fault)
        try:
            envelope = self._process(
                route, raw, handler.headers, slow=fault["delay"] if fault and fault["kind"] == "slow" else 0
            )
        except Exception:  # noqa: BLE001 (a simulator bug: answer 500 and show it, never hang the client)
            traceback.print_exc()
            return self._reply(handler, 500, None, raw_text="Simulator error")
        if fault and fault["kind"] == "drop_after_commit":
            return self._drop(handler)
        if fault and fault["kind"] == "timeout_after_commit":
            self._wake.wait(fault["delay"])
            return self._drop(handler)
        return self._reply(handler, 200, envelope)

    def _resolve(self, path):
        path += "/"
        for family, prefixes in ROUTE_PREFIXES.items():
            for prefix in prefixes:
                if path.startswith(prefix):
                    route = ROUTES[family].get(path[len(prefix) :].rstrip("/"))
                    if route:
                        return route
        return None

    def _take_fault(self, route):
        with self._faults_lock:
            for fault in self.faults:
                if fault["route"] in ("*", route):
                    fault["times"] -= 1
                    if fault["times"] <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def _fault_before(self, handler, fault):
        kind = fault["kind"]
        if kind == "timeout_before_commit":
            self._wake.wait(fault["delay"])
            return self._drop(handler)
        if kind == "drop_before_commit":
            return self._drop(handler)
        if kind == "http_500":
            return self._reply(handler, fault["status"], None, raw_text="Internal Server Error")
        if kind == "code_505":
            domains = fault["domains"] or self.alternative_domains or f"localhost:{self.port}"
            envelope = {"Errors": [{"Code": 505, "Text": "Сервис временно недоступен на данном домене"}]}
            return self._reply(handler, 200, envelope, headers={"AlternativeDomainNames": domains})
        envelope = {"Errors": [{"Code": fault["code"], "Text": fault["text"] or TEXTS.get(fault["code"], "Ошибка")}]}
        return self._reply(handler, 200, envelope)

    def _drop(self, handler):
        """Close the connection without an answer (lost response / provider down)."""
        handler.close_connection = True
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _reply(self, handler, status, envelope, headers=None, raw_text=None):
        if raw_text is not None:
            body, content_type = raw_text.encode(), "text/plain; charset=utf-8"
        else:
            body = json.dumps(envelope, default=json_default, ensure_ascii=False).encode()
            content_type = "application/json; charset=utf-8"
        gzipped = "gzip" in (handler.headers.get("Accept-Encoding") or "")
        if gzipped:
            body = gzip.compress(body, compresslevel=1)
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            if gzipped:
                handler.send_header("Content-Encoding", "gzip")
            for key, value in (headers or {}).items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    def _process(self, route, raw, headers, slow=0):
        """Key check, JSON parsing, per-cashbox serialisation, then the method. Returns the envelope."""
        key = headers.get("x-api-key")
        if API_KEYS.get(key) != self.environment:
            return {"Errors": [{"Code": 3, "Text": "Неверный или отсутствующий API-ключ (x-api-key)"}]}
        try:
            body = lower_keys(json.loads(raw.decode("utf-8") or "{}", parse_float=Decimal))
        except (ValueError, UnicodeDecodeError):
            return {"Errors": [{"Code": 9, "Text": "Request: некорректный JSON"}]}
        if not isinstance(body, dict):
            return {"Errors": [{"Code": 9, "Text": "Request: ожидается объект JSON"}]}
        znm = body.get("cashboxuniquenumber")
        lock = None
        if isinstance(znm, str):
            with self._lock:
                lock = self._cashbox_locks.setdefault(znm, threading.Lock())
            if self.concurrency == "reject":
                if not lock.acquire(blocking=False):
                    with self._lock:
                        self.sequence_violations += 1
                    return {"Errors": [{"Code": 9, "Text": SEQUENCE_VIOLATION}]}
            else:
                lock.acquire()
            with self._lock:
                self._in_flight[znm] += 1
                self.max_in_flight[znm] = max(self.max_in_flight[znm], self._in_flight[znm])
        try:
            envelope = self._dispatch(route, body)
            if slow:
                self._wake.wait(slow)
            return envelope
        finally:
            if lock is not None:
                with self._lock:
                    self._in_flight[znm] -= 1
                lock.release()

    def _dispatch(self, route, body):
        with self._lock:
            try:
                data = getattr(self, f"_api_{route}")(body)
                envelope = {"Data": data}
            except ApiError as error:
                envelope = {} if error.data is None else {"Data": error.data}
                envelope["Errors"] = [{"Code": error.code, "Text": error.text}]
            self._save()
            return copy.deepcopy(envelope)

    def _control(self, handler, method, path, raw):
        if path == "/_sim/state" and method == "GET":
            return self._reply(handler, 200, self.summary())
        if path != "/_sim/control" or method != "POST":
            return self._reply(handler, 404, {"error": "unknown simulator endpoint"})
        try:
            command = json.loads(raw or b"{}")
            action = command.pop("action")
            if action == "advance_clock":
                self.advance(hours=command.get("hours", 0), seconds=command.get("seconds", 0))
            elif action == "add_fault":
                self.add_fault(command.pop("kind"), **command)
            elif action == "clear_faults":
                self.clear_faults()
            elif action == "set_down":
                self.down = bool(command["down"])
            elif action == "set_ofd":
                self.set_ofd_online(bool(command["online"]), command.get("codes"))
            elif action == "set_cashbox":
                self.set_cashbox(command.pop("znm"), **command)
            elif action == "set_option":
                if command["name"] not in ("token_ttl", "concurrency", "duplicate_with_data", "alternative_domains"):
                    raise ValueError("unknown option")
                setattr(self, command["name"], command["value"])
            else:
                raise ValueError(f"unknown action {action}")
        except (KeyError, ValueError, TypeError) as error:
            return self._reply(handler, 400, {"error": str(error)})
        return self._reply(handler, 200, {"ok": True})

    # Authentication and access ----------------------------------------------------------------

    def _api_authorize(self, body):
        login, password = body.get("login"), body.get("password")
        user = self.users.get(login)
        if user is None or not isinstance(password, str) or not secrets.compare_digest(user["password"], password):
            raise ApiError(1)
        tokens = self.state["tokens"]
        old = self.state["user_tokens"].get(login)
        if old:
            tokens.pop(old, None)  # a new login revokes the previous token of that user
        token = secrets.token_hex(16)
        self.issued_tokens.append(token)
        tokens[token] = {"login": login, "issued": self.now()}
        self.state["user_tokens"][login] = token
        return {"Token": token}

    def _user(self, body):
        token = body.get("token")
        if not token:
            raise ApiError(3)
        session = self.state["tokens"].get(token)
        if session is None:
            raise ApiError(2)
        if self.now() - session["issued"] > self.token_ttl:
            self.state["tokens"].pop(token, None)
            raise ApiError(2)
        return {**self.users[session["login"]], "login": session["login"]}

    def _access(self, body, permission=None):
        """(user, cashbox registry entry, cashbox state) or the access error."""
        user = self._user(body)
        znm = body.get("cashboxuniquenumber")
        box = self.cashboxes.get(znm) if isinstance(znm, str) else None
        if box is None:
            raise ApiError(6)
        if znm not in user["cashboxes"]:
            raise ApiError(5)
        if permission is not None and permission not in user["permissions"]:
            raise ApiError(4)
        if box["CurrentStatus"] == 0:
            raise ApiError(10)
        if box["CurrentStatus"] != 1:
            raise ApiError(7)
        if not box["Licence"]:
            raise ApiError(9, NO_LICENCE)
        return user, box, self._box_state(znm)

    def _fiscal_gate(self, box, state):
        """Rules checked before any fiscal write: 24 h shift (11), 72 h autonomous mode (18)."""
        now = self.now()
        if state["shift_open"] and now - state["shift_opened_at"] > self.shift_limit:
            raise ApiError(11)
        if state["offline_since"] is not None and now - state["offline_since"] > self.offline_limit:
            raise ApiError(18)

    def _offline_now(self, box, state):
        """Enter autonomous mode when the cashbox's OFD is down; True when offline."""
        if box["Ofd"]["Code"] in self.ofd_down:
            if state["offline_since"] is None:
                state["offline_since"] = self.now()
            return True
        return False

    def _duplicate(self, state, external, kind):
        index = state["by_external"].get(external) if external else None
        if index is None:
            return
        document = state["documents"][index]
        data = copy.deepcopy(document["data"]) if self.duplicate_with_data and document["kind"] == kind else None
        raise ApiError(14, f"Чек с внешним номером {external} уже присутствует в системе", data=data)

    def _open_shift_if_needed(self, state):
        """There is no OpenShift call: the first money operation opens the shift (spec 5)."""
        if state["shift_open"]:
            return
        now = self.now()
        state["shift_number"] += 1
        state["shift_open"] = True
        state["shift_opened_at"] = now
        state["closed_without_ops"] = False
        state["check_order"] = 0
        state["document_count"] = 0
        state["put_money"] = state["take_money"] = Decimal(0)
        state["put_count"] = state["take_count"] = 0
        state["blocks"] = {}
        state["shift_start_sum"] = state["sum_in_cashbox"]
        state["start_non_nullable"] = dict(state["non_nullable"])
        state["shifts"].append({"ShiftNumber": state["shift_number"], "OpenDate": now, "CloseDate": None, "z": None})

    def _new_sign(self, state):
        """Fiscal sign: a digit string unique per cashbox (12 digits here; 9-13 seen)."""
        used = set(state["signs"])
        while True:
            sign = str(self._rng.randrange(10**11, 10**12))
            if sign not in used:
                state["signs"].append(sign)
                return sign

    # /check ------------------------------------------------------------------------------------

    def _api_check(self, body):
        operation = body.get("operationtype")
        if operation not in OPERATION_PERMISSION:
            self._user(body)
            raise invalid("OperationType", "недопустимое значение")
        user, box, state = self._access(body, OPERATION_PERMISSION[operation])
        external = check_length(body, "externalchecknumber", "ExternalCheckNumber", 50)
        self._duplicate(state, external, "check")
        self._fiscal_gate(box, state)
        parsed = self._validate_check(box, body, operation)
        offline = self._offline_now(box, state)
        self._open_shift_if_needed(state)
        now = self.now()
        state["check_order"] += 1
        state["document_count"] += 1
        sign = self._new_sign(state)
        self._count_receipt(state, operation, parsed)
        moment = datetime.fromtimestamp(now, KZ_TZ)
        ticket_url = (
            f"http://{box['Ofd']['Host']}?i={sign}&f={box['RegistrationNumber']}"
            f"&s={parsed['total']:.2f}&t={moment.strftime('%Y%m%dT%H%M%S')}"
        )
        document = {
            "kind": "check",
            "ext": external,
            "operation": operation,
            "shift": state["shift_number"],
            "order": state["check_order"],
            "number": state["document_count"],
            "sign": sign,
            "time": now,
            "offline": offline,
            "ofd_sent": not offline,
            "total": parsed["total"],
            "change": parsed["change"],
            "taken": parsed["paid"],
            "tax": parsed["tax"],
            "discount": parsed["discount"],
            "markup": parsed["markup"],
            "payments": parsed["payments"],
            "positions": parsed["positions"],
            "order_number": body.get("externalordernumber"),
            "customer_xin": body.get("customerxin"),
            "ticket_url": ticket_url,
            "ticket_print_url": (
                f"https://{self.web_host}/spa-ui/ticket?chb={box['UniqueNumber']}"
                f"&sh={state['shift_number']}&extnum={external or ''}"
            ),
            "employee": user["name"],
        }
        document["data"] = self._receipt_data(box, state, document, body.get("paperkind", 0))
        state["documents"].append(document)
        if external:
            state["by_external"][external] = len(state["documents"]) - 1
        return document["data"]

    def _validate_check(self, box, body, operation):
        """Spec 3.2 arithmetic and validation; every failure is code 9 "<Field>: <message>"."""
        round_type = body.get("roundtype", 2)
        if round_type not in (0, 1, 2, 3):
            raise invalid("RoundType", "недопустимое значение")
        item_step = UNIT if round_type in (1, 2) else CENT
        total_step = UNIT if round_type in (1, 3) else CENT
        positions = body.get("positions")
        if not isinstance(positions, list) or not positions:
            raise invalid("Positions", "должна быть хотя бы одна позиция")
        parsed_positions, discount, markup, tax_total = [], Decimal(0), Decimal(0), Decimal(0)
        for index, position in enumerate(positions):
            if not isinstance(position, dict):
                raise invalid(f"Positions[{index}]", "ожидается объект")
            if position.get("isstorno"):
                continue
            item = self._validate_position(box, position, f"Positions[{index}]", item_step)
            parsed_positions.append(item)
            discount += item["discount"]
            markup += item["markup"]
            tax_total += item["tax"]
        if not parsed_positions:
            raise invalid("Positions", "должна быть хотя бы одна не сторнированная позиция")
        total = sum((item["sum"] for item in parsed_positions), Decimal(0))
        for index, modifier in enumerate(body.get("ticketmodifiers") or []):
            field = f"TicketModifiers[{index}]"
            kind = modifier.get("type")
            if kind not in (1, 2):
                raise invalid(f"{field}.Type", "недопустимое значение")
            amount = rnd(as_decimal(modifier.get("sum"), f"{field}.Sum"), item_step)
            check_length(modifier, "text", f"{field}.Text", 50)
            tax_total += self._validate_tax(modifier, field, amount)
            total += amount if kind == 2 else -amount
            if kind == 1:
                discount += amount
            else:
                markup += amount
        total = rnd(total, total_step)
        if total < 0:
            raise invalid("Total", "сумма чека не может быть отрицательной")
        payments = self._validate_payments(body, total)
        paid = sum(payments.values(), Decimal(0))
        change = body.get("change")
        if change is not None:
            change = as_decimal(change, "Change")
            if total != paid - change:
                raise invalid("Change", "сумма сдачи не соответствует сумме оплаты и итогу чека")
        else:
            if paid < total:
                raise invalid("Payments", "сумма оплаты меньше суммы чека")
            change = paid - total
        self._validate_return_basis(box, body, operation, total)
        check_length(body, "externalordernumber", "ExternalOrderNumber", 200)
        check_length(body, "customeremail", "CustomerEmail", 50)
        check_length(body, "customerphone", "CustomerPhone", 20)
        xin = body.get("customerxin")
        if xin is not None and not (isinstance(xin, str) and xin.isdigit() and len(xin) == 12):
            raise invalid("CustomerXin", "ИИН/БИН должен состоять из 12 цифр")
        if body.get("paperkind", 0) not in PAPER_WIDTH:
            raise invalid("PaperKind", "недопустимое значение")
        return {
            "positions": parsed_positions,
            "payments": payments,
            "paid": paid,
            "total": total,
            "change": change,
            "tax": tax_total,
            "discount": discount,
            "markup": markup,
        }

    def _validate_position(self, box, position, field, item_step):
        count = as_decimal(position.get("count"), f"{field}.Count", places=3, high=MAX_COUNT)
        price = as_decimal(position.get("price"), f"{field}.Price")
        discount = as_decimal(position.get("discount"), f"{field}.Discount", default=Decimal(0))
        markup = as_decimal(position.get("markup"), f"{field}.Markup", default=Decimal(0))
        if discount and markup:
            raise ApiError(17)
        check_length(position, "positionname", f"{field}.PositionName", 255)
        check_length(position, "positioncode", f"{field}.PositionCode", 50)
        check_length(position, "gtin", f"{field}.GTIN", 14)
        unit = position.get("unitcode", 796)
        if unit not in UNIT_NAMES:
            raise invalid(f"{field}.UnitCode", "неизвестная единица измерения")
        if position.get("mark") and position.get("marklist"):
            raise invalid(f"{field}.MarkList", "укажите либо Mark, либо MarkList")
        if position.get("marklist") and box["OfdProtocolVersion"] < 203:
            raise invalid(f"{field}.MarkList", "доступно только для протокола ОФД 2.0.3")
        if position.get("warehousetype") == 1:
            has_product = bool(position.get("productid"))
            has_code = bool(position.get("gtin") or position.get("ntin"))
            if has_product == has_code:
                raise invalid(f"{field}.ProductId", "укажите либо ProductId, либо GTIN/NTIN")
        amount = rnd(price * count - rnd(discount, item_step) + rnd(markup, item_step), item_step)
        if amount < 0:
            raise invalid(f"{field}.Discount", "скидка превышает стоимость позиции")
        tax = self._validate_tax(position, field, amount)
        return {
            "name": position.get("positionname") or "",
            "code": position.get("positioncode"),
            "count": count,
            "price": price,
            "discount": discount,
            "markup": markup,
            "sum": amount,
            "tax": tax,
            "tax_percent": position.get("taxpercent") if position.get("taxtype") == 100 else None,
            "unit": unit,
            "mark": position.get("mark") or ", ".join(position.get("marklist") or []),
        }

    def _validate_tax(self, item, field, amount):
        tax_type = item.get("taxtype", 0)
        tax = as_decimal(item.get("tax"), f"{field}.Tax", default=Decimal(0))
        if tax_type == 0:
            if tax != 0:
                raise invalid(f"{field}.Tax", "налог подсчитан неверно")
            return Decimal(0)
        if tax_type != 100:
            raise invalid(f"{field}.TaxType", "недопустимое значение")
        percent = item.get("taxpercent")
        if not isinstance(percent, int) or isinstance(percent, bool):
            raise invalid(f"{field}.TaxPercent", "обязательное поле")
        if percent == 8 and self.now() > datetime(2020, 10, 1, tzinfo=KZ_TZ).timestamp():
            raise invalid(f"{field}.TaxPercent", "ставка НДС 8% не применяется после 01.10.2020")
        if percent not in self.organization["VATInfo"]["VATRates"]:
            raise invalid(f"{field}.TaxPercent", f"ставка НДС {percent}% не включена для организации")
        if not self.organization["VATInfo"]["VATPayer"]:
            raise invalid(f"{field}.TaxType", "организация не является плательщиком НДС")
        expected = rnd(amount * percent / (100 + percent), CENT)
        if tax != expected:
            raise invalid(f"{field}.Tax", "Налог подсчитан неверно")
        return tax

    def _validate_payments(self, body, total):
        payments = body.get("payments")
        if not isinstance(payments, list) or not payments:
            raise invalid("Payments", "обязательное поле")
        merged = {}
        for index, payment in enumerate(payments):
            kind = payment.get("paymenttype") if isinstance(payment, dict) else None
            if kind not in PAYMENT_TEXT:
                raise invalid(f"Payments[{index}].PaymentType", "недопустимое значение")
            if kind in merged:
                raise invalid(f"Payments[{index}].PaymentType", "каждый тип оплаты может быть указан только один раз")
            merged[kind] = as_decimal(payment.get("sum"), f"Payments[{index}].Sum")
        paid = sum(merged.values(), Decimal(0))
        if len(str(int(paid))) > 9:
            raise invalid("Payments", "сумма оплаты превышает допустимую")
        if paid - merged.get(0, Decimal(0)) > total:
            raise invalid("Payments", "Сумма оплаты при безналичном расчете не должна превышать общую сумму чека")
        return merged

    def _validate_return_basis(self, box, body, operation, total):
        if operation not in (1, 3):
            return
        basis = body.get("returnbasisdetails")
        if basis is None:
            if box["OfdProtocolVersion"] >= 203:
                raise invalid("ReturnBasisDetails", "обязательно для возврата (протокол ОФД 2.0.3)")
            return
        for key, name in (
            ("checknumber", "CheckNumber"),
            ("datetime", "DateTime"),
            ("registrationnumber", "RegistrationNumber"),
            ("total", "Total"),
            ("isoffline", "IsOffline"),
        ):
            if basis.get(key) is None:
                raise invalid(f"ReturnBasisDetails.{name}", "обязательное поле")
        moment = parse_basis_datetime(basis["datetime"])
        if moment is None:
            raise invalid("ReturnBasisDetails.DateTime", "неверный формат даты")
        basis_total = as_decimal(basis["total"], "ReturnBasisDetails.Total")
        original = self._find_original(basis["registrationnumber"], str(basis["checknumber"]))
        if original is None:
            return  # a receipt of another system: nothing to compare with
        if original is False or original["operation"] != {3: 2, 1: 0}[operation]:
            raise invalid("ReturnBasisDetails.CheckNumber", "исходный чек не найден")
        if abs(moment.timestamp() - original["time"]) > 60:
            raise invalid("ReturnBasisDetails.DateTime", "не совпадает с датой исходного чека")
        if basis_total != original["total"]:
            raise invalid("ReturnBasisDetails.Total", "не совпадает с суммой исходного чека")
        if bool(basis["isoffline"]) != bool(original["offline"]):
            raise invalid("ReturnBasisDetails.IsOffline", "не совпадает с признаком исходного чека")
        if total > original["total"]:
            raise invalid("Total", "сумма возврата превышает сумму исходного чека")

    def _find_original(self, rnm, sign):
        """The original receipt; None if the RNM is not ours; False if ours but unknown."""
        for znm, box in self.cashboxes.items():
            if box["RegistrationNumber"] == rnm:
                for document in self._box_state(znm)["documents"]:
                    if document["kind"] == "check" and document["sign"] == sign:
                        return document
                return False
        return None

    def _count_receipt(self, state, operation, parsed):
        block = state["blocks"].setdefault(OPERATION_BLOCK[operation], empty_block())
        for kind, amount in parsed["payments"].items():
            block["Payments"][str(kind)] = block["Payments"].get(str(kind), Decimal(0)) + amount
        block["Discount"] += parsed["discount"]
        block["Markup"] += parsed["markup"]
        block["Taken"] += parsed["paid"]
        block["Change"] += parsed["change"]
        block["Count"] += 1
        block["VAT"] += parsed["tax"]
        state["non_nullable"][OPERATION_BLOCK[operation]] += parsed["total"]
        cash = parsed["payments"].get(0, Decimal(0)) - parsed["change"]
        # Cash comes in on a sale and a purchase return, goes out on a sale return and a purchase.
        state["sum_in_cashbox"] += cash if operation in (1, 2) else -cash

    def _receipt_data(self, box, state, document, paper_kind):
        moment = self._local(document["time"])
        return {
            "CheckNumber": document["sign"],
            "DateTime": moment,
            "DateTimeUTC": f"{moment} +05:00",
            "OfflineMode": document["offline"],
            "CashboxOfflineMode": state["offline_since"] is not None,
            "StartOfflineMode": self._local(state["offline_since"]) if state["offline_since"] else None,
            "Cashbox": self._cashbox_info(box),
            "Organization": {"TaxPayerName": self.organization["FullName"], "TaxPayerIN": self.organization["Xin"]},
            "CheckOrderNumber": document["order"],
            "ShiftNumber": document["shift"],
            "EmployeeName": document["employee"],
            "TicketUrl": document["ticket_url"],
            "TicketPrintUrl": document["ticket_print_url"],
            "TicketPrintFormat": self._print_lines(box, document, paper_kind),
        }

    def _cashbox_info(self, box):
        return {
            "UniqueNumber": box["UniqueNumber"],
            "RegistrationNumber": box["RegistrationNumber"],
            "IdentityNumber": str(box["IdentityNumber"]),
            "Address": box["Address"],
            "AddressKz": box["AddressKz"],
            "Ofd": dict(box["Ofd"]),
        }

    def _print_lines(self, box, document, paper_kind):
        """Webkassa's own bilingual layout (spec 8), with every legally required item."""
        width = PAPER_WIDTH.get(paper_kind, 42)
        vat = self.organization["VATInfo"]
        lines = [
            (self.organization["FullName"], 0),
            (f"БСН/БИН: {self.organization['Xin']}", 0),
            (f"ҚҚС сериясы/Серия НДС {vat['VATSeries']} № {vat['VATNumber']}", 0),
            (box["Name"], 0),
            (f"Ауысым/Смена №{document['shift']}", 0),
            (f"Чек №{document['sign']}", 0),
            (f"Кассир {document['employee']}", 0),
            (f"{OPERATION_TEXT[document['operation']]} №{document['order']}", 0),
        ]
        if document.get("order_number"):
            lines.append((f"Тапсырыс/Заказ №{document['order_number']}", 0))
        lines.append(("-" * width, 0))
        for index, item in enumerate(document["positions"], start=1):
            unit = UNIT_NAMES[item["unit"]]
            lines.append((f"{index}. {item['name']}", 0))
            if item["mark"]:
                lines.append((f"КМ: {item['mark']}", 0))
            lines.append((f"{item['count'].normalize():f} {unit['NameKz']}/{unit['NameRu']} x {item['price']:.2f}", 0))
            if item["discount"]:
                lines.append((pair("Жеңілдік/Скидка", f"-{item['discount']:.2f}", width), 0))
            if item["markup"]:
                lines.append((pair("Үстеме/Наценка", f"+{item['markup']:.2f}", width), 0))
            lines.append((pair("Құны/Стоимость", f"{item['sum']:.2f}", width), 0))
        lines.append(("-" * width, 0))
        for kind, amount in sorted(document["payments"].items()):
            lines.append((pair(PAYMENT_TEXT[kind] + ":", f"{amount:.2f}", width), 0))
        if document["change"]:
            lines.append((pair("Қайтарым/Сдача:", f"{document['change']:.2f}", width), 0))
        lines.append((pair("ЖИЫНЫ/ИТОГО:", f"{document['total']:.2f}", width), 1))
        rates = {}
        for item in document["positions"]:
            if item["tax_percent"] is not None:
                rates[item["tax_percent"]] = rates.get(item["tax_percent"], Decimal(0)) + item["tax"]
        for percent, amount in sorted(rates.items()):
            lines.append((pair(f"оның ішінде ҚҚС/в т.ч. НДС {percent}%:", f"{amount:.2f}", width), 0))
        if document.get("customer_xin"):
            lines.append((f"Сатып алушының ЖСН/БСН / ИИН/БИН покупателя: {document['customer_xin']}", 0))
        lines += [
            (f"ФБ/ФП: {document['sign']}", 0),
            (f"Уақыты/Время: {self._local(document['time'])}", 0),
            (box["AddressKz"], 0),
            (box["Address"], 0),
            (f"ФДО/ОФД: {box['Ofd']['Name']}", 0),
            (f"Чекті тексеру үшін сайтқа кіріңіз / Для проверки чека зайдите на сайт {box['Ofd']['Host']}", 0),
            ("ФИСКАЛДЫҚ ЧЕК / ФИСКАЛЬНЫЙ ЧЕК", 1),
        ]
        if document["offline"]:
            lines.append((OFFLINE_MARK, 1))
        result = [
            {"Order": order, "Type": 0, "Value": value, "Style": style}
            for order, (value, style) in enumerate(lines, start=1)
        ]
        result.append({"Order": len(result) + 1, "Type": 2, "Value": document["ticket_url"], "Style": 0})
        for value in (
            f"ИНК ОФД: {box['IdentityNumber']}",
            f"ККМ КТН/РНМ: {box['RegistrationNumber']}",
            f"ККМ ЗНМ/ЗНМ: {box['UniqueNumber']}",
            "WEBKASSA.KZ",
        ):
            result.append({"Order": len(result) + 1, "Type": 0, "Value": value, "Style": 0})
        return result

    # /MoneyOperation ----------------------------------------------------------------------------

    def _api_money(self, body):
        operation = body.get("operationtype")
        if operation not in (0, 1):
            self._user(body)
            raise invalid("OperationType", "недопустимое значение")
        _user, box, state = self._access(body, 3 if operation == 0 else 4)
        external = check_length(body, "externalchecknumber", "ExternalCheckNumber", 50)
        self._duplicate(state, external, "money")
        self._fiscal_gate(box, state)
        amount = as_decimal(body.get("sum"), "Sum")
        if operation == 1 and amount > state["sum_in_cashbox"]:
            raise ApiError(8)
        offline = self._offline_now(box, state)
        self._open_shift_if_needed(state)
        state["document_count"] += 1
        if operation == 0:
            state["sum_in_cashbox"] += amount
            state["put_money"] += amount
            state["put_count"] += 1
        else:
            state["sum_in_cashbox"] -= amount
            state["take_money"] += amount
            state["take_count"] += 1
        now = self.now()
        moment = self._local(now)
        data = {
            "OfflineMode": offline,
            "CashboxOfflineMode": state["offline_since"] is not None,
            "ShiftNumber": state["shift_number"],
            "DateTime": moment,
            "DateTimeUTC": f"{moment} +05:00",
            "Sum": state["sum_in_cashbox"],
            "Cashbox": self._cashbox_info(box),
        }
        state["documents"].append(
            {
                "kind": "money",
                "ext": external,
                "operation": operation,
                "amount": amount,
                "shift": state["shift_number"],
                "time": now,
                "offline": offline,
                "ofd_sent": not offline,
                "data": data,
            }
        )
        if external:
            state["by_external"][external] = len(state["documents"]) - 1
        return data

    # Reports ----------------------------------------------------------------------------------------

    def _api_x_report(self, body):
        user, box, state = self._access(body, 6)
        if not state["shift_open"]:
            raise ApiError(13)
        return self._report(user, box, state, closing=False)

    def _api_z_report(self, body):
        user, box, state = self._access(body, 5)
        external = check_length(body, "externalchecknumber", "ExternalCheckNumber", 50)
        self._duplicate(state, external, "z")
        if not state["shift_open"]:
            raise ApiError(12 if state["closed_without_ops"] else 13)
        self._offline_now(box, state)
        report = self._report(user, box, state, closing=True)
        state["shift_open"] = False
        state["closed_without_ops"] = True
        state["shifts"][-1]["CloseDate"] = self.now()
        state["shifts"][-1]["z"] = report
        if external:
            state["documents"].append(
                {"kind": "z", "ext": external, "shift": state["shift_number"], "time": self.now(), "data": report}
            )
            state["by_external"][external] = len(state["documents"]) - 1
        return report

    def _report(self, user, box, state, closing):
        now = self.now()
        blocks = {}
        for name in OPERATION_BLOCK.values():
            block = state["blocks"].get(name) or empty_block()
            blocks[name] = {
                "PaymentsByTypesApiModel": [
                    {"Sum": amount, "Type": int(kind)} for kind, amount in sorted(block["Payments"].items())
                ],
                "Discount": block["Discount"],
                "Markup": block["Markup"],
                "Taken": block["Taken"],
                "Change": block["Change"],
                "Count": block["Count"],
                "TotalCount": block["Count"],
                "VAT": block["VAT"],
            }
        control = hashlib.sha1(
            f"{box['UniqueNumber']}|{state['shift_number']}|{state['document_count']}|{state['sum_in_cashbox']}".encode()
        ).hexdigest()
        vat = self.organization["VATInfo"]
        return {
            "TaxPayerName": self.organization["FullName"],
            "TaxPayerIN": self.organization["Xin"],
            "TaxPayerVAT": vat["VATPayer"],
            "TaxPayerVATSeria": vat["VATSeries"],
            "TaxPayerVATNumber": vat["VATNumber"],
            "ReportNumber": state["document_count"],
            "CashboxSN": box["UniqueNumber"],
            "CashboxIN": int(box["IdentityNumber"]),
            "CashboxRN": box["RegistrationNumber"],
            "StartOn": self._local(state["shift_opened_at"]),
            "ReportOn": self._local(now),
            "CloseOn": self._local(now) if closing else None,
            "CashierCode": user["code"],
            "CashierName": user["name"],
            "ShiftNumber": state["shift_number"],
            "DocumentCount": state["document_count"],
            "PutMoneySum": state["put_money"],
            "TakeMoneySum": state["take_money"],
            "PutMoneyCount": state["put_count"],
            "TakeMoneyCount": state["take_count"],
            "ControlSum": int(control[:8], 16),
            "OfflineMode": state["offline_since"] is not None,
            "CashboxOfflineMode": state["offline_since"] is not None,
            "SumInCashbox": state["sum_in_cashbox"],
            **blocks,
            "StartNonNullable": dict(state["start_non_nullable"]),
            "EndNonNullable": dict(state["non_nullable"]),
            "Ofd": dict(box["Ofd"]),
        }

    # Lookups and references -------------------------------------------------------------------

    def _paging(self, body):
        skip = body.get("skip", 0)
        take = body.get("take", MAX_TAKE)
        if not isinstance(skip, int) or skip < 0:
            raise invalid("Skip", "недопустимое значение")
        if not isinstance(take, int) or not 0 < take <= MAX_TAKE:
            raise invalid("Take", f"значение должно быть от 1 до {MAX_TAKE}")
        return skip, take

    def _shift_number(self, body, state):
        number = body.get("shiftnumber")
        if not isinstance(number, int):
            raise invalid("ShiftNumber", "обязательное поле")
        if not 1 <= number <= state["shift_number"]:
            raise ApiError(15)
        return number

    def _history_item(self, box, document):
        return {
            "Number": document["sign"],
            "OrderNumber": document["order"],
            "DocumentNumber": document["number"],
            "RegistratedOn": datetime.fromtimestamp(document["time"], timezone.utc).strftime("%d.%m.%Y %H:%M:%S"),
            "OperationType": document["operation"],
            "OperationTypeText": OPERATION_TEXT[document["operation"]],
            "Payments": [
                {"Sum": amount, "PaymentTypeName": PAYMENT_TEXT[kind]}
                for kind, amount in sorted(document["payments"].items())
            ],
            "Total": document["total"],
            "Change": document["change"],
            "Taken": document["taken"],
            "Discount": document["discount"],
            "Markup": document["markup"],
            "Tax": document["tax"],
            "VATPayer": self.organization["VATInfo"]["VATPayer"],
            "Positions": [
                {
                    "PositionName": item["name"],
                    "Count": item["count"],
                    "Price": item["price"],
                    "Sum": item["sum"],
                    "Tax": item["tax"],
                    "IsNds": item["tax_percent"] is not None,
                    "DiscountTenge": item["discount"],
                }
                for item in document["positions"]
            ],
            "IsOffline": document["offline"],
            "TicketUrl": document["ticket_url"],
            "TicketPrintUrl": document["ticket_print_url"],
            "ExternalCheckNumber": document["ext"],
            "ExternalOrderNumber": document.get("order_number"),
            "CustomerXin": document.get("customer_xin"),
            "ShiftNumber": document["shift"],
            "CashboxUniqueNumber": box["UniqueNumber"],
            "CashboxRegistrationNumber": box["RegistrationNumber"],
            "CashboxIdentityNumber": int(box["IdentityNumber"]),
        }

    def _api_check_history(self, body):
        _user, box, state = self._access(body)
        number = self._shift_number(body, state)
        skip, take = self._paging(body)
        documents = [doc for doc in state["documents"] if doc["kind"] == "check" and doc["shift"] == number]
        return {
            "Skip": skip,
            "Take": take,
            "Total": len(documents),
            "Items": [self._history_item(box, doc) for doc in documents[skip : skip + take]],
        }

    def _api_check_by_number(self, body):
        _user, box, state = self._access(body)
        number = self._shift_number(body, state)
        for document in state["documents"]:
            if (
                document["kind"] == "check"
                and document["shift"] == number
                and document["sign"] == str(body.get("number"))
            ):
                return {**self._history_item(box, document), "Ofd": dict(box["Ofd"])}
        raise ApiError(16)

    def _api_shift_history(self, body):
        _user, _box, state = self._access(body)
        skip, take = self._paging(body)
        shifts = [
            {
                "ShiftNumber": shift["ShiftNumber"],
                "OpenDate": self._local(shift["OpenDate"]),
                **({"CloseDate": self._local(shift["CloseDate"])} if shift["CloseDate"] else {}),
            }
            for shift in reversed(state["shifts"])  # newest first
        ]
        return {"Skip": skip, "Take": take, "Total": len(shifts), "Shifts": shifts[skip : skip + take]}

    def _api_z_by_shift(self, body):
        _user, _box, state = self._access(body)
        number = self._shift_number(body, state)
        report = state["shifts"][number - 1]["z"]
        if report is None:
            raise ApiError(1014)
        return report

    def _external_document(self, body, state):
        external = body.get("externalchecknumber")
        index = state["by_external"].get(external)
        document = None if index is None else state["documents"][index]
        if document is None or document["kind"] != "check":
            raise ApiError(19, f"Чек с внешним номером {external} не найден")
        return document

    def _api_print_format(self, body):
        _user, box, state = self._access(body)
        document = self._external_document(body, state)
        return {"Lines": self._print_lines(box, document, body.get("paperkind", 0))}

    def _api_ticket_by_external(self, body):
        _user, box, state = self._access(body)
        if not isinstance(body.get("shiftnumber"), int):
            raise invalid("ShiftNumber", "обязательное поле")
        document = self._external_document(body, state)
        if document["shift"] != body["shiftnumber"]:
            raise ApiError(19, f"Чек с внешним номером {body.get('externalchecknumber')} не найден")
        return {
            "ExternalCheckNumber": document["ext"],
            "CheckNumber": document["sign"],
            "DateTime": self._local(document["time"]),
            "ShiftNumber": document["shift"],
            "CheckOrderNumber": document["order"],
            "OperationType": document["operation"],
            "Total": document["total"],
            "OfflineMode": document["offline"],
            "RegistrationNumber": box["RegistrationNumber"],
            "TicketUrl": document["ticket_url"],
            "TicketPrintUrl": document["ticket_print_url"],
        }

    def _api_cashboxes(self, body):
        user = self._user(body)
        result = []
        for znm in user["cashboxes"]:
            box, state = self.cashboxes[znm], self._box_state(znm)
            result.append(
                {
                    "UniqueNumber": znm,
                    "RegistrationNumber": box["RegistrationNumber"],
                    "IdentificationNumber": box["IdentityNumber"],
                    "Name": box["Name"],
                    "Description": box["Address"],
                    "IsOffline": state["offline_since"] is not None,
                    "CurrentStatus": box["CurrentStatus"],
                    "Shift": state["shift_number"] if state["shift_open"] else None,
                }
            )
        return {"List": result}

    def _api_ref_units(self, body):
        self._user(body)
        return copy.deepcopy(REF_UNITS)

    def _api_main_info(self, body):
        self._user(body)
        if body.get("xin") != self.organization["Xin"]:
            raise invalid("Xin", "организация не найдена")
        return copy.deepcopy(self.organization)


# Command line ------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description="Local Webkassa simulator (integrator API v4) on 127.0.0.1")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--state-file", help="keep the state across restarts in this JSON file")
    parser.add_argument("--environment", choices=("test", "prod"), default="test")
    parser.add_argument("--vat-rates", default="0,16", help="the organisation's VAT rates, e.g. 0,12 or 0,16")
    parser.add_argument("--token-ttl-hours", type=float, default=24)
    parser.add_argument("--concurrency", choices=("serialize", "reject"), default="serialize")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    sim = WebkassaSimulator(
        args.host,
        args.port,
        environment=args.environment,
        state_file=args.state_file,
        token_ttl=args.token_ttl_hours * 3600,
        vat_rates=[int(rate) for rate in args.vat_rates.split(",") if rate.strip()],
        concurrency=args.concurrency,
        verbose=args.verbose,
    ).start()
    login = next(iter(USERS))
    key = next(key for key, env in API_KEYS.items() if env == args.environment)
    print(f"Webkassa simulator on {sim.url} (environment {args.environment})")
    print(f"  x-api-key: {key}   login: {login}   password: {USERS[login]['password']}   cashbox: SWK00000001")
    print(f"  state: GET {sim.url}/_sim/state   control: POST {sim.url}/_sim/control")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
