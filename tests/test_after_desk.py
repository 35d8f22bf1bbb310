"""The duty desk in the councillor's app and `show`: "not yet shared", and the desk's actions in the audit trail.

The actions tests run against a real throwaway PostgreSQL (tests/pg_server.py), like
tests/test_council_publication.py.
"""

from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from safety_tui.cli.main import main
from safety_tui.common.clock import FixedClock
from safety_tui.council import desk_data, hook
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect
from safety_tui.council.pull import DESK_EVENT_PREFIX
from safety_tui.ui.screens import wizard
from safety_tui.ui.screens.plan_detail import PlanDetailScreen
from safety_tui.wiring import open_store
from tests.helpers import flat_text, full_plan, running_plan, settle

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


async def test_today_and_review_say_not_yet_shared_while_the_outbox_holds_the_plan(app, store, clock, monkeypatch):
    monkeypatch.setenv(ENV_URL, f"postgresql://alice@127.0.0.1:{closed_port()}/council?connect_timeout=2")
    running_plan(store, "Surgery")  # started with no signal: it waits in the outbox
    hook.wait_for_sends()
    draft = full_plan(store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert "Not yet shared with the duty desk (1 waiting)" in flat_text(app)
        wizard.resume(app, draft.ref, "review")
        await settle(pilot)
        assert "Not yet shared with the duty desk" in flat_text(app)


async def test_without_a_council_database_today_says_nothing_about_the_desk(app, store):
    running_plan(store, "Surgery")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert "duty desk" not in flat_text(app)


def _desk_acts(council: Council) -> None:
    with connect(council.url("duty1")) as duty:
        (plan_id,) = duty.execute("SELECT id FROM council.plans").fetchone() or (0,)
        desk_data.acknowledge(duty, plan_id)
        desk_data.record(duty, plan_id, "called-councillor")


def test_show_pulls_the_desks_actions_into_the_audit_trail_once(council: Council, monkeypatch, capsys) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    now = datetime.now(timezone.utc)
    # Started on a clock from before its finish (a plan cannot start after it), so the server sees it overdue.
    with open_store(clock=FixedClock(now - timedelta(hours=3))) as store:
        plan = store.create_plan(
            "home-visit", title="Visit", start=now - timedelta(hours=2), finish=now - timedelta(hours=1)
        )
        store.start(plan.ref)
    hook.wait_for_sends()
    _desk_acts(council)
    capsys.readouterr()
    assert main(["show", plan.ref]) == 0
    out = capsys.readouterr().out
    assert f"{DESK_EVENT_PREFIX}acknowledged (claimed)" in out and f"{DESK_EVENT_PREFIX}called the councillor" in out
    assert "by duty1" in out
    assert main(["show", plan.ref]) == 0
    with open_store() as store:
        trail = store.get_plan(plan.ref).audit
    desk = [e for e in trail if e.event.startswith(DESK_EVENT_PREFIX)]
    assert [e.event for e in desk] == [
        f"{DESK_EVENT_PREFIX}acknowledged (claimed)",
        f"{DESK_EVENT_PREFIX}called the councillor",
    ]
    started = next(e.at for e in trail if e.event == "started")
    assert all(e.at >= started for e in desk)  # at the server's time, in order


def test_show_still_works_when_the_council_database_is_down(monkeypatch, capsys) -> None:
    now = datetime.now(timezone.utc)
    with open_store() as store:
        plan = store.create_plan("home-visit", title="Visit", start=now, finish=now + timedelta(hours=1))
    monkeypatch.setenv(ENV_URL, f"postgresql://alice@127.0.0.1:{closed_port()}/council?connect_timeout=2")
    with open_store() as store:
        store.start(plan.ref)
    hook.wait_for_sends()
    assert main(["show", plan.ref]) == 0
    captured = capsys.readouterr()
    assert "Visit" in captured.out


async def test_the_plan_page_shows_the_desks_actions(council: Council, monkeypatch, app, store) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    plan = running_plan(store, "Surgery")
    hook.wait_for_sends()
    _desk_acts(council)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        app.push_screen(PlanDetailScreen(plan.ref))
        await app.workers.wait_for_complete()
        await settle(pilot)
        await settle(pilot)
        assert f"{DESK_EVENT_PREFIX}called the councillor" in flat_text(app)
    assert any(e.event == f"{DESK_EVENT_PREFIX}called the councillor" for e in store.get_plan(plan.ref).audit)


def _on_the_desk(council: Council) -> list[str]:
    import psycopg

    with psycopg.connect(council.admin) as admin:
        return [str(r[0]) for r in admin.execute("SELECT title FROM council.plans WHERE status = 'in-progress'")]


@pytest.mark.slow
async def test_a_plan_started_while_the_server_is_down_reaches_the_desk_by_itself_with_the_app_open(
    council: Council, pg_server, monkeypatch, app, store
) -> None:
    """No sync, no later change: the app's outbox worker sends it once the server is back."""
    import time

    from tests.pg_server import pg_server_running

    monkeypatch.setenv(ENV_URL, council.url("alice"))
    pg_server.stop()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            running_plan(store, "Surgery", start=datetime.now(timezone.utc))  # "another window" starts it
            hook.wait_for_sends()  # its own try failed: the server is down
            deadline = time.monotonic() + 30  # only stops a hung test
            while "Not yet shared with the duty desk (1 waiting)" not in flat_text(app):
                assert time.monotonic() < deadline, "Today never said the plan waits"
                await pilot.pause(0.1)
            pg_server.start()
            deadline = time.monotonic() + 60
            while _on_the_desk(council) != ["Surgery"]:
                assert time.monotonic() < deadline, "the outbox worker never sent the plan"
                await pilot.pause(0.1)
            deadline = time.monotonic() + 30
            while "Not yet shared" in flat_text(app):
                assert time.monotonic() < deadline, "Today still says the plan waits"
                await pilot.pause(0.1)
    finally:
        if not pg_server_running(pg_server):
            pg_server.start()


@pytest.mark.slow
async def test_a_clock_two_hours_fast_is_shown_on_today_and_by_council_status(
    council: Council, monkeypatch, app, store, capsys
) -> None:
    from tests.test_council_outbox import TwoHoursFast

    monkeypatch.setenv(ENV_URL, council.url("alice"))
    monkeypatch.setattr("safety_tui.council.db.datetime", TwoHoursFast)
    monkeypatch.setattr("safety_tui.council.publication.datetime", TwoHoursFast)
    running_plan(store, "Surgery", start=TwoHoursFast.now(timezone.utc))
    hook.wait_for_sends()
    import time

    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 30  # only stops a hung test
        while "Your computer's clock is 2h 00m fast compared with the council's server" not in flat_text(app):
            assert time.monotonic() < deadline, "Today never showed the clock"
            await pilot.pause(0.1)
    assert main(["council", "status"]) == 0
    assert "clock is 2h 00m fast" in capsys.readouterr().out


@pytest.mark.slow
async def test_a_publication_the_server_refuses_is_set_aside_and_the_app_says_so(
    council: Council, monkeypatch, app, store
) -> None:
    import time

    from safety_tui.council.outbox import Outbox
    from safety_tui.council.publication import duty_view, plan_key

    monkeypatch.setenv(ENV_URL, council.url("alice"))
    plan = running_plan(store, "Surgery", start=datetime.now(timezone.utc))
    hook.wait_for_sends()
    view = duty_view(plan, name="A", phone="")
    assert view is not None
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        with Outbox.open(store.path.parent) as outbox:  # as a hostile or broken client would queue it
            outbox.enqueue(plan_key(plan), view.as_json() | {"contacts": [{"name": "x", "phone": "1"}] * 60_000})
        deadline = time.monotonic() + 30  # only stops a hung test
        while "It is set aside; the duty desk does not have this change" not in flat_text(app):
            assert time.monotonic() < deadline, "the app never said the publication was set aside"
            await pilot.pause(0.1)
        while "1 publication(s) set aside" not in flat_text(app):  # and Today keeps saying so
            assert time.monotonic() < deadline, "Today never showed what was set aside"
            await pilot.pause(0.1)
