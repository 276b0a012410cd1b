"""Pairing: which Odoo origins may call the proxy, and with which keys.

1. At start the proxy logs a one-time pairing code (8 digits, valid ``pairing_code_ttl`` seconds,
   one use), or uses the fixed ``pairing.code`` from the config file.
2. The register settings page in Odoo (opened in a browser on the till PC) posts the code to
   ``/clever/pair``; the browser adds the ``Origin`` header of the Odoo site, which the page cannot
   forge. The proxy answers two random keys: the POS key (sent by the POS in ``X-Clever-Proxy-Key``
   on every call) and the admin key (``X-Clever-Admin-Key``, for registering the terminal and
   unpairing; kept on the Odoo server for administrators only).
3. From then on only that origin gets CORS headers, and every call must carry its key. The proxy
   stores only SHA-256 hashes of the keys.

Five wrong codes in a row lock pairing for five minutes.
"""

import hashlib
import hmac
import secrets
import threading
import time
from urllib.parse import urlsplit

MAX_FAILURES = 5
LOCK_SECONDS = 300.0


class PairingError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def normalize_origin(origin):
    """``https://Shop.example.kz:443/`` -> ``https://shop.example.kz``; None when not an origin."""
    if not origin or not isinstance(origin, str):
        return None
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if parts.scheme == "https" else 80
    if port and port != default:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def valid_key(key):
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return isinstance(key, str) and 32 <= len(key) <= 128 and set(key) <= allowed


def new_code():
    return f"{secrets.randbelow(10**8):08d}"


class Pairing:
    def __init__(self, store, fixed_code="", code_ttl=900.0, clock=time.time):
        self.store = store
        self.clock = clock
        self.fixed_code = (fixed_code or "").replace("-", "").replace(" ", "")
        self.code_ttl = code_ttl
        self._lock = threading.Lock()
        self._failures = 0
        self._locked_until = 0.0
        self._code = None
        self._code_until = 0.0
        if not self.fixed_code:
            self.renew_code()

    @property
    def current_code(self):
        """The code to show the person installing the register (None once used or expired)."""
        if self.fixed_code:
            return self.fixed_code
        if self._code and self.clock() < self._code_until:
            return self._code
        return None

    def renew_code(self):
        with self._lock:
            self._code = new_code()
            self._code_until = self.clock() + self.code_ttl
            return self._code

    def _check_code(self, code):
        code = str(code or "").replace("-", "").replace(" ", "")
        now = self.clock()
        if now < self._locked_until:
            raise PairingError("pairing_locked")
        expected = self.fixed_code or self._code
        if not self.fixed_code and (not self._code or now >= self._code_until):
            raise PairingError("pairing_code_expired")
        if not code or not hmac.compare_digest(code, expected or ""):
            self._failures += 1
            if self._failures >= MAX_FAILURES:
                self._failures = 0
                self._locked_until = now + LOCK_SECONDS
            raise PairingError("pairing_code_invalid")
        self._failures = 0
        if not self.fixed_code:
            self._code = None  # one use

    def pair(self, origin, code, name="", key=None, admin_key=None):
        normalized = normalize_origin(origin)
        if not normalized:
            raise PairingError("origin_invalid")
        for given in (key, admin_key):
            if given is not None and not valid_key(given):
                raise PairingError("invalid_params")
        with self._lock:
            self._check_code(code)
            return self.add(normalized, name, key, admin_key)

    def add(self, origin, name="", key=None, admin_key=None):
        """Pair ``origin`` (without a code: command line on the proxy host); returns the keys.

        Keys are generated unless given: a register used on several PCs (each with its proxy)
        pairs them all with the keys Odoo already holds for it.
        """
        normalized = normalize_origin(origin)
        if not normalized:
            raise PairingError("origin_invalid")
        key = key or secrets.token_urlsafe(32)
        admin_key = admin_key or secrets.token_urlsafe(32)
        if key == admin_key:
            raise PairingError("invalid_params")
        self.store.save_pairing(normalized, hash_key(key), hash_key(admin_key), name)
        return {"origin": normalized, "key": key, "admin_key": admin_key}

    def remove(self, origin):
        normalized = normalize_origin(origin)
        return bool(normalized) and self.store.delete_pairing(normalized)

    def is_paired(self, origin):
        normalized = normalize_origin(origin)
        return bool(normalized) and self.store.pairing(normalized) is not None

    def check_key(self, origin, key, admin=False):
        """The paired origin the key belongs to, or None.

        With an ``Origin`` header the key must be that origin's; without one (a program on the
        proxy host, not a browser) any paired origin's key is accepted.
        """
        if not key:
            return None
        column = "admin_key_hash" if admin else "key_hash"
        digest = hash_key(key)
        if origin:
            row = self.store.pairing(normalize_origin(origin) or "")
            rows = [row] if row else []
        else:
            rows = self.store.pairings()
        for row in rows:
            if hmac.compare_digest(row[column], digest):
                return row["origin"]
        return None
