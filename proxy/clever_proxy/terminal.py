"""The Kaspi POS terminal driver: payments and refunds that are never sent twice and never lost.

Rules (kaspi.md section 3.6 and the field lessons):

- One operation per ``payment_uuid`` (the POS payment line's uuid). A second ``pay`` with the same
  uuid -- a double click, a reload, a retry after a timeout -- returns the *same* operation. Only
  after a definite failure (``fail``: declined, cancelled, or never reached the terminal) does
  ``retry=true`` start a new attempt.
- The operation is written to SQLite *before* the terminal is called and the terminal's
  ``processId`` right after it answers, before the POS hears back.
- A background thread polls ``/v2/status`` every second for every open operation, whether or not
  a POS screen is watching, and resumes after a restart of the proxy. ``unknown`` is resolved with
  ``/v2/actualize`` at most every 10 s; what cannot be resolved goes to ``manual_review`` and
  waits for a person (``resolve``). Nothing is ever paid again automatically.
- The terminal token is kept in a file on the proxy host (mode 0600) and never sent to the POS.

Operation statuses seen by the POS: ``sending``, ``wait``, ``success``, ``fail``, ``unknown``,
``manual_review`` (and ``rejected`` / ``not_found`` for requests that created nothing).
"""

import json
import logging
import os
import socket
import tempfile
import threading
import time
from datetime import datetime
from decimal import Decimal, InvalidOperation

from .codes import message
from .kaspi_client import (
    KaspiClient,
    KaspiFailure,
    NoAnswer,
    NotSent,
    TerminalError,
    TokenRejected,
)

_logger = logging.getLogger(__name__)

FINAL = ("success", "fail")
REVIEW_GIVEUP = 24 * 3600.0  # stop asking the terminal about an unresolved operation after a day
EXPIRATION_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y %I:%M:%S %p",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%y %H:%M:%S",
)


class NotRegistered(KaspiFailure):
    code = "terminal_not_registered"


class NotConfigured(KaspiFailure):
    code = "terminal_not_configured"


def parse_expiration(value):
    """Epoch seconds from the terminal's ``expirationDate`` (formats differ), or None."""
    if not value:
        return None
    if isinstance(value, (int, float)):
        return float(value / 1000 if value > 1e11 else value)
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        pass
    for fmt in EXPIRATION_FORMATS:
        try:
            return datetime.strptime(text, fmt).timestamp()
        except ValueError:
            continue
    _logger.warning("cannot read the token expiration date %r", value)
    return None


def parse_amount(value):
    """Whole positive tenge as int, or None. 1500, 1500.0 and "1500" are fine; 1500.5 is not."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value() or amount > 10**9:
        return None
    return int(amount)


def write_private_json(path, data):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class TerminalService:
    def __init__(self, proxy_config, store, clock=time.time):
        self.cfg = proxy_config.terminal
        self.token_path = proxy_config.token_path
        self.store = store
        self.clock = clock
        self._start_lock = threading.Lock()
        self._check_lock = threading.RLock()
        self._token_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = None
        self._next_check = {}
        self._probing = threading.Lock()
        self.registration = self._load_registration()
        self.last_contact = {"status": "unknown", "code": "", "at": 0.0}

    # registration / tokens -------------------------------------------------------------------
    def _mtime(self):
        try:
            return os.stat(self.token_path).st_mtime_ns
        except OSError:
            return None

    def _load_registration(self):
        self._loaded_mtime = self._mtime()
        try:
            with open(self.token_path, encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return {}
        except (OSError, json.JSONDecodeError) as exc:
            _logger.error("cannot read the terminal registration %s: %s", self.token_path, exc)
            return {}

    def _reload_if_changed(self):
        """``register-terminal`` run from the command line rewrites the file: pick it up."""
        if self._mtime() != self._loaded_mtime:
            self.registration = self._load_registration()

    def _save_registration(self):
        write_private_json(self.token_path, self.registration)
        self._loaded_mtime = self._mtime()

    @property
    def address(self):
        reg = self.registration
        return (
            reg.get("host") or self.cfg.host,
            int(reg.get("port") or self.cfg.port),
            reg.get("scheme") or self.cfg.scheme,
        )

    def _client(self, host=None, port=None, scheme=None, pinned=True):
        default_host, default_port, default_scheme = self.address
        host = host or default_host
        if not host:
            raise NotConfigured("no terminal address")
        return KaspiClient(
            host,
            port or default_port,
            scheme or default_scheme,
            connect_timeout=self.cfg.connect_timeout,
            read_timeout=self.cfg.read_timeout,
            verify_tls=self.cfg.verify_tls,
            ca_file=self.cfg.ca_file,
            fingerprint=self.registration.get("fingerprint") if pinned else None,
        )

    def _refresh_token(self, client):
        reg = self.registration
        if not reg.get("refresh_token"):
            return False
        try:
            data = client.revoke(reg.get("name") or self.cfg.name, reg["refresh_token"], reg.get("access_token"))
        except KaspiFailure as exc:
            _logger.warning("terminal token refresh failed: %s", exc)
            return False
        if not data.get("accessToken"):
            return False
        reg.update(
            access_token=data["accessToken"],
            refresh_token=data.get("refreshToken") or reg["refresh_token"],
            expiration=data.get("expirationDate"),
            expires_at=parse_expiration(data.get("expirationDate")),
            refreshed_at=self.clock(),
        )
        self._save_registration()
        _logger.info("terminal token refreshed")
        return True

    def _token(self, client):
        with self._token_lock:
            self._reload_if_changed()
            reg = self.registration
            if not reg.get("access_token"):
                raise NotRegistered("the proxy is not registered on the terminal")
            expires_at = reg.get("expires_at")
            if expires_at and expires_at - self.clock() < self.cfg.refresh_margin:
                self._refresh_token(client)
            return reg["access_token"]

    def _call(self, method, *args, **kwargs):
        """Call ``client.<method>(*args, token=...)``; on a refused token refresh it once and retry.

        Retrying after 401/403 is safe even for a payment: the terminal refused the request.
        """
        with self._token_lock:
            self._reload_if_changed()
        client = self._client()
        try:
            token = self._token(client)
            try:
                result = getattr(client, method)(*args, token=token, **kwargs)
            except TokenRejected:
                with self._token_lock:
                    if self.registration.get("access_token") == token and not self._refresh_token(client):
                        raise
                result = getattr(client, method)(*args, token=self.registration["access_token"], **kwargs)
        except (NotSent, NoAnswer) as exc:
            self.last_contact = {"status": "disconnected", "code": exc.code, "at": self.clock()}
            raise
        except TokenRejected:
            self.last_contact = {"status": "disconnected", "code": "token_invalid", "at": self.clock()}
            raise
        except NotRegistered:
            self.last_contact = {"status": "disconnected", "code": "terminal_not_registered", "at": self.clock()}
            raise
        self.last_contact = {"status": "connected", "code": "terminal_ok", "at": self.clock()}
        if client.seen_fingerprint and not self.registration.get("fingerprint"):
            self.registration["fingerprint"] = client.seen_fingerprint
            self._save_registration()
        return result

    def register(self, host=None, port=None, scheme=None, name=None):
        """Register the proxy on the terminal (the cashier approves it on the terminal's screen)."""
        name = name or self.registration.get("name") or self.cfg.name or f"Clever POS {socket.gethostname()}"
        try:
            client = self._client(host, port, scheme, pinned=False)
            client_read = self.cfg.register_timeout
            data = client.register(name, read_timeout=client_read)
        except KaspiFailure as exc:
            code = exc.code if isinstance(exc, (NotSent, NoAnswer, NotConfigured)) else "registration_failed"
            return {"registered": False, "code": code, "message": message(code), "detail": str(exc)}
        if not data.get("accessToken"):
            return {"registered": False, "code": "registration_failed", "message": message("registration_failed")}
        self.registration = {
            "host": client.host,
            "port": client.port,
            "scheme": client.scheme,
            "name": name,
            "access_token": data["accessToken"],
            "refresh_token": data.get("refreshToken"),
            "expiration": data.get("expirationDate"),
            "expires_at": parse_expiration(data.get("expirationDate")),
            "fingerprint": client.seen_fingerprint,
            "registered_at": self.clock(),
        }
        try:
            self.registration["device"] = client.deviceinfo(token=data["accessToken"])
        except KaspiFailure as exc:
            _logger.warning("deviceinfo after registration failed: %s", exc)
        self._save_registration()
        self.last_contact = {"status": "connected", "code": "terminal_ok", "at": self.clock()}
        _logger.info("registered on the Kaspi terminal %s:%s as %r", client.host, client.port, name)
        return {"registered": True, "code": "terminal_registered", "message": message("terminal_registered"),
                "terminal": self.info()}

    def test(self):
        """``/v2/deviceinfo`` with the token: proves address, certificate and token."""
        try:
            device = self._call("deviceinfo")
        except KaspiFailure as exc:
            return {"ok": False, "code": exc.code, "message": message(exc.code), "detail": str(exc)}
        self.registration["device"] = device
        self._save_registration()
        return {"ok": True, "code": "terminal_ok", "message": message("terminal_ok"),
                "device": {"terminal_id": device.get("terminalId"), "serial_num": device.get("serialNum"),
                           "pos_num": device.get("posNum")}}

    def info(self):
        self._reload_if_changed()
        host, port, scheme = self.address
        reg = self.registration
        device = reg.get("device") or {}
        return {
            "configured": bool(host),
            "registered": bool(reg.get("access_token")),
            "host": host,
            "port": port,
            "scheme": scheme,
            "name": reg.get("name") or self.cfg.name,
            "registered_at": reg.get("registered_at"),
            "token_expires_at": reg.get("expires_at"),
            "certificate_sha256": reg.get("fingerprint"),
            "terminal_id": device.get("terminalId"),
            "serial_num": device.get("serialNum"),
        }

    def driver_status(self):
        """Entry ``kaspi_terminal`` of ``/hw_proxy/status_json`` (cached; probed in background)."""
        host = self.address[0]
        if not host:
            return {"status": "disconnected", "code": "terminal_not_configured",
                    "messages": message("terminal_not_configured")}
        if not self.registration.get("access_token"):
            return {"status": "disconnected", "code": "terminal_not_registered",
                    "messages": message("terminal_not_registered")}
        busy = any(op["status"] in ("sending", "wait") for op in self.store.open_operations())
        # No extra call while an operation runs: the poller's status calls keep last_contact fresh.
        if not busy and self.clock() - self.last_contact["at"] > 30 and self._probing.acquire(blocking=False):
            def probe():
                try:
                    self._call("deviceinfo")
                except KaspiFailure:
                    pass
                finally:
                    self._probing.release()

            threading.Thread(target=probe, name="kaspi-probe", daemon=True).start()
        contact = self.last_contact
        status = "connected" if contact["status"] == "connected" else (
            "connecting" if contact["status"] == "unknown" else "disconnected")
        return {"status": status, "code": contact["code"] or "terminal_ok",
                "messages": "" if status != "disconnected" else message(contact["code"])}

    # operations ------------------------------------------------------------------------------
    def view(self, op, **extra):
        now = self.clock()
        status = op["status"]
        data = op.get("data") or {}
        result = {
            "payment_uuid": op["payment_uuid"],
            "attempt": op["attempt"],
            "kind": op["kind"],
            "order_uuid": op["order_uuid"],
            "amount": op["amount"],
            "status": status,
            "final": status in FINAL,
            "code": op["code"],
            "message": message(op["code"]),
            "terminal_message": op["terminal_message"],
            "sub_status": op["sub_status"],
            "process_id": op["process_id"],
            "transaction_id": op["transaction_id"],
            "method": op["method"],
            "original_transaction_id": op["original_transaction_id"],
            "cheque": data.get("chequeInfo"),
            "add_info": data.get("addInfo"),
            "overdue": status == "wait" and now - op["created_at"] > self.cfg.wait_budget,
            "resolution": op["resolution"],
            "created_at": op["created_at"],
            "updated_at": op["updated_at"],
            "poll_after_ms": int(self.cfg.poll_interval * 1000),
        }
        result.update(extra)
        return result

    @staticmethod
    def _rejected(code, **extra):
        return {"status": "rejected", "final": True, "code": code, "message": message(code), **extra}

    def pay(self, payment_uuid, amount, order_uuid=None, retry=False, own_cheque=None):
        return self._start("payment", payment_uuid, amount, order_uuid, retry, own_cheque=own_cheque)

    def refund(self, payment_uuid, amount, order_uuid=None, transaction_id=None, method=None,
               original_payment_uuid=None, retry=False, own_cheque=None):
        return self._start(
            "refund", payment_uuid, amount, order_uuid, retry, own_cheque=own_cheque,
            transaction_id=transaction_id, method=method, original_payment_uuid=original_payment_uuid,
        )

    def _start(self, kind, payment_uuid, amount, order_uuid, retry, own_cheque=None, transaction_id=None,
               method=None, original_payment_uuid=None):
        if not isinstance(payment_uuid, str) or not payment_uuid.strip() or len(payment_uuid) > 128:
            return self._rejected("invalid_params")
        parsed = parse_amount(amount)
        if parsed is None:
            return self._rejected("amount_invalid")
        own_cheque = self.cfg.own_cheque if own_cheque is None else bool(own_cheque)
        with self._start_lock:
            existing = self.store.latest_for_payment(payment_uuid)
            attempt = 1
            if existing:
                if existing["kind"] != kind or existing["amount"] != parsed:
                    return self._rejected("payment_uuid_conflict", operation=self.view(existing))
                if existing["status"] != "fail" or not retry:
                    return self.view(existing)
                attempt = existing["attempt"] + 1
            if kind == "refund":
                problem, transaction_id, method = self._check_refund(
                    payment_uuid, parsed, transaction_id, method, original_payment_uuid)
                if problem:
                    return self._rejected(problem)
            values = dict(
                payment_uuid=payment_uuid, attempt=attempt, kind=kind, order_uuid=order_uuid,
                amount=parsed, method=method, original_transaction_id=transaction_id,
                original_payment_uuid=original_payment_uuid,
            )
            busy = [op for op in self.store.open_operations() if op["status"] in ("sending", "wait")]
            if busy:
                op = self.store.insert_operation(status="fail", code="terminal_busy", **values)
                return self.view(op)
            op = self.store.insert_operation(status="sending", code="waiting", **values)
            try:
                if kind == "payment":
                    data = self._call("payment", parsed, own_cheque=own_cheque)
                else:
                    data = self._call("refund", parsed, method, transaction_id, own_cheque=own_cheque)
            except NoAnswer as exc:
                _logger.error("%s %s: no answer from the terminal: %s", kind, payment_uuid, exc)
                op = self.store.update_operation(op["id"], status="manual_review", code="payment_response_lost",
                                                 terminal_message=str(exc)[:500])
            except TerminalError as exc:
                code = {107: "terminal_busy", 999: "invalid_params"}.get(exc.status_code, exc.code)
                if isinstance(exc, TokenRejected):
                    code = "token_invalid"
                op = self.store.update_operation(op["id"], status="fail", code=code,
                                                 terminal_message=exc.text[:500])
            except KaspiFailure as exc:  # NotSent, CertificateChanged, NotRegistered, NotConfigured
                op = self.store.update_operation(op["id"], status="fail", code=exc.code,
                                                 terminal_message=str(exc)[:500])
            else:
                process_id = data.get("processId")
                if not process_id:
                    op = self.store.update_operation(op["id"], status="manual_review", code="payment_response_lost",
                                                     data=data)
                else:
                    op = self.store.update_operation(op["id"], status="wait", code="waiting",
                                                     process_id=str(process_id), data=data,
                                                     sub_status=data.get("subStatus"))
                    if data.get("status") in ("success", "fail", "unknown"):
                        op = self._apply(op, data)
                    self._next_check[op["id"]] = self.clock() + self.cfg.poll_interval
                    self._wake.set()
            _logger.info("%s %s attempt %s: %s %s", kind, payment_uuid, attempt, op["status"], op["code"])
            return self.view(op)

    def _check_refund(self, payment_uuid, amount, transaction_id, method, original_payment_uuid):
        if original_payment_uuid:
            original = self.store.latest_for_payment(original_payment_uuid)
            if original and original["kind"] == "payment" and original["status"] == "success":
                transaction_id = transaction_id or original["transaction_id"]
                method = method or original["method"]
                refunded = sum(
                    op["amount"]
                    for op in self.store.refunds_of(original_payment_uuid)
                    if op["payment_uuid"] != payment_uuid and op["status"] != "fail"
                )
                if amount > original["amount"] - refunded:
                    return "refund_exceeds_payment", transaction_id, method
        if not transaction_id or method not in ("qr", "card"):
            return "original_payment_required", transaction_id, method
        return None, str(transaction_id), method

    def find(self, payment_uuid=None, process_id=None):
        if payment_uuid:
            return self.store.latest_for_payment(payment_uuid)
        if process_id:
            return self.store.by_process_id(process_id)
        return None

    def status(self, payment_uuid=None, process_id=None):
        op = self.find(payment_uuid, process_id)
        if not op:
            return {"status": "not_found", "final": False, "code": "operation_not_found",
                    "message": message("operation_not_found"), "payment_uuid": payment_uuid}
        return self.view(op)

    def cancel(self, payment_uuid=None, process_id=None):
        """Kaspi has no remote cancel: tell the cashier to cancel on the terminal, keep polling."""
        op = self.find(payment_uuid, process_id)
        if not op:
            return {"status": "not_found", "final": False, "cancelled": True, "code": "operation_not_found",
                    "message": message("operation_not_found"), "payment_uuid": payment_uuid}
        if op["status"] == "fail":
            return self.view(op, cancelled=True)
        if op["status"] == "success":
            return self.view(op, cancelled=False)
        return self.view(op, cancelled=False, cancel_code="cancel_on_terminal",
                         cancel_message=message("cancel_on_terminal"))

    def actualize(self, payment_uuid=None, process_id=None):
        """Check now (a button for the cashier); ``/v2/actualize`` still at most every 10 s."""
        op = self.find(payment_uuid, process_id)
        if not op:
            return self.status(payment_uuid, process_id)
        if op["status"] in ("wait", "unknown", "manual_review") and op["process_id"]:
            self._next_check[op["id"]] = 0
            op = self._check(op)
        return self.view(op)

    def resolve(self, payment_uuid, outcome, note="", transaction_id=None, by=""):
        """A person looked at the terminal and says whether the customer paid (after approval)."""
        op = self.find(payment_uuid)
        if not op:
            return self.status(payment_uuid)
        if outcome not in ("paid", "not_paid"):
            return self._rejected("invalid_params")
        with self._check_lock:
            op = self.store.operation(op["id"])
            if op["status"] in ("unknown", "manual_review") and op["process_id"]:
                # Ask the terminal one last time: its answer beats a person's reading of the screen.
                try:
                    data = self._call("status", op["process_id"])
                except KaspiFailure:
                    data = {}
                if data.get("status") in FINAL:
                    op = self._apply(op, data)
            if op["status"] not in ("unknown", "manual_review"):
                return self._rejected("not_unknown", operation=self.view(op))
            resolution = {"outcome": outcome, "note": str(note or "")[:500], "by": by, "at": self.clock(),
                          "previous_code": op["code"]}
            op = self.store.update_operation(
                op["id"],
                status="success" if outcome == "paid" else "fail",
                code="resolved_manually",
                transaction_id=transaction_id or op["transaction_id"],
                resolution=resolution,
            )
        _logger.warning("%s %s resolved by hand as %s (%s)", op["kind"], payment_uuid, outcome, note)
        return self.view(op)

    # polling ---------------------------------------------------------------------------------
    def _apply(self, op, data):
        now = self.clock()
        status = data.get("status")
        sub_status = data.get("subStatus")
        if status == "success":
            cheque = data.get("chequeInfo") or {}
            transaction_id = data.get("transactionId") or cheque.get("orderNumber") or cheque.get("rrn")
            return self.store.update_operation(
                op["id"], status="success", code="paid" if op["kind"] == "payment" else "refunded",
                sub_status=sub_status, transaction_id=str(transaction_id) if transaction_id else None,
                method=cheque.get("method") or op["method"], data=data,
                terminal_message=cheque.get("status") or data.get("message"), lost_since=None,
            )
        if status == "fail":
            code = "cancelled" if sub_status == "ProcessCancelled" else "declined"
            return self.store.update_operation(
                op["id"], status="fail", code=code, sub_status=sub_status, data=data,
                terminal_message=data.get("message"), lost_since=None,
            )
        if status == "unknown":
            values = dict(status="unknown", code="outcome_unknown", sub_status=sub_status, data=data,
                          terminal_message=data.get("message"), lost_since=None)
            if op["status"] != "unknown":
                values["unknown_since"] = now
                self._next_check[op["id"]] = now + self.cfg.actualize_interval
            return self.store.update_operation(op["id"], **values)
        if status == "wait":
            if op["status"] != "wait" or op["sub_status"] != sub_status or op["lost_since"]:
                return self.store.update_operation(op["id"], status="wait", code="waiting",
                                                   sub_status=sub_status, lost_since=None)
            return op
        _logger.warning("unexpected terminal status %r for process %s", status, op["process_id"])
        return op

    def _check(self, op):
        with self._check_lock:
            op = self.store.operation(op["id"])
            if op["status"] in ("wait", "unknown", "manual_review") and op["process_id"]:
                op = getattr(self, f"_check_{op['status']}")(op)
        return op

    def _lost(self, op, exc, now):
        lost_since = op["lost_since"] or now
        if now - lost_since > self.cfg.lost_budget:
            return self.store.update_operation(op["id"], status="manual_review", code=exc.code,
                                               lost_since=lost_since)
        if op["lost_since"] != lost_since or op["code"] != exc.code:
            return self.store.update_operation(op["id"], code=exc.code, lost_since=lost_since)
        return op

    def _check_wait(self, op):
        now = self.clock()
        self._next_check[op["id"]] = now + self.cfg.poll_interval
        try:
            data = self._call("status", op["process_id"])
        except TerminalError as exc:
            if exc.status_code == 101:
                return self.store.update_operation(op["id"], status="manual_review", code="process_not_found",
                                                   terminal_message=exc.text)
            op = self._lost(op, exc, now)
        except KaspiFailure as exc:
            self._next_check[op["id"]] = now + 2 * self.cfg.poll_interval
            op = self._lost(op, exc, now)
        else:
            op = self._apply(op, data)
        if op["status"] == "wait" and now - op["created_at"] > self.cfg.wait_giveup:
            op = self.store.update_operation(op["id"], status="manual_review", code="terminal_wait_expired")
        return op

    def _check_unknown(self, op):
        now = self.clock()
        last = op["last_actualize_at"] or 0
        if now - last < self.cfg.actualize_interval:
            self._next_check[op["id"]] = last + self.cfg.actualize_interval
            return op
        self._next_check[op["id"]] = now + self.cfg.actualize_interval
        op = self.store.update_operation(op["id"], last_actualize_at=now)
        try:
            try:
                data = self._call("actualize", op["process_id"])
            except TerminalError as exc:
                if exc.status_code != 103:
                    raise
                data = self._call("status", op["process_id"])  # 103: no longer unknown, read it
        except TerminalError as exc:
            if exc.status_code == 101:
                return self.store.update_operation(op["id"], status="manual_review", code="process_not_found",
                                                   terminal_message=exc.text)
            _logger.warning("actualize %s: %s", op["process_id"], exc)
        except KaspiFailure as exc:
            _logger.warning("actualize %s: %s", op["process_id"], exc)
        else:
            op = self._apply(op, data)
        if op["status"] == "unknown" and now - (op["unknown_since"] or now) > self.cfg.unknown_budget:
            op = self.store.update_operation(op["id"], status="manual_review", code="outcome_unknown")
        return op

    def _check_manual_review(self, op):
        """Keep asking, slowly: if the terminal learns the outcome, a person need not guess."""
        now = self.clock()
        self._next_check[op["id"]] = now + self.cfg.review_interval
        try:
            data = self._call("status", op["process_id"])
            if data.get("status") == "unknown" and now - (op["last_actualize_at"] or 0) >= self.cfg.actualize_interval:
                self.store.update_operation(op["id"], last_actualize_at=now)
                data = self._call("actualize", op["process_id"])
        except TerminalError as exc:
            if exc.status_code == 101:
                return self.store.update_operation(op["id"], code="process_not_found")
            return op
        except KaspiFailure:
            return op
        if data.get("status") in FINAL or data.get("status") == "wait":
            return self._apply(op, data)
        return op

    def _run(self):
        while not self._stop.is_set():
            now = self.clock()
            next_due = now + 5.0
            for op in self.store.open_operations():
                if op["status"] == "sending" or not op["process_id"]:
                    continue
                if op["status"] == "manual_review" and (
                    op["code"] == "process_not_found" or now - op["created_at"] > REVIEW_GIVEUP
                ):
                    continue  # the terminal cannot tell any more: only a person can
                due = self._next_check.get(op["id"], 0)
                if due <= now:
                    try:
                        self._check(op)
                    except Exception:  # noqa: BLE001 - the poller must survive anything
                        _logger.exception("checking operation %s failed", op["id"])
                        self._next_check[op["id"]] = now + 5.0
                    due = self._next_check.get(op["id"], now + 1.0)
                next_due = min(next_due, due)
            if self._stop.is_set():
                break
            self._wake.wait(timeout=min(max(next_due - self.clock(), 0.05), 5.0))
            self._wake.clear()

    def start(self):
        # An operation left in "sending" was interrupted while talking to the terminal: the
        # terminal may have started it, and without its processId nobody can ask. A person decides.
        for op in self.store.open_operations():
            if op["status"] == "sending":
                self.store.update_operation(op["id"], status="manual_review", code="payment_response_lost")
                _logger.error("operation %s was interrupted while being sent: manual review", op["payment_uuid"])
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="kaspi-poller", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout=10)
            self._thread = None
