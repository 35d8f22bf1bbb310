"""A desk that one row cannot break: poisoned rows on a real PostgreSQL server, through the real desk (Pilot).

The rows are written as the superuser with the table's CHECK constraints and triggers out of the
way, as an older or tampered server could hold them: the desk must survive them whatever the
server's own rules are today.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.council import desk_data
from safety_tui.council.db import connect
from tests.helpers import wait_until as until
from tests.test_desk import body, desk, publish, rows, text

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures
pytestmark = pytest.mark.slow  # a real PostgreSQL server

DROP_CHECKS = """
DO $drop$ DECLARE c record; BEGIN
    FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'council.plans'::regclass AND contype = 'c' LOOP
        EXECUTE format('ALTER TABLE council.plans DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $drop$;
"""
INSERT = """
INSERT INTO council.plans(owner, plan_key, sequence, status, name, phone, title, place, start_at, finish_at,
                          grace_minutes, due_at, contacts, escalation, code_word, code_meaning, ended_at)
VALUES (%(owner)s, %(key)s, 1, %(status)s, %(name)s, '07700 900999', %(title)s, 'Somewhere', %(start)s,
        %(finish)s, 15, %(due)s, %(contacts)s::jsonb, 'Ring 999', 'word', 'meaning', %(ended)s)
"""


def poison(council: Council, *rows_: dict[str, object]) -> None:
    """Rows as a tampered server would hold them: no CHECK constraints, no triggers (as the superuser)."""
    with psycopg.connect(council.admin, autocommit=True) as admin:
        admin.execute(DROP_CHECKS)
        admin.execute("SET session_replication_role = replica")  # skip the triggers that stamp and refuse
        for row in rows_:
            admin.execute(INSERT, row)


def row(
    key: str,
    name: str,
    *,
    finish: str,
    contacts: object = (),
    title: str = "Visit",
    status: str = "in-progress",
    ended: str | None = None,
) -> dict[str, object]:
    return {
        "owner": "mallory",
        "key": key,
        "name": name,
        "title": title,
        "start": None,
        "finish": finish,
        "due": finish,
        "contacts": json.dumps(contacts if not isinstance(contacts, tuple) else list(contacts)),
        "status": status,
        "ended": ended,
    }


def good_plans(council: Council) -> None:
    now = datetime.now(timezone.utc)
    publish(council, "alice", "late", 1, body("Home visit", now - timedelta(hours=1), name="Cllr Alice"))
    publish(council, "bob", "later", 1, body("Ward surgery", now + timedelta(hours=3), name="Cllr Bob"))


def soon(minutes: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat()


async def test_infinity_and_year_one_are_bad_rows_and_every_other_plan_lists(council: Council) -> None:
    good_plans(council)
    poison(
        council,
        row("inf", "Cllr Infinity", finish="infinity"),
        row("year1", "Cllr Year One", finish="0001-01-01 00:00+00"),
        row("neg", "Cllr Minus", finish="-infinity"),
        row("odd", "Cllr Paused", finish=soon(30), status="paused", ended=soon(-5)),
    )  # a status the desk does not know
    app = desk(council)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(rows(app)) == 6, "every row to list")
        listed = rows(app)
        assert listed[0][2] == "Cllr Alice" and listed[0][0].startswith("!! OVERDUE")  # the real alert stays on top
        bad = {r[2] for r in listed if r[0].startswith("!! BAD ROW")}
        assert bad == {"Cllr Infinity", "Cllr Year One", "Cllr Minus", "Cllr Paused"}
        assert listed[-1][2] == "Cllr Bob" and listed[-1][0].startswith("due in")
        assert "2 plan(s) on the desk, 1 overdue, 4 that cannot be read" in text(app, "#status")
        await pilot.press("down")
        detail = text(app, "#detail")
        assert "This plan cannot be read" in detail and "Call the councillor to check" in detail
        await pilot.press("a")  # nothing to act on in a row the desk cannot judge: no crash, nothing recorded
        await pilot.pause(0.3)
        assert app.is_running


async def test_contacts_that_are_not_a_list_or_not_contacts_mark_the_row_and_it_still_lists(council: Council) -> None:
    good_plans(council)
    poison(
        council,
        row("obj", "Cllr Object", finish=soon(90), contacts={"name": "x"}),
        row("str", "Cllr String", finish=soon(100), contacts="just text"),
        row("odd", "Cllr Odd", finish=soon(110), contacts=[1, None, {"name": {"deep": [1]}, "phone": 7}]),
    )
    app = desk(council)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: len(rows(app)) == 5, "every row to list")
        marked = {r[2]: r[0] for r in rows(app)}
        assert marked["Cllr Object"].endswith("(bad data)") and marked["Cllr String"].endswith("(bad data)")
        assert marked["Cllr Odd"].endswith("(bad data)")
        assert "(bad data)" not in marked["Cllr Alice"] + marked["Cllr Bob"]
        names = [r[2] for r in rows(app)]
        await pilot.press(*["down"] * names.index("Cllr Object"))
        assert "the contacts are not a list (a JSON object)" in text(app, "#detail")
        await pilot.press(*["down"] * (names.index("Cllr Odd") - names.index("Cllr Object")))
        detail = text(app, "#detail")
        assert "2 contact(s) are not name and phone" in detail and "{'deep': [1]} 7" in detail


async def test_sixty_thousand_contacts_are_cut_on_the_desk(council: Council) -> None:
    good_plans(council)
    many = [{"name": f"Contact {i}", "phone": f"07700 {i:06d}"} for i in range(60_000)]
    poison(council, row("many", "Cllr Many", finish=soon(60), contacts=many))
    app = desk(council)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: len(rows(app)) == 3, "every row to list")
        names = [r[2] for r in rows(app)]
        await pilot.press(*["down"] * names.index("Cllr Many"))
        detail = text(app, "#detail")
        assert "Contact 0 07700 000000" in detail and "Contact 9 07700 000009" in detail
        assert "Contact 10 " not in detail and "and 59990 more" in detail
        for _ in range(10):  # key presses go through with the row highlighted, and the desk keeps up
            await pilot.press("up", "down")
        assert "and 59990 more" in text(app, "#detail")


def test_the_board_read_keeps_every_readable_row(council: Council) -> None:
    """The core read on its own: bad rows come back as bad rows, with the reason; the rest as plans."""
    good_plans(council)
    poison(
        council, row("inf", "Cllr Infinity", finish="infinity"), row("obj", "Cllr Object", finish=soon(30), contacts={})
    )
    with connect(council.url("duty1")) as conn:
        board = desk_data.load_board(conn)
    assert sorted(p.name for p in board.plans) == ["Cllr Alice", "Cllr Bob", "Cllr Object"]
    assert [(b.name, b.problem) for b in board.bad] == [("Cllr Infinity", "the finish time is out of range")]


async def test_the_countdown_ticks_every_second(council: Council) -> None:
    publish(
        council,
        "alice",
        "soon",
        1,
        body("Quick visit", datetime.now(timezone.utc) - timedelta(minutes=14, seconds=10), name="Cllr Alice"),
    )  # due in about 50 seconds
    app = desk(council)
    async with app.run_test(size=(100, 24)) as pilot:
        await until(pilot, lambda: len(rows(app)) == 1 and rows(app)[0][0].startswith("due in"), "the board")
        first = rows(app)[0][0]
        await until(pilot, lambda: rows(app)[0][0] != first, "the countdown to move")
        assert rows(app)[0][0].endswith("s")  # "due in 48s": seconds, ticking


CRASH_SCRIPT = textwrap.dedent(
    """
    import sys

    import safety_tui.ui.desk.render as render
    from safety_tui.ui.desk.app import DeskApp

    def ladder_line(alert, ladder):
        councillor_phone = "SECRET-07700-900-555"
        raise RuntimeError("a bug in the desk")

    render.ladder_line = ladder_line

    app = DeskApp(sys.argv[1], heartbeat=0.3, retry=0.3)
    app.run(headless=True, size=(100, 30))
    sys.exit(app.return_code)
    """
)


def test_a_desk_crash_shows_a_plain_message_and_writes_no_locals(council: Council, tmp_path: Path) -> None:
    """Textual's own crash report would print the plan being drawn (another councillor's phone and
    place) and the local variables: the desk's report never does, on screen or in its private file."""
    view = body("Home visit", datetime.now(timezone.utc) - timedelta(hours=1), name="Cllr SECRET-Alice")
    view["place"] = "SECRET-12-Acacia-Avenue"
    publish(council, "alice", "late", 1, view)
    data = tmp_path / "data"
    env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(data)}
    result = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, council.url("duty1")], capture_output=True, text=True, env=env, timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "The duty desk stopped because of a bug (RuntimeError)" in output
    assert "SECRET" not in output
    reports = list(data.glob("crash-*.txt"))
    assert len(reports) == 1
    assert oct(reports[0].stat().st_mode & 0o777) == "0o600"
    report = reports[0].read_text()
    assert "RuntimeError: a bug in the desk" in report and "SECRET" not in report


async def test_a_bad_row_rings_once_not_at_every_read(council: Council) -> None:
    publish(
        council,
        "bob",
        "later",
        1,
        body("Ward surgery", datetime.now(timezone.utc) + timedelta(hours=3), name="Cllr Bob"),
    )
    poison(council, row("inf", "Cllr Infinity", finish="infinity"))
    app = desk(council)
    bells: list[float] = []
    app.bell = lambda: bells.append(time.monotonic())  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(rows(app)) == 2 and len(bells) == 1, "the bad row and its bell")
        publish(
            council,
            "alice",
            "new",
            1,
            body("Surgery", datetime.now(timezone.utc) + timedelta(hours=2), name="Cllr Alice"),
        )
        await until(pilot, lambda: len(rows(app)) == 3, "the re-read after a new plan")
        await pilot.pause(1.2)  # a few ticks of the desk's clock
        assert len(bells) == 1
