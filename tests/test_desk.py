"""The duty desk through the real app (Pilot) against a real throwaway PostgreSQL server."""

from __future__ import annotations

import os
import signal
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from safety_tui.council.db import connect
from safety_tui.council.publication import Publication, send
from safety_tui.ui.desk.app import DeskApp
from safety_tui.ui.desk.live import FEED_NAME
from tests.helpers import wait_until

if TYPE_CHECKING:
    from tests.pg_server import Council, PgServer

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures
pytestmark = pytest.mark.slow  # a real PostgreSQL server


def body(title: str, finish: datetime, *, status: str = "in-progress", name: str = "Cllr") -> dict[str, object]:
    return {
        "status": status,
        "name": name,
        "phone": "07700 900123",
        "title": title,
        "place": "Ward hall",
        "start": (finish - timedelta(hours=1)).isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": 15,
        "contacts": [{"name": "Sam", "phone": "07700 900456"}],
        "escalation": "Ring 999 and give the address",
        "code_word": "purple folder",
        "code_meaning": "call the police now",
        "ended": finish.isoformat() if status != "in-progress" else None,
    }


def publish(council: Council, role: str, key: str, sequence: int, view: dict[str, object]) -> None:
    with connect(council.url(role)) as conn:
        send(conn, Publication(plan_key=key, sequence=sequence, view=view))


def desk(council: Council) -> DeskApp:
    return DeskApp(council.url("duty1"), heartbeat=0.3, stale_after=3.0, retry=0.3)


def rows(app: DeskApp) -> list[list[str]]:
    table: DataTable[object] = app.query_one("#board", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def text(app: DeskApp, selector: str) -> str:
    return str(app.query_one(selector, Static).visual)


def actions(council: Council) -> list[tuple[str, str]]:
    with psycopg.connect(council.admin) as conn:
        return [(r[0], r[1]) for r in conn.execute("SELECT kind, by_role FROM council.actions ORDER BY id")]


async def test_overdue_plans_are_at_the_top_in_red_and_a_check_in_shows_live(council: Council) -> None:
    now = datetime.now(timezone.utc)
    publish(council, "bob", "later", 1, body("Later surgery", now + timedelta(hours=3), name="Cllr Bob"))
    publish(council, "alice", "late", 1, body("Home visit", now - timedelta(hours=1, seconds=20), name="Cllr Alice"))
    publish(council, "bob", "soon", 1, body("Soon surgery", now + timedelta(hours=1), name="Cllr Bob"))
    app = desk(council)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 3, "the board")
        first = rows(app)[0]
        assert (
            first[0] in ("!! OVERDUE 45m", "!! OVERDUE 46m") and first[2] == "Cllr Alice"
        )  # finish + grace was 45m20s ago
        assert [r[5] for r in rows(app)[1:]] == ["Soon surgery", "Later surgery"]
        table: DataTable[object] = app.query_one("#board", DataTable)
        state = table.get_row_at(0)[0]
        assert isinstance(state, Text) and "red" in str(state.style)
        detail = text(app, "#detail")
        assert "Sam 07700 900456" in detail and "Ring 999 and give the address" in detail
        assert "purple folder" not in detail and "Step 1 of 3: Call the councillor" in detail
        await wait_until(pilot, lambda: ("alert", "duty1") in actions(council), "the alert to be raised")
        publish(
            council,
            "alice",
            "late",
            2,
            body("Home visit", now - timedelta(hours=1), status="finished", name="Cllr Alice"),
        )
        await wait_until(pilot, lambda: any(r[0] == "finished" for r in rows(app)), "the check-in to show")


async def test_recording_a_call_claims_the_alert_and_is_logged_with_who(council: Council) -> None:
    now = datetime.now(timezone.utc)
    publish(council, "alice", "late", 1, body("Home visit", now - timedelta(hours=1), name="Cllr Alice"))
    app = desk(council)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 1, "the board")
        await pilot.press("c")
        await wait_until(pilot, lambda: ("called-councillor", "duty1") in actions(council), "the call to be recorded")
        assert ("acknowledged", "duty1") in actions(council)
        await wait_until(pilot, lambda: "called the councillor" in text(app, "#detail"), "the call in the detail")
        assert rows(app)[0][3] == "duty1"
        assert "Step 2 of 3: Call their contacts" in text(app, "#detail")
        await pilot.press("r")
        await wait_until(pilot, lambda: "purple folder" in text(app, "#detail"), "the code word")
        assert ("code-word-revealed", "duty1") in actions(council)
        await pilot.press("o", "f")
        await pilot.press("enter")  # a close needs a reason: nothing is recorded without one
        await pilot.press(*"rang her, fine", "enter")
        await wait_until(pilot, lambda: rows(app)[0][0] == "closed: false-alarm", "the alert to close")


async def test_losing_and_regaining_the_database(council: Council, pg_server: PgServer) -> None:
    now = datetime.now(timezone.utc)
    publish(council, "alice", "late", 1, body("Home visit", now - timedelta(hours=1), name="Cllr Alice"))
    app = desk(council)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 1, "the board")
        pg_server.stop()
        try:
            await wait_until(pilot, lambda: "connection lost, retrying" in text(app, "#status"), "the lost connection")
            assert len(rows(app)) == 1  # the last known list stays on screen
        finally:
            pg_server.start()
        publish(council, "bob", "new", 1, body("New visit", now - timedelta(minutes=30), name="Cllr Bob"))
        await wait_until(pilot, lambda: len(rows(app)) == 2, "the desk to catch up")
        await wait_until(pilot, lambda: "2 overdue" in text(app, "#status"), "the status to recover")


async def test_the_watchdog_says_disconnected_when_the_feed_goes_quiet(council: Council) -> None:
    """The listening connection's server process is frozen (SIGSTOP): no error, just silence."""
    now = datetime.now(timezone.utc)
    publish(council, "alice", "late", 1, body("Home visit", now - timedelta(hours=1), name="Cllr Alice"))
    app = DeskApp(council.url("duty1"), heartbeat=0.2, stale_after=1.0, retry=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: len(rows(app)) == 1, "the board")
        with psycopg.connect(council.admin) as admin:
            row = admin.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", (FEED_NAME,)).fetchone()
        assert row is not None
        os.kill(row[0], signal.SIGSTOP)
        try:
            await wait_until(pilot, lambda: "desk disconnected" in text(app, "#status"), "the watchdog")
        finally:
            os.kill(row[0], signal.SIGCONT)
        await wait_until(pilot, lambda: "1 overdue" in text(app, "#status"), "the desk to recover")
