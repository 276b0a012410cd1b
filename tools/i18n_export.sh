#!/usr/bin/env bash
# make i18n-export: regenerate each clever_pos module's .pot from a database where the modules
# are installed (DB, default the demo database of `make run`) and merge it into ru.po and kk.po,
# keeping the translations already written. New strings then show up empty in both files.
source "$(dirname "$0")/common.sh"
cd "$ROOT"
MODULES="${CLEVER_MODULES:-$(clever_modules)}"
for m in ${MODULES//,/ }; do
  "$PY" "$ODOO_SRC/odoo-bin" i18n export -c "$ODOO_CONF" -d "$DB" "$m" -l pot >/dev/null  # writes addons/$m/i18n/$m.pot
  for lang in ru kk; do
    po="addons/$m/i18n/$lang.po"
    if [ -f "$po" ]; then
      msgmerge --quiet --update --no-fuzzy-matching --backup=none "$po" "addons/$m/i18n/$m.pot"
    else
      msginit --no-translator --no-wrap --locale="$lang" --input="addons/$m/i18n/$m.pot" --output-file="$po"
    fi
  done
  log "$m: $(grep -c '^msgid ' "addons/$m/i18n/$m.pot") strings"
done
