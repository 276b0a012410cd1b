"""Kaspi orders client benchmark: 5,000 orders (20,000 entries) from the local simulator.

Usage (from the repository root):

    .venv/bin/python bench/kaspi_orders_client.py [--orders 5000] [--entries-per-order 4] [--span-days 28]

The Kaspi Shop API simulator (``addons/clever_pos_kaspi/shop_api/simulator.py``) is started as a
separate process on a free port of 127.0.0.1 and seeded with N orders spread over the span
(the default 28 days need 3 overlapping windows of at most 14 days). The client then:

* import: lists the whole span the way the Odoo cron will (one pass per state, every page of
  100, entries embedded with ``include[orders]=entries``);
* re-import: lists the same span again (what every later cron run costs when nothing changed);
* per-order entries (for reference): the same listing without ``include``, then
  ``GET /orders/{id}/entries`` for each order, which is what the import falls back to if Kaspi
  ignores ``include`` on a real account.

For each it records wall time, requests (counted by the client and checked against the
simulator's own count), requests per order and milliseconds per order, and writes
``bench/results/kaspi_orders_client.json``.

What this does not measure: Kaspi's network latency (the simulator answers from the same
machine; multiply the request counts by the real round trip, typically a few hundred ms from
Kazakhstan, to estimate a real import), and the Odoo side. The issue's bench also counts Odoo
SQL queries per imported order; that part comes with the Odoo import models of
``clever_pos_kaspi`` and will be added to this file then.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOP_API_PARENT = os.path.join(ROOT, "addons", "clever_pos_kaspi")
RESULTS = os.path.join(ROOT, "bench", "results", "kaspi_orders_client.json")
sys.path.insert(0, SHOP_API_PARENT)

import requests  # noqa: E402
from shop_api import KaspiShopClient  # noqa: E402
from shop_api.simulator import DEFAULT_START, DEFAULT_TOKEN  # noqa: E402

from kaspi_simulator_process import start_simulator as start_kaspi_simulator  # noqa: E402


def start_simulator(args):
    process, root = start_kaspi_simulator(args.orders, args.entries_per_order, args.span_days, args.seed)
    return process, root


def server_requests(base):
    return requests.get(f"{base}/_sim/stats", timeout=10).json()["requests"]


def measure(name, base, run):
    before = server_requests(base)
    started = time.perf_counter()
    orders, entries, client_requests, extra = run()
    seconds = time.perf_counter() - started
    served = server_requests(base) - before
    if served != client_requests:
        raise SystemExit(f"{name}: the client counted {client_requests} requests, the simulator {served}")
    return {
        "seconds": round(seconds, 3),
        "orders": orders,
        "entries": entries,
        "requests": client_requests,
        "requests_per_order": round(client_requests / orders, 4),
        "ms_per_order": round(seconds * 1000 / orders, 3),
        **extra,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--entries-per-order", type=int, default=4)
    parser.add_argument("--span-days", type=int, default=28)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    process, base = start_simulator(args)
    start_ms = int(DEFAULT_START.timestamp() * 1000)
    end_ms = start_ms + args.span_days * 24 * 3600 * 1000
    try:
        client = KaspiShopClient(DEFAULT_TOKEN, base_url=f"{base}/shop/api/v2", timeout=(5, 60))

        def listing(include=("entries",)):
            def run():
                batch = client.fetch_orders(start_ms, end_ms, include=include)
                extra = {
                    "windows": batch.windows,
                    "passes": batch.passes,
                    "pages": batch.pages,
                    "received": batch.received,
                    "retries": batch.retries,
                    "complete": batch.complete,
                }
                return len(batch.orders), batch.entries, batch.requests, extra

            return run

        def per_order_entries():
            requests_before = client.requests_sent
            batch = client.fetch_orders(start_ms, end_ms, include=())
            entries = sum(len(client.get_entries(order.id)) for order in batch.orders)
            return len(batch.orders), entries, client.requests_sent - requests_before, {"pages": batch.pages}

        runs = {
            "import": measure("import", base, listing()),
            "reimport_same_window": measure("reimport", base, listing()),
            "per_order_entries_fallback": measure("per-order entries", base, per_order_entries),
        }
        client.close()
    finally:
        process.terminate()
        process.wait(timeout=10)

    for name, run in runs.items():
        if run["orders"] != args.orders or run["entries"] != args.orders * args.entries_per_order:
            raise SystemExit(f"{name}: expected {args.orders} orders, got {run['orders']} / {run['entries']} entries")
    result = {
        "bench": "kaspi_orders_client",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "setup": {
            "orders": args.orders,
            "entries_per_order": args.entries_per_order,
            "span_days": args.span_days,
            "page_size": 100,
            "window_days": 14,
            "window_overlap_hours": 6,
            "states_per_window": 6,
            "simulator": "separate process on 127.0.0.1, no network latency",
        },
        "runs": runs,
        "not_measured": "Odoo SQL queries per imported order: added with the Odoo import of clever_pos_kaspi.",
    }
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")
    sys.stdout.write(f"{'run':30} {'s':>8} {'requests':>9} {'req/order':>10} {'ms/order':>9}\n")
    for name, run in runs.items():
        per_order = f"{run['requests_per_order']:10.4f} {run['ms_per_order']:9.3f}"
        sys.stdout.write(f"{name:30} {run['seconds']:8.2f} {run['requests']:9d} {per_order}\n")
    sys.stdout.write(f"written to {os.path.relpath(RESULTS, ROOT)}\n")


if __name__ == "__main__":
    main()
