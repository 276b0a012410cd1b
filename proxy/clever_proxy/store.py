"""Persistent state of the proxy: one SQLite file in the state folder.

Tables:
- ``pairing``: the Odoo origins the proxy serves, with the SHA-256 of their keys;
- ``operation``: every Kaspi terminal operation (payment or refund attempt), written *before* the
  terminal is called and updated at every change, so a restart of the proxy or a reload of the POS
  resumes the same operation instead of starting a new one.
"""

import json
import os
import sqlite3
import threading
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS pairing (
    origin TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL,
    admin_key_hash TEXT NOT NULL,
    name TEXT,
    paired_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS operation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_uuid TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    kind TEXT NOT NULL,
    order_uuid TEXT,
    amount INTEGER NOT NULL,
    status TEXT NOT NULL,
    code TEXT,
    terminal_message TEXT,
    sub_status TEXT,
    process_id TEXT,
    transaction_id TEXT,
    method TEXT,
    original_transaction_id TEXT,
    original_payment_uuid TEXT,
    data TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    unknown_since REAL,
    lost_since REAL,
    last_actualize_at REAL,
    resolution TEXT,
    UNIQUE (payment_uuid, attempt)
);
CREATE INDEX IF NOT EXISTS operation_status ON operation (status);
CREATE INDEX IF NOT EXISTS operation_process ON operation (process_id);
"""

OPEN_STATUSES = ("sending", "wait", "unknown", "manual_review")
COLUMNS = (
    "id",
    "payment_uuid",
    "attempt",
    "kind",
    "order_uuid",
    "amount",
    "status",
    "code",
    "terminal_message",
    "sub_status",
    "process_id",
    "transaction_id",
    "method",
    "original_transaction_id",
    "original_payment_uuid",
    "data",
    "created_at",
    "updated_at",
    "unknown_since",
    "lost_since",
    "last_actualize_at",
    "resolution",
)


class Store:
    def __init__(self, state_dir):
        os.makedirs(state_dir, mode=0o700, exist_ok=True)
        self.path = os.path.join(state_dir, "clever_proxy.sqlite3")
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        try:
            os.chmod(self.path, 0o600)
        except OSError:
            pass

    def close(self):
        with self._lock:
            self._db.close()

    # pairing ---------------------------------------------------------------------------------
    def pairings(self):
        with self._lock:
            rows = self._db.execute("SELECT * FROM pairing ORDER BY origin").fetchall()
        return [dict(row) for row in rows]

    def pairing(self, origin):
        with self._lock:
            row = self._db.execute("SELECT * FROM pairing WHERE origin = ?", (origin,)).fetchone()
        return dict(row) if row else None

    def save_pairing(self, origin, key_hash, admin_key_hash, name=""):
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO pairing (origin, key_hash, admin_key_hash, name, paired_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (origin, key_hash, admin_key_hash, name or "", time.time()),
            )

    def delete_pairing(self, origin):
        with self._lock:
            cur = self._db.execute("DELETE FROM pairing WHERE origin = ?", (origin,))
        return cur.rowcount > 0

    # operations ------------------------------------------------------------------------------
    @staticmethod
    def _row(row):
        if row is None:
            return None
        op = dict(row)
        op["data"] = json.loads(op["data"]) if op["data"] else {}
        op["resolution"] = json.loads(op["resolution"]) if op["resolution"] else None
        return op

    def insert_operation(self, **values):
        now = time.time()
        values.setdefault("created_at", now)
        values.setdefault("updated_at", now)
        if "data" in values:
            values["data"] = json.dumps(values["data"] or {}, ensure_ascii=False)
        keys = list(values)
        with self._lock:
            cur = self._db.execute(
                f"INSERT INTO operation ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
                [values[k] for k in keys],
            )
            return self.operation(cur.lastrowid)

    def update_operation(self, op_id, **values):
        values["updated_at"] = time.time()
        if "data" in values:
            values["data"] = json.dumps(values["data"] or {}, ensure_ascii=False)
        if "resolution" in values and values["resolution"] is not None:
            values["resolution"] = json.dumps(values["resolution"], ensure_ascii=False)
        for key in values:
            if key not in COLUMNS:
                raise KeyError(key)
        sets = ", ".join(f"{k} = ?" for k in values)
        with self._lock:
            self._db.execute(
                f"UPDATE operation SET {sets} WHERE id = ?", [*values.values(), op_id]
            )
            return self.operation(op_id)

    def operation(self, op_id):
        with self._lock:
            row = self._db.execute("SELECT * FROM operation WHERE id = ?", (op_id,)).fetchone()
        return self._row(row)

    def latest_for_payment(self, payment_uuid):
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM operation WHERE payment_uuid = ? ORDER BY attempt DESC LIMIT 1",
                (payment_uuid,),
            ).fetchone()
        return self._row(row)

    def by_process_id(self, process_id):
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM operation WHERE process_id = ? ORDER BY id DESC LIMIT 1",
                (str(process_id),),
            ).fetchone()
        return self._row(row)

    def open_operations(self):
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM operation WHERE status IN ({', '.join('?' * len(OPEN_STATUSES))})"
                " ORDER BY id",
                OPEN_STATUSES,
            ).fetchall()
        return [self._row(r) for r in rows]

    def refunds_of(self, original_payment_uuid):
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM operation WHERE kind = 'refund' AND original_payment_uuid = ?",
                (original_payment_uuid,),
            ).fetchall()
        return [self._row(r) for r in rows]
