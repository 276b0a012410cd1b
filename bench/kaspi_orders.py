"""Kaspi orders import benchmark: 5,000 orders (20,000 lines) from the local simulator into Odoo.

Usage (from the repository root):

    .venv/bin/python bench/kaspi_orders.py --database DB [--orders 5000] [--entries-per-order 4]

DB is a database with clever_pos_kaspi installed; it is copied to DB_kobench (dropped at the end
unless --keep). The Kaspi Shop API simulator (``addons/clever_pos_kaspi/shop_api/simulator.py``)
runs as a separate process on a free port of 127.0.0.1, seeded with N orders over 28 days (3
overlapping windows of at most 14 days), the usual mix of states (new, accepted, completed,
cancelled). A company of its own gets a Kaspi store whose 60 products (the simulator's SKUs)
have stock.

* import: ``clever.kaspi.order.import._import_store`` over the whole span, as the cron does
  (commits every 100 orders): sale orders created, accepted ones confirmed (stock reserved),
  completed ones recorded, cancelled ones cancelled;
* re-import: the same span again. Nothing changed on Kaspi, so no order may be written:
  checked on every order's write_date.

For each: wall time, SQL queries (Odoo's process-wide counter), Kaspi requests, per order.
Written to ``bench/results/kaspi_orders.json``.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, ".local", "odoo.conf")
RESULTS = os.path.join(ROOT, "bench", "results", "kaspi_orders.json")
ODOO_SRC = os.environ.get("ODOO_SRC", os.path.expanduser("~/odoo-19.0"))
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
import odoo.sql_db  # noqa: E402
from odoo import Command, api  # noqa: E402

from bench_db import registry_on_copy  # noqa: E402
from kaspi_simulator_process import start_simulator as start_kaspi_simulator  # noqa: E402

TOKEN = "sim-kaspi-token-0123456789abcdef"  # the simulator's default token
START = datetime(2025, 3, 1, tzinfo=timezone(timedelta(hours=5)))  # the simulator's DEFAULT_START


def start_simulator(args):
    process, root = start_kaspi_simulator(args.orders, args.entries_per_order, args.span_days, 13)
    return process, root + "/shop/api/v2"


def create_data(env, base_url):
    company = env["res.company"].create({"name": "Kaspi orders bench", "country_id": env.ref("base.kz").id})
    env = env(context=dict(env.context, allowed_company_ids=[company.id], tracking_disable=True))
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    if not warehouse:
        warehouse = env["stock.warehouse"].create({"name": "Bench warehouse", "code": "KOB", "company_id": company.id})
    store = env["clever.kaspi.store"].search([("company_id", "=", company.id), ("is_main", "=", True)])
    store.write(
        {
            "name": "Bench Kaspi",
            "merchant_id": "30000001",
            "api_token": TOKEN,
            "api_base_url": base_url,
            "pickup_point_ids": [
                Command.create({"code": "PP1", "warehouse_id": warehouse.id}),
                Command.create({"code": "PP2", "warehouse_id": warehouse.id}),
            ],
        }
    )
    brand = env["clever.brand"].create({"name": "Bench brand"})
    templates = env["product.template"].create(
        [
            {
                "name": f"Bench product {index}",
                "default_code": f"SKU-{index:05d}",
                "list_price": 1000,
                "type": "consu",
                "is_storable": True,
                "company_id": company.id,
                "brand_id": brand.id,
            }
            for index in range(60)
        ]
    )
    for product in templates.product_variant_ids:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100_000)
    env["clever.kaspi.offer"].create([{"store_id": store.id, "product_id": p.id} for p in templates.product_variant_ids])
    env["ir.config_parameter"].set_param("clever_pos_kaspi.shop_api_backoff", "0.05")
    return store.id


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--entries-per-order", type=int, default=4)
    parser.add_argument("--span-days", type=int, default=28)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    process, base_url = start_simulator(args)
    try:
        with registry_on_copy(args.database, "kobench", CONFIG, keep=args.keep) as registry:
            result = run(registry, args, base_url)
    finally:
        process.terminate()
        process.wait(timeout=10)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    for name, run_ in result["runs"].items():
        print(
            f"{name:10} {run_['seconds']:9.1f} s  {run_['ms_per_order']:8.2f} ms/order  "
            f"{run_['queries_per_order']:8.2f} queries/order  {run_['kaspi_requests']} Kaspi requests"
        )
    print(f"written to {os.path.relpath(RESULTS, ROOT)}")


def run(registry, args, base_url):
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        store_id = create_data(env, base_url)
    naive_start = START.astimezone(timezone.utc).replace(tzinfo=None)
    date_from = naive_start - timedelta(days=1)
    date_to = naive_start + timedelta(days=args.span_days + 1)

    def one_import():
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            store = env["clever.kaspi.store"].browse(store_id)
            queries_before = odoo.sql_db.sql_counter
            started = time.perf_counter()
            outcome = env["clever.kaspi.order.import"]._import_store(store, date_from=date_from, date_to=date_to, commit=True)
            seconds = time.perf_counter() - started
            queries = odoo.sql_db.sql_counter - queries_before
        if outcome.get("error"):
            raise SystemExit(outcome["error"])
        orders = args.orders
        return {
            "seconds": round(seconds, 2),
            "orders": orders,
            "created": outcome["created"],
            "updated": outcome["updated"],
            "unchanged": outcome["unchanged"],
            "queries": queries,
            "queries_per_order": round(queries / orders, 2),
            "ms_per_order": round(seconds * 1000 / orders, 2),
            "kaspi_requests": outcome["requests"],
            "kaspi_retries": outcome["retries"],
        }

    def snapshot():
        with registry.cursor() as cr:
            cr.execute(
                "SELECT id, write_date, state FROM sale_order WHERE kaspi_store_id = %s ORDER BY id", [store_id]
            )
            return cr.fetchall()

    print(f"importing {args.orders} orders ...", flush=True)
    first = one_import()
    before = snapshot()
    print("re-importing the same window ...", flush=True)
    second = one_import()
    after = snapshot()
    if len(before) != args.orders or first["created"] != args.orders:
        raise SystemExit(f"expected {args.orders} orders, got {len(before)}")
    touched = sum(1 for old, new in zip(before, after, strict=True) if old != new)
    if touched or second["created"] or second["updated"]:
        raise SystemExit(f"the re-import touched {touched} orders that did not change")
    states = {}
    for _id, _date, state in before:
        states[state] = states.get(state, 0) + 1
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id WHERE o.kaspi_store_id = %s",
            [store_id],
        )
        lines = cr.fetchone()[0]
    return {
        "bench": "kaspi_orders",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average": os.getloadavg(),
        },
        "setup": {
            "orders": args.orders,
            "entries_per_order": args.entries_per_order,
            "lines_imported": lines,
            "span_days": args.span_days,
            "sale_order_states": states,
            "simulator": "separate process on 127.0.0.1, no network latency",
            "commit": "every 100 orders, as the cron",
        },
        "runs": {"import": first, "reimport": {**second, "orders_touched": touched}},
    }


if __name__ == "__main__":
    main()
