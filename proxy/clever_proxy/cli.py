"""Command line: ``python -m clever_proxy --config proxy.json [command]``.

Commands: ``serve`` (default), ``pair``, ``unpair``, ``pairings``, ``register-terminal``,
``test-print``. The proxy refuses to run as root / as an elevated Windows administrator unless
``--allow-root`` is given: it parses images and JSON from the network and needs no privilege
(TCP 9100 and port 8089 are unprivileged; a USB printer needs only the ``lp`` group).
"""

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time

from . import __version__, config as config_module
from .pairing import Pairing
from .server import ProxyApp, make_server
from .store import Store

_logger = logging.getLogger("clever_proxy")

ROOT_REFUSAL = (
    "clever_proxy refuses to run as root (or as an elevated Windows administrator).\n"
    "It reads receipt images and JSON sent over the network: run it as an ordinary user so a\n"
    "flaw cannot take over the machine. It needs no privilege (ports above 1024, TCP 9100;\n"
    "for a USB printer add the user to the 'lp' group). Use --allow-root only if you must."
)


def is_privileged(platform=None, euid=None):
    platform = platform or sys.platform
    if platform == "win32":
        try:
            import ctypes

            return bool(ctypes.windll.shell32.IsUserAnAdmin())
        except (AttributeError, OSError):
            return False
    if euid is None:
        euid = os.geteuid()
    return euid == 0


def default_config_path():
    path = os.environ.get("CLEVER_PROXY_CONFIG")
    if path:
        return path
    return "proxy.json" if os.path.exists("proxy.json") else None


def user_data_dir():
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
        return os.path.join(base, "CleverProxy")
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return os.path.join(base, "clever_proxy")


def load_config(args):
    path = args.config or default_config_path()
    if path:
        cfg = config_module.load(path)
    else:
        os.makedirs(user_data_dir(), exist_ok=True)
        cfg = config_module.from_dict({}, base_dir=user_data_dir())
    if args.host:
        cfg.host = args.host
    if args.port is not None:
        cfg.port = args.port
    if args.log_level:
        cfg.log_level = args.log_level
    return cfg


def build_parser():
    parser = argparse.ArgumentParser(prog="clever_proxy", description="Clever POS local device proxy")
    parser.add_argument("--config", "-c", help="JSON config file (default: $CLEVER_PROXY_CONFIG or ./proxy.json)")
    parser.add_argument("--host", help="listen address (overrides the config)")
    parser.add_argument("--port", type=int, help="listen port (overrides the config)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING")
    parser.add_argument("--log-file", help="also log to this file")
    parser.add_argument("--allow-root", action="store_true", help="run even as root / administrator")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the proxy (default)")
    pair = sub.add_parser("pair", help="pair an Odoo origin from this machine, print its keys")
    pair.add_argument("--origin", required=True, help="e.g. https://shop.example.kz")
    pair.add_argument("--name", default="")
    unpair = sub.add_parser("unpair", help="remove a paired origin")
    unpair.add_argument("--origin", required=True)
    sub.add_parser("pairings", help="list paired origins")
    register = sub.add_parser("register-terminal", help="register on the Kaspi terminal (approve on its screen)")
    register.add_argument("--terminal-host")
    register.add_argument("--terminal-port", type=int)
    register.add_argument("--scheme", choices=("http", "https"))
    register.add_argument("--name")
    test_print = sub.add_parser("test-print", help="print a test page")
    test_print.add_argument("--printer")
    return parser


def setup_logging(level, log_file=None):
    handlers = [logging.StreamHandler()] if sys.stderr else []  # pythonw.exe has no console
    if log_file or not handlers:
        log_file = log_file or os.path.join(user_data_dir(), "proxy.log")
        os.makedirs(os.path.dirname(os.path.abspath(log_file)), exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(
        level=getattr(logging, str(level).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
    )


def serve(cfg):
    app = ProxyApp(cfg)
    try:
        server = make_server(app)
    except OSError as exc:
        app.close()
        print(f"cannot listen on {cfg.host}:{cfg.port}: {exc}", file=sys.stderr)
        return 1
    app.start()
    host, port = server.server_address[:2]
    scheme = "https" if server.ssl_context else "http"
    shown_host = f"[{host}]" if ":" in host else host
    _logger.warning("Clever POS proxy %s listening on %s://%s:%s", __version__, scheme, shown_host, port)
    code = app.pairing.current_code
    if code:
        if cfg.pairing_code:
            validity = "fixed code from the config"
        else:
            validity = f"valid {int(cfg.pairing_code_ttl // 60)} min, one use"
        _logger.warning("pairing code: %s-%s (%s)", code[:4], code[4:], validity)
    for pairing in app.store.pairings():
        _logger.info("paired origin: %s", pairing["origin"])
    if sys.stdout:
        print(f"READY {scheme}://{shown_host}:{port}", flush=True)

    def stop(*_args):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    if hasattr(signal, "SIGBREAK"):  # Windows console close / Ctrl+Break
        signal.signal(signal.SIGBREAK, stop)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.close()
        _logger.warning("Clever POS proxy stopped")
    return 0


def main(argv=None):
    args = build_parser().parse_args(argv)
    if is_privileged() and not args.allow_root:
        print(ROOT_REFUSAL, file=sys.stderr)
        return 2
    try:
        cfg = load_config(args)
    except (OSError, config_module.ConfigError) as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(cfg.log_level, args.log_file)
    command = args.command or "serve"
    if command == "serve":
        return serve(cfg)
    if command in ("pair", "unpair", "pairings"):
        store = Store(cfg.state_path)
        pairing = Pairing(store)
        try:
            if command == "pair":
                print(json.dumps(pairing.add(args.origin, args.name), indent=1))
            elif command == "unpair":
                print("removed" if pairing.remove(args.origin) else "not paired")
            else:
                for row in store.pairings():
                    paired_at = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["paired_at"]))
                    print(f"{row['origin']}\t{row['name'] or ''}\t{paired_at}")
        finally:
            store.close()
        return 0
    app = ProxyApp(cfg)
    try:
        if command == "register-terminal":
            print("Approve the registration on the terminal's screen...", file=sys.stderr)
            result = app.terminal.register(args.terminal_host, args.terminal_port, args.scheme, args.name)
        else:
            printer = app.printer(args.printer)
            result = printer.print_test_page(time.strftime("%Y-%m-%d %H:%M:%S")) if printer else {
                "result": False, "code": "printer_not_configured"}
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return 0 if result.get("registered") or result.get("result") else 1
    finally:
        app.close()
