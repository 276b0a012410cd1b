#!/usr/bin/env bash
# make setup: idempotent. Debian packages when missing, the Python venv from requirements.txt,
# the Odoo 19.0 source in ODOO_SRC, the project's PostgreSQL cluster and Odoo's config file.
source "$(dirname "$0")/common.sh"
cd "$ROOT"

# 1. Debian packages: PostgreSQL, what the pinned wheels build against, Chromium for the tours,
#    wkhtmltopdf for QWeb PDFs, poppler and zbar for the price-tag tests (PDF to PNG, barcode read back).
DEBS="postgresql libpq-dev libldap2-dev libsasl2-dev build-essential python3-dev xz-utils git chromium wkhtmltopdf poppler-utils zbar-tools"
missing=""
for p in $DEBS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  log "installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

# 2. Python venv with the pinned requirements (reinstalled only when requirements.txt changes).
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
req_sum="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ ! -x "$PY" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$req_sum" ]; then
  log "preparing the Python environment in .venv"
  [ -x "$PY" ] || "$PYTHON" -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip wheel "setuptools<81"
  "$PY" -m pip install -q -r requirements.txt
  echo "$req_sum" > "$VENV/.requirements.sha256"
fi

# 3. Odoo 19.0 source: ODOO_SRC as it is, else the vendored archive, else the official repository.
is_odoo19() { [ -f "$1/odoo-bin" ] && grep -q "version_info = (19, 0" "$1/odoo/release.py" 2>/dev/null; }
if ! is_odoo19 "$ODOO_SRC"; then
  if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
    die "ODOO_SRC=$ODOO_SRC exists but is not an Odoo 19.0 source tree (no odoo-bin / release 19.0)"
  fi
  if [ -f "$ODOO_ARCHIVE" ]; then
    log "unpacking $(basename "$ODOO_ARCHIVE") into ODOO_SRC=$ODOO_SRC"
    tmp="$(mktemp -d "$(dirname "$ODOO_SRC")/.odoo-unpack.XXXXXX")"
    tar -xJf "$ODOO_ARCHIVE" -C "$tmp"
    rm -rf "$ODOO_SRC" && mv "$tmp/odoo-19.0" "$ODOO_SRC" && rmdir "$tmp"
  else
    log "no Odoo archive at ODOO_ARCHIVE=$ODOO_ARCHIVE: cloning Odoo 19.0 into ODOO_SRC=$ODOO_SRC"
    git clone -q --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC" \
      || die "ODOO_SRC=$ODOO_SRC holds no Odoo 19.0 tree and cloning it failed: point ODOO_SRC at an Odoo 19.0 checkout"
  fi
  is_odoo19 "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 19.0 source tree"
fi

# Make the odoo package importable from the venv (pytest-odoo imports it).
"$PY" -c "import site, sys; open(site.getsitepackages()[0] + '/odoo_src.pth', 'w').write(sys.argv[1] + '\\n')" "$ODOO_SRC"

# 4. PostgreSQL cluster and Odoo's configuration (generated from config/odoo.conf.template).
bash "$ROOT/tools/pg.sh" start
mkdir -p "$ODOO_DATA_DIR"
sed -e "s|@ODOO_SRC@|$ODOO_SRC|g" -e "s|@ROOT@|$ROOT|g" -e "s|@PG_SOCKET@|$PG_SOCKET|g" \
    -e "s|@PG_PORT@|$PG_PORT|g" -e "s|@PG_USER@|$PG_USER|g" -e "s|@HTTP_PORT@|$HTTP_PORT|g" \
    -e "s|@DATA_DIR@|$ODOO_DATA_DIR|g" config/odoo.conf.template > "$ODOO_CONF"
