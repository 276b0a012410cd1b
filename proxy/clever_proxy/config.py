"""Configuration file of the proxy (JSON).

Relative paths in the file are relative to the folder of the file. Every key is optional; see
``proxy.example.json`` and the README for the meaning of each one.
"""

import copy
import json
import os
from dataclasses import dataclass, field

DEFAULT_PORT = 8089
PAPER_DOTS = {58: 384, 80: 576}
PRINTER_KINDS = ("network", "usb", "device", "windows", "file")


class ConfigError(ValueError):
    pass


@dataclass
class PrinterConfig:
    name: str
    kind: str = "network"
    address: str = ""
    paper: int = 80
    dots: int = 0  # printable width in dots; 0 = from paper (58 mm -> 384, 80 mm -> 576)
    cut: str = "full"  # full | partial | none
    drawer_pin: int = 2  # 2 or 5; 0 = no drawer on this printer
    dither: bool = False
    threshold: int = 150
    status_query: bool = True
    timeout: float = 10.0
    feed_lines: int = 4

    @property
    def width_dots(self):
        return self.dots or PAPER_DOTS[self.paper]


@dataclass
class TerminalConfig:
    host: str = ""
    port: int = 8080
    scheme: str = "https"
    name: str = "Clever POS"
    token_file: str = "kaspi_terminal.json"
    verify_tls: bool = False
    ca_file: str = ""
    own_cheque: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    register_timeout: float = 120.0
    poll_interval: float = 1.0
    actualize_interval: float = 10.0
    wait_budget: float = 240.0
    wait_giveup: float = 900.0
    unknown_budget: float = 180.0
    lost_budget: float = 600.0
    review_interval: float = 30.0
    refresh_margin: float = 1800.0


@dataclass
class ProxyConfig:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    allowed_hosts: list = field(default_factory=list)
    tls_cert: str = ""
    tls_key: str = ""
    state_dir: str = "state"
    pairing_code: str = ""
    pairing_code_ttl: float = 900.0
    require_key_on_hw_proxy: bool = True
    default_printer: str = ""
    printers: dict = field(default_factory=dict)
    terminal: TerminalConfig = field(default_factory=TerminalConfig)
    status_cache_seconds: float = 10.0
    max_body_bytes: int = 16 * 1024 * 1024
    log_level: str = "INFO"
    base_dir: str = "."

    def path(self, value):
        """Absolute path of a path from the config file."""
        value = os.path.expanduser(value)
        return value if os.path.isabs(value) else os.path.join(self.base_dir, value)

    @property
    def state_path(self):
        return self.path(self.state_dir)

    @property
    def token_path(self):
        token_file = self.terminal.token_file
        if os.path.isabs(os.path.expanduser(token_file)):
            return os.path.expanduser(token_file)
        return os.path.join(self.state_path, token_file)

    def printer(self, name=None):
        name = name or self.default_printer or next(iter(self.printers), "")
        return self.printers.get(name)


def _take(section, cls, where, extra=None):
    data = dict(section or {})
    known = {f for f in cls.__dataclass_fields__}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    data.update(extra or {})
    try:
        return cls(**data)
    except TypeError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def from_dict(data, base_dir="."):
    data = copy.deepcopy(data or {})
    listen = data.pop("listen", {}) or {}
    printers = data.pop("printers", {}) or {}
    terminal = data.pop("terminal", {}) or {}
    pairing = data.pop("pairing", {}) or {}
    allowed = {
        "state_dir",
        "require_key_on_hw_proxy",
        "default_printer",
        "status_cache_seconds",
        "max_body_bytes",
        "log_level",
    }
    unknown = set(data) - allowed
    if unknown:
        raise ConfigError(f"unknown keys {sorted(unknown)}")
    unknown = set(listen) - {"host", "port", "allowed_hosts", "tls_cert", "tls_key"}
    if unknown:
        raise ConfigError(f"listen: unknown keys {sorted(unknown)}")
    unknown = set(pairing) - {"code", "code_ttl"}
    if unknown:
        raise ConfigError(f"pairing: unknown keys {sorted(unknown)}")
    cfg = ProxyConfig(
        base_dir=os.path.abspath(base_dir),
        terminal=_take(terminal, TerminalConfig, "terminal"),
        **{k: v for k, v in listen.items()},
        **data,
    )
    if pairing.get("code"):
        cfg.pairing_code = str(pairing["code"])
    if pairing.get("code_ttl"):
        cfg.pairing_code_ttl = float(pairing["code_ttl"])
    for name, section in printers.items():
        printer = _take(section, PrinterConfig, f"printers.{name}", {"name": name})
        if printer.kind not in PRINTER_KINDS:
            raise ConfigError(f"printers.{name}.kind must be one of {PRINTER_KINDS}")
        if not printer.dots and printer.paper not in PAPER_DOTS:
            raise ConfigError(f"printers.{name}.paper must be 58 or 80 (or set dots)")
        if printer.cut not in ("full", "partial", "none"):
            raise ConfigError(f"printers.{name}.cut must be full, partial or none")
        if printer.drawer_pin not in (0, 2, 5):
            raise ConfigError(f"printers.{name}.drawer_pin must be 2, 5 or 0")
        if not printer.address:
            raise ConfigError(f"printers.{name}.address is required")
        cfg.printers[name] = printer
    if cfg.default_printer and cfg.default_printer not in cfg.printers:
        raise ConfigError(f"default_printer {cfg.default_printer!r} is not in printers")
    if not isinstance(cfg.port, int) or not 0 <= cfg.port <= 65535:
        raise ConfigError("listen.port must be a port number")
    if cfg.terminal.scheme not in ("http", "https"):
        raise ConfigError("terminal.scheme must be http or https")
    if bool(cfg.tls_cert) != bool(cfg.tls_key):
        raise ConfigError("listen.tls_cert and listen.tls_key go together")
    return cfg


def load(path):
    with open(path, encoding="utf-8") as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    return from_dict(data, base_dir=os.path.dirname(os.path.abspath(path)))
