"""Database helpers shared by the benchmarks that need Odoo data: each works on a throw-away copy
of a database where the modules are installed (PostgreSQL CREATE DATABASE ... TEMPLATE), dropped
afterwards with its filestore. Import after ODOO_SRC is on sys.path."""

import shutil
import threading
from contextlib import closing, contextmanager

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config


def copy_database(source, target):
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cr.execute(f'CREATE DATABASE "{target}" WITH TEMPLATE "{source}"')


def drop_database(name):
    odoo.sql_db.close_db(name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(config.filestore(name), ignore_errors=True)


@contextmanager
def registry_on_copy(source, suffix, config_file, keep=False):
    """Odoo's registry of a throw-away copy of ``source`` (named ``<source>_<suffix>``, the config
    parsed for it, no cron thread), dropped on the way out unless ``keep``."""
    target = f"{source}_{suffix}"
    config.parse_config(["-c", config_file, "-d", target, "--log-level=warn", "--max-cron-threads=0"])
    print(f"copying {source} to {target} ...", flush=True)
    copy_database(source, target)
    try:
        threading.current_thread().dbname = target
        yield Registry(target)
    finally:
        odoo.sql_db.close_all()
        if not keep:
            drop_database(target)
