"""The incident log's tables are its own part of the store's file: a store made by an earlier
safety-tui (its v4 migration built them) opens unchanged and loses nothing.

The databases are built here as earlier versions left them: the store's migrations up to a
version, with the incident tables exactly as the store's v4 migration created them.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from safety_tui.common.clock import FixedClock
from safety_tui.common.errors import StoreError
from safety_tui.incidents import IncidentLog
from safety_tui.incidents.model import Category, Channel
from safety_tui.incidents.schema import INCIDENT_SCHEMA_VERSION, INCIDENT_TABLES, incident_schema_version
from safety_tui.store import opening
from safety_tui.store.opening import DB_NAME
from safety_tui.store.schema import APPLICATION_ID, MIGRATIONS
from safety_tui.wiring import open_store

T0 = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)
CLOCK = FixedClock(T0 + timedelta(hours=1))

# What the store's v4 migration ran until the incident log took its tables over (incident schema 2).
OLD_V4_INCIDENT_TABLES = (
    "CREATE TABLE IF NOT EXISTS incident_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE IF NOT EXISTS incident_persons(
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    norm TEXT NOT NULL UNIQUE,
    described INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE IF NOT EXISTS incidents(
    id INTEGER PRIMARY KEY,
    created_utc TEXT NOT NULL,
    deleted_utc TEXT
)""",
    """CREATE TABLE IF NOT EXISTS incident_entries(
    seq INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    kind TEXT NOT NULL,
    recorded_utc TEXT NOT NULL,
    recorder TEXT NOT NULL,
    body TEXT,
    body_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
)""",
    "CREATE INDEX IF NOT EXISTS incident_entries_by_incident ON incident_entries(incident_id, seq)",
    """CREATE TABLE IF NOT EXISTS incident_drafts(
    key TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_utc TEXT NOT NULL
) WITHOUT ROWID""",
    "INSERT INTO incident_meta(key, value) VALUES ('schema_version', '2')",
)
DRAFTS_TABLE = 5  # the incident log's v2 (drafts): a store made before it has incident schema 1


def earlier_store(folder: Path, version: int, *, incident_statements: tuple[str, ...] = OLD_V4_INCIDENT_TABLES) -> Path:
    """A store as an earlier safety-tui left it at ``version``, with one plan (and, from v4, one incident)."""
    folder.mkdir(mode=0o700)
    path = folder / DB_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for step in range(version):
        for statement in incident_statements if step == 3 else MIGRATIONS[step]:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO plans(ref, status, visit_type, tz, grace_minutes, created_utc, updated_utc)"
        " VALUES ('2025-01-01-1', 'draft', 'surgery', 'UTC', 15, '2025-01-01T10:00:00+00:00', '2025-01-01T10:00:00+00:00')"
    )
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if version >= 4:
        conn.row_factory = sqlite3.Row
        IncidentLog(conn, folder, CLOCK).record(
            what="Shouted at me after the surgery",
            recorder="Cllr Alex Doe",
            tz="Europe/London",
            happened_at=T0,
            people=["John Smith"],
            channel=Channel.IN_PERSON,
            category=Category.ABUSIVE,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("version", [4, 5])
def test_a_store_whose_v4_migration_built_the_incident_tables_opens_and_keeps_its_incidents(tmp_path, version):
    folder = tmp_path / "data"
    earlier_store(folder, version)
    with open_store(folder, CLOCK) as store:
        assert [p.ref for p in store.list_plans()] == ["2025-01-01-1"]
        log = IncidentLog.of(store)
        assert [i.what for i in log.incidents()] == ["Shouted at me after the surgery"]
        assert log.verify().ok  # the hash chain is whole: nothing was rewritten
        assert incident_schema_version(store.conn) == INCIDENT_SCHEMA_VERSION
    with open_store(folder, CLOCK) as again:  # and it opens again as it is now
        assert len(IncidentLog.of(again).incidents()) == 1


def test_read_only_reads_an_earlier_store_and_its_incidents_without_changing_a_byte(tmp_path):
    folder = tmp_path / "data"
    path = earlier_store(folder, 4)
    before = path.read_bytes()
    with open_store(folder, CLOCK, read_only=True) as reader:
        assert [i.what for i in IncidentLog.of(reader).incidents()] == ["Shouted at me after the surgery"]
        assert [p.ref for p in reader.list_plans()] == ["2025-01-01-1"]
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [DB_NAME]  # no side file either


def test_a_store_from_before_the_incident_log_gets_its_tables_and_keeps_its_plans(tmp_path):
    folder = tmp_path / "data"
    earlier_store(folder, 3)
    with open_store(folder, CLOCK) as store:
        assert [p.ref for p in store.list_plans()] == ["2025-01-01-1"]
        assert incident_schema_version(store.conn) == INCIDENT_SCHEMA_VERSION
        log = IncidentLog.of(store)
        log.record(
            what="A call at night",
            recorder="Cllr Alex Doe",
            tz="Europe/London",
            happened_at=T0,
            people=["Unknown caller"],
            channel=Channel.PHONE,
            category=Category.THREAT,
        )
        assert len(log.incidents()) == 1 and log.verify().ok


def test_incident_tables_from_before_drafts_are_upgraded_in_place(tmp_path):
    folder = tmp_path / "data"
    first_version = tuple(s for n, s in enumerate(OLD_V4_INCIDENT_TABLES) if n != DRAFTS_TABLE)[:-1] + (
        "INSERT INTO incident_meta(key, value) VALUES ('schema_version', '1')",
    )
    earlier_store(folder, 5, incident_statements=first_version)
    with open_store(folder, CLOCK, read_only=True) as reader:  # a copy in memory: its incidents are all there
        assert len(IncidentLog.of(reader).incidents()) == 1
    with open_store(folder, CLOCK) as store:
        assert incident_schema_version(store.conn) == INCIDENT_SCHEMA_VERSION
        assert store.row("SELECT 1 FROM sqlite_master WHERE name = 'incident_drafts'") is not None
        assert len(IncidentLog.of(store).incidents()) == 1 and IncidentLog.of(store).verify().ok


def _refused_untouched(folder: Path, match: str) -> None:
    path = folder / DB_NAME
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(StoreError, match=match):
            open_store(folder, CLOCK, read_only=read_only)
    assert path.read_bytes() == before


def test_incident_tables_changed_by_another_program_are_refused_and_never_written(tmp_path):
    folder = tmp_path / "data"
    path = earlier_store(folder, 5)
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX incident_entries_by_incident")
    conn.commit()
    conn.close()
    _refused_untouched(folder, "incident log's tables were changed by another program")


def test_a_newer_incident_log_is_refused_and_never_written(tmp_path):
    folder = tmp_path / "data"
    path = earlier_store(folder, 5)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE incident_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    _refused_untouched(folder, "newer safety-tui")


def test_the_store_alone_knows_nothing_of_the_incident_tables_and_refuses_them_untouched(tmp_path):
    """Opened without the incident log's part, its tables are tables the store does not know."""
    folder = tmp_path / "data"
    path = earlier_store(folder, 5)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="changed by another program"):
        opening.open_store(folder, CLOCK)
    assert path.read_bytes() == before
    with opening.open_store(folder, CLOCK, parts=(INCIDENT_TABLES,)) as store:
        assert [p.ref for p in store.list_plans()] == ["2025-01-01-1"]


def test_a_new_store_has_only_its_own_tables_without_the_incident_part(tmp_path):
    with opening.open_store(tmp_path / "alone", CLOCK) as store:
        assert store.row("SELECT 1 FROM sqlite_master WHERE name LIKE 'incident%'") is None
    with open_store(tmp_path / "wired", CLOCK) as store:
        assert incident_schema_version(store.conn) == INCIDENT_SCHEMA_VERSION
