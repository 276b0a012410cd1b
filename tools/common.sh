# Shared settings of the project's scripts; sourced, never run on its own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-$HOME/odoo-19.0}"
ODOO_ARCHIVE="${ODOO_ARCHIVE:-$ROOT/../shared/vendor/odoo-19.0-ce.tar.xz}"
PG_PORT="${PG_PORT:-54329}"
HTTP_PORT="${HTTP_PORT:-8069}"
DB="${DB:-clever_pos}"

LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PG_DIR="$LOCAL/pg"
# Under root the cluster belongs to the system user "postgres", which must be able to reach the
# repository's folder; when a parent folder is closed to it (a clone in a private home), the
# cluster lives in /var/tmp, under a name derived from the repository's path.
if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
  mkdir -p "$LOCAL"
  if ! runuser -u postgres -- test -x "$LOCAL"; then
    PG_DIR="/var/tmp/clever_pos_pg_$(echo "$ROOT" | sha1sum | cut -c1-12)"
  fi
fi
PG_DATA="$PG_DIR/data"
PG_SOCKET="$PG_DIR/run"
PG_USER=odoo
ODOO_CONF="$LOCAL/odoo.conf"
ODOO_DATA_DIR="$LOCAL/data"

# Every clever_pos module of the repository (a folder with a manifest), comma-separated.
clever_modules() {
  (cd "$ROOT/addons" && ls clever_pos_*/__manifest__.py 2>/dev/null | cut -d/ -f1 | paste -sd, -)
}

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Seconds since an epoch timestamp, for the phase timings the test command prints.
since() { echo $(( $(date +%s) - $1 )); }

# odoo-bin with the project's configuration: `odoo_bin ARGS` runs the server command,
# `odoo_cmd db|shell|i18n ARGS` one of its other commands.
odoo_bin() {
  "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
}
odoo_cmd() {
  local sub="$1"; shift
  "$PY" "$ODOO_SRC/odoo-bin" "$sub" -c "$ODOO_CONF" "$@"
}
