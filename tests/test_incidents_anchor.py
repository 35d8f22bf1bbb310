"""The incident log anchored on the council server: a real throwaway PostgreSQL (tests/pg_server.py), no mocks.

Each append records (entries, chain head) with the server's time in an append-only
table the councillor cannot change or delete; verify compares the local log with
it, so a chain rewritten and re-hashed, or cut short, is caught.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.cli.main import main
from safety_tui.council import anchor
from safety_tui.council.config import SETTING_URL
from safety_tui.incidents import IncidentLog
from safety_tui.incidents.chain import GENESIS, entry_hash, sha256_text
from safety_tui.wiring import open_store

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures
pytestmark = pytest.mark.slow

ME = "Cllr Alice"


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "data") as opened:  # the real clock: the server's time is real too
        yield opened


def alice_log(store, council: Council) -> IncidentLog:
    store.set_setting(SETTING_URL, council.url("alice"))
    return IncidentLog.of(store)


def record(log: IncidentLog, what: str, minutes_ago: int = 10):
    when = datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)
    incident = log.record(what=what, recorder=ME, tz="Europe/London", happened_at=when, people=["John Smith"])
    anchor.wait_for_anchors()
    return incident


def anchors_of(council: Council, role: str = "alice") -> list[tuple[int, str]]:
    with psycopg.connect(council.url(role), autocommit=True) as conn:
        return [
            (int(n), str(h)) for n, h in conn.execute("SELECT entries, head FROM council.incident_anchors ORDER BY id")
        ]


def rehash_everything(conn: sqlite3.Connection, old: str, new: str) -> None:
    """What a forger with the file does: change a body, then recompute every hash so the chain checks."""
    prev = GENESIS
    rows = conn.execute(
        "SELECT seq, incident_id, kind, recorded_utc, recorder, body FROM incident_entries ORDER BY seq"
    )
    for seq, incident_id, kind, recorded, recorder, body in rows.fetchall():
        body = body.replace(old, new)
        digest = entry_hash(seq, incident_id, kind, recorded, recorder, sha256_text(body), prev)
        conn.execute(
            "UPDATE incident_entries SET body = ?, body_hash = ?, prev_hash = ?, hash = ? WHERE seq = ?",
            (body, sha256_text(body), prev, digest, seq),
        )
        prev = digest
    conn.commit()


def test_each_append_is_anchored_with_the_servers_time(store, council):
    log = alice_log(store, council)
    record(log, "Shouted at me")
    log.add_action(1, ME, "council")
    anchor.wait_for_anchors()
    result = log.verify(council=True)
    assert result.ok, result.problems
    assert anchors_of(council)[-1] == (2, result.head)
    assert any("compared with" in note and "2 entries" in note for note in result.notes)
    assert anchors_of(council, "bob") == []  # another councillor sees none of them


def test_the_councillor_cannot_change_delete_or_backdate_an_anchor(store, council):
    record(alice_log(store, council), "Shouted at me")
    with psycopg.connect(council.url("alice"), autocommit=True) as alice:
        for statement in (
            "UPDATE council.incident_anchors SET head = repeat('0', 64)",
            "DELETE FROM council.incident_anchors",
            "TRUNCATE council.incident_anchors",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                alice.execute(statement)
        (before,) = alice.execute("SELECT now()").fetchone()
        alice.execute(
            "INSERT INTO council.incident_anchors(entries, head, local_at, at, owner) "
            "VALUES (5, repeat('a', 64), now(), '2020-01-01', 'bob')"
        )
        at, owner = alice.execute("SELECT at, owner FROM council.incident_anchors WHERE entries = 5").fetchone()
        assert at >= before and owner == "alice"  # the server's time and the session's own name
    with psycopg.connect(council.url("duty1"), autocommit=True) as duty:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            duty.execute("SELECT * FROM council.incident_anchors")


def test_a_rewritten_rehashed_chain_is_caught_against_the_council_anchor(store, council, monkeypatch, capsys):
    log = alice_log(store, council)
    record(log, "Threatened to burn my car")
    record(log, "Followed me home", minutes_ago=5)
    rehash_everything(store.conn, "burn my car", "wave at me")
    assert log.verify().ok  # the chain alone cannot tell
    result = log.verify(council=True)
    assert not result.ok
    assert any("entry 2 is not the one the council server recorded" in p and "rewritten" in p for p in result.problems)
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(store.path.parent))
    store.close()
    assert main(["incidents", "verify"]) == 1
    assert "rewritten" in capsys.readouterr().err


def test_entries_cut_from_the_end_are_caught_against_the_council_anchor(store, council):
    log = alice_log(store, council)
    record(log, "Letter")
    log.add_action(1, ME, "police", reference="CAD 1")
    anchor.wait_for_anchors()
    store.conn.execute("DELETE FROM incident_entries WHERE seq = 2")
    result = log.verify(council=True)
    assert any("recorded 2 entries" in p and "now has 1" in p for p in result.problems)


def test_an_entry_backdated_behind_an_anchor_is_caught(store, council):
    from safety_tui.common.clock import FixedClock

    log = alice_log(store, council)
    clock = FixedClock(datetime.now(timezone.utc) - timedelta(days=3))
    log.clock = clock
    good, log.anchor_url = log.anchor_url, ""  # recorded with no signal
    record(log, "Letter", minutes_ago=60 * 24 * 3 + 10)
    clock.advance(days=2)
    log.anchor_url = good
    assert log.verify(council=True).ok  # the next contact anchors it, two days after it was recorded
    conn = store.conn
    prev = conn.execute("SELECT hash FROM incident_entries WHERE seq = 1").fetchone()[0]
    forged = (clock.now() - timedelta(days=1)).isoformat(timespec="microseconds")  # after entry 1, before the anchor
    body = '{"prompt":"police"}'
    digest = entry_hash(2, 1, "dismissed", forged, "PC Plod", sha256_text(body), prev)
    conn.execute(
        "INSERT INTO incident_entries VALUES (2, 1, 'dismissed', ?, 'PC Plod', ?, ?, ?, ?)",
        (forged, body, sha256_text(body), prev, digest),
    )
    assert log.verify().ok  # times did not go backwards, and the chain checks
    result = log.verify(council=True)
    assert any("entry 2" in p and "backdated" in p for p in result.problems)


def test_an_append_while_the_server_is_away_is_anchored_on_the_next_contact(store, council):
    log = alice_log(store, council)
    good = log.anchor_url
    log.anchor_url = council.url("alice").replace(str(council.server.port), "1")  # nobody listens on port 1
    record(log, "Shouted at me on the train")
    assert "not yet anchored" in anchor.last_problem
    assert anchors_of(council) == []
    log.anchor_url = good
    result = log.verify(council=True)
    assert result.ok
    assert any("anchored on the council server now: 1 entries" in note for note in result.notes)
    assert anchors_of(council) == [(1, result.head)]


def test_the_anchor_migration_needs_only_the_first_schema(pg_server):
    """MIGRATIONS[2] is written against V1 alone, so the duty desk's migration can take any number."""
    import os

    from safety_tui.council.migrations import GROUP_ROLES, INCIDENT_ANCHORS, V1

    name = f"anchors_on_v1_{os.getpid()}"
    with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(pg_server.admin_conninfo(name), autocommit=True) as conn:
            with conn.transaction():
                conn.execute(GROUP_ROLES)
                conn.execute("CREATE SCHEMA council")
                conn.execute(V1.encode())
                conn.execute(INCIDENT_ANCHORS.encode())
            assert conn.execute("SELECT to_regclass('council.incident_anchors') IS NOT NULL").fetchone() == (True,)
    finally:
        with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
