"""Fiscal queue benchmark through the Odoo models: 1,000 POS receipts queued while Webkassa is down,
then drained by the fiscal cron's method.

Usage (from the repository root):

    .venv/bin/python bench/fiscal_queue.py --database fis_a [--receipts 1000] [--lost-answer-at 500]
        [--config .local/odoo.conf] [--keep]

DATABASE must have clever_pos_terminal installed and no open connection (it is used as a
template). The bench copies it to DATABASE_fqbench (CREATE DATABASE ... TEMPLATE) and, against the
local Webkassa simulator on 127.0.0.1 (real HTTP, a free port):

1. setup through the ORM: a register in the Kazakh demo shop (or a new company with the Kazakh
   chart) with a cash method, a product at 580 KZT incl. 16 % VAT, a ``clever.fiscal.register``
   pointing at the simulator, an open session; one warm-up sale fiscalised online (login);
2. the simulator is stopped (connection refused). Each of the N sales goes through the till's
   path: ``pos.order.sync_from_ui`` (the sale and its ``clever.fiscal.operation`` row with its
   external number, committed), then ``pos.order.clever_fiscal_send`` (the live send attempt,
   refused at once: the receipt stays "not fiscalised"). Measured: time per sale, per attempt;
3. the simulator comes back. ``clever.fiscal.operation._drain`` (the cron's own drain) sends the
   first --lost-answer-at - 1 operations; then the answer to the next receipt is lost after
   Webkassa accepted it (timeout after commit), and ``_cron_send_pending()`` (the cron method)
   drains the rest: it resends that receipt with the same external number, gets "duplicate" with
   the original data, and goes on. Measured: wall time, time per receipt, HTTP requests per
   receipt (counted by the simulator);
4. checks: every operation done, Webkassa's order equals the till's order, zero duplicate external
   numbers and zero duplicate fiscal signs at Webkassa, exactly N + 1 receipts there.

Writes bench/results/fiscal_queue.json, prints a summary, drops the copy unless --keep.
"""

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, ".local", "odoo.conf")
RESULTS = os.path.join(ROOT, "bench", "results", "fiscal_queue.json")
ODOO_SRC = os.environ.get("ODOO_SRC", os.path.expanduser("~/odoo-19.0"))
sys.path.insert(0, ODOO_SRC)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo import SUPERUSER_ID, Command, api, fields  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.tools import config  # noqa: E402

from bench_db import copy_database, drop_database  # noqa: E402

LOGIN = "cashier@clever.kz"
CASHBOX = "SWK00000001"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def setup_shop(env, sim_url, password):
    company = env.ref("base.demo_company_kz", raise_if_not_found=False)
    if not company:
        company = env["res.company"].create(
            {"name": "Bench Fiscal Shop", "country_id": env.ref("base.kz").id, "currency_id": env.ref("base.KZT").id}
        )
        env["account.chart.template"].try_loading("kz", company, install_demo=False)
    env = env(context=dict(env.context, allowed_company_ids=[company.id], tracking_disable=True))
    env.user.company_ids = [Command.link(company.id)]
    tax = env["account.tax"].search(
        [("company_id", "=", company.id), ("type_tax_use", "=", "sale"), ("amount", "=", 16), ("amount_type", "=", "percent")],
        limit=1,
    ) or env["account.tax"].create(
        {"name": "VAT 16 %", "amount": 16, "amount_type": "percent", "price_include_override": "tax_included", "company_id": company.id}
    )
    journal = env["account.journal"].create({"name": "Bench fiscal cash", "type": "cash", "code": "BFCS", "company_id": company.id})
    cash = env["pos.payment.method"].create({"name": "Bench cash", "journal_id": journal.id, "company_id": company.id})
    product = env["product.product"].create(
        {"name": "Bench tea", "type": "consu", "list_price": 580, "available_in_pos": True, "taxes_id": [Command.set(tax.ids)], "company_id": company.id}
    )
    register = env["clever.fiscal.register"].create(
        {
            "name": "Bench Webkassa",
            "company_id": company.id,
            "cashbox_unique_number": CASHBOX,
            "login": LOGIN,
            "password": password,
            "api_key": "test-api-key",
            "host_url": sim_url,
            "timeout": 1.0,
        }
    )
    pos_config = env["pos.config"].create(
        {
            "name": "Bench fiscal register",
            "company_id": company.id,
            "payment_method_ids": [Command.set(cash.ids)],
            "clever_fiscal_register_id": register.id,
        }
    )
    pos_config.open_ui()
    session = pos_config.current_session_id
    session.set_opening_control(0, "")
    return env, session, product, cash, tax, register


def payload(session, product, cash, tax, qty):
    now = fields.Datetime.to_string(fields.Datetime.now())
    total = 580.0 * qty
    return {
        "amount_paid": total,
        "amount_return": 0.0,
        "amount_tax": round(total * 16 / 116, 2),
        "amount_total": total,
        "date_order": now,
        "lines": [
            Command.create(
                {
                    "product_id": product.id,
                    "qty": qty,
                    "price_unit": 580.0,
                    "price_subtotal": round(total / 1.16, 2),
                    "price_subtotal_incl": total,
                    "tax_ids": [Command.set(tax.ids)],
                    "uuid": str(uuid.uuid4()),
                    "pack_lot_ids": [],
                }
            )
        ],
        "partner_id": False,
        "session_id": session.id,
        "payment_ids": [Command.create({"amount": total, "payment_method_id": cash.id, "uuid": str(uuid.uuid4()), "payment_date": now})],
        "uuid": str(uuid.uuid4()),
        "user_id": session.user_id.id,
        "pos_reference": f"BENCH-{uuid.uuid4().hex[:10]}",
        "state": "paid",
        "to_invoice": False,
    }


def sell(env, session, product, cash, tax, qty):
    data = payload(session, product, cash, tax, qty)
    Order = env["pos.order"].with_context(config_id=session.config_id.id)
    Order.sync_from_ui([data])
    env.cr.commit()  # the till's request ends: the sale and its fiscal row are committed
    return env["pos.order"].search([("uuid", "=", data["uuid"])])


def run(database, receipts, lost_at):
    # The simulator lives in the addon; imported after Odoo set up its addons path.
    from odoo.addons.clever_pos_terminal.fiscal.webkassa_simulator import USERS, WebkassaSimulator

    sim = WebkassaSimulator("127.0.0.1", 0, seed=14).start()
    registry = Registry(database)
    result = {}
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            # The till's calls are made by a POS user (the demo administrator), not the superuser.
            env = api.Environment(cr, env.ref("base.user_admin").id, {})
            env, session, product, cash, tax, register = setup_shop(env, sim.url, USERS[LOGIN]["password"])
            cr.commit()
            Operation = env["clever.fiscal.operation"]

            warm = sell(env, session, product, cash, tax, 1)
            assert warm.clever_fiscal_send()["state"] == "done"
            cr.commit()

            # 2. Webkassa unreachable: sales go on, receipts queued "not fiscalised".
            sim.stop()
            sale_times, attempt_times, orders = [], [], []
            started = time.perf_counter()
            for index in range(receipts):
                t0 = time.perf_counter()
                order = sell(env, session, product, cash, tax, 1 + index % 3)
                t1 = time.perf_counter()
                answer = order.clever_fiscal_send()
                cr.commit()
                t2 = time.perf_counter()
                assert answer["state"] == "pending" and "check_number" not in answer, answer
                sale_times.append(t1 - t0)
                attempt_times.append(t2 - t1)
                orders.append(order.id)
            offline_seconds = time.perf_counter() - started
            operations = Operation.search([("order_id", "in", orders)], order="id")
            assert len(operations) == receipts and set(operations.mapped("state")) == {"pending"}

            # 3. Webkassa back: the cron drains in order; one answer is lost after acceptance.
            sim.start()
            requests_before = sim.request_counts["total"]
            t0 = time.perf_counter()
            first = Operation._drain(register, limit=lost_at - 1)
            cr.commit()
            sim.add_fault("timeout_after_commit", route="check", times=1, delay=1.5)
            Operation._cron_send_pending()
            cr.commit()
            drain_seconds = time.perf_counter() - t0
            requests = sim.request_counts["total"] - requests_before

            # 4. Checks.
            operations.invalidate_recordset()
            states = Counter(operations.mapped("state"))
            documents = sim.receipts()
            externals = [doc["ext"] for doc in documents]
            signs = [doc["sign"] for doc in documents]
            queued_order = operations.mapped("external_number")
            duplicates_found = operations.filtered("duplicate")
            result = {
                "receipts": receipts,
                "lost_answer_at": lost_at,
                "offline": {
                    "seconds": round(offline_seconds, 2),
                    "sale_ms_p50": round(statistics.median(sale_times) * 1000, 1),
                    "sale_ms_p95": round(percentile(sale_times, 0.95) * 1000, 1),
                    "send_attempt_ms_p50": round(statistics.median(attempt_times) * 1000, 1),
                    "send_attempt_ms_p95": round(percentile(attempt_times, 0.95) * 1000, 1),
                },
                "drain": {
                    "seconds": round(drain_seconds, 2),
                    "ms_per_receipt": round(drain_seconds * 1000 / receipts, 2),
                    "receipts_per_second": round(receipts / drain_seconds, 1),
                    "http_requests": requests,
                    "http_requests_per_receipt": round(requests / receipts, 3),
                    "first_drain": first,
                    "simulator_requests": dict(sim.request_counts),
                },
                "checks": {
                    "states": dict(states),
                    "all_done": states == Counter({"done": receipts}),
                    "webkassa_receipts": len(documents),
                    "expected_webkassa_receipts": receipts + 1,
                    "order_preserved": externals[1:] == queued_order,
                    "duplicate_external_numbers": len(externals) - len(set(externals)),
                    "duplicate_fiscal_signs": len(signs) - len(set(signs)),
                    "resolved_as_duplicate": len(duplicates_found),
                },
            }
            # The bench company is thrown away with the copy.
    finally:
        sim.stop()
        Registry.delete(database)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="a database with clever_pos_terminal installed (template)")
    parser.add_argument("--receipts", type=int, default=1000)
    parser.add_argument("--lost-answer-at", type=int, default=500)
    parser.add_argument("--config", default=CONFIG)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    config.parse_config(["-c", args.config], setup_logging=True)
    logging.getLogger("odoo").setLevel(logging.ERROR)
    target = f"{args.database}_fqbench"
    copy_database(args.database, target)
    try:
        result = run(target, args.receipts, args.lost_answer_at)
    finally:
        if not args.keep:
            drop_database(target)
    result.update(
        {
            "bench": "fiscal_queue (Odoo models)",
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        }
    )
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    checks = result["checks"]
    ok = (
        checks["all_done"]
        and checks["order_preserved"]
        and not checks["duplicate_external_numbers"]
        and not checks["duplicate_fiscal_signs"]
        and checks["webkassa_receipts"] == checks["expected_webkassa_receipts"]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
