"""The incident tables in the plan store's SQLite file, and their migration. Core: no Textual.

The incident log keeps its own schema version (in ``incident_meta``), apart from
the store's ``PRAGMA user_version``, so the two can move on independently. The
store knows nothing of these tables: :data:`INCIDENT_TABLES` is the part registered
when the store is opened (:mod:`safety_tui.wiring`), which checks them (a newer or
changed incident log is refused before anything writes) and creates or upgrades them
inside the store's migration transaction. ``migrate_incidents(conn)`` also runs on its
own when an incident log is opened on a store that never ran it.

Every entry is appended to ``incident_entries`` and never updated, except that
deleting an incident (on purpose, after a confirmation) empties the ``body`` of
its entries. ``incident_drafts`` holds what is being typed in the form (saved as
you type, so a kill -9 loses nothing); it becomes an entry when it is saved. Each entry's ``hash`` covers its order, incident, kind, times,
recorder, the hash of its body and the previous entry's hash: a hash chain.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from safety_tui.common.errors import StoreError
from safety_tui.store.schema import SchemaPart, Shape, shape

INCIDENT_SCHEMA_VERSION = 2

# Forward migrations: MIGRATIONS[n] takes the incident tables from version n to n + 1.
MIGRATIONS: dict[int, str] = {
    0: """
CREATE TABLE IF NOT EXISTS incident_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS incident_persons(
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    norm TEXT NOT NULL UNIQUE,
    described INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS incidents(
    id INTEGER PRIMARY KEY,
    created_utc TEXT NOT NULL,
    deleted_utc TEXT
);
CREATE TABLE IF NOT EXISTS incident_entries(
    seq INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    kind TEXT NOT NULL,
    recorded_utc TEXT NOT NULL,
    recorder TEXT NOT NULL,
    body TEXT,
    body_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS incident_entries_by_incident ON incident_entries(incident_id, seq);
""",
    # v2: what the form holds while it is typed (saved as you type; never chained).
    1: """
CREATE TABLE IF NOT EXISTS incident_drafts(
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_utc TEXT NOT NULL
) WITHOUT ROWID;
""",
}


def incident_schema_version(conn: sqlite3.Connection) -> int:
    """0 when the incident tables do not exist yet."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incident_meta'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT value FROM incident_meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0]) if row else 0
    except ValueError:
        raise StoreError("the incident log's schema version is not a number: the store was edited by hand") from None


def refuse_newer_incident_log(conn: sqlite3.Connection) -> None:
    """A log written by a newer safety-tui is refused (``StoreError``), never changed."""
    version = incident_schema_version(conn)
    if version > INCIDENT_SCHEMA_VERSION:
        raise StoreError(
            f"the incident log was written by a newer safety-tui (incident schema {version}, "
            f"this one knows {INCIDENT_SCHEMA_VERSION}). Upgrade safety-tui to open it."
        )


def owns(name: str) -> bool:
    """The tables and indexes that are the incident log's (all named ``incident...``)."""
    return name.startswith("incident")


@cache
def expected_incident_shape(version: int) -> Shape:
    """The incident tables' shape at ``version``, built in memory from the migrations."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in range(version):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
        return shape(conn, owns)
    finally:
        conn.close()


def check_incident_tables(conn: sqlite3.Connection) -> None:
    """Refuse (``StoreError``) an incident log written by a newer safety-tui, or whose tables another
    program changed; nothing is written."""
    refuse_newer_incident_log(conn)
    version = incident_schema_version(conn)
    found = shape(conn, owns)
    if found and found != expected_incident_shape(version):
        raise StoreError(
            f"the incident log's tables were changed by another program (incident schema {version}). "
            "safety-tui will not write to it. Keep a copy of the store, move it away, then start safety-tui again."
        )


def needs_migration(conn: sqlite3.Connection) -> bool:
    return incident_schema_version(conn) < INCIDENT_SCHEMA_VERSION


def migrate_incidents(conn: sqlite3.Connection) -> None:
    """Create or upgrade the incident tables. The caller holds the write transaction.

    A log written by a newer safety-tui is refused (``StoreError``), never changed.
    """
    refuse_newer_incident_log(conn)
    version = incident_schema_version(conn)
    while version < INCIDENT_SCHEMA_VERSION:
        for statement in MIGRATIONS[version].split(";"):
            if statement.strip():
                conn.execute(statement)
        version += 1
        conn.execute(
            "INSERT INTO incident_meta(key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(version),),
        )


# The incident log's part of the store's file, registered by whoever opens the store.
INCIDENT_TABLES = SchemaPart(
    name="the incident log",
    owns=owns,
    check=check_incident_tables,
    needs_migration=needs_migration,
    migrate=migrate_incidents,
)
