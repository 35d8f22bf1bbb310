"""Attacks on "every change of a plan reaches the duty desk": paths that change a plan in progress
without a lifecycle event, with a council database configured (unreachable here, so a
publication waits in the outbox, where the test reads it).

The desk keeps the plan's finish, place, contacts and code word; a change to one of them that
never reaches the outbox leaves the desk acting on an old plan (ringing at the wrong time, the
wrong place). Each change must either reach the outbox or be refused with nothing changed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common.errors import PlanError
from safety_tui.common.exitcodes import EXIT_ERROR
from safety_tui.council import hook
from safety_tui.council.config import ENV_URL
from safety_tui.council.outbox import OUTBOX_NAME, Outbox
from safety_tui.council.publication import plan_key
from safety_tui.plans.lifecycle import Status
from safety_tui.wiring import open_store
from tests.helpers import running_plan

UNREACHABLE = "postgresql://alice@127.0.0.1:1/council?connect_timeout=2"


def waiting_views(data: Path, key: str) -> list[dict[str, object]]:
    hook.wait_for_sends()
    if not (data / OUTBOX_NAME).exists():
        return []
    with Outbox.open(data) as outbox:
        return [p.view for p in outbox.pending() if p.plan_key == key]


def test_forgetting_a_plan_in_progress_from_the_cli_is_refused_and_the_plan_kept(monkeypatch, data_dir, capsys):
    """Deleting a plan the desk watches would leave the desk waiting for a check-in that can never come
    (and its copy of the code word forever): the plan must be checked in or cancelled first."""
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data_dir))
    with open_store(data_dir) as store:
        plan = running_plan(store, "Ward walk", start=store.clock.now())
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    capsys.readouterr()
    assert main(["forget", plan.ref, "--yes"]) == EXIT_ERROR
    assert "check in or cancel" in capsys.readouterr().err
    with open_store(data_dir) as store:
        assert store.get_plan(plan.ref).status is Status.IN_PROGRESS


def test_a_finished_plan_can_still_be_forgotten(monkeypatch, data_dir):
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data_dir))
    with open_store(data_dir) as store:
        plan = running_plan(store, "Ward walk", start=store.clock.now())
        store.check_in(plan.ref)
    assert main(["forget", plan.ref, "--yes"]) == 0
    with open_store(data_dir) as store:
        assert [p.ref for p in store.list_plans()] == []


@pytest.mark.parametrize(
    "edit",
    [
        {"finish": "later"},
        {"location": "12 Other Street"},
        {"code_word": "bluebell"},
        {"title": "Another visit"},
    ],
)
def test_an_edit_to_a_plan_in_progress_never_leaves_the_desk_with_the_old_plan(monkeypatch, data_dir, edit):
    """A wizard left open in another window (or any caller of the store) edits a plan after it started:
    the edit is refused, the plan and the outbox unchanged (the desk keeps what the plan really is)."""
    with open_store(data_dir) as store:
        plan = running_plan(store, "Ward walk", start=store.clock.now())
        monkeypatch.setenv(ENV_URL, UNREACHABLE)
        fields = {k: (plan.finish + timedelta(hours=2) if v == "later" else v) for k, v in edit.items()}
        with pytest.raises(PlanError, match="in progress"):
            store.update(plan.ref, **fields)  # type: ignore[arg-type]
        assert store.get_plan(plan.ref) == plan
    assert waiting_views(data_dir, plan_key(plan)) == []


def test_a_contact_added_to_or_removed_from_a_plan_in_progress_is_refused(monkeypatch, data_dir):
    with open_store(data_dir) as store:
        draft = store.create_plan("home-visit", tz="Europe/London", title="Ward walk")
        kept = store.add_contact(draft.ref, "Sam", "07700 900123", told=True)
        start = store.clock.now()
        store.update(draft.ref, start=start, finish=start + timedelta(hours=1))
        plan = store.start(draft.ref)
        monkeypatch.setenv(ENV_URL, UNREACHABLE)
        with pytest.raises(PlanError, match="in progress"):
            store.add_contact(plan.ref, "Someone else", "07700 900999", told=True)
        with pytest.raises(PlanError, match="in progress"):
            store.remove_contact(plan.ref, kept)
        assert [c.name for c in store.contacts(plan.ref)] == ["Sam"]
    assert waiting_views(data_dir, plan_key(plan)) == []


def test_moving_on_in_the_wizard_is_still_saved_for_a_plan_in_progress(data_dir):
    """Navigation (the wizard's step and cursor) is not the plan: it is never refused."""
    with open_store(data_dir) as store:
        plan = running_plan(store, "Ward walk", start=store.clock.now())
        assert store.update(plan.ref, wizard_step="review").wizard_step == "review"


async def test_a_damaged_outbox_file_is_said_on_today_never_an_error_that_stops_today_reading(
    app, store, data_dir, monkeypatch
):
    """The outbox file is hostile data: garbage in it must not stop Today reading the plans (an error
    every five seconds, the list frozen) and must not hide that the plan is not shared."""
    from safety_tui.ui.screens.today import TodayScreen
    from tests.helpers import flat_text, wait_until

    plan = running_plan(store, "Ward walk", start=store.clock.now())
    (data_dir / OUTBOX_NAME).write_bytes(b"not an outbox at all " * 200)
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_until(pilot, lambda: "not a database" in flat_text(app), "the damaged outbox said")
        screen = app.screen
        assert isinstance(screen, TodayScreen) and screen.snapshot is not None
        assert "Not shared with the duty desk" in (screen.snapshot.sharing or "")
        assert "Cannot do that" not in flat_text(app)
        assert plan.ref in flat_text(app)


def test_disconnecting_the_council_while_a_plan_is_in_progress_is_refused(monkeypatch, data_dir, capsys):
    """The desk holds the plan: disconnected, the check-in would never reach it, and the desk would
    raise the alarm for a councillor who is safe at home."""
    from safety_tui.council.config import SETTING_URL

    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data_dir))
    with open_store(data_dir) as store:
        store.set_setting(SETTING_URL, UNREACHABLE)
        plan = running_plan(store, "Ward walk", start=store.clock.now())
    assert [v["status"] for v in waiting_views(data_dir, plan_key(plan))] == ["in-progress"]
    capsys.readouterr()
    assert main(["council", "disconnect"]) == EXIT_ERROR
    assert "in progress" in capsys.readouterr().err
    assert main(["checkin", plan.ref, "--no-debrief"]) == 0
    assert [v["status"] for v in waiting_views(data_dir, plan_key(plan))] == ["in-progress", "finished"]
    capsys.readouterr()
    assert main(["council", "disconnect"]) == EXIT_ERROR  # the check-in still waits to be sent
    assert "waiting" in capsys.readouterr().err
    assert main(["council", "disconnect", "--force"]) == 0  # the councillor's choice, said plainly
    with open_store(data_dir) as store:
        assert store.setting(SETTING_URL) == ""


@pytest.mark.parametrize("how", ["forget", "purge"])
def test_a_plan_deleted_for_good_leaves_no_copy_set_aside_in_the_outbox(monkeypatch, data_dir, capsys, how):
    """A publication the server refused holds the plan's duty view, code word included. Once the plan is
    deleted for good no later state of it can ever reach the desk, so that copy must go with it;
    a publication still waiting (the desk must still hear the plan finished) is kept."""
    import sqlite3

    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    with open_store(data_dir) as store:
        draft = store.create_plan("home-visit", tz="Europe/London", title="Ward walk", code_word="purple umbrella")
        start = store.clock.now()
        store.update(draft.ref, start=start, finish=start + timedelta(hours=1))
        plan = store.start(draft.ref)
        store.check_in(plan.ref)
    hook.wait_for_sends()
    with sqlite3.connect(data_dir / OUTBOX_NAME) as raw:  # the server refused the first (as it does, with a reason)
        raw.execute(
            "UPDATE outbox SET set_aside_utc = '2026-11-25T13:00:00+00:00', last_error = 'refused' "
            "WHERE id = (SELECT min(id) FROM outbox)"
        )
    if how == "purge":
        assert main(["purge", "--days", "0"]) == 0
    else:
        assert main(["forget", plan.ref, "--yes"]) == 0
    with Outbox.open(data_dir) as outbox:
        assert outbox.set_aside_count() == 0
        assert [p.view["status"] for p in outbox.pending()] == ["finished"]


def test_switching_to_another_council_while_a_plan_is_in_progress_is_refused(monkeypatch, data_dir, capsys):
    """The first desk holds the plan: its check-in would go to the other council, and the first would
    raise the alarm. Connecting the same URL again (or a first time) is always allowed."""
    from safety_tui.council.config import SETTING_URL

    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data_dir))
    other = "postgresql://alice@127.0.0.1:2/other?connect_timeout=2"
    with open_store(data_dir) as store:
        store.set_setting(SETTING_URL, UNREACHABLE)
        running_plan(store, "Ward walk", start=store.clock.now())
    hook.wait_for_sends()
    capsys.readouterr()
    assert main(["council", "connect", other]) == EXIT_ERROR
    assert "in progress" in capsys.readouterr().err
    with open_store(data_dir) as store:
        assert store.setting(SETTING_URL) == UNREACHABLE
    assert main(["council", "connect", UNREACHABLE]) == 0  # the same desk: nothing is left behind
    assert main(["council", "connect", other, "--force"]) == 0
    with open_store(data_dir) as store:
        assert store.setting(SETTING_URL) == other
