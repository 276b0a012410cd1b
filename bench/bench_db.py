"""Database helpers shared by the benchmarks that need Odoo data: each works on a throw-away copy
of a database where the modules are installed (PostgreSQL CREATE DATABASE ... TEMPLATE), dropped
afterwards with its filestore. Import after ODOO_SRC is on sys.path."""

import shutil
from contextlib import closing

import odoo
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
