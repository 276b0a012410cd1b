"""Helpers of the device proxy tests (a module with its own name: test modules import it)."""

import base64
import io
import json
import os
import sys
import time
import urllib.error
import urllib.request

PROXY_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "proxy"))
if PROXY_DIR not in sys.path:
    sys.path.insert(0, PROXY_DIR)

from clever_proxy import config as proxy_config  # noqa: E402,F401 (for conftest)
from clever_proxy.server import RunningProxy  # noqa: E402
from simulators.escpos_printer import EscposPrinterSimulator  # noqa: E402,F401
from simulators.kaspi_terminal import KaspiTerminalSimulator  # noqa: E402,F401

ORIGIN = "https://shop.example.kz"
PAIRING_CODE = "24681357"


class ProxyClient:
    """Calls the proxy as the POS page does: JSON-RPC 2.0 over POST, with Origin and key headers."""

    def __init__(self, url, origin=ORIGIN, key=None, admin_key=None):
        self.url = url
        self.origin = origin
        self.key = key
        self.admin_key = admin_key

    def request(self, method, path, body=None, headers=None, origin="default"):
        origin = self.origin if origin == "default" else origin
        all_headers = {}
        if origin:
            all_headers["Origin"] = origin
        all_headers.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), exc.headers

    def rpc(self, path, params=None, key="default", admin_key=None, origin="default"):
        """(http status, JSON-RPC answer, headers)."""
        headers = {}
        key = self.key if key == "default" else key
        if key:
            headers["X-Clever-Proxy-Key"] = key
        if admin_key or (admin_key is None and path.endswith(("/register", "/unpair")) and self.admin_key):
            headers["X-Clever-Admin-Key"] = admin_key or self.admin_key
        status, raw, response_headers = self.request(
            "POST", path, {"jsonrpc": "2.0", "method": "call", "params": params or {}, "id": 7},
            headers, origin,
        )
        return status, (json.loads(raw) if raw else None), response_headers

    def result(self, path, params=None, **kwargs):
        status, answer, _headers = self.rpc(path, params, **kwargs)
        assert status == 200, (status, answer)
        assert "error" not in answer, answer
        return answer["result"]

    def pair(self, code=PAIRING_CODE):
        keys = self.result("/clever/pair", {"code": code, "name": "Till 1"}, key=None)
        self.key, self.admin_key = keys["key"], keys["admin_key"]
        return keys


class ProxyHandle:
    def __init__(self, cfg):
        self.cfg = cfg
        self.running = RunningProxy(cfg)
        self.client = ProxyClient(self.running.url)

    @property
    def app(self):
        return self.running.app

    @property
    def url(self):
        return self.running.url

    def restart(self):
        """Stop the process's server and start a new one on the same state (as after a crash)."""
        key, admin_key = self.client.key, self.client.admin_key
        self.running.stop()
        self.running = RunningProxy(self.cfg)
        self.client = ProxyClient(self.running.url, key=key, admin_key=admin_key)
        return self.client

    def stop(self):
        if self.running:
            self.running.stop()
            self.running = None


FAST_TERMINAL = {
    "scheme": "http",
    "poll_interval": 0.1,
    "actualize_interval": 0.3,
    "wait_budget": 0.6,
    "unknown_budget": 1.0,
    "lost_budget": 1.0,
    "review_interval": 0.3,
    "connect_timeout": 1.0,
    "read_timeout": 3.0,
    "register_timeout": 3.0,
}


def wait_until(predicate, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(interval)


def jpeg_b64(image, quality=90):
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=quality)
    return base64.b64encode(buffer.getvalue()).decode()
