"""Manager's dashboard benchmark: a shop with 100,000 POS order lines (clever_pos_finance).

Usage (from the repository root):

    .venv/bin/python bench/finance_dashboard.py --database fin_a [--lines 100000] [--runs 7] [--keep]

DATABASE must have clever_pos_finance installed and no open connection (it is used as a template).
The bench copies it to DATABASE_fdbench (PostgreSQL CREATE DATABASE ... TEMPLATE) and builds a
shop there: a company with the Kazakh chart, a register and its payment methods (through the
ORM), 200 goods with reordering rules and stock, then with set-based SQL a year of receipts
(25,000 receipts of 4 lines, one in fifty a return, one payment each, spread over 365 days),
a year of expenses (10 a day) and 300 customers with open debts. It then measures
``clever.finance.dashboard.get_dashboard_data(period)`` for the day, the week and the month:
one warm-up call, then --runs timed calls in fresh transactions (wall time, median and max), and
the sales summary of the month (``clever.finance.report.wizard._summary()``) the same way.
It writes bench/results/finance_dashboard.json, prints a table, and drops the copy unless --keep.

Target of the issue: the dashboard in under 1 second.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, ".local", "odoo.conf")
RESULTS = os.path.join(ROOT, "bench", "results", "finance_dashboard.json")
ODOO_SRC = os.environ.get("ODOO_SRC", os.path.expanduser("~/odoo-19.0"))
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
from odoo import Command, api  # noqa: E402

from bench_db import registry_on_copy  # noqa: E402

PRODUCTS = 200
LINES_PER_ORDER = 4
CUSTOMERS = 300
TARGET_SECONDS = 1.0


# Data ---------------------------------------------------------------------------------------------


def create_shop(env):
    """Company, chart, register, goods, stock and reordering rules, through the ORM."""
    company = env["res.company"].create(
        {"name": "Bench Shop", "country_id": env.ref("base.kz").id, "currency_id": env.ref("base.KZT").id, "clever_tz": "Asia/Almaty"}
    )
    env["account.chart.template"].try_loading("kz", company, install_demo=False)
    env = env(context=dict(env.context, allowed_company_ids=[company.id], tracking_disable=True))
    company = company.with_env(env)
    if not company.account_default_pos_receivable_account_id:
        company.account_default_pos_receivable_account_id = env["account.account"].create(
            {"code": "1211", "name": "POS receivable", "account_type": "asset_receivable", "reconcile": True}
        )
    config_ = env["pos.config"].create({"name": "Bench register", "company_id": company.id})
    admin = env.ref("base.user_admin")
    admin.company_ids = [Command.link(company.id)]
    config_.with_user(admin).open_ui()  # a POS user opens the shift
    session = config_.current_session_id
    session.set_opening_control(0, "")
    tax = company.account_sale_tax_id
    products = env["product.product"].create(
        [
            {
                "name": f"Bench product {index:03d}",
                "is_storable": True,
                "list_price": 1160.0,
                "standard_price": 600.0,
                "taxes_id": [Command.set(tax.ids)],
                "available_in_pos": True,
                "company_id": company.id,
            }
            for index in range(PRODUCTS)
        ]
    )
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    env["stock.warehouse.orderpoint"].create(
        [
            {
                "product_id": product.id,
                "warehouse_id": warehouse.id,
                "location_id": warehouse.lot_stock_id.id,
                "product_min_qty": 10,
                "product_max_qty": 50,
            }
            for product in products
        ]
    )
    env.cr.execute(
        """
        INSERT INTO stock_quant (product_id, location_id, company_id, quantity, reserved_quantity, in_date, create_date, write_date)
        SELECT product.id, %s, %s, (product.id %% 40), 0, now(), now(), now()
          FROM product_product product WHERE product.id = ANY(%s)
        """,
        [warehouse.lot_stock_id.id, company.id, products.ids],
    )
    customers = env["res.partner"].create([{"name": f"Bench customer {index:03d}", "company_id": company.id} for index in range(CUSTOMERS)])
    methods = config_.payment_method_ids
    return {
        "company": company,
        "config": config_,
        "session": session,
        "products": products,
        "tax": tax,
        "customers": customers,
        "cash": methods.filtered(lambda m: m.type == "cash")[:1],
        "card": methods.filtered(lambda m: m.type == "bank")[:1],
        "cash_journal": methods.filtered(lambda m: m.type == "cash")[:1].journal_id,
        "category": env.ref("clever_pos_finance.expense_category_other"),
    }


def create_receipts(env, shop, lines):
    """A year of receipts with set-based SQL: `lines` order lines, LINES_PER_ORDER per receipt."""
    cr = env.cr
    orders = lines // LINES_PER_ORDER
    params = {
        "orders": orders,
        "session": shop["session"].id,
        "config": shop["config"].id,
        "company": shop["company"].id,
        "pricelist": shop["config"].pricelist_id.id or None,
        "user": env.ref("base.user_admin").id,
        "products": shop["products"].ids,
        "tax": shop["tax"].id,
        "cash": shop["cash"].id,
        "card": shop["card"].id,
        "per_order": LINES_PER_ORDER,
    }
    # Receipts: ~68 a day over 365 days, at any time of the day; one in fifty is a return.
    cr.execute(
        """
        INSERT INTO pos_order (name, pos_reference, session_id, config_id, company_id, user_id, pricelist_id,
                               currency_rate, date_order, state, is_refund, amount_total, amount_tax, amount_paid,
                               amount_return, uuid, sequence_number, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || g, 'BENCH-' || g, %(session)s, %(config)s, %(company)s, %(user)s, %(pricelist)s,
               1.0,
               (now() AT TIME ZONE 'UTC') - make_interval(days => g %% 365, secs => (g * 7919) %% 86400),
               'paid', g %% 50 = 0, 0, 0, 0, 0, md5(g::text), g, 1, 1, now(), now()
          FROM generate_series(1, %(orders)s) g
        """,
        params,
    )
    cr.execute("ANALYZE pos_order")
    cr.execute(
        """
        INSERT INTO pos_order_line (name, order_id, product_id, company_id, qty, price_unit, discount,
                                    price_subtotal, price_subtotal_incl, total_cost, is_total_cost_computed,
                                    full_product_name, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || o.id || '/' || n, o.id,
               (%(products)s::int[])[1 + ((o.id * 31 + n * 17) %% array_length(%(products)s::int[], 1))],
               o.company_id, q.qty, 1160, 0, q.qty * 1000, q.qty * 1160, q.qty * 600, true, 'Bench product',
               1, 1, now(), now()
          FROM pos_order o
          CROSS JOIN generate_series(1, %(per_order)s) n
          CROSS JOIN LATERAL (SELECT (CASE WHEN o.is_refund THEN -1 ELSE 1 END) * (1 + (o.id + n) %% 3) AS qty) q
         WHERE o.session_id = %(session)s AND o.name LIKE 'BENCH/%%'
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO account_tax_pos_order_line_rel (pos_order_line_id, account_tax_id)
        SELECT line.id, %(tax)s FROM pos_order_line line JOIN pos_order o ON o.id = line.order_id
         WHERE o.session_id = %(session)s AND o.name LIKE 'BENCH/%%'
        """,
        params,
    )
    # The totals follow from the quantities above (no join over the lines).
    cr.execute(
        """
        UPDATE pos_order o
           SET amount_total = t.total, amount_paid = t.total, amount_tax = t.total - t.untaxed
          FROM (SELECT id,
                       (CASE WHEN is_refund THEN -1 ELSE 1 END)
                         * (SELECT SUM(1 + (id + n) %% 3) FROM generate_series(1, %(per_order)s) n) AS units
                  FROM pos_order WHERE session_id = %(session)s AND name LIKE 'BENCH/%%') u
         CROSS JOIN LATERAL (SELECT u.units * 1160 AS total, u.units * 1000 AS untaxed) t
         WHERE o.id = u.id
        """,
        params,
    )
    cr.execute("ANALYZE pos_order")
    cr.execute("ANALYZE pos_order_line")
    cr.execute(
        """
        INSERT INTO pos_payment (name, pos_order_id, session_id, company_id, payment_method_id, amount, payment_date,
                                 is_change, create_uid, write_uid, create_date, write_date)
        SELECT '', o.id, o.session_id, o.company_id, CASE WHEN o.id %% 3 = 0 THEN %(card)s ELSE %(cash)s END,
               o.amount_total, o.date_order, false, 1, 1, now(), now()
          FROM pos_order o
         WHERE o.session_id = %(session)s AND o.name LIKE 'BENCH/%%'
        """,
        params,
    )
    cr.execute("SELECT COUNT(*) FROM pos_order_line line JOIN pos_order o ON o.id = line.order_id WHERE o.company_id = %s", [shop["company"].id])
    return cr.fetchone()[0]


def create_expenses_and_debts(env, shop):
    """10 posted expenses a day for a year (documents only), and an open debt for each customer
    (one invoice each, 0 to 120 days old)."""
    env.cr.execute(
        """
        INSERT INTO clever_finance_expense (name, company_id, date, journal_id, category_id, amount, signed_amount,
                                            state, create_uid, write_uid, create_date, write_date)
        SELECT 'EXP/BENCH/' || g, %s, (now() AT TIME ZONE 'UTC')::date - (g %% 365), %s, %s, 1000 + g %% 5000,
               1000 + g %% 5000, 'posted', 1, 1, now(), now()
          FROM generate_series(1, 3650) g
        """,
        [shop["company"].id, shop["cash_journal"].id, shop["category"].id],
    )
    today = datetime.now(timezone.utc).date()
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_date": today.fromordinal(today.toordinal() - index % 120),
                "invoice_date_due": today.fromordinal(today.toordinal() - index % 120),
                "invoice_line_ids": [Command.create({"product_id": shop["products"][index % PRODUCTS].id, "quantity": 1, "price_unit": 1160.0})],
            }
            for index, customer in enumerate(shop["customers"])
        ]
    )
    invoices.action_post()


# Measures -----------------------------------------------------------------------------------------


def timed(registry, company_id, function, runs):
    """Warm-up call, then `runs` calls each in a fresh transaction and environment."""
    samples = []
    for index in range(runs + 1):
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"allowed_company_ids": [company_id]})
            started = time.perf_counter()
            function(env)
            elapsed = time.perf_counter() - started
            cr.rollback()
        if index:
            samples.append(elapsed)
    return {"median_s": round(statistics.median(samples), 4), "max_s": round(max(samples), 4), "runs": runs}


def run(registry, args):
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        print("creating the shop (company, chart, register, goods) ...", flush=True)
        shop = create_shop(env)
        print(f"creating {args.lines} receipt lines, expenses and debts ...", flush=True)
        line_count = create_receipts(shop["company"].env, shop, args.lines)
        create_expenses_and_debts(shop["company"].env, shop)
        company_id = shop["company"].id
        cr.commit()
        for table in ("pos_order", "pos_order_line", "pos_payment", "account_move_line", "clever_finance_expense", "stock_quant"):
            cr.execute(f"ANALYZE {table}")  # table names from the list above, not from input
        cr.commit()
    setup_seconds = time.perf_counter() - started

    results = {}
    for period in ("day", "week", "month"):
        results[period] = timed(registry, company_id, lambda env, p=period: env["clever.finance.dashboard"].get_dashboard_data(p), args.runs)
        print(f"dashboard {period}: median {results[period]['median_s'] * 1000:.0f} ms", flush=True)

    def summary(env):
        wizard = env["clever.finance.report.wizard"].create({"date_from": datetime.now().date().replace(day=1), "company_id": company_id})
        return wizard._summary()

    results["month_sales_summary"] = timed(registry, company_id, summary, args.runs)

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"allowed_company_ids": [company_id]})
        day = env["clever.finance.dashboard"].get_dashboard_data("day")
        sample = {card["key"]: card["value"] for card in day["cards"]}

    return {
        "bench": "finance_dashboard",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "data": {
            "pos_order_lines": line_count,
            "pos_orders": line_count // LINES_PER_ORDER,
            "products": PRODUCTS,
            "reordering_rules": PRODUCTS,
            "expenses": 3650,
            "customers_with_debts": CUSTOMERS,
            "setup_seconds": round(setup_seconds, 1),
        },
        "target_s": TARGET_SECONDS,
        "dashboard": {period: results[period] for period in ("day", "week", "month")},
        "month_sales_summary": results["month_sales_summary"],
        "passed": all(results[period]["median_s"] < TARGET_SECONDS for period in ("day", "week", "month")),
        "today_figures": sample,
    }


def print_table(result):
    print()
    print(f"{'measure':<28}{'median':>12}{'max':>12}")
    for period, values in result["dashboard"].items():
        print(f"{'dashboard ' + period:<28}{values['median_s'] * 1000:>10.0f}ms{values['max_s'] * 1000:>10.0f}ms")
    values = result["month_sales_summary"]
    print(f"{'sales summary (month)':<28}{values['median_s'] * 1000:>10.0f}ms{values['max_s'] * 1000:>10.0f}ms")
    print(f"\n{result['data']['pos_order_lines']} POS order lines; target {result['target_s']} s: {'met' if result['passed'] else 'MISSED'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True, help="database with clever_pos_finance installed (copied)")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="timed calls per measure (median kept)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    with registry_on_copy(args.database, "fdbench", CONFIG, keep=args.keep) as registry:
        result = run(registry, args)
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    print_table(result)
    print(f"\nwritten to {os.path.relpath(RESULTS, ROOT)}")


if __name__ == "__main__":
    main()
