#!/usr/bin/env bash
# make run: create the demo database on first use (or update its modules), then serve Odoo.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
bash tools/setup.sh
MODULES="${CLEVER_MODULES:-$(clever_modules)}"

db_exists() {
  bash tools/pg.sh psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1
}

if ! db_exists "$DB"; then
  log "creating the demo database '$DB' (Kazakh company, Russian interface, demo data)"
  odoo_cmd db init "$DB" --with-demo --country kz --language ru_RU --password admin
  odoo_bin -d "$DB" -i "$MODULES" --stop-after-init --log-level=warn
else
  log "updating $MODULES in '$DB' (its data is kept)"
  odoo_bin -d "$DB" -u "$MODULES" --stop-after-init --log-level=warn
fi

cat <<TXT

Clever POS is served on http://127.0.0.1:$HTTP_PORT  (database '$DB'; Ctrl+C stops it)
Demo logins of the shop «Алма Маркет» (password = login; the phone works as the login too):
  Administrator  admin        +7 700 000 00 01
  Manager        manager      +7 701 111 11 11
  Cashier        cashier      +7 702 222 22 22   (Kazakh interface)
  Store keeper   storekeeper  +7 705 333 33 33
  Accountant     accountant   +7 707 444 44 44
  Courier        courier      +7 747 555 55 55
Managers: approval QR at /clever/approval/my_qr, pending requests at /clever/approvals

TXT
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" --log-level=warn
