"""Check-in acts on the plan chosen: with several in progress, the app asks and the CLI refuses or asks."""

from __future__ import annotations

from datetime import timedelta

from safety_tui import paths
from safety_tui.cli import main
from safety_tui.dialogs.choose import ChooseDialog
from safety_tui.lifecycle import Status
from safety_tui.store import open_store
from tests.helpers import T0, running_plan, seen


async def test_c_asks_which_plan_with_the_highlighted_row_first(app, store, clock):
    early = running_plan(store, "Surgery at the library")  # due first: the banner's plan
    late = running_plan(store, "Mrs Jones visit", start=T0 + timedelta(minutes=30))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        rows = [app.screen.query_one("#plans").get_row_at(n)[0] for n in range(2)]
        await pilot.press(*["down"] * rows.index(late.ref))  # the councillor highlights the later visit
        await pilot.press("c")
        assert isinstance(app.screen, ChooseDialog)
        text = await seen(pilot)
        assert "2 plans are in progress. Which one do you check in?" in text
        assert text.index("Mrs Jones visit") < text.index("Surgery at the library")  # highlighted first
        assert store.get_plan(early.ref).status is Status.IN_PROGRESS  # nothing checked in yet
        await pilot.press("enter")
        await pilot.press("escape")  # the debrief's questions: skipped
        await pilot.pause()
    assert store.get_plan(late.ref).status is Status.FINISHED
    assert store.get_plan(early.ref).status is Status.IN_PROGRESS


async def test_escape_in_the_choice_checks_in_nothing(app, store, clock):
    plans = [running_plan(store, "One"), running_plan(store, "Two")]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("escape")
        await pilot.pause()
    assert all(store.get_plan(p.ref).status is Status.IN_PROGRESS for p in plans)


async def test_one_plan_in_progress_is_checked_in_without_a_question(app, store, clock):
    plan = running_plan(store, "Only visit")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("c")
        assert "Checked in safe" in await seen(pilot)
    assert store.get_plan(plan.ref).status is Status.FINISHED


def test_the_cli_checkin_without_a_plan_refuses_and_lists_them_when_two_are_in_progress(capsys):
    store = open_store(paths.data_dir())
    from safety_tui.plan import SystemClock

    now = SystemClock().now()
    plans = [running_plan(store, "Surgery", start=now), running_plan(store, "Mrs Jones visit", start=now)]
    assert main(["checkin", "--no-debrief"]) == 2
    err = capsys.readouterr().err
    assert "2 plans are in progress" in err
    assert all(p.ref in err for p in plans) and "Mrs Jones visit" in err
    assert all(store.get_plan(p.ref).status is Status.IN_PROGRESS for p in plans)
    assert main(["checkin", plans[1].ref, "--no-debrief"]) == 0
    assert main(["checkin", "--no-debrief"]) == 0  # one left: no question
    assert store.get_plan(plans[0].ref).status is Status.FINISHED
