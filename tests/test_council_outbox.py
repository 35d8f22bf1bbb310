"""Delivery that needs nobody: the outbox on a real throwaway PostgreSQL.

A poison row (damaged, or refused by the server) is set aside and never blocks the
rows behind it; a ``stale`` answer is not "shared"; ``council status`` tests the
connection now and its exit code says whether everything is shared; the backoff
grows with the failed attempts, with jitter, and stays within the 10 s promise.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK
from safety_tui.council import hook
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect
from safety_tui.council.outbox import OUTBOX_NAME, RETRY_CAP, Outbox, next_delay
from safety_tui.council.publication import Publication, duty_view, plan_key, send
from safety_tui.store.repository import Store
from safety_tui.wiring import open_store

if TYPE_CHECKING:
    from tests.pg_server import Council, PgServer

pytest_plugins = ["tests.pg_server"]


def started(store: Store, title: str, **fields: str) -> str:
    now = datetime.now(timezone.utc)
    plan = store.create_plan("home-visit", title=title, start=now, finish=now + timedelta(hours=1), **fields)
    store.start(plan.ref)
    hook.wait_for_sends()
    return plan.ref


def server_titles(council: Council) -> dict[str, str]:
    with psycopg.connect(council.admin) as admin:
        return {str(k): str(t) for k, t in admin.execute("SELECT title, status FROM council.plans ORDER BY id")}


def test_the_backoff_doubles_with_each_failed_attempt_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    delays = [next_delay(n, rng) for n in range(8)]
    assert 0.5 <= delays[0] <= 1.0 and 1.0 <= delays[1] <= 2.0 and 2.0 <= delays[2] <= 4.0
    assert all(RETRY_CAP / 2 <= d <= RETRY_CAP for d in delays[3:])  # never longer than the 10 s promise allows
    assert len({round(next_delay(5, rng), 6) for _ in range(20)}) > 1  # jitter: two desks do not retry in step


@pytest.mark.slow
def test_a_damaged_row_and_a_refused_row_are_set_aside_and_never_block_the_rows_behind_them(
    council: Council, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, f"postgresql://alice@127.0.0.1:{council.server.port}/nowhere?connect_timeout=2")
    data = paths.data_dir()
    with open_store() as store:
        first = started(store, "First visit")  # cannot be sent: the database does not exist
        with sqlite3.connect(data / OUTBOX_NAME) as raw:  # damaged behind the app's back
            raw.execute(
                'UPDATE outbox SET body = \'{"status": "in-prog\' WHERE plan_key = ?',
                (plan_key(store.get_plan(first)),),
            )
        poison = duty_view(store.get_plan(first), name="A", phone="")
        assert poison is not None
        with Outbox.open(data) as outbox:
            outbox.enqueue(
                "sixty-thousand",
                poison.as_json() | {"title": "Poison", "contacts": [{"name": "x", "phone": "1"}] * 60_000},
            )
            outbox.enqueue("bad-key", poison.as_json() | {"title": "Bad key"})
        with sqlite3.connect(data / OUTBOX_NAME) as raw:
            raw.execute("UPDATE outbox SET idempotency_key = 'not-a-uuid' WHERE plan_key = 'bad-key'")
        started(store, "Second visit")
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    assert main(["council", "sync"]) == EXIT_ERROR  # not everything is shared: three rows are set aside
    out = capsys.readouterr().out
    assert "sent 1" in out and "3 publication(s) set aside" in out
    assert server_titles(council) == {"Second visit": "in-progress"}
    assert main(["council", "status"]) == EXIT_ERROR
    out = capsys.readouterr().out
    assert "Poison: the council database refused the plan: at most 50 contacts are published" in out
    assert "its contents cannot be read (JSONDecodeError)" in out and "its idempotency key is damaged" in out
    assert "Traceback" not in out
    with open_store() as store:
        assert "3 publication(s) set aside" in hook.sharing_line(store)
    assert main(["council", "sync", "--discard-set-aside"]) == EXIT_OK
    assert main(["council", "status"]) == EXIT_OK
    assert "everything is shared with the duty desk" in capsys.readouterr().out


@pytest.mark.slow
def test_a_stale_check_in_is_not_shared_until_the_newest_state_is_on_the_desk(
    council: Council, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    with open_store() as store:
        ref = started(store, "Visit")
        plan = store.get_plan(ref)
        view = duty_view(plan, name="A", phone="")
        assert view is not None
        # Another device (or a restored backup) published a much later version of the plan.
        with connect(council.url("alice")) as conn:
            far_ahead = Publication(plan_key=plan_key(plan), sequence=10**15, view=view.as_json())
            assert send(conn, far_ahead) == "applied"
        store.check_in(ref)
        hook.wait_for_sends()
        with Outbox.open(paths.data_dir()) as outbox:
            assert outbox.waiting() == 0 and outbox.set_aside_count() == 0
    assert server_titles(council) == {"Visit": "finished"}
    capsys.readouterr()
    assert main(["council", "status"]) == EXIT_OK  # the councillor is told, once, by whoever looks next
    assert (
        "Visit: the duty desk held another version of this plan; your latest is sent again." in capsys.readouterr().err
    )
    assert main(["council", "status"]) == EXIT_OK
    assert "sent again" not in capsys.readouterr().err


@pytest.mark.slow
def test_the_stale_notice_reaches_the_councillor(council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    with open_store() as store:
        ref = started(store, "Visit")
        plan = store.get_plan(ref)
    view = duty_view(plan, name="A", phone="")
    assert view is not None
    with connect(council.url("alice")) as conn:
        send(conn, Publication(plan_key=plan_key(plan), sequence=10**15, view=view.as_json() | {"title": "Other"}))
    with Outbox.open(paths.data_dir()) as outbox:
        outbox.enqueue(plan_key(plan), view.as_json() | {"status": "cancelled", "ended": plan.finish.isoformat()})
        result = outbox.flush(council.url("alice"))
    assert result.shared
    assert result.notices == ("Visit: the duty desk held another version of this plan; your latest is sent again.",)
    assert server_titles(council) == {"Visit": "cancelled"}


@pytest.mark.slow
def test_council_status_tests_the_connection_now_and_says_what_waits_since_when(
    council: Council, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    pg_server.stop()
    try:
        with open_store() as store:
            started(store, "Visit")
        assert main(["council", "status"]) == EXIT_ERROR
        out = capsys.readouterr().out
        assert "cannot reach the council database now" in out and "1 waiting since" in out
        assert "test-secret-pw" not in out
    finally:
        pg_server.start()
    assert main(["council", "status"]) == EXIT_OK  # reached now: it sent what waited, and says so
    out = capsys.readouterr().out
    assert "connected now" in out and "everything is shared with the duty desk" in out
    assert "Connection refused" not in out  # the old error is not shown as if it were current
    assert server_titles(council) == {"Visit": "in-progress"}


class TwoHoursFast(datetime):
    """The laptop's clock, two hours ahead of the real time."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
        return datetime.now(tz) + timedelta(hours=2)


@pytest.mark.slow
def test_a_clock_two_hours_fast_is_shown_to_the_councillor_and_the_server_keeps_the_alarm_on_time(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    monkeypatch.setattr("safety_tui.council.db.datetime", TwoHoursFast)
    monkeypatch.setattr("safety_tui.council.publication.datetime", TwoHoursFast)
    laptop_now = TwoHoursFast.now(timezone.utc)
    with open_store(clock=FixedClock(laptop_now)) as store:
        plan = store.create_plan("home-visit", title="Visit", start=laptop_now, finish=laptop_now + timedelta(hours=1))
        store.start(plan.ref)
        hook.wait_for_sends()
        assert "clock is 2h 00m fast compared with the council's server" in hook.sharing_line(store)
    with psycopg.connect(council.admin) as admin:
        skew, due, now = admin.execute("SELECT clock_skew_seconds, due_at, now() FROM council.plans").fetchone() or (
            0,
            0,
            0,
        )
    assert abs(skew - 7200) <= 5
    assert (
        abs((due - (now + timedelta(minutes=75))).total_seconds()) <= 10
    )  # an hour and the grace, on the server's clock
    monkeypatch.setattr("safety_tui.council.db.datetime", datetime)  # the councillor sets the clock right
    assert main(["council", "status"]) == EXIT_OK
    assert hook.skew_line(paths.data_dir()) == ""  # and Today stops warning


@pytest.mark.slow
def test_a_set_aside_row_goes_once_the_desk_has_a_later_state_of_its_plan(
    council: Council, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row set aside holds the plan's duty view, code word included: it must not outlive its use.
    Once a later state of the same plan reaches the desk, the older refused one goes."""
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    data = paths.data_dir()
    with open_store() as store:
        ref = started(store, "Visit", code_word="purple umbrella", code_meaning="ring the police")
        plan = store.get_plan(ref)
        view = duty_view(plan, name="A", phone="")
        assert view is not None
        with Outbox.open(data) as outbox:  # a state the server refuses, for the same plan
            outbox.enqueue(plan_key(plan), view.as_json() | {"contacts": [{"name": "x", "phone": "1"}] * 60})
            assert outbox.flush(council.url("alice")).set_aside == 1
        with sqlite3.connect(data / OUTBOX_NAME) as raw:
            assert any("purple umbrella" in str(body) for (body,) in raw.execute("SELECT body FROM outbox"))
        store.check_in(ref)  # a later state of the plan, which the desk takes
        hook.wait_for_sends()
    with Outbox.open(data) as outbox:
        assert outbox.set_aside_count() == 0 and outbox.waiting() == 0
    with sqlite3.connect(data / OUTBOX_NAME) as raw:
        assert not any("purple umbrella" in str(body) for (body,) in raw.execute("SELECT body FROM outbox"))
    assert main(["council", "status"]) == EXIT_OK
    assert "everything is shared with the duty desk" in capsys.readouterr().out
