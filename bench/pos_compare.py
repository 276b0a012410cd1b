#!/usr/bin/env python3
"""pos_compare.py - the POS with the Clever modules against stock Odoo 19, side by side.

Runs the shared benchmark (../shared/bench/pos_bench.py: the POS client's start-up data load,
order sync one by one and in batches of 50, session closing) on two databases made from the
same template, in one run and round by round in alternation (so that the load of the machine
hits both alike):

    core    the template (dev_core: stock Odoo 19 with point_of_sale, l10n_kz, demo data)
    clever  the template + the Clever modules (default clever_pos_terminal, which brings
            clever_pos_base and pos_discount; their demo data come along as the template has
            demo data, but the benchmark runs in the template's company on both sides); the
            benchmark's register is a Clever till (clever_till = True: the server guards run
            on every synced order)

Both databases are created on the first run (or with --recreate) and kept for the next runs.
Writes bench/results/pos_compare.json (the ratios clever / core of each figure and whether
loading and order sync stay within 10 %) and appends every raw benchmark line to
bench/results/pos_compare_raw.jsonl.

    .venv/bin/python bench/pos_compare.py                 # 5 rounds, 40 orders per pass
    .venv/bin/python bench/pos_compare.py --rounds 5 --orders 150 --recreate

Needs the project's PostgreSQL (tools/pg.sh) and .local/odoo.conf; runs Odoo in-process
through pos_bench.py with the project's Python.
"""

import argparse
import configparser
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench", "pos_bench.py")
ODOO_CONF = os.path.join(ROOT, ".local", "odoo.conf")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
RESULTS = os.path.join(ROOT, "bench", "results")
LIMIT = 1.10  # within 10 % of stock Odoo

# figure -> (kind, whether it is part of the 10 % acceptance)
FIGURES = {
    "load_data_params_s": ("time", False),
    "load_data_s": ("time", True),
    "startup_total_s": ("time", True),
    "load_data_full_s": ("time", True),
    "load_data_bytes": ("size", False),
    "sync_b1_orders_per_s": ("rate", True),
    "sync_b50_orders_per_s": ("rate", True),
    "close_session_from_ui_s": ("time", False),
    "close_total_s": ("time", False),
}


def log(msg):
    print(f"[pos_compare {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def odoo_options():
    parser = configparser.ConfigParser()
    parser.read(ODOO_CONF)
    return dict(parser["options"])


def odoo_src(options):
    src = os.environ.get("ODOO_SRC") or os.path.expanduser("~/odoo-19.0")
    if not os.path.isdir(src):
        src = os.path.dirname(options["addons_path"].split(",")[0])
    return src


def psql(options, sql, db="postgres"):
    env = dict(os.environ, PGHOST=options["db_host"], PGPORT=options["db_port"], PGUSER=options["db_user"])
    return subprocess.run(["psql", "-X", "-q", "-At", "-d", db, "-c", sql], env=env, capture_output=True, text=True)


def db_exists(options, name):
    result = psql(options, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    return result.stdout.strip() == "1"


def create_db(options, name, template):
    psql(options, f'DROP DATABASE IF EXISTS "{name}"')
    for _attempt in range(10):
        result = psql(options, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        if result.returncode == 0:
            break
        if "being accessed by other users" not in result.stderr:
            raise SystemExit(f"cannot create {name}: {result.stderr}")
        log(f"template {template} busy, retrying in 20 s")
        time.sleep(20)
    else:
        raise SystemExit(f"cannot create {name}: template {template} stays busy")
    filestore = os.path.join(options["data_dir"], "filestore")
    if os.path.isdir(os.path.join(filestore, template)):
        shutil.rmtree(os.path.join(filestore, name), ignore_errors=True)
        shutil.copytree(os.path.join(filestore, template), os.path.join(filestore, name))


def odoo_bin(options, *args, stdin=None):
    command = [args[0]] if args and args[0] in ("shell", "db", "i18n") else []
    cmd = [PYTHON, os.path.join(odoo_src(options), "odoo-bin"), *command, "-c", ODOO_CONF, *args[len(command):]]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True)


SETUP_CLEVER_CONFIG = """
user = env['res.users'].search([('login', '=', {user!r})], limit=1)
# Demo data of the Clever modules move the administrator into the demo shop company: the
# benchmark runs in the template's company on both sides.
company = env['res.company'].browse({company_id})
user.write({{'company_ids': [(4, company.id)], 'company_id': company.id}})
config = env['pos.config'].search([('name', '=', {config!r}), ('company_id', '=', company.id)], limit=1)
if not config:
    cash_pm = env['pos.config'].with_company(company)._create_cash_payment_method({{'name': 'Cash ({config})'}})
    bank_pm = env['pos.payment.method'].search([
        *env['pos.payment.method']._check_company_domain(company), ('journal_id.type', '=', 'bank')], limit=1)
    config = env['pos.config'].with_company(company).create({{
        'name': {config!r}, 'company_id': company.id, 'payment_method_ids': [(6, 0, (cash_pm | bank_pm).ids)]}})
if 'clever_till' in config._fields:
    config.clever_till = True
env.cr.commit()
print('clever bench config', config.id, company.name)
"""


def template_company(options, a):
    """The company of the benchmark user in the template database."""
    result = psql(options, f"SELECT company_id FROM res_users WHERE login = '{a.user}'", db=a.core_db)
    return int(result.stdout.strip())


def prepare(a, options):
    if a.recreate or not db_exists(options, a.core_db):
        log(f"creating {a.core_db} from {a.template}")
        create_db(options, a.core_db, a.template)
    if a.recreate or not db_exists(options, a.clever_db):
        log(f"creating {a.clever_db} from {a.template} with {a.modules}")
        create_db(options, a.clever_db, a.template)
        result = odoo_bin(options, "-d", a.clever_db, "-i", a.modules, "--stop-after-init", "--log-level=warn")
        if result.returncode:
            raise SystemExit(f"install failed:\n{result.stdout}\n{result.stderr}")
    shell = odoo_bin(
        options, "shell", "-d", a.clever_db, "--log-level=warn", "--no-http",
        stdin=SETUP_CLEVER_CONFIG.format(user=a.user, config=a.config_name, company_id=template_company(options, a)),
    )
    if "clever bench config" not in shell.stdout:
        raise SystemExit(f"could not prepare the Clever till of the benchmark:\n{shell.stdout}\n{shell.stderr}")
    log(shell.stdout.strip().splitlines()[-1])


def run_bench(a, options, db, out):
    cmd = [
        PYTHON, SHARED_BENCH, "-d", db, "--allow-any-db",
        "--odoo-src", odoo_src(options),
        "--addons-path", options["addons_path"],
        "--data-dir", options["data_dir"],
        "--db-host", options["db_host"], "--db-port", options["db_port"], "--db-user", options["db_user"],
        "--user", a.user, "--config-name", a.config_name,
        "--products", str(a.products), "--orders", str(a.orders), "--lines", str(a.lines),
        "--repeats", "1", "--out", out,
    ]
    log(f"benchmark round on {db}")
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"pos_bench failed on {db}:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_of(lines, figure):
    values = [line["figures"][figure]["median"] for line in lines if line["figures"].get(figure)]
    return statistics.median(values) if values else None


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--template", default="dev_core")
    p.add_argument("--core-db", default="pos_bench_core")
    p.add_argument("--clever-db", default="pos_bench_clever")
    p.add_argument("--modules", default="clever_pos_terminal", help="Clever modules installed in the clever database")
    p.add_argument("--user", default="admin")
    p.add_argument("--config-name", default="POS Bench")
    p.add_argument("--products", type=int, default=10000)
    p.add_argument("--orders", type=int, default=40)
    p.add_argument("--lines", type=int, default=3)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--recreate", action="store_true")
    p.add_argument("--out", default=os.path.join(RESULTS, "pos_compare.json"))
    a = p.parse_args(argv)

    options = odoo_options()
    started = time.time()
    prepare(a, options)
    lines = {"core": [], "clever": []}
    raw_path = os.path.join(RESULTS, "pos_compare_raw.jsonl")
    os.makedirs(RESULTS, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(a.rounds):
            order = ["core", "clever"] if index % 2 == 0 else ["clever", "core"]
            for side in order:
                db = a.core_db if side == "core" else a.clever_db
                line = run_bench(a, options, db, os.path.join(tmp, f"{side}.jsonl"))
                line["side"] = side
                lines[side].append(line)
                with open(raw_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(line) + "\n")

    figures = {}
    within = True
    for figure, (kind, accepted) in FIGURES.items():
        core, clever = median_of(lines["core"], figure), median_of(lines["clever"], figure)
        if not core or clever is None:
            continue
        # ratio > 1 means the Clever database is slower (or sends more bytes)
        ratio = core / clever if kind == "rate" else clever / core
        ok = ratio <= LIMIT
        figures[figure] = {"core": core, "clever": clever, "ratio": round(ratio, 3), "within_10_percent": ok, "acceptance": accepted}
        if accepted and not ok:
            within = False
    result = {
        "bench": "pos_compare",
        "ts": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "template": a.template,
        "databases": {"core": a.core_db, "clever": a.clever_db},
        "clever_modules": a.modules,
        "note": "The Clever modules are installed with their demo data (the template has demo data); "
        "the benchmark runs in the same company and register setup on both sides, the clever register "
        "with clever_till = True.",
        "clever_pos_modules_installed": lines["clever"][-1]["pos_modules"] if lines["clever"] else [],
        "params": {"products": a.products, "orders": a.orders, "lines": a.lines, "rounds": a.rounds, "user": a.user},
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "figures": figures,
        "loading_and_sync_within_10_percent": within,
        "wall_s": round(time.time() - started, 1),
    }
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
        fh.write("\n")
    print(json.dumps(result, indent=2))
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
