"""The database's shape: the first schema, forward migrations, and the check that a file matches.

A safety-tui database carries ``PRAGMA application_id = APPLICATION_ID`` and
``PRAGMA user_version`` = the schema version. ``MIGRATIONS[n]`` takes version n
to n + 1; a new database is built by running every migration from 0, so a fresh
database and a migrated one have exactly the same shape.

Other parts of safety-tui may keep their own tables in the same file under their own
version (a :class:`SchemaPart`, registered by whoever opens the store): the store
checks, migrates and refuses them through the part, and knows nothing else of them.
Core: no Textual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

APPLICATION_ID = 0x53465455  # "SFTU"
SCHEMA_VERSION = 5

SCHEMA_V1 = """
CREATE TABLE plans(
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    visit_type TEXT NOT NULL,
    travel_modes TEXT NOT NULL DEFAULT '[]',
    owner_name TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    start_utc TEXT,
    finish_utc TEXT,
    tz TEXT NOT NULL,
    grace_minutes INTEGER NOT NULL,
    escalation TEXT NOT NULL DEFAULT '',
    code_word TEXT NOT NULL DEFAULT '',
    code_meaning TEXT NOT NULL DEFAULT '',
    wizard_step TEXT NOT NULL DEFAULT 'type',
    cursor TEXT,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    started_utc TEXT,
    checked_in_utc TEXT,
    ended_utc TEXT
);
CREATE INDEX plans_by_created ON plans(created_utc, id);
CREATE INDEX plans_by_status ON plans(status, finish_utc);
CREATE TABLE plan_contacts(
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    told_utc TEXT,
    PRIMARY KEY(plan_id, position)
) WITHOUT ROWID;
CREATE TABLE checklist_snapshots(
    content_hash TEXT PRIMARY KEY,
    checklist_id TEXT NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE plan_checklists(
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    checklist_id TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES checklist_snapshots(content_hash),
    PRIMARY KEY(plan_id, position)
) WITHOUT ROWID;
CREATE TABLE answers(
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    checklist_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    answered_utc TEXT NOT NULL,
    PRIMARY KEY(plan_id, checklist_id, item_id)
) WITHOUT ROWID;
CREATE TABLE audit(
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    at_utc TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_plan ON audit(plan_id, id);
CREATE TABLE saved_contacts(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    last_used_utc TEXT,
    UNIQUE(name, phone)
);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID
"""

# A random (version 4) UUID in SQL, for rows inserted without one (and for migrated plans).
RANDOM_UUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)"
    " || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2)"
    " || '-' || lower(hex(randomblob(6)))"
)

# Forward migrations: MIGRATIONS[n] takes a database from version n to n + 1, one statement each.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    0: tuple(s.strip() for s in SCHEMA_V1.split(";") if s.strip()),
    # v2: Today lists open plans; with years of finished plans a partial index keeps that instant.
    1: ("CREATE INDEX plans_open ON plans(created_utc, id) WHERE status NOT IN ('finished', 'cancelled')",),
    # v3: a random uid and a sequence per plan (calendar UID / SEQUENCE); contacts get a stable id.
    2: (
        "ALTER TABLE plans ADD COLUMN uid TEXT",
        "ALTER TABLE plans ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0",
        f"UPDATE plans SET uid = {RANDOM_UUID_SQL}",
        "CREATE UNIQUE INDEX plans_by_uid ON plans(uid)",
        f"""CREATE TRIGGER plans_get_a_uid AFTER INSERT ON plans WHEN NEW.uid IS NULL
            BEGIN UPDATE plans SET uid = {RANDOM_UUID_SQL} WHERE id = NEW.id; END""",
        """CREATE TABLE contacts_v3(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            phone TEXT NOT NULL DEFAULT '',
            told_utc TEXT
        )""",
        """INSERT INTO contacts_v3(plan_id, position, name, phone, told_utc)
           SELECT plan_id, position, name, phone, told_utc FROM plan_contacts ORDER BY plan_id, position""",
        "DROP TABLE plan_contacts",
        "ALTER TABLE contacts_v3 RENAME TO plan_contacts",
        "CREATE INDEX plan_contacts_by_plan ON plan_contacts(plan_id, position)",
    ),
    # v4 built tables that another part now creates and upgrades itself (a SchemaPart): nothing here,
    # so a database at any version keeps its meaning.
    3: (),
    # v5: the councillor's name is kept under one settings key, "name" (an older "owner_name" moves there).
    4: (
        """INSERT INTO settings(key, value) SELECT 'name', value FROM settings WHERE key = 'owner_name' AND value <> ''
           ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE settings.value = ''""",
        "DELETE FROM settings WHERE key = 'owner_name'",
    ),
}

Shape = tuple[tuple[str, str, tuple[tuple[str | int, ...], ...]], ...]


@dataclass(frozen=True)
class SchemaPart:
    """Tables another part of safety-tui keeps in the store's file, under its own version.

    ``owns(name)`` says which tables, indexes and triggers are the part's (the store's own
    shape check leaves them to it). ``check(conn)`` refuses, with a ``StoreError``, what this
    version cannot safely use (a newer or changed part), before anything is written.
    ``needs_migration(conn)`` and ``migrate(conn)`` create or upgrade the part's tables, inside
    the store's write transaction (or on a private copy in memory, for a read-only store).
    """

    name: str
    owns: Callable[[str], bool]
    check: Callable[[sqlite3.Connection], None]
    needs_migration: Callable[[sqlite3.Connection], bool]
    migrate: Callable[[sqlite3.Connection], None]


def migrate(conn: sqlite3.Connection, version: int, parts: Sequence[SchemaPart] = ()) -> int:
    """Run the migrations from ``version`` up, then the parts', inside the caller's transaction;
    returns the new version."""
    while version < SCHEMA_VERSION:
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
        version += 1
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for part in parts:
        if part.needs_migration(conn):
            part.migrate(conn)
    return version


def shape(conn: sqlite3.Connection, keep: Callable[[str], bool] = lambda name: True) -> Shape:
    """Every table, index and trigger (those ``keep`` accepts) with its columns: what the code
    relies on (SQL text aside)."""
    objects = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name"
    ).fetchall()
    out: list[tuple[str, str, tuple[tuple[str | int, ...], ...]]] = []
    for kind, name in objects:
        if not keep(str(name)):
            continue
        columns: tuple[tuple[str | int, ...], ...] = ()
        if kind == "table":
            rows = conn.execute('SELECT name, upper(type), "notnull", pk FROM pragma_table_info(?)', (name,))
            columns = tuple(tuple(r) for r in rows)
        elif kind == "index":
            columns = tuple(tuple(r) for r in conn.execute("SELECT seqno, name FROM pragma_index_info(?)", (name,)))
        out.append((str(kind), str(name), columns))
    return tuple(out)


@cache
def expected_shape(version: int) -> Shape:
    """The shape a safety-tui database of ``version`` has, built in memory from the migrations."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for step in range(version):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
        return shape(conn)
    finally:
        conn.close()


def own_shape(conn: sqlite3.Connection, parts: Sequence[SchemaPart]) -> Shape:
    """The shape of the store's own objects: everything no registered part owns."""
    return shape(conn, lambda name: not any(part.owns(name) for part in parts))


def has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None
