"""The shop's devices for the tests: the Clever device proxy as a real process
(``python -m clever_proxy``) on a free port of 127.0.0.1, with the ESC/POS printer and the Kaspi
terminal simulators of ``proxy/simulators`` (in this process, scripted by the tests)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

PROXY_DIR = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "proxy"))
if PROXY_DIR not in sys.path:
    sys.path.insert(0, PROXY_DIR)

from simulators.escpos_printer import EscposPrinterSimulator  # noqa: E402
from simulators.kaspi_terminal import KaspiTerminalSimulator  # noqa: E402

PAIRING_CODE = "24681357"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CleverDeviceSetup:
    """Mixed into TransactionCase / HttpCase classes; ``_start_devices()`` in setUpClass."""

    proxy_process = None

    @classmethod
    def _start_devices(cls, terminal=None):
        cls.printer = EscposPrinterSimulator("127.0.0.1", 0, paper_dots=576).start()
        cls.terminal = KaspiTerminalSimulator("127.0.0.1", port=0, step=0.3).start()
        cls.proxy_dir = tempfile.mkdtemp(prefix="clever_proxy_test_")
        cls.proxy_port = free_port()
        cls.proxy_url = f"http://127.0.0.1:{cls.proxy_port}"
        config = {
            "listen": {"host": "127.0.0.1", "port": cls.proxy_port},
            "pairing": {"code": PAIRING_CODE},
            "state_dir": "state",
            "default_printer": "receipt",
            "printers": {"receipt": {"kind": "network", "address": cls.printer.address, "paper": 80, "timeout": 3}},
            "terminal": {
                "scheme": "http",
                "name": "Clever test till",
                "poll_interval": 0.3,
                "actualize_interval": 2.0,
                "wait_budget": 60,
                "wait_giveup": 300,
                "unknown_budget": 60,
                "lost_budget": 60,
                "connect_timeout": 1.0,
                "read_timeout": 3.0,
                "register_timeout": 5.0,
                **(terminal or {}),
            },
            "status_cache_seconds": 1,
            "log_level": "INFO",
        }
        cls.proxy_config_path = os.path.join(cls.proxy_dir, "proxy.json")
        with open(cls.proxy_config_path, "w", encoding="utf-8") as handle:
            json.dump(config, handle)
        cls.addClassCleanup(cls._stop_devices)
        cls._start_proxy()

    @classmethod
    def _start_proxy(cls):
        log = open(os.path.join(cls.proxy_dir, "proxy.log"), "ab")  # noqa: SIM115 - closed in _stop_proxy
        cls.proxy_log = log
        cls.proxy_process = subprocess.Popen(
            [sys.executable, "-m", "clever_proxy", "--config", cls.proxy_config_path, "--allow-root"],
            cwd=PROXY_DIR,
            stdout=subprocess.PIPE,
            stderr=log,
        )
        deadline = time.monotonic() + 30
        line = b""
        while time.monotonic() < deadline:
            line = cls.proxy_process.stdout.readline()
            if line.startswith(b"READY") or cls.proxy_process.poll() is not None:
                break
        if not line.startswith(b"READY"):
            cls._stop_proxy()
            raise RuntimeError(f"the device proxy did not start: {cls.proxy_log_text()[-2000:]}")

    @classmethod
    def _stop_proxy(cls):
        process = cls.proxy_process
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if process and process.stdout:
            process.stdout.close()
        cls.proxy_process = None
        if getattr(cls, "proxy_log", None):
            cls.proxy_log.close()
            cls.proxy_log = None

    @classmethod
    def restart_proxy(cls, pause=0.0):
        """Stop the proxy process (as a crash or a reboot of the till PC) and start it again on the
        same port and state."""
        cls._stop_proxy()
        time.sleep(pause)
        cls._start_proxy()

    @classmethod
    def proxy_log_text(cls):
        try:
            with open(os.path.join(cls.proxy_dir, "proxy.log"), encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError:
            return ""

    @classmethod
    def _stop_devices(cls):
        cls._stop_proxy()
        cls.terminal.stop()
        cls.printer.stop()
        shutil.rmtree(cls.proxy_dir, ignore_errors=True)

    @classmethod
    def _pair_and_register(cls, config, origin):
        """As an administrator does it once in the register's settings."""
        config.write(
            {
                "proxy_ip": cls.proxy_url,
                "is_posbox": True,
                "iface_print_via_proxy": True,
                "clever_kaspi_terminal_host": "127.0.0.1",
                "clever_kaspi_terminal_port": cls.terminal.port,
            }
        )
        config.clever_proxy_pair(PAIRING_CODE, origin)
        answer = config.action_clever_kaspi_register()
        assert answer["params"]["type"] == "success", answer
