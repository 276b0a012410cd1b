"""HTTP client of the Kaspi POS terminal's local API (``/v2/...``, GET with query parameters).

Every answer is the envelope ``{"statusCode": 0, "errorText": "...", "data": {...}}``. The client
separates three kinds of failure, because a payment request that failed *before* reaching the
terminal can be retried while one that failed *after* may have charged the customer:

- :class:`NotSent`: the connection could not be opened (nothing reached the terminal);
- :class:`NoAnswer`: the request was sent but no valid answer came back (outcome unknown);
- :class:`TerminalError`: the terminal answered with a non-zero ``statusCode``;
  :class:`TokenRejected` for HTTP 401/403 (token unknown or expired).

The terminal's certificate is self-signed, so it is not verified against a CA by default; instead
its SHA-256 fingerprint is pinned at registration and checked on every connection.
"""

import hashlib
import http.client
import json
import logging
import socket
import ssl
from urllib.parse import urlencode

_logger = logging.getLogger(__name__)


class KaspiFailure(Exception):
    code = "terminal_error"


class NotSent(KaspiFailure):
    code = "terminal_unreachable"


class CertificateChanged(NotSent):
    code = "terminal_certificate_changed"


class NoAnswer(KaspiFailure):
    code = "terminal_unreachable"


class TerminalError(KaspiFailure):
    def __init__(self, status_code, text="", data=None):
        super().__init__(f"{status_code}: {text}")
        self.status_code = status_code
        self.text = text
        self.data = data or {}

    @property
    def code(self):
        return {
            101: "process_not_found",
            103: "outcome_unknown",
            107: "terminal_busy",
            999: "invalid_params",
        }.get(self.status_code, "terminal_error")


class TokenRejected(TerminalError):
    code = "token_invalid"


class KaspiClient:
    def __init__(self, host, port=8080, scheme="https", connect_timeout=5.0, read_timeout=30.0,
                 verify_tls=False, ca_file="", fingerprint=None):
        self.host = host
        self.port = int(port)
        self.scheme = scheme
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.verify_tls = verify_tls
        self.ca_file = ca_file
        self.fingerprint = fingerprint
        self.seen_fingerprint = None

    def _ssl_context(self):
        if self.verify_tls:
            context = ssl.create_default_context(cafile=self.ca_file or None)
            context.check_hostname = False  # the terminal is addressed by IP
            return context
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context

    def _connection(self, read_timeout):
        if self.scheme == "https":
            conn = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.connect_timeout, context=self._ssl_context()
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
        try:
            conn.connect()
        except (OSError, ssl.SSLError) as exc:
            conn.close()
            raise NotSent(f"{self.host}:{self.port}: {exc}") from exc
        if self.scheme == "https":
            der = conn.sock.getpeercert(binary_form=True) or b""
            self.seen_fingerprint = hashlib.sha256(der).hexdigest()
            if self.fingerprint and self.seen_fingerprint != self.fingerprint:
                conn.close()
                raise CertificateChanged(
                    f"certificate {self.seen_fingerprint} is not the registered {self.fingerprint}"
                )
        conn.sock.settimeout(read_timeout)
        return conn

    def call(self, method, params=None, token=None, read_timeout=None):
        """``data`` of the answer to ``GET /v2/<method>?<params>``."""
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        path = f"/v2/{method}" + (f"?{query}" if query else "")
        headers = {"Accept": "application/json"}
        if token:
            headers["accesstoken"] = token
        conn = self._connection(read_timeout or self.read_timeout)
        try:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException, socket.timeout) as exc:
                raise NoAnswer(f"{method}: {type(exc).__name__}: {exc}") from exc
        finally:
            conn.close()
        try:
            envelope = json.loads(body.decode("utf-8")) if body else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            envelope = None
        if response.status in (401, 403):
            text = envelope.get("errorText", "") if isinstance(envelope, dict) else ""
            raise TokenRejected(response.status, text or "authorization failed")
        if not isinstance(envelope, dict):
            raise NoAnswer(f"{method}: HTTP {response.status}, not a JSON envelope")
        try:
            status_code = int(envelope.get("statusCode", 0 if response.status == 200 else response.status))
        except (TypeError, ValueError):
            status_code = -1
        data = envelope.get("data") if isinstance(envelope.get("data"), dict) else {}
        if status_code in (401, 403):
            raise TokenRejected(status_code, envelope.get("errorText", ""))
        if status_code != 0:
            raise TerminalError(status_code, envelope.get("errorText") or data.get("message", ""), data)
        _logger.debug("terminal %s -> %s", method, data)
        return data

    # API methods -----------------------------------------------------------------------------
    def register(self, name, read_timeout=None):
        return self.call("register", {"name": name}, read_timeout=read_timeout)

    def revoke(self, name, refresh_token, token):
        return self.call("revoke", {"name": name, "refreshToken": refresh_token}, token=token)

    def payment(self, amount, token, own_cheque=False):
        return self.call(
            "payment", {"amount": int(amount), "owncheque": "true" if own_cheque else "false"}, token=token
        )

    def refund(self, amount, method, transaction_id, token, own_cheque=False):
        return self.call(
            "refund",
            {
                "amount": int(amount),
                "method": method,
                "transactionId": transaction_id,
                "owncheque": "true" if own_cheque else "false",
            },
            token=token,
        )

    def status(self, process_id, token):
        return self.call("status", {"processId": process_id}, token=token)

    def actualize(self, process_id, token):
        return self.call("actualize", {"processId": process_id}, token=token)

    def deviceinfo(self, token):
        return self.call("deviceinfo", token=token)
