#!/usr/bin/env bash
# The project's own PostgreSQL cluster under .local/pg: its own socket folder and port, no TCP,
# no system service. PostgreSQL refuses to run as root, so under root the cluster belongs to the
# system user "postgres"; otherwise to the user who runs make. Odoo connects as the role "odoo"
# (Odoo refuses the "postgres" role).
source "$(dirname "$0")/common.sh"

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql (run make setup)"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}


start() {
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR"; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "creating the project's PostgreSQL cluster in $PG_DIR"
    as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null
    as_owner mkdir -p "$PG_SOCKET"
  fi
  if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$PG_SOCKET' -p $PG_PORT -c synchronous_commit=off" \
      start >/dev/null || { tail -n 20 "$PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  psql_su -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'" | grep -q 1 \
    || psql_su -qc "CREATE ROLE $PG_USER LOGIN CREATEDB"
}

psql_su() {
  as_owner psql -h "$PG_SOCKET" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

stop() {
  if [ -f "$PG_DATA/PG_VERSION" ] && as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    log "PostgreSQL stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  psql) shift; psql -h "$PG_SOCKET" -p "$PG_PORT" -U "$PG_USER" "$@" ;;
  *) die "usage: tools/pg.sh start|stop|psql [args]" ;;
esac
