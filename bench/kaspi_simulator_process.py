"""The Kaspi Shop API simulator as a separate process on a free port of 127.0.0.1, shared by the
Kaspi orders benchmarks (so that its work is not counted in the measured process)."""

import os
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIMULATOR = os.path.join(ROOT, "addons", "clever_pos_kaspi", "shop_api", "simulator.py")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_simulator(orders, entries_per_order, span_days, seed):
    """Start the simulator with generated orders; returns (process, root URL)."""
    port = free_port()
    command = [
        sys.executable, SIMULATOR, "--port", str(port), "--orders", str(orders),
        "--entries-per-order", str(entries_per_order), "--span-days", str(span_days), "--seed", str(seed),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    banner = process.stdout.readline()
    if "simulator on" not in banner:
        process.kill()
        raise SystemExit(f"The simulator did not start: {banner!r}")
    return process, f"http://127.0.0.1:{port}"
