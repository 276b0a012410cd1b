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
Demo logins (password = login unless said otherwise; a phone number works as the login too):
  Administrator  admin / admin
$("$PY" tools/demo_logins.py)

TXT
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" --db-filter="^$DB\$" --log-level=warn
