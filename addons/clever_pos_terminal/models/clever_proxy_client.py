"""HTTP client of the Clever POS device proxy (``proxy/`` at the repository root), used by the
register settings when the Odoo server can reach the proxy (same PC, or a box on the shop LAN).

The proxy speaks JSON-RPC 2.0 on POST. Calls carry no ``Origin`` header (a program, not a page): the
proxy accepts them with a valid key. Secrets never leave this class in an answer or a log line.
"""

import logging
from urllib.parse import urlsplit

import requests

_logger = logging.getLogger(__name__)

KEY_HEADER = "X-Clever-Proxy-Key"
ADMIN_HEADER = "X-Clever-Admin-Key"


class CleverProxyError(Exception):
    """The proxy refused the call or could not be reached; ``code`` is a proxy status code."""

    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def normalize_proxy_url(url):
    """``127.0.0.1:8089`` -> ``http://127.0.0.1:8089``; the POS adds 443/8069 to an address
    without a port, so the address is always stored with scheme and port."""
    url = (url or "").strip().rstrip("/")
    if not url:
        return ""
    if "://" not in url:
        url = f"http://{url}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    port = parts.port or (443 if parts.scheme == "https" else 8089)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port}"


class CleverProxyClient:
    def __init__(self, url, key=None, admin_key=None, timeout=10):
        self.url = normalize_proxy_url(url)
        self.key = key
        self.admin_key = admin_key
        self.timeout = timeout

    def call(self, route, params=None, admin=False, timeout=None):
        if not self.url:
            raise CleverProxyError("proxy_not_configured")
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers[KEY_HEADER] = self.key
        if admin and self.admin_key:
            headers[ADMIN_HEADER] = self.admin_key
        body = {"jsonrpc": "2.0", "method": "call", "params": params or {}, "id": 1}
        try:
            response = requests.post(self.url + route, json=body, headers=headers, timeout=timeout or self.timeout)
        except requests.exceptions.RequestException as exc:
            _logger.info("device proxy %s%s unreachable: %s", self.url, route, type(exc).__name__)
            raise CleverProxyError("proxy_unreachable", str(exc)) from exc
        try:
            answer = response.json()
        except ValueError as exc:
            raise CleverProxyError("proxy_unreachable", f"HTTP {response.status_code}") from exc
        if "error" in answer:
            code = ((answer["error"] or {}).get("data") or {}).get("code") or "internal_error"
            raise CleverProxyError(code, answer["error"].get("message") or "")
        return answer.get("result")

    def pair(self, code, origin, name, key=None, admin_key=None):
        params = {"code": code, "origin": origin, "name": name}
        if key and admin_key:
            params.update(key=key, admin_key=admin_key)
        return self.call("/clever/pair", params)
