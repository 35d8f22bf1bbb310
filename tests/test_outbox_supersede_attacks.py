"""Attacks on the outbox's supersede rule, on a real throwaway PostgreSQL: a publication set aside
goes only once the server has applied a later state of that same plan; never for another
plan's send, never because a later row was itself set aside.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest

from safety_tui.common import paths
from safety_tui.council import hook
from safety_tui.council.config import ENV_URL
from safety_tui.council.outbox import OUTBOX_NAME, Outbox
from safety_tui.council.publication import duty_view, plan_key
from safety_tui.store.repository import Store
from safety_tui.wiring import open_store

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]
TOO_MANY_CONTACTS = [{"name": "x", "phone": "1"}] * 60  # the server refuses it: the row is set aside


def started(store: Store, title: str, code_word: str) -> str:
    now = datetime.now(timezone.utc)
    plan = store.create_plan(
        "home-visit",
        title=title,
        start=now,
        finish=now + timedelta(hours=1),
        code_word=code_word,
        code_meaning="ring the police",
    )
    store.start(plan.ref)
    hook.wait_for_sends()
    return plan.ref


def view_of(store: Store, ref: str) -> dict[str, Any]:
    view = duty_view(store.get_plan(ref), name="A", phone="")
    assert view is not None
    return view.as_json()


def bodies() -> list[str]:
    with sqlite3.connect(paths.data_dir() / OUTBOX_NAME) as raw:
        return [str(body) for (body,) in raw.execute("SELECT body FROM outbox")]


@pytest.mark.slow
def test_another_plans_send_never_removes_a_row_set_aside(council: Council, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    with open_store() as store:
        first = started(store, "First", "purple umbrella")
        with Outbox.open(paths.data_dir()) as outbox:
            outbox.enqueue(plan_key(store.get_plan(first)), view_of(store, first) | {"contacts": TOO_MANY_CONTACTS})
            assert outbox.flush(council.url("alice")).set_aside == 1
        second = started(store, "Second", "green kettle")  # another plan's state, applied by the server
        store.check_in(second)
        hook.wait_for_sends()
    with Outbox.open(paths.data_dir()) as outbox:
        assert outbox.set_aside_count() == 1 and outbox.waiting() == 0
    assert any("purple umbrella" in body for body in bodies())


@pytest.mark.slow
def test_a_later_row_set_aside_too_never_removes_the_earlier_one(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither state reached the desk: both stay set aside (the councillor is told of both)."""
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    with open_store() as store:
        ref = started(store, "Visit", "purple umbrella")
        key = plan_key(store.get_plan(ref))
        with Outbox.open(paths.data_dir()) as outbox:
            outbox.enqueue(key, view_of(store, ref) | {"contacts": TOO_MANY_CONTACTS, "title": "Refused first"})
            outbox.enqueue(key, view_of(store, ref) | {"contacts": TOO_MANY_CONTACTS, "title": "Refused second"})
            assert outbox.flush(council.url("alice")).set_aside == 2
            assert outbox.flush(council.url("alice")).set_aside == 2  # a second try removes nothing
    assert sum("Refused" in body for body in bodies()) == 2


UNREACHABLE = "postgresql://alice@127.0.0.1:1/council?connect_timeout=2"


@pytest.mark.slow
def test_a_retry_answered_duplicate_of_a_stale_send_is_not_taken_as_shared(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server answered "stale" (it holds another version of the plan, e.g. from a copy of the data
    folder on another laptop) but the answer was lost; the retry is a "duplicate". That is not the
    desk having this state: the latest is sent again above what the desk holds, as for "stale"."""
    import psycopg

    from safety_tui.council.db import connect
    from safety_tui.council.publication import Publication, send

    monkeypatch.setenv(ENV_URL, council.url("alice"))
    with open_store() as store:
        ref = started(store, "Visit", "purple umbrella")
        key = plan_key(store.get_plan(ref))
        with connect(council.url("alice")) as conn:  # another copy of the store published far ahead
            other = Publication(plan_key=key, sequence=2**53, view=view_of(store, ref) | {"title": "Other laptop"})
            assert send(conn, other) == "applied"
        monkeypatch.setenv(ENV_URL, UNREACHABLE)
        extended = store.extend(ref, 30)  # queued, not sent
        hook.wait_for_sends()
        with Outbox.open(paths.data_dir()) as outbox:
            (mine,) = outbox.pending()
        with connect(council.url("alice")) as conn:
            assert send(conn, mine) == "stale"  # ... and the laptop never heard this answer
        with Outbox.open(paths.data_dir()) as outbox:
            outbox.flush(council.url("alice"))  # the retry of the same publication
            assert outbox.waiting() == 0
    with psycopg.connect(council.admin) as admin:
        title, finish = admin.execute(
            "SELECT title, finish_at FROM council.plans WHERE plan_key = %s", (key,)
        ).fetchone()
    assert title == "Visit" and finish == extended.finish  # the desk has the councillor's latest plan
