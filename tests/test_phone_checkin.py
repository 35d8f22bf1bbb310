"""Checking in from a phone, through the council's server (real PostgreSQL, no mocks).

The laptop publishes only the SHA-256 of the plan's token; the check-in role can only call
``council.checkin``; each action reaches the desk's board at once and the councillor's plan
when the laptop next reads it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.cli.main import main
from safety_tui.common.exitcodes import EXIT_OK, EXIT_USAGE
from safety_tui.council import hook
from safety_tui.council.checkin_link import DEFAULT_BASE_URL, is_token, plan_link, plan_token, token_hash
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect
from safety_tui.council.desk_data import load_board
from safety_tui.council.pull import pull_duty_actions
from safety_tui.council.roles import add_checkin_server
from safety_tui.plans.lifecycle import Status
from safety_tui.store.repository import Store
from safety_tui.ui.desk.app import DeskApp
from safety_tui.wiring import open_store
from tests.helpers import wait_until as until
from tests.pg_server import PASSWORD
from tests.test_desk import actions, body, publish, rows, text

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures
pytestmark = pytest.mark.slow  # a real PostgreSQL server


def started_plan(store: Store, *, title: str = "Mrs Smith, damp", finish_in: timedelta = timedelta(hours=1)) -> str:
    now = datetime.now(timezone.utc)
    plan = store.create_plan(
        "home-visit",
        title=title,
        location="12 Acacia Avenue",
        start=now - timedelta(minutes=5),
        finish=now + finish_in,
        code_word="blue folder",
        code_meaning="call the police",
    )
    store.start(plan.ref)
    hook.wait_for_sends()
    return plan.ref


def link_token(store: Store, ref: str) -> str:
    link = plan_link(store, store.get_plan(ref))
    assert link is not None
    return link.rsplit("/", 1)[1]


def checkin(council: Council, token: str, action: str) -> tuple[object, ...]:
    with connect(council.url("phone")) as conn:
        row = conn.execute("SELECT outcome, due FROM council.checkin(%s, %s)", (token_hash(token), action)).fetchone()
    assert row is not None
    return tuple(row)


def board_plan(council: Council, title: str):  # type: ignore[no-untyped-def]
    with connect(council.url("duty1")) as conn:
        board = load_board(conn)
    return next(p for p in board.plans if p.title == title), board


@pytest.fixture
def phone_council(council: Council, monkeypatch: pytest.MonkeyPatch) -> Council:
    """The council with a check-in role 'phone', and alice's laptop connected to it."""
    with psycopg.connect(council.admin, autocommit=True) as conn:
        add_checkin_server(conn, "phone", password=PASSWORD)
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    return council


def test_only_the_hash_of_a_random_token_is_published_and_the_token_stays_local(phone_council: Council) -> None:
    with open_store() as store:
        ref = started_plan(store)
        token = link_token(store, ref)
        assert plan_link(store, store.get_plan(ref)) == f"{DEFAULT_BASE_URL}/c/{token}"
        other = link_token(store, started_plan(store, title="Another"))
    assert is_token(token) and token != other
    with psycopg.connect(phone_council.admin) as conn:
        stored = conn.execute("SELECT token_hash FROM council.checkin_links ORDER BY plan_id").fetchall()
        everything = str(conn.execute("SELECT row_to_json(p)::text FROM council.plans p").fetchall()) + str(stored)
    assert stored == [(token_hash(token),), (token_hash(other),)]
    assert token not in everything


def test_the_checkin_role_can_do_nothing_but_check_in(phone_council: Council) -> None:
    with open_store() as store:
        started_plan(store)
    with connect(phone_council.url("phone")) as conn:
        for sql in (
            "SELECT * FROM council.plans",
            "SELECT * FROM council.checkin_links",
            "SELECT * FROM council.settings",
            "SELECT * FROM council.checkins",
            "INSERT INTO council.checkins(plan_id, action, finish_at) VALUES (1, 'safe', now())",
            "SELECT council.reveal_code_word(1)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)


def test_get_never_changes_anything_and_a_wrong_token_is_unknown(phone_council: Council) -> None:
    with open_store() as store:
        ref = started_plan(store)
        token = link_token(store, ref)
    before, _ = board_plan(phone_council, "Mrs Smith, damp")
    assert checkin(phone_council, token, "status") == ("open", before.due_at)
    assert checkin(phone_council, "A" * 22, "status") == ("unknown", None)
    assert checkin(phone_council, "A" * 22, "safe") == ("unknown", None)
    after, _ = board_plan(phone_council, "Mrs Smith, damp")
    assert after == before
    with psycopg.connect(phone_council.admin) as conn:
        assert conn.execute("SELECT count(*) FROM council.checkins").fetchone() == (0,)
    with connect(phone_council.url("phone")) as conn, pytest.raises(psycopg.errors.InvalidParameterValue):
        conn.execute("SELECT * FROM council.checkin(%s, 'delete-everything')", (token_hash(token),))


def test_safe_finishes_the_plan_on_the_desk_and_on_the_laptop_after_a_read(phone_council: Council) -> None:
    with open_store() as store:
        ref = started_plan(store)
        token = link_token(store, ref)
        outcome, _ = checkin(phone_council, token, "safe")
        assert outcome == "finished"
        on_desk, board = board_plan(phone_council, "Mrs Smith, damp")
        assert on_desk.status is Status.FINISHED and on_desk.alert(board.server_now, board.ladder) is None
        assert checkin(phone_council, token, "safe") == ("unknown", None)  # used: the link no longer works
        assert checkin(phone_council, token, "extend-15") == ("unknown", None)
        assert store.get_plan(ref).status is Status.IN_PROGRESS  # until the laptop reads it
        assert pull_duty_actions(store, ref) >= 1
        plan = store.get_plan(ref)
        assert plan.status is Status.FINISHED
        assert any(e.event == "from your phone: I'm safe" for e in plan.audit)
        assert pull_duty_actions(store, ref) == 0  # once
        hook.wait_for_sends()
    with psycopg.connect(phone_council.admin) as conn:
        assert conn.execute("SELECT action FROM council.checkins").fetchall() == [("safe",)]


def test_extend_moves_the_due_time_from_now_and_the_laptop_follows(phone_council: Council) -> None:
    with open_store() as store:
        ref = started_plan(store, finish_in=timedelta(minutes=5))
        token = link_token(store, ref)
        outcome, due = checkin(phone_council, token, "extend-30")
        on_desk, _ = board_plan(phone_council, "Mrs Smith, damp")
        assert outcome == "extended" and due == on_desk.due_at
        now = datetime.now(timezone.utc)
        assert now + timedelta(minutes=29) < on_desk.finish_at <= now + timedelta(minutes=31)
        pull_duty_actions(store, ref)
        plan = store.get_plan(ref)
        assert plan.status is Status.IN_PROGRESS and plan.finish == on_desk.finish_at
        assert any(e.event == "from your phone: extended 30 min" for e in plan.audit)
        hook.wait_for_sends()
    after, _ = board_plan(phone_council, "Mrs Smith, damp")
    assert after.finish_at == on_desk.finish_at  # the laptop's publication agrees with the phone's


def test_an_extension_never_brings_the_finish_earlier(phone_council: Council) -> None:
    with open_store() as store:
        ref = started_plan(store, finish_in=timedelta(hours=3))
        token = link_token(store, ref)
    before, _ = board_plan(phone_council, "Mrs Smith, damp")
    checkin(phone_council, token, "extend-15")
    after, _ = board_plan(phone_council, "Mrs Smith, damp")
    assert after.finish_at == before.finish_at


def test_help_answers_like_extend_15_while_the_desk_is_told(phone_council: Council) -> None:
    with open_store() as store:
        quiet = started_plan(store, title="Quiet", finish_in=timedelta(minutes=1))
        alarm = started_plan(store, title="Alarm", finish_in=timedelta(minutes=1))
        quiet_answer = checkin(phone_council, link_token(store, quiet), "extend-15")
        alarm_token = link_token(store, alarm)
        help_answer = checkin(phone_council, alarm_token, "help")
    assert help_answer[0] == quiet_answer[0] == "extended"
    assert abs(help_answer[1] - quiet_answer[1]) < timedelta(minutes=2)  # type: ignore[operator]
    plan, board = board_plan(phone_council, "Alarm")
    assert plan.help_at is not None
    state = plan.alert(board.server_now, board.ladder)
    assert state is not None and state.late and state.step is not None and "police" in state.step.step
    assert board.sorted(board.server_now)[0].title == "Alarm"
    assert checkin(phone_council, alarm_token, "safe")[0] == "finished"  # perhaps forced: help stays open
    plan, board = board_plan(phone_council, "Alarm")
    state = plan.alert(board.server_now, board.ladder)
    assert plan.status is Status.FINISHED and state is not None and state.help
    assert board.sorted(board.server_now)[0].title == "Alarm"


def test_an_expired_token_is_unknown(phone_council: Council) -> None:
    with open_store() as store:
        ref = started_plan(store)
        token = link_token(store, ref)
    with psycopg.connect(phone_council.admin, autocommit=True) as conn:  # the plan was due 12 hours and a minute ago
        conn.execute(
            "UPDATE council.plans SET start_at = now() - interval '13 hours 16 minutes', "
            "finish_at = now() - interval '12 hours 16 minutes'"
        )
    assert checkin(phone_council, token, "status") == ("unknown", None)
    assert checkin(phone_council, token, "safe") == ("unknown", None)


@pytest.mark.parametrize("ending", ["check_in", "cancel"])
def test_a_check_in_or_cancel_on_the_laptop_ends_the_link_and_the_laptop_forgets_the_token(
    phone_council: Council, ending: str
) -> None:
    with open_store() as store:
        ref = started_plan(store)
        token = link_token(store, ref)
        getattr(store, ending)(ref)
        hook.wait_for_sends()
        assert plan_token(store, store.get_plan(ref), create=False) is None
        assert token not in str([tuple(r) for r in store.rows("SELECT * FROM settings")])
    assert checkin(phone_council, token, "status") == ("unknown", None)
    assert checkin(phone_council, token, "help") == ("unknown", None)


def test_council_link_prints_the_url_or_exits_2_when_the_plan_is_not_on_the_desk(
    phone_council: Council, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store() as store:
        ref = started_plan(store)
        token = link_token(store, ref)
        draft = store.create_plan("home-visit", title="Not started").ref
    capsys.readouterr()
    assert main(["council", "link", draft]) == EXIT_USAGE
    assert "not on the duty desk" in capsys.readouterr().err
    assert main(["council", "link", ref]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"{DEFAULT_BASE_URL}/c/{token}"
    with psycopg.connect(phone_council.admin, autocommit=True) as conn:
        conn.execute("INSERT INTO council.settings VALUES ('checkin_url', 'https://checkin.council.example/')")
    assert main(["council", "link", ref]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"https://checkin.council.example/c/{token}"
    with open_store() as store:  # remembered for Review, the briefing and the exports
        assert plan_link(store, store.get_plan(ref)) == f"https://checkin.council.example/c/{token}"


async def test_help_is_at_the_top_of_the_open_desk_loud_from_the_police_step_until_closed(
    phone_council: Council,
) -> None:
    with open_store() as store:
        publish(phone_council, "bob", "late", 1, body("Overdue visit", datetime.now(timezone.utc) - timedelta(hours=1)))
        token = link_token(store, started_plan(store, title="Alarm visit", finish_in=timedelta(hours=2)))
    app = DeskApp(phone_council.url("duty1"), heartbeat=0.3, stale_after=3.0, retry=0.3)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: len(rows(app)) == 2, "the board")
        assert rows(app)[0][5] == "Overdue visit"
        checkin(phone_council, token, "help")
        await until(pilot, lambda: rows(app)[0][5] == "Alarm visit", "the call for help at the top")
        assert rows(app)[0][0].startswith("!! HELP")
        await until(
            pilot,
            lambda: ("alert", "duty1") in actions(phone_council) and "ESCALATE" in text(app, "#alarm"),
            "the alert to be raised and loud",
        )
        await pilot.press("up")  # the desk keeps the plan that was selected: select the call for help
        await until(pilot, lambda: "Alarm visit" in text(app, "#detail"), "the call for help selected")
        detail = text(app, "#detail")
        assert "HELP asked silently" in detail and "Step 3 of 3: Call the police" in detail
        await pilot.press("p")  # escalated to the police: the ladder is done, still open until closed
        await until(pilot, lambda: ("escalated-police", "duty1") in actions(phone_council), "the police step")
        await pilot.press("o")
        await pilot.press("s")  # closed: safe, with the reason a close needs
        await pilot.press(*"spoke to her, safe", "enter")
        await until(pilot, lambda: not rows(app)[0][0].startswith("!! HELP"), "the help alert to close")
