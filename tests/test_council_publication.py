"""Publishing the duty view to the council's PostgreSQL, and the local outbox (real server)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.common import paths
from safety_tui.common.errors import CouncilError
from safety_tui.council import hook
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect, masked
from safety_tui.council.outbox import OUTBOX_NAME, Outbox
from safety_tui.council.publication import Publication, send
from safety_tui.store.repository import Store
from safety_tui.wiring import open_store

if TYPE_CHECKING:
    from tests.pg_server import Council, PgServer

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures


def _body(title: str, finish: datetime) -> dict[str, object]:
    return {
        "status": "in-progress",
        "name": "Cllr A",
        "phone": "1",
        "title": title,
        "place": "Hall",
        "start": (finish - timedelta(hours=1)).isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": 10,
        "contacts": [],
        "escalation": "",
        "code_word": "w",
        "code_meaning": "m",
        "ended": None,
    }


def _sequence(council: Council) -> int:
    with psycopg.connect(council.admin) as conn:
        row = conn.execute("SELECT sequence FROM council.plans").fetchone()
    return int(row[0]) if row else 0


def _server_rows(council: Council) -> list[tuple[object, ...]]:
    with psycopg.connect(council.admin) as conn:
        return conn.execute(
            "SELECT owner, plan_key, sequence, status, title, finish_at FROM council.plans ORDER BY id"
        ).fetchall()


def test_a_repeated_send_is_applied_once(council: Council) -> None:
    finish = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)
    publication = Publication(plan_key="p1", sequence=1, view=_body("Surgery", finish))
    with connect(council.url("alice")) as conn:
        assert send(conn, publication) == "applied"
        assert send(conn, publication) == "duplicate"
        assert conn.execute("SELECT count(*) FROM council.receipts").fetchone() == (1,)
    assert len(_server_rows(council)) == 1


def test_an_out_of_order_send_never_overwrites_a_newer_one(council: Council) -> None:
    finish = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)
    started = Publication(plan_key="p1", sequence=1, view=_body("Surgery", finish))
    extended = Publication(plan_key="p1", sequence=2, view=_body("Surgery", finish + timedelta(minutes=30)))
    with connect(council.url("alice")) as conn:
        assert send(conn, extended) == "applied"
        assert send(conn, started) == "stale"
        assert send(conn, started) == "stale"  # a retry says what the server did the first time
        assert send(conn, extended) == "duplicate"
    assert _server_rows(council) == [("alice", "p1", 2, "in-progress", "Surgery", finish + timedelta(minutes=30))]


def _started_plan(store: Store, title: str = "Ward surgery") -> str:
    now = datetime.now(timezone.utc)
    plan = store.create_plan(
        "surgery",
        title=title,
        location="Ward hall, High St",
        start=now,
        finish=now + timedelta(hours=1),
        code_word="blue folder",
        code_meaning="call the police",
        escalation="Ring 999",
    )
    store.add_contact(plan.ref, "Sam", "07700 900456", told=True)
    store.set_answer(plan.ref, "home-visit", "doubts", "yes", note="ANSWER-NOTE-NEVER-PUBLISHED")
    store.set_setting("name", "Cllr Alice")
    store.set_setting("phone", "07700 900123")
    store.start(plan.ref)
    return plan.ref


def test_starting_extending_and_checking_in_publish_the_duty_view_only(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    with open_store() as store:
        draft = store.create_plan("home-visit", title="Never started")  # drafts are never published
        ref = _started_plan(store)
        hook.wait_for_sends()
        with psycopg.connect(council.admin) as conn:
            row = conn.execute(
                "SELECT name, phone, title, place, grace_minutes, contacts, escalation, code_word, code_meaning, status "
                "FROM council.plans"
            ).fetchall()
        assert row == [
            (
                "Cllr Alice",
                "07700 900123",
                "Ward surgery",
                "Ward hall, High St",
                15,
                [{"name": "Sam", "phone": "07700 900456"}],
                "Ring 999",
                "blue folder",
                "call the police",
                "in-progress",
            )
        ]
        with psycopg.connect(council.admin) as conn:
            everything = conn.execute("SELECT row_to_json(p)::text FROM council.plans p").fetchall()
        assert "ANSWER-NOTE-NEVER-PUBLISHED" not in str(everything) and "Never started" not in str(everything)
        finish = store.get_plan(ref).finish
        assert finish is not None
        started = _sequence(council)
        store.extend(ref, 30)
        hook.wait_for_sends()
        assert _server_rows(council)[0][3:] == ("in-progress", "Ward surgery", finish + timedelta(minutes=30))
        assert _sequence(council) > started
        store.check_in(ref)
        hook.wait_for_sends()
        assert _server_rows(council)[0][3] == "finished"
        store.cancel(draft.ref)
        hook.wait_for_sends()
    assert len(_server_rows(council)) == 1
    assert hook.sharing_status(paths.data_dir()) == ""


def test_without_a_council_database_nothing_is_published_or_queued(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    with open_store() as store:
        _started_plan(store)
    assert not (paths.data_dir() / OUTBOX_NAME).exists()
    code = (
        "import sys; from datetime import datetime, timedelta, timezone; from safety_tui.wiring import open_store\n"
        "s = open_store(); now = datetime.now(timezone.utc)\n"
        "p = s.create_plan('home-visit', start=now, finish=now + timedelta(hours=1)); s.start(p.ref); s.check_in(p.ref)\n"
        "sys.exit(1 if 'psycopg' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], env=dict(os.environ)).returncode == 0  # costs nothing


def test_the_outbox_keeps_publications_while_the_server_is_down_and_sends_them_in_order(
    council: Council, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    data = paths.data_dir()
    with open_store() as store:
        ref = _started_plan(store)
        hook.wait_for_sends()
        assert len(_server_rows(council)) == 1
        pg_server.stop()
        try:
            store.extend(ref, 20)
            store.extend(ref, 25)
            hook.wait_for_sends()
            status = hook.sharing_status(data)
            assert status.startswith("not yet shared with the duty desk (2 waiting)")
            assert "test-secret-pw" not in status
            assert stat.S_IMODE(os.stat(data / OUTBOX_NAME).st_mode) == 0o600
        finally:
            pg_server.start()
        with Outbox.open(data) as outbox:
            result = outbox.flush(council.url("alice"))
        assert (result.sent, result.waiting) == (2, 0)
        finish = store.get_plan(ref).finish
    assert _server_rows(council)[0][3:] == ("in-progress", "Ward surgery", finish)
    assert hook.sharing_status(data) == ""


def test_a_lost_outbox_still_outranks_what_the_server_holds(council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reinstalled, or the outbox file deleted while a plan is in progress: the check-in still counts."""
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    with open_store() as store:
        ref = _started_plan(store)
        hook.wait_for_sends()
        (paths.data_dir() / OUTBOX_NAME).unlink()
        store.check_in(ref)
        hook.wait_for_sends()
    assert _server_rows(council)[0][3] == "finished"


def test_a_password_is_never_printed(pg_server: PgServer) -> None:
    url = f"postgresql://alice:hunter2@127.0.0.1:{pg_server.port}/nowhere?connect_timeout=2"
    assert masked(url) == f"postgresql://alice:***@127.0.0.1:{pg_server.port}/nowhere?connect_timeout=2"
    assert "hunter2" not in masked("host=x user=alice password=hunter2 dbname=d")
    assert "hunter2" not in masked("postgresql://alice@x/d?password=hunter2&sslmode=require")
    with pytest.raises(CouncilError) as caught:
        connect(url)
    assert "hunter2" not in str(caught.value)
    assert "alice:***@" in str(caught.value)
