#!/usr/bin/env bash
# make bench: every benchmark of bench/, each writing its figures to bench/results/. The ones that
# need Odoo data start from one database with every clever_pos module and demo data
# (BENCH_DB, created on first use and kept), which they copy and never change.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash tools/setup.sh
BENCH_DB="${BENCH_DB:-clever_pos_bench}"
MODULES="${CLEVER_MODULES:-$(clever_modules)}"

if ! bash tools/pg.sh psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$BENCH_DB'" | grep -q 1; then
  log "creating the benchmark database '$BENCH_DB'"
  odoo_cmd db init "$BENCH_DB" --with-demo --country kz --language ru_RU --password admin
  odoo_bin -d "$BENCH_DB" -i "$MODULES" --stop-after-init
fi

# Stock Odoo 19 with the same core modules and demo data: the reference the POS bench compares to.
CORE_DB="${BENCH_DB}_core"
if ! bash tools/pg.sh psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$CORE_DB'" | grep -q 1; then
  log "creating the stock Odoo reference database '$CORE_DB'"
  odoo_cmd db init "$CORE_DB" --with-demo --country kz --language ru_RU --password admin
  odoo_bin -d "$CORE_DB" -i point_of_sale,purchase_stock,phone_validation,auth_totp,l10n_kz --stop-after-init
fi

run() { log "bench/$1"; "$PY" "bench/$1" "${@:2}"; }
run fiscal_queue.py --database "$BENCH_DB"
run kaspi_orders_client.py
run kaspi_orders.py --database "$BENCH_DB"
[ -f bench/kaspi_feed.py ] && run kaspi_feed.py --database "$BENCH_DB"
[ -f bench/finance_dashboard.py ] && run finance_dashboard.py --database "$BENCH_DB"
[ -f bench/pos_compare.py ] && run pos_compare.py --template "$CORE_DB"
log "figures written to bench/results/"
