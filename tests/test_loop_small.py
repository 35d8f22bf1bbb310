"""The small things: each with its test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import SystemClock
from safety_tui.ui.screens.details import DetailsStep
from safety_tui.wiring import open_store
from tests.helpers import fill as type_text
from tests.helpers import full_plan, running_plan, seen, wizard_step
from tests.test_after_routes import council_routes  # noqa: F401 - the fixture


def test_export_last_is_the_newest_plan_not_finished(capsys):
    store = open_store(paths.data_dir())
    clock = SystemClock()
    planned = full_plan(store, clock)
    store.update(planned.ref, title="Planned visit")
    done = running_plan(store, "Finished visit", start=clock.now() - timedelta(minutes=10))
    store.check_in(done.ref)  # the newest plan, but finished
    assert main(["export", "last", "-f", "text"]) == 0
    out = capsys.readouterr().out
    assert "Planned visit" in out and "Finished visit" not in out


async def test_n_then_ctrl_w_leaves_no_untitled_draft(app, store):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("n")
        await app.wait_for_catalog()
        await pilot.pause()
        assert store.list_plans() != []  # the draft exists while the wizard is open
        await pilot.press("ctrl+w")
        text = await seen(pilot)
        assert "(untitled)" not in text and "Draft" not in text
    assert store.list_plans() == []


@pytest.mark.slow
async def test_a_draft_with_something_typed_is_kept_on_ctrl_w(app, store):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("n")
        await app.wait_for_catalog()
        await pilot.press("ctrl+n")
        await type_text(pilot, "Mrs Jones")
        await pilot.press("ctrl+w")
        assert "saved. Resume it from Today" in await seen(pilot)
    assert [p.title for p in store.list_plans()] == ["Mrs Jones"]


async def test_starting_now_never_says_the_start_is_in_the_past(app, store, clock):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await app.wait_for_catalog()
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), DetailsStep)
        app.screen.query_one("#start").focus()
        clock.advance(seconds=30)  # 'now' is kept to the minute: half a minute on it is still now
        await type_text(pilot, "now")
        text = await seen(pilot)
        assert "Wed 25 Nov 13:00" in text and "in the past" not in text
        app.screen.query_one("#start").value = "12:30"
        assert "the start is in the past" in await seen(pilot)


def test_the_support_text_never_repeats_the_title_without_a_number():
    from safety_tui.incidents.debrief import support_lines
    from safety_tui.incidents.routes import load_routes

    first = support_lines(load_routes().routes)[0]
    assert "nominated officer: your council's nominated officer" not in first
    assert "member services" in first


async def test_a_quick_plan_keeps_then_tell_the_council(council_routes, app, store):  # noqa: F811
    """q in the app: the quick plan's contact is told the council's numbers, as for a full plan."""
    from tests.helpers import settle

    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("q", "enter")  # a quick plan of the first kind of visit
        await settle(pilot)
    plan = store.get_plan(store.resolve("last"))
    assert "Then tell the council: Member services on 01234 500500." in plan.escalation
