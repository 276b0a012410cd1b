# Clever POS: the two commands are `make run` and `make test` (see README.md).
# Everything else here is what those two call.

# Odoo 19.0 community source tree, outside the repository. When the folder is missing the setup
# unpacks ODOO_ARCHIVE there, and only without the archive clones the official repository.
ODOO_SRC ?= $(HOME)/odoo-19.0
ODOO_ARCHIVE ?= $(abspath ../shared/vendor/odoo-19.0-ce.tar.xz)
# Project-local PostgreSQL (socket under .local/, no TCP) and the Odoo HTTP port.
PG_PORT ?= 54329
HTTP_PORT ?= 8069
DB ?= clever_pos

export ODOO_SRC ODOO_ARCHIVE PG_PORT HTTP_PORT DB

.PHONY: setup run test stop bench i18n-export i18n-report help

help:
	@echo "make run    install what is missing, create or update the demo database, serve Odoo"
	@echo "make test   every test of every clever_pos module on a throw-away database"
	@echo "make setup  only the installation step (PostgreSQL, venv, Odoo source, cluster)"
	@echo "make stop   stop the project's PostgreSQL cluster"
	@echo "make bench  the benchmarks of bench/, figures in bench/results/"

setup:
	@bash tools/setup.sh

run:
	@bash tools/run.sh

test:
	@bash tools/test.sh

stop:
	@bash tools/pg.sh stop

# Speed and memory figures (Kaspi feed, POS load/sync vs stock Odoo, dashboard, fiscal queue,
# Kaspi orders client), written to bench/results/.
bench:
	@bash tools/bench.sh

# Regenerate every module's .pot and merge it into its ru.po and kk.po.
i18n-export: setup
	@bash tools/i18n_export.sh

# Translated/total per module and language (ru, kk), ours and the core catalogues we ship.
i18n-report:
	@.venv/bin/python tools/i18n_report.py
