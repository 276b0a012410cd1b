"""Kaspi POS terminal simulator: the terminal's local ``/v2`` API on 127.0.0.1, with scripted outcomes.

Same transport and envelope as the device (kaspi.md section 3): GET with query parameters, header
``accesstoken``, answers ``{"statusCode": 0, "errorText": "", "data": {...}}``; 401 for a bad token;
error codes 101 (process not found), 103 (cannot actualize), 105 (revoke error), 107 (last
operation not completed), 999 (missing or invalid parameter). Plain HTTP by default, HTTPS with a
self-signed certificate when ``certfile``/``keyfile`` are given (as the real terminal).

Outcomes, queued with :meth:`KaspiTerminalSimulator.script` (one per payment/refund, then the
default ``success``):

``success``              wait (Initialize, WaitUser, WaitForQrConfirmation|ProcessingCard) -> success
``decline``              ... -> fail, CardTransactionFailure / QrTransactionFailure
``cancel``               ... -> fail, ProcessCancelled (the customer pressed cancel on the terminal)
``timeout``              stays in wait (WaitUser) until :meth:`finish` or ``wait_limit`` seconds
``unknown_then_success`` ... -> unknown; ``/v2/actualize`` turns it to success (``unknown_then_fail``)
``unknown``              ... -> unknown for good (actualize keeps answering unknown)
``drop``                 the terminal starts the operation but the connection drops before the
                         answer; the operation then goes on as ``then`` (default success)
``busy``                 answers 107 (the terminal is busy with something else)

Options of an outcome: ``method`` ("qr" or "card"), ``delay`` (seconds before the final status),
``then`` (for drop / unknown_then_*), ``actualize_after`` (actualize calls before it resolves).

Other scripted faults: :meth:`drop_next` (drop the next request to a method, e.g. one status
poll), :meth:`expire_tokens` (every token gets 401, as after expiry), ``registration="reject"``.

Run it by hand: ``python proxy/simulators/kaspi_terminal.py --port 8080`` and script it with
``GET /_sim/script?outcome=decline``, ``GET /_sim/finish?processId=...&outcome=success`` (without
``processId``: the newest waiting operation),
``GET /_sim/state``.
"""

import argparse
import datetime
import itertools
import json
import socket
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

OUTCOMES = (
    "success",
    "decline",
    "cancel",
    "timeout",
    "unknown_then_success",
    "unknown_then_fail",
    "unknown",
    "drop",
    "busy",
)
DEVICE = {"posNum": "0", "serialNum": "00043010171", "terminalId": "31452963"}
STORE = {
    "storeName": "Clever POS тест дүкені",
    "city": "г. Алматы",
    "address": "Абая 10",
    "bin": "960419351140",
    "terminalId": DEVICE["terminalId"],
}


class SimulatedOperation:
    def __init__(self, process_id, kind, amount, outcome, options, clock):
        self.process_id = process_id
        self.kind = kind
        self.amount = amount
        self.outcome = outcome
        self.options = dict(options)
        self.method = options.get("method") or ("card" if kind == "refund" else "qr")
        self.created = clock()
        self.final = None  # (status, subStatus, message)
        self.actualize_calls = 0
        self.transaction_id = None
        self.refund_of = options.get("transaction_id")
        self.own_cheque = options.get("owncheque")

    def to_dict(self):
        return {
            "processId": self.process_id,
            "kind": self.kind,
            "amount": self.amount,
            "outcome": self.outcome,
            "method": self.method,
            "final": self.final,
            "transactionId": self.transaction_id,
            "refundOf": self.refund_of,
            "actualizeCalls": self.actualize_calls,
        }


class KaspiTerminalSimulator:
    def __init__(self, host="127.0.0.1", port=0, require_token=True, step=0.15, token_ttl=86400.0,
                 certfile=None, keyfile=None, wait_limit=300.0, registration="approve", clock=time.time):
        self.host = host
        self.port = port
        self.require_token = require_token
        self.step = step
        self.token_ttl = token_ttl
        self.certfile = certfile
        self.keyfile = keyfile
        self.wait_limit = wait_limit
        self.registration = registration
        self.clock = clock
        self.lock = threading.RLock()
        self.tokens = {}  # access token -> {name, refresh, expires}
        self.operations = {}
        self.requests = []
        self._script = []
        self._drops = {}
        self._ids = itertools.count(int(time.time() * 1000))
        self.server = None
        self.thread = None

    # control ---------------------------------------------------------------------------------
    def script(self, outcome, **options):
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        with self.lock:
            self._script.append((outcome, options))

    def drop_next(self, method, times=1):
        """Close the connection without answering the next ``times`` requests to ``/v2/<method>``."""
        with self.lock:
            self._drops[method] = self._drops.get(method, 0) + times

    def expire_tokens(self):
        with self.lock:
            for token in self.tokens.values():
                token["expires"] = self.clock() - 1

    def finish(self, process_id, outcome="success"):
        """End an operation left waiting (``timeout``) as success, decline or cancel."""
        with self.lock:
            op = self.operations[str(process_id)]
            op.outcome = outcome
            op.options["delay"] = 0
            self._advance(op)
            return op.to_dict()

    def latest_waiting(self):
        """Process id of the newest operation still waiting (for ``/_sim/finish`` without one)."""
        with self.lock:
            waiting = [op for op in self.operations.values() if not op.final]
            return max(waiting, key=lambda op: op.created).process_id if waiting else None

    def operation(self, process_id):
        return self.operations[str(process_id)]

    def charges(self, kind="payment"):
        """Operations of that kind the terminal started (what a customer could be charged for)."""
        return [op for op in self.operations.values() if op.kind == kind]

    def reset(self):
        with self.lock:
            self.operations.clear()
            self._script.clear()
            self._drops.clear()

    # server ----------------------------------------------------------------------------------
    def start(self):
        self.server = _Server((self.host, self.port), _Handler, self)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                       name="kaspi-sim", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)
            self.server = None

    @property
    def scheme(self):
        return "https" if self.certfile else "http"

    @property
    def url(self):
        return f"{self.scheme}://{self.host}:{self.port}"

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # behaviour -------------------------------------------------------------------------------
    def _next_outcome(self):
        with self.lock:
            return self._script.pop(0) if self._script else ("success", {})

    def _token_ok(self, token):
        info = self.tokens.get(token or "")
        return bool(info) and info["expires"] > self.clock()

    def _new_tokens(self, name):
        access, refresh = uuid.uuid4().hex, uuid.uuid4().hex
        expires = self.clock() + self.token_ttl
        self.tokens[access] = {"name": name, "refresh": refresh, "expires": expires}
        text = datetime.datetime.fromtimestamp(expires).strftime("%b %d, %Y %H:%M:%S")
        return {"accessToken": access, "refreshToken": refresh, "expirationDate": text}

    def _final_for(self, op, outcome):
        qr = op.method == "qr"
        if outcome == "success":
            return ("success", "QrTransactionSuccess" if qr else "CardTransactionSuccess", "")
        if outcome == "decline":
            return ("fail", "QrTransactionFailure" if qr else "CardTransactionFailure",
                    "Отказ: недостаточно средств")
        if outcome == "cancel":
            return ("fail", "ProcessCancelled", "Отмена покупки; Покупатель отменил покупку")
        return ("fail", "ProcessCancelled", "Timeout exceeded")

    def _advance(self, op):
        """Move the operation along with time (called on every status/actualize)."""
        if op.final:  # final, or unknown until /v2/actualize resolves it
            return
        age = self.clock() - op.created
        outcome = op.outcome
        if outcome == "drop":
            outcome = op.options.get("then", "success")
        delay = op.options.get("delay", 3 * self.step)
        if outcome == "timeout":
            if age > self.wait_limit:
                op.final = self._final_for(op, "timeout")
            return
        if age < delay:
            return
        if outcome.startswith("unknown"):
            op.final = ("unknown", "Initialize" if op.kind == "payment" else "ProcessRefund",
                        "Статус операции неизвестен")
            return
        self._set_final(op, outcome)

    def _set_final(self, op, outcome):
        op.final = self._final_for(op, outcome)
        if op.final[0] == "success":
            op.transaction_id = str(uuid.uuid4().int)[:9 if op.method == "qr" else 12]

    def _sub_status_waiting(self, op):
        age = self.clock() - op.created
        if op.outcome == "timeout" or age >= 2 * self.step:
            if op.outcome == "timeout":
                return "WaitUser"
            if op.kind == "refund":
                return "ProcessRefund"
            return "WaitForQrConfirmation" if op.method == "qr" else "ProcessingCard"
        return "Initialize" if age < self.step else "WaitUser"

    def _status_data(self, op):
        self._advance(op)
        if not op.final:
            return {"processId": op.process_id, "status": "wait", "subStatus": self._sub_status_waiting(op)}
        status, sub_status, text = op.final
        data = {"processId": op.process_id, "status": status, "subStatus": sub_status}
        if status != "success":
            data["message"] = text
            return data
        refund = op.kind == "refund"
        cheque = dict(STORE)
        cheque.update(
            date=datetime.datetime.fromtimestamp(self.clock()).strftime("%d.%m.%y %H:%M:%S"),
            method=op.method,
            type=op.kind,
            amount=f"{'- ' if refund else ''}{op.amount} ₸",
            status="Возврат успешно совершен" if refund else "Покупка с Kaspi Gold. Одобрено",
        )
        if op.method == "qr":
            cheque["orderNumber"] = op.transaction_id
        else:
            cheque.update(cardMask="440043******" + op.transaction_id[-4:], rrn=op.transaction_id,
                          authorizationCode=op.transaction_id[:6], icc="Visa Debit", hostResponseCode="000")
        data.update(
            transactionId=op.transaction_id,
            addInfo={"IsOffer": False, "LoanTerm": 0, "ProductType": "Gold"},
            chequeInfo=cheque,
        )
        return data

    def _busy(self):
        for op in self.operations.values():
            self._advance(op)
            if not op.final and self.clock() - op.created <= self.wait_limit:
                return True
        return False

    def handle(self, method, params, headers):
        """(http status, envelope) for ``/v2/<method>``; None to drop the connection."""
        with self.lock:
            self.requests.append({"method": method, "params": dict(params), "headers": dict(headers),
                                  "at": self.clock()})
            drop = self._drops.get(method, 0)
            if drop:
                self._drops[method] = drop - 1
                return None
            if method == "register":
                if not params.get("name"):
                    return _error(999, "Missing param: name")
                if self.registration != "approve":
                    return _error(108, "Registration rejected on the terminal")
                return 200, {"statusCode": 0, "data": self._new_tokens(params["name"])}
            if method == "reset":
                self.operations.clear()
                return 200, {"statusCode": 0, "data": {"message": "reset"}}
            token = headers.get("accesstoken")
            if method == "revoke":
                info = self.tokens.get(token or "")
                if not params.get("name") or not params.get("refreshToken"):
                    return _error(999, "Param unvalidated: refreshToken. It's empty")
                if not info:
                    return 401, {"statusCode": 401, "errorText": "Authorization failed"}
                if info["name"] != params["name"] or info["refresh"] != params["refreshToken"]:
                    return _error(105, "Revoke Error. Wrong refresh token")
                del self.tokens[token]
                return 200, {"statusCode": 0, "data": self._new_tokens(params["name"])}
            if self.require_token and not self._token_ok(token):
                return 401, {"statusCode": 401, "errorText": "Authorization failed"}
            if method in ("payment", "refund"):
                return self._start(method, params)
            if method in ("status", "actualize"):
                process_id = params.get("processId")
                if not process_id:
                    return _error(999, "Missing param: processId")
                op = self.operations.get(process_id)
                if not op:
                    return _error(101, "Process not found")
                if method == "actualize":
                    self._advance(op)
                    if not op.final or op.final[0] != "unknown":
                        return _error(103, "This transaction is unable to actualize")
                    op.actualize_calls += 1
                    then = op.options.get("then") or op.outcome.replace("unknown_then_", "")
                    if op.outcome != "unknown" and op.actualize_calls >= op.options.get("actualize_after", 1):
                        self._set_final(op, "success" if then == "success" else "decline")
                return 200, {"statusCode": 0, "data": self._status_data(op)}
            if method == "deviceinfo":
                return 200, {"statusCode": 0, "data": dict(DEVICE)}
            return 404, {"statusCode": 404, "errorText": "Invalid Url. Please, contact developers"}

    def _start(self, method, params):
        try:
            amount = int(params.get("amount", ""))
        except ValueError:
            return _error(999, "Param unvalidated: amount. Must be a number")
        if amount <= 0:
            return _error(999, "Param unvalidated: amount. Must be greater 0")
        if method == "refund":
            if params.get("method") not in ("qr", "card"):
                return _error(999, "Param unvalidated: method. Unknown payment method")
            if not params.get("transactionId"):
                return _error(999, "Missing param: transactionId")
        outcome, options = self._next_outcome()
        if outcome == "busy" or self._busy():
            return _error(107, "Could not register transaction. Last operation was not completed.")
        process_id = str(next(self._ids))
        options = dict(options, owncheque=params.get("owncheque"))
        if method == "refund":
            options.setdefault("method", params["method"])
            options["transaction_id"] = params["transactionId"]
        op = SimulatedOperation(process_id, "payment" if method == "payment" else "refund", amount,
                                outcome, options, self.clock)
        self.operations[process_id] = op
        if outcome == "drop":
            return None
        return 200, {"statusCode": 0, "data": {"processId": process_id, "status": "wait"}}

    def control(self, path, params):
        if path == "/_sim/script":
            options = {k: v for k, v in params.items() if k != "outcome"}
            for key in ("delay",):
                if key in options:
                    options[key] = float(options[key])
            if "actualize_after" in options:
                options["actualize_after"] = int(options["actualize_after"])
            self.script(params.get("outcome", "success"), **options)
            return {"scripted": params.get("outcome", "success")}
        if path == "/_sim/finish":
            process_id = params.get("processId") or self.latest_waiting()
            if not process_id:
                return {"finished": None}
            return self.finish(process_id, params.get("outcome", "success"))
        if path == "/_sim/drop":
            self.drop_next(params["method"], int(params.get("times", 1)))
            return {"drop": params["method"]}
        if path == "/_sim/expire_tokens":
            self.expire_tokens()
            return {"expired": True}
        with self.lock:
            return {"operations": [op.to_dict() for op in self.operations.values()],
                    "tokens": len(self.tokens), "requests": len(self.requests)}


def _error(status_code, text):
    return 200, {"statusCode": status_code, "errorText": text}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, handler, simulator):
        self.simulator = simulator
        self.ssl_context = None
        if simulator.certfile:
            self.ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.ssl_context.load_cert_chain(simulator.certfile, simulator.keyfile)
        super().__init__(address, handler)

    def finish_request(self, request, client_address):
        if self.ssl_context:
            request.settimeout(10)
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        sim = self.server.simulator
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/_sim/"):
            self._reply(200, sim.control(parts.path, params))
            return
        if not parts.path.startswith("/v2/"):
            self._reply(404, {"statusCode": 404, "errorText": "Invalid Url. Please, contact developers"})
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        answer = sim.handle(parts.path[4:], params, headers)
        if answer is None:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._reply(*answer)

    def _reply(self, status, body):
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Kaspi POS terminal simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--step", type=float, default=2.0, help="seconds per waiting stage")
    parser.add_argument("--no-token", action="store_true", help="accept calls without a token")
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    args = parser.parse_args(argv)
    sim = KaspiTerminalSimulator(args.host, args.port, require_token=not args.no_token, step=args.step,
                                 certfile=args.certfile, keyfile=args.keyfile)
    sim.start()
    print(f"Kaspi terminal simulator on {sim.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        sim.stop()


if __name__ == "__main__":
    main()
