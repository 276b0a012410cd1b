"""Kaspi feed benchmark: one store with 100,000 offers (clever_pos_kaspi).

Usage (from the repository root):

    .venv/bin/python bench/kaspi_feed.py --database kaspi_a [--offers 100000] [--runs 3] [--requests 20] [--keep]

DATABASE must have clever_pos_kaspi installed and no open connection (it is used as a template).
The bench copies it to DATABASE_kfbench (PostgreSQL CREATE DATABASE ... TEMPLATE), creates its data
there with set-based SQL (a company with its main Kaspi store, one city, PP1 on the company's
warehouse, N products with brands, stock and offers, names with & < > " and emoji), measures,
writes bench/results/kaspi_feed.json, prints a table, and drops the copy unless --keep.

What is measured, in one process and one run:

* cold generation: ``store._generate_feeds()`` with a pending change, i.e. the SQL reads in
  batches plus the streaming writer plus the bookkeeping, for one city. Wall time (median of
  --runs) and peak extra memory of the process: the kernel's high-water mark VmHWM is reset
  through /proc/self/clear_refs, then peak VmHWM minus VmRSS before. This counts C allocations
  (libxml2, psycopg2) that tracemalloc cannot see; tracemalloc's Python-heap peak is reported too.
* floor: the same offers, already in a Python list (read before, not timed), serialised by lxml
  (an ElementTree built with SubElement, then ElementTree.write to a file): the usual way to write
  XML in Python, without any database work. Same time and memory measures.
  Every cold run and every floor run is done in its own child process forked from the same
  parent (which closed its database connections first), so that no run reuses memory another
  run freed: each starts from the same state.
* warm: GET of the cached feed through a real Odoo HTTP server on 127.0.0.1 (threaded, in the
  same process), full body read: median and p95 over --requests.
* 304: the same GET with If-None-Match: median and p95.
* cold over HTTP: the first GET after a stock change (regeneration inside the request).

Targets of the issue: cold generation within 3x of the floor, and under 150 MB extra memory.
"""

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from contextlib import closing
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, ".local", "odoo.conf")
RESULTS = os.path.join(ROOT, "bench", "results", "kaspi_feed.json")
ODOO_SRC = os.environ.get("ODOO_SRC", os.path.expanduser("~/odoo-19.0"))
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
import requests  # noqa: E402
from lxml import etree  # noqa: E402
from odoo import Command, api  # noqa: E402
from odoo.tools import config  # noqa: E402

from bench_db import registry_on_copy  # noqa: E402

ALMATY = "750000000"
MERCHANT_ID = "90900001"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


# Memory ------------------------------------------------------------------------------------------


def _proc_kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure(function):
    """(seconds, peak extra MB of the process) of one call."""
    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # resets VmHWM to the current RSS
    before = _proc_kb("VmRSS")
    start = time.perf_counter()
    function()
    seconds = time.perf_counter() - start
    peak = _proc_kb("VmHWM")
    return seconds, (peak - before) / 1024.0


def python_peak(function):
    """Peak MB of Python allocations (tracemalloc) of one call; slower, so timed separately."""
    gc.collect()
    tracemalloc.start()
    function()
    __, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / (1024.0 * 1024.0)


def in_child(function):
    """Run function() in a forked child process and return its JSON result."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        status = 0
        try:
            payload = json.dumps({"ok": function()})
        except BaseException as error:  # noqa: BLE001 -- reported to the parent, which raises
            payload = json.dumps({"error": repr(error)})
            status = 1
        with os.fdopen(write_end, "w") as pipe:
            pipe.write(payload)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        payload = json.loads(pipe.read() or '{"error": "child died"}')
    os.waitpid(pid, 0)
    if "error" in payload:
        raise RuntimeError(payload["error"])
    return payload["ok"]


# Database ------------------------------------------------------------------------------------------


def create_data(env, offers):
    """A shop with one Kaspi store, N products with stock and N published offers."""
    cr = env.cr
    company = env["res.company"].create({"name": "Kaspi Bench", "country_id": env.ref("base.kz").id})
    warehouse = env["stock.warehouse"].create({"name": "Bench", "code": "BNCH", "company_id": company.id})
    store = env["clever.kaspi.store"].search([("company_id", "=", company.id), ("is_main", "=", True)])
    store.write(
        {
            "name": "Bench",
            "merchant_id": MERCHANT_ID,
            "feed_company_name": "ТОО «Бенч & Ко»",
            "lang": "en_US",
            "city_ids": [Command.set([env.ref(f"clever_pos_kaspi.city_{ALMATY}").id])],
            "pickup_point_ids": [Command.create({"code": "PP1", "warehouse_id": warehouse.id})],
        }
    )
    brands = env["clever.brand"].create([{"name": f"Bench brand {i} & Co"} for i in range(200)])
    uom_id = env.ref("uom.product_uom_unit").id
    categ_id = env["product.category"].search([], limit=1).id or None
    env.flush_all()
    cr.execute(
        """
        INSERT INTO product_template (name, type, is_storable, sale_ok, purchase_ok, active, list_price,
                                      company_id, uom_id, categ_id, tracking, service_tracking, brand_id,
                                      default_code, create_date, write_date)
        SELECT jsonb_build_object('en_US',
                   CASE WHEN i %% 10 = 0 THEN 'Чайник «Xiaomi» & <Mi> "' || i || '" 🍵'
                        ELSE 'Товар № ' || i || ' Смартфон Samsung Galaxy A' || (i %% 90) || ' 128 ГБ' END),
               'consu', TRUE, TRUE, TRUE, TRUE, 500 + (i * 7919) %% 499500,
               %(company)s, %(uom)s, %(categ)s, 'none', 'no', (%(brands)s::int[])[1 + i %% 200],
               'BN-' || i, now(), now()
          FROM generate_series(1, %(n)s) AS i
        """,
        {"company": company.id, "uom": uom_id, "categ": categ_id, "brands": brands.ids, "n": offers},
    )
    cr.execute(
        """
        INSERT INTO product_product (product_tmpl_id, default_code, active, combination_indices, create_date, write_date)
        SELECT id, default_code, TRUE, '', now(), now()
          FROM product_template WHERE company_id = %s
        """,
        [company.id],
    )
    cr.execute(
        """
        INSERT INTO stock_quant (product_id, location_id, company_id, quantity, reserved_quantity, in_date,
                                 create_date, write_date)
        SELECT pp.id, %s, %s, (pp.id * 31) %% 50, 0, now(), now(), now()
          FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
         WHERE pt.company_id = %s AND pp.id %% 5 <> 0
        """,
        [warehouse.lot_stock_id.id, company.id, company.id],
    )
    cr.execute(
        """
        INSERT INTO clever_kaspi_offer (store_id, company_id, product_id, sku, state, preorder_override,
                                        preorder_days, price_override, in_feed, create_date, write_date)
        SELECT %s, %s, pp.id, pp.default_code, 'active', FALSE, 0, 0, FALSE, now(), now()
          FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
         WHERE pt.company_id = %s
        """,
        [store.id, company.id, company.id],
    )
    cr.execute("ANALYZE product_template, product_product, stock_quant, clever_kaspi_offer")
    env.invalidate_all()
    return store


# The floor ----------------------------------------------------------------------------------------


def read_offer_list(store):
    """The offers the feed publishes, as plain Python values (not timed)."""
    from odoo.addons.clever_pos_kaspi.tools.feed_rows import KaspiOfferReader

    reader = KaspiOfferReader(store)
    result = []
    for row in reader.rows():
        if row.reasons:
            continue
        price, __ = row.price_for(ALMATY, reader.rules)
        result.append((row.sku, row.model, row.brand, [(code, qty) for code, qty in row.stock], row.preorder_days, price))
    return result


def lxml_floor(offers, path):
    ns = "{kaspiShopping}"
    root = etree.Element(ns + "kaspi_catalog", nsmap={None: "kaspiShopping", "xsi": XSI}, date="2026-01-01 00:00")
    root.set("{%s}schemaLocation" % XSI, "kaspiShopping http://kaspi.kz/kaspishopping.xsd")
    etree.SubElement(root, ns + "company").text = "ТОО «Бенч & Ко»"
    etree.SubElement(root, ns + "merchantid").text = MERCHANT_ID
    offers_element = etree.SubElement(root, ns + "offers")
    for sku, model, brand, stock, preorder, price in offers:
        offer = etree.SubElement(offers_element, ns + "offer", sku=sku)
        etree.SubElement(offer, ns + "model").text = model
        etree.SubElement(offer, ns + "brand").text = brand
        availabilities = etree.SubElement(offer, ns + "availabilities")
        for code, quantity in stock:
            if quantity > 0:
                etree.SubElement(
                    availabilities,
                    ns + "availability",
                    available="yes",
                    storeId=code,
                    preOrder=str(preorder),
                    stockCount=str(int(quantity)),
                )
            else:
                etree.SubElement(availabilities, ns + "availability", available="no", storeId=code)
        etree.SubElement(offer, ns + "price").text = str(price)
    etree.ElementTree(root).write(path, xml_declaration=True, encoding="utf-8")


# HTTP ----------------------------------------------------------------------------------------------


def start_http_server():
    from odoo.http import root
    from odoo.service import server as odoo_server

    with closing(__import__("socket").socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config["http_interface"] = "127.0.0.1"
    config["http_port"] = port
    odoo_server.load_server_wide_modules()
    server = odoo_server.ThreadedServer(root)
    server.http_spawn()
    return server, f"http://127.0.0.1:{port}"


def timed_get(session, url, headers=None):
    start = time.perf_counter()
    response = session.get(url, headers=headers or {}, timeout=300)
    body = response.content
    return time.perf_counter() - start, response, len(body)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


# Main ----------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="database with clever_pos_kaspi installed (copied)")
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="cold generations and floor runs (median kept)")
    parser.add_argument("--requests", type=int, default=20, help="warm and 304 requests (median and p95)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    with registry_on_copy(args.database, "kfbench", CONFIG, keep=args.keep) as registry:
        result = run(registry, args)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print_table(result)
    print(f"\nwritten to {os.path.relpath(RESULTS, ROOT)}")


def run(registry, args):
    started = time.perf_counter()
    load_before = os.getloadavg()
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        print(f"creating {args.offers} products, quants and offers ...", flush=True)
        store = create_data(env, args.offers)
        store_id = store.id
    setup_seconds = time.perf_counter() - started

    # Cold generation: each run publishes a pending change (the first run puts every offer in the
    # feed; the next ones do the full work, then find the file identical and keep the previous one).
    odoo.sql_db.close_all()

    def cold_generation(python_heap=False):
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            store = env["clever.kaspi.store"].browse(store_id)
            env["clever.kaspi.feed.change"]._mark_stores(store.ids)
            store.feed_ids.mapped("etag")  # warm the ORM cache of what generation reads anyway
            if python_heap:
                return python_peak(store._generate_feeds)
            seconds, extra_mb = measure(store._generate_feeds)
            feed = store.feed_ids
            assert feed.offer_count == args.offers, (feed.offer_count, feed.last_error)
            return {"seconds": seconds, "extra_mb": extra_mb, "feed_bytes": feed.size}

    cold = []
    for run_index in range(args.runs):
        cold.append(in_child(cold_generation))
        print(f"cold generation {run_index + 1}: {cold[-1]['seconds']:.2f} s, +{cold[-1]['extra_mb']:.0f} MB", flush=True)
    generation_python_mb = in_child(lambda: cold_generation(python_heap=True))
    feed_size = cold[-1]["feed_bytes"]

    # The floor: lxml from a ready list (read in the child, before measuring).
    floor_path = os.path.join(config["data_dir"], "kaspi_feed_floor.xml")

    def floor_run(python_heap=False):
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            offers = read_offer_list(env["clever.kaspi.store"].browse(store_id))
        odoo.sql_db.close_all()
        if python_heap:
            return python_peak(lambda: lxml_floor(offers, floor_path))
        seconds, extra_mb = measure(lambda: lxml_floor(offers, floor_path))
        return {"seconds": seconds, "extra_mb": extra_mb, "offers": len(offers)}

    floor = []
    for run_index in range(args.runs):
        floor.append(in_child(floor_run))
        print(f"lxml floor {run_index + 1}: {floor[-1]['seconds']:.2f} s, +{floor[-1]['extra_mb']:.0f} MB", flush=True)
    floor_python_mb = in_child(lambda: floor_run(python_heap=True))
    floor_size = os.path.getsize(floor_path)
    os.remove(floor_path)

    # HTTP: warm, 304, cold after a stock change.
    server, base_url = start_http_server()
    url = f"{base_url}/kaspi_{MERCHANT_ID}_{ALMATY}.xml"
    session = requests.Session()
    timed_get(session, url)  # first request of the worker (registry, routing map)
    warm, not_modified = [], []
    etag = None
    for __ in range(args.requests):
        seconds, response, size = timed_get(session, url)
        assert response.status_code == 200 and size == feed_size, (response.status_code, size)
        etag = response.headers["ETag"]
        warm.append(seconds)
    for __ in range(args.requests):
        seconds, response, __ = timed_get(session, url, {"If-None-Match": etag})
        assert response.status_code == 304, response.status_code
        not_modified.append(seconds)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        store = env["clever.kaspi.store"].browse(store_id)
        product = env["clever.kaspi.offer"].search([("store_id", "=", store_id)], limit=1).product_id
        env["stock.quant"]._update_available_quantity(product, store.pickup_point_ids.location_id, 7)
    cold_http, response, __ = timed_get(session, url, {"If-None-Match": etag})
    assert response.status_code == 200 and response.headers["ETag"] != etag
    server.httpd.shutdown()

    cold_s = statistics.median(r["seconds"] for r in cold)
    floor_s = statistics.median(r["seconds"] for r in floor)
    cold_mb = max(r["extra_mb"] for r in cold)
    floor_mb = max(r["extra_mb"] for r in floor)
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "note": "cores shared with other workers: absolute times vary with their load, the ratio much less",
            "load_average_1_5_15_before": [round(x, 2) for x in load_before],
            "load_average_1_5_15_after": [round(x, 2) for x in os.getloadavg()],
        },
        "offers": args.offers,
        "cities": 1,
        "pickup_points": 1,
        "setup_seconds": round(setup_seconds, 1),
        "feed_bytes": feed_size,
        "floor_bytes": floor_size,
        "cold_generation": {
            "runs": cold,
            "median_seconds": round(cold_s, 3),
            "peak_extra_mb": round(cold_mb, 1),
            "python_heap_peak_mb": round(generation_python_mb, 1),
        },
        "lxml_floor": {
            "runs": floor,
            "median_seconds": round(floor_s, 3),
            "peak_extra_mb": round(floor_mb, 1),
            "python_heap_peak_mb": round(floor_python_mb, 1),
        },
        "cold_vs_floor": round(cold_s / floor_s, 2),
        "targets": {
            "within_3x_of_floor": cold_s <= 3 * floor_s,
            "under_150_mb_extra": cold_mb < 150,
        },
        "http": {
            "requests": args.requests,
            "warm_median_ms": round(statistics.median(warm) * 1000, 1),
            "warm_p95_ms": round(percentile(warm, 0.95) * 1000, 1),
            "not_modified_median_ms": round(statistics.median(not_modified) * 1000, 1),
            "not_modified_p95_ms": round(percentile(not_modified, 0.95) * 1000, 1),
            "cold_after_stock_change_ms": round(cold_http * 1000, 1),
        },
    }


def print_table(result):
    cold, floor, http = result["cold_generation"], result["lxml_floor"], result["http"]
    rows = [
        ("offers in the store", f"{result['offers']:,}"),
        ("load average before / after (1 min)", "{} / {} on {} cores".format(
            result["machine"]["load_average_1_5_15_before"][0],
            result["machine"]["load_average_1_5_15_after"][0],
            result["machine"]["cpus"],
        )),
        ("feed size", f"{result['feed_bytes'] / 1024 / 1024:.1f} MB"),
        ("cold generation (median)", f"{cold['median_seconds']:.2f} s"),
        ("lxml floor (median)", f"{floor['median_seconds']:.2f} s"),
        ("cold / floor", f"{result['cold_vs_floor']:.2f}x (target <= 3x)"),
        ("cold peak extra memory (RSS)", f"{cold['peak_extra_mb']:.0f} MB (target < 150 MB)"),
        ("floor peak extra memory (RSS)", f"{floor['peak_extra_mb']:.0f} MB"),
        ("cold Python heap peak (tracemalloc)", f"{cold['python_heap_peak_mb']:.0f} MB"),
        ("floor Python heap peak (tracemalloc)", f"{floor['python_heap_peak_mb']:.0f} MB (lxml's C memory not seen)"),
        ("warm GET (median / p95)", f"{http['warm_median_ms']:.0f} / {http['warm_p95_ms']:.0f} ms"),
        ("304 GET (median / p95)", f"{http['not_modified_median_ms']:.1f} / {http['not_modified_p95_ms']:.1f} ms"),
        ("GET after a stock change (regenerates)", f"{http['cold_after_stock_change_ms']:.0f} ms"),
    ]
    width = max(len(label) for label, __ in rows)
    print()
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
