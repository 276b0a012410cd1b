"""The simulator also runs as a script (``--port``), driven through its /_sim routes."""

import socket
import subprocess
import sys
from pathlib import Path

import requests
from shop_api import KaspiShopClient
from shop_api.simulator import DEFAULT_TOKEN

SIMULATOR = Path(__file__).resolve().parents[2] / "addons" / "clever_pos_kaspi" / "shop_api" / "simulator.py"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_simulator_as_a_script():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SIMULATOR), "--port", str(port), "--orders", "25", "--seed", "5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/shop/api/v2" in banner and "25 orders" in banner
        base = f"http://127.0.0.1:{port}"
        with KaspiShopClient(DEFAULT_TOKEN, base_url=f"{base}/shop/api/v2", timeout=(2, 5)) as client:
            start = 1740769200000  # the simulator's default start, 2025-03-01 00:00 Almaty
            first = client.fetch_orders(start, start + 20 * 24 * 3600 * 1000)
            order = next(o for o in first.orders if o.status == "APPROVED_BY_BANK")
            control = requests.post(
                f"{base}/_sim/orders/{order.id}", json={"status": "CANCELLED", "state": "ARCHIVE"}, timeout=5
            )
            second = client.fetch_orders(start, start + 20 * 24 * 3600 * 1000)
        assert len(first.orders) == 25 and control.status_code == 200
        assert {o.id: o.status for o in second.orders}[order.id] == "CANCELLED"
        assert requests.get(f"{base}/_sim/stats", timeout=5).json()["requests"] == first.requests + second.requests
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0
