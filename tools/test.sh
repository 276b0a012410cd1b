#!/usr/bin/env bash
# make test: a throw-away database with every clever_pos module and its demo data, then every test
# (Odoo tests of the modules through pytest-odoo, the pure tests in tests/) in one pytest run that
# ends with pytest's summary line. Skipped tests fail the run (conftest.py). Prints phase timings.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
T0=$(date +%s)

t=$(date +%s); bash tools/setup.sh; SETUP_S=$(since "$t")
MODULES="${CLEVER_MODULES:-$(clever_modules)}"
[ -n "$MODULES" ] || die "no addons/clever_pos_* module found"
TEST_PATHS=()
for m in ${MODULES//,/ }; do TEST_PATHS+=("addons/$m/tests"); done
TEST_DB="${TEST_DB:-${DB}_test}"

t=$(date +%s)
log "creating the throw-away database '$TEST_DB' with $MODULES and demo data"
odoo_cmd db init "$TEST_DB" --force --with-demo --country kz --language ru_RU --password admin
odoo_bin -d "$TEST_DB" -i "$MODULES" --stop-after-init --log-level=warn
INSTALL_S=$(since "$t")

# Build the asset bundles once, committed in the test database, so that no browser test pays it.
t=$(date +%s)
log "building the asset bundles once"
odoo_cmd shell -d "$TEST_DB" --log-level=warn --no-http < tools/build_assets.py
ASSETS_S=$(since "$t")

t=$(date +%s)
log "running the tests"
set +e
"$PY" -m pytest -p no:cacheprovider --rootdir="$ROOT" \
  --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" --odoo-http --odoo-log-level=warn \
  "${TEST_PATHS[@]}" tests "$@"
rc=$?
set -e
TESTS_S=$(since "$t")

echo "phase timings: setup ${SETUP_S}s, database ${INSTALL_S}s, assets ${ASSETS_S}s, tests ${TESTS_S}s, total $(since "$T0")s"
if [ -z "${KEEP_TEST_DB:-}" ]; then
  odoo_cmd db drop "$TEST_DB" >/dev/null 2>&1 || true
fi
exit $rc
