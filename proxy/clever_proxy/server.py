"""HTTP server: the Odoo POS ``/hw_proxy`` routes plus our ``/clever`` routes, with CORS.

Every POST body is JSON-RPC 2.0 as the POS's ``rpc()`` sends it
(``{"jsonrpc": "2.0", "method": "call", "params": {...}, "id": n}``) and every answer is
``{"jsonrpc": "2.0", "id": n, "result": ...}`` or ``{..., "error": {"code", "message", "data"}}``
where ``error.data.code`` is one of :mod:`clever_proxy.codes`.

Access (see :mod:`clever_proxy.pairing`):

- a browser request whose ``Origin`` is not paired gets 403 and no CORS headers, preflight included
  (only ``/clever/pair`` answers any origin, and it needs the pairing code);
- ``/hw_proxy/hello`` needs no key (the POS fetches it without headers);
- the other ``/hw_proxy`` routes need the POS key (``X-Clever-Proxy-Key``) unless the config sets
  ``require_key_on_hw_proxy: false`` (for a stock POS without clever_pos_terminal);
- ``/clever/...`` routes need the POS key, and the administration routes the admin key
  (``X-Clever-Admin-Key``);
- the ``Host`` header must be an IP address, ``localhost`` or a name in ``listen.allowed_hosts``
  (a web page cannot then reach the proxy through DNS rebinding).
"""

import ipaddress
import json
import logging
import os
import secrets
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import __version__
from .codes import message
from .pairing import Pairing, PairingError, normalize_origin
from .printers import Printer
from .store import Store
from .terminal import TerminalService

_logger = logging.getLogger(__name__)

KEY_HEADER = "X-Clever-Proxy-Key"
ADMIN_HEADER = "X-Clever-Admin-Key"
ALLOWED_HEADERS = "content-type, x-clever-proxy-key, x-clever-admin-key"


class RouteError(Exception):
    def __init__(self, code, http_status=400):
        super().__init__(code)
        self.code = code
        self.http_status = http_status


def _param(params, name, kind=str, required=False, default=None):
    value = params.get(name, default)
    if value is None:
        if required:
            raise RouteError("invalid_params")
        return default
    if kind is bool:
        return bool(value)
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, kind):
        raise RouteError("invalid_params")
    return value


class ProxyApp:
    """Everything behind the HTTP routes; tests use it directly or through :func:`make_server`."""

    def __init__(self, config):
        self.config = config
        self.store = Store(config.state_path)
        self.pairing = Pairing(self.store, config.pairing_code, config.pairing_code_ttl)
        self.printers = {
            name: Printer(printer_config, config.status_cache_seconds)
            for name, printer_config in config.printers.items()
        }
        self.terminal = TerminalService(config, self.store)
        self.proxy_id = self._proxy_id()
        self.started_at = time.time()

    def _proxy_id(self):
        path = os.path.join(self.config.state_path, "proxy_id")
        try:
            with open(path, encoding="ascii") as handle:
                value = handle.read().strip()
            if value:
                return value
        except FileNotFoundError:
            pass
        value = secrets.token_hex(8)
        with open(path, "w", encoding="ascii") as handle:
            handle.write(value)
        return value

    def start(self):
        self.terminal.start()

    def close(self):
        self.terminal.stop()
        self.store.close()

    def printer(self, name=None):
        printer_config = self.config.printer(name)
        return self.printers.get(printer_config.name) if printer_config else None

    # routes ----------------------------------------------------------------------------------
    def hw_handshake(self, params, ctx):
        return True

    def hw_status_json(self, params, ctx):
        printer = self.printer()
        drivers = {
            "printer": printer.status_soon()
            if printer
            else {"status": "disconnected", "code": "printer_not_configured",
                  "messages": message("printer_not_configured")},
        }
        if self.terminal.address[0] or self.terminal.registration:
            drivers["kaspi_terminal"] = self.terminal.driver_status()
        return drivers

    def hw_default_printer_action(self, params, ctx):
        data = params.get("data")
        if not isinstance(data, dict):
            raise RouteError("invalid_params")
        printer_name = data.get("printer") if isinstance(data.get("printer"), str) else None
        printer = self.printer(printer_name)
        if not printer:
            return {"result": False, "code": "printer_not_configured", "message": message("printer_not_configured")}
        action = data.get("action")
        if action == "print_receipt":
            return printer.print_receipt(data.get("receipt"))
        if action == "cashbox":
            return printer.open_cashbox()
        if action == "status":
            return {"result": True, **printer.check_status()}
        return {"result": False, "code": "unknown_action", "message": message("unknown_action")}

    def pair(self, params, ctx):
        origin = ctx["origin"]
        claimed = params.get("origin")
        if origin and claimed and normalize_origin(claimed) != normalize_origin(origin):
            raise RouteError("origin_mismatch", 403)
        origin = origin or claimed
        try:
            keys = self.pairing.pair(origin, params.get("code"), str(params.get("name") or "")[:100],
                                     key=params.get("key"), admin_key=params.get("admin_key"))
        except PairingError as exc:
            raise RouteError(exc.code, 403) from exc
        _logger.warning("paired with %s (%s)", keys["origin"], params.get("name") or "")
        return {**keys, "code": "paired", "message": message("paired"), **self.info(params, ctx)}

    def unpair(self, params, ctx):
        origin = params.get("origin") or ctx["paired_origin"]
        removed = self.pairing.remove(origin)
        _logger.warning("unpaired %s", origin)
        return {"unpaired": removed, "code": "unpaired", "origin": normalize_origin(origin)}

    def info(self, params, ctx):
        return {
            "proxy_id": self.proxy_id,
            "version": __version__,
            "started_at": self.started_at,
            "hw_proxy_requires_key": self.config.require_key_on_hw_proxy,
            "printers": [self._printer_info(printer) for printer in self.printers.values()],
            "terminal": self.terminal.info(),
        }

    def _printer_info(self, printer):
        status = printer.status()
        return {
            "name": printer.config.name,
            "kind": printer.config.kind,
            "paper": printer.config.paper,
            "dots": printer.config.width_dots,
            "drawer": bool(printer.config.drawer_pin),
            "default": printer is self.printer(),
            "status": status["status"],
            "status_code": status["code"],
        }

    def printer_test(self, params, ctx):
        printer = self.printer(_param(params, "printer"))
        if not printer:
            return {"result": False, "code": "printer_not_configured", "message": message("printer_not_configured")}
        return printer.print_test_page(when=time.strftime("%Y-%m-%d %H:%M:%S"))

    def printer_status(self, params, ctx):
        printer = self.printer(_param(params, "printer"))
        if not printer:
            return {"status": "disconnected", "code": "printer_not_configured",
                    "messages": message("printer_not_configured")}
        return printer.check_status()

    def terminal_pay(self, params, ctx):
        return self.terminal.pay(
            _param(params, "payment_uuid", required=True),
            params.get("amount"),
            order_uuid=_param(params, "order_uuid"),
            retry=_param(params, "retry", bool, default=False),
            own_cheque=params.get("own_cheque"),
        )

    def terminal_refund(self, params, ctx):
        return self.terminal.refund(
            _param(params, "payment_uuid", required=True),
            params.get("amount"),
            order_uuid=_param(params, "order_uuid"),
            transaction_id=_param(params, "transaction_id"),
            method=_param(params, "method"),
            original_payment_uuid=_param(params, "original_payment_uuid"),
            retry=_param(params, "retry", bool, default=False),
            own_cheque=params.get("own_cheque"),
        )

    def _lookup(self, params):
        payment_uuid = _param(params, "payment_uuid")
        process_id = _param(params, "process_id")
        if not payment_uuid and not process_id:
            raise RouteError("invalid_params")
        return {"payment_uuid": payment_uuid, "process_id": process_id}

    def terminal_status(self, params, ctx):
        return self.terminal.status(**self._lookup(params))

    def terminal_cancel(self, params, ctx):
        return self.terminal.cancel(**self._lookup(params))

    def terminal_actualize(self, params, ctx):
        return self.terminal.actualize(**self._lookup(params))

    def terminal_resolve(self, params, ctx):
        return self.terminal.resolve(
            _param(params, "payment_uuid", required=True),
            _param(params, "outcome", required=True),
            note=_param(params, "note", default=""),
            transaction_id=_param(params, "transaction_id"),
            by=str(params.get("by") or ctx["paired_origin"] or "")[:200],
        )

    def terminal_test(self, params, ctx):
        return self.terminal.test()

    def terminal_register(self, params, ctx):
        port = params.get("port")
        if port is not None and not (isinstance(port, int) and 0 < port < 65536):
            raise RouteError("invalid_params")
        scheme = _param(params, "scheme")
        if scheme and scheme not in ("http", "https"):
            raise RouteError("invalid_params")
        return self.terminal.register(
            host=_param(params, "host"), port=port, scheme=scheme, name=_param(params, "name")
        )


# path -> (method name on ProxyApp, access level)
ROUTES = {
    "/hw_proxy/handshake": ("hw_handshake", "hw"),
    "/hw_proxy/status_json": ("hw_status_json", "hw"),
    "/hw_proxy/default_printer_action": ("hw_default_printer_action", "hw"),
    "/clever/pair": ("pair", "pair"),
    "/clever/unpair": ("unpair", "admin"),
    "/clever/info": ("info", "pos"),
    "/clever/printer/test": ("printer_test", "pos"),
    "/clever/printer/status": ("printer_status", "pos"),
    "/clever/terminal/pay": ("terminal_pay", "pos"),
    "/clever/terminal/status": ("terminal_status", "pos"),
    "/clever/terminal/cancel": ("terminal_cancel", "pos"),
    "/clever/terminal/refund": ("terminal_refund", "pos"),
    "/clever/terminal/actualize": ("terminal_actualize", "pos"),
    "/clever/terminal/resolve": ("terminal_resolve", "pos"),
    "/clever/terminal/test": ("terminal_test", "pos"),
    "/clever/terminal/register": ("terminal_register", "admin"),
}
HELLO = "/hw_proxy/hello"


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = f"CleverProxy/{__version__}"
    sys_version = ""
    timeout = 60

    @property
    def app(self):
        return self.server.app

    def log_message(self, fmt, *args):
        _logger.debug("%s %s", self.address_string(), fmt % args)

    # helpers ---------------------------------------------------------------------------------
    def _origin(self):
        return self.headers.get("Origin")

    def _cors_headers(self, origin, preflight=False):
        headers = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        if preflight:
            headers += [
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", ALLOWED_HEADERS),
                ("Access-Control-Max-Age", "600"),
            ]
            if self.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
                headers.append(("Access-Control-Allow-Private-Network", "true"))
        return headers

    def _send(self, status, body, content_type="application/json", cors_origin=None, preflight=False):
        payload = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if cors_origin:
            for name, value in self._cors_headers(cors_origin, preflight):
                self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and payload:
            self.wfile.write(payload)

    def _json(self, status, rpc_id, result=None, error_code=None, cors_origin=None):
        if error_code:
            body = {
                "jsonrpc": "2.0",
                "id": rpc_id,
                "error": {
                    "code": status,
                    "message": message(error_code),
                    "data": {"name": f"clever_proxy.{error_code}", "code": error_code,
                             "message": message(error_code)},
                },
            }
        else:
            body = {"jsonrpc": "2.0", "id": rpc_id, "result": result}
        self._send(status, json.dumps(body, ensure_ascii=False), cors_origin=cors_origin)

    def _host_allowed(self):
        host = self.headers.get("Host")
        if not host:
            return True
        try:
            hostname = urlsplit(f"//{host}").hostname or ""
        except ValueError:
            return False
        if hostname == "localhost" or hostname in self.server.allowed_hosts:
            return True
        try:
            ipaddress.ip_address(hostname)
        except ValueError:
            return False
        return True

    def _gate(self):
        """(origin to answer CORS for or None, refusal code or None) for a non-preflight request."""
        if not self._host_allowed():
            return None, "host_not_allowed"
        origin = self._origin()
        if origin is None:
            return None, None
        if self.app.pairing.is_paired(origin):
            return origin, None
        return None, "origin_not_paired"

    # verbs -----------------------------------------------------------------------------------
    def do_OPTIONS(self):
        origin = self._origin()
        path = urlsplit(self.path).path
        known = path in ROUTES or path == HELLO
        if (
            known
            and origin
            and self._host_allowed()
            and (path == "/clever/pair" or self.app.pairing.is_paired(origin))
        ):
            self._send(204, b"", cors_origin=origin, preflight=True)
            return
        _logger.info("refused preflight %s from %r", path, origin)
        self._send(403, b"")

    def do_GET(self):
        path = urlsplit(self.path).path
        cors_origin, refusal = self._gate()
        if refusal:
            _logger.info("refused GET %s from %r: %s", path, self._origin(), refusal)
            self._send(403, refusal, content_type="text/plain")
            return
        if path == HELLO:
            self._send(200, "ping", content_type="text/plain", cors_origin=cors_origin)
            return
        if path in ROUTES:
            self._send(405, "POST only", content_type="text/plain", cors_origin=cors_origin)
            return
        self._send(404, "not found", content_type="text/plain", cors_origin=cors_origin)

    def do_HEAD(self):
        self.do_GET()

    def _read_json(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise RouteError("bad_request") from None
        if length > self.app.config.max_body_bytes:
            raise RouteError("bad_request", 413)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RouteError("bad_request") from None
        if not isinstance(body, dict):
            raise RouteError("bad_request")
        return body

    def do_POST(self):
        path = urlsplit(self.path).path
        origin = self._origin()
        rpc_id = None
        route = ROUTES.get(path)
        if route and route[1] == "pair":
            cors_origin = origin if (origin and self._host_allowed()) else None
            refusal = None if self._host_allowed() else "host_not_allowed"
        else:
            cors_origin, refusal = self._gate()
        try:
            body = self._read_json()
            rpc_id = body.get("id")
            if refusal:
                raise RouteError(refusal, 403)
            if not route:
                raise RouteError("not_found", 404)
            method_name, access = route
            params = body.get("params") or {}
            if not isinstance(params, dict):
                raise RouteError("invalid_params")
            ctx = {"origin": origin, "paired_origin": None, "admin": False}
            self._authorize(access, ctx)
            result = getattr(self.app, method_name)(params, ctx)
        except RouteError as exc:
            if exc.http_status == 403:
                _logger.info("refused %s from %r: %s", path, origin, exc.code)
            self._json(exc.http_status, rpc_id, error_code=exc.code, cors_origin=cors_origin)
            return
        except Exception:  # noqa: BLE001 - answer, log, keep serving
            _logger.exception("error in %s", path)
            self._json(500, rpc_id, error_code="internal_error", cors_origin=cors_origin)
            return
        self._json(200, rpc_id, result=result, cors_origin=cors_origin)

    def _authorize(self, access, ctx):
        pairing = self.app.pairing
        key = self.headers.get(KEY_HEADER)
        admin_key = self.headers.get(ADMIN_HEADER)
        if access == "pair":
            return
        if admin_key:
            ctx["paired_origin"] = pairing.check_key(ctx["origin"], admin_key, admin=True)
            ctx["admin"] = bool(ctx["paired_origin"])
            if not ctx["admin"]:
                raise RouteError("admin_key_invalid", 403)
        elif key:
            ctx["paired_origin"] = pairing.check_key(ctx["origin"], key)
            if not ctx["paired_origin"]:
                raise RouteError("key_invalid", 403)
        if access == "admin" and not ctx["admin"]:
            raise RouteError("admin_key_invalid", 403)
        if access == "pos" and not ctx["paired_origin"]:
            raise RouteError("key_invalid", 403)
        if access == "hw" and self.app.config.require_key_on_hw_proxy and not ctx["paired_origin"]:
            raise RouteError("key_invalid", 403)


class ProxyHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # On Windows SO_REUSEADDR lets another program take over a port in use: never set it there.
    allow_reuse_address = sys.platform != "win32"

    def __init__(self, app, host, port, ssl_context=None):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.app = app
        self.ssl_context = ssl_context
        self.allowed_hosts = {h.lower() for h in app.config.allowed_hosts}
        super().__init__((host, port), ProxyHandler)

    def finish_request(self, request, client_address):
        if self.ssl_context:
            # TLS handshake in the request's own thread, not in the accepting loop.
            request.settimeout(10)
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                _logger.info("TLS handshake with %s failed: %s", client_address, exc)
                return
        super().finish_request(request, client_address)


def make_server(app, host=None, port=None):
    config = app.config
    ssl_context = None
    if config.tls_cert:
        ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ssl_context.load_cert_chain(config.path(config.tls_cert), config.path(config.tls_key))
    return ProxyHTTPServer(
        app, config.host if host is None else host, config.port if port is None else port, ssl_context
    )


class RunningProxy:
    """A proxy serving in a background thread (tests, embedding); ``stop()`` ends it."""

    def __init__(self, config):
        self.app = ProxyApp(config)
        self.server = make_server(self.app)
        self.app.start()
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, name="clever-proxy", daemon=True
        )
        self.thread.start()

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        scheme = "https" if self.server.ssl_context else "http"
        return f"{scheme}://{host}:{port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        self.app.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
