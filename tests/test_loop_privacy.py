"""The contact's message gives the place, the times and what to do: never the plan's title (the
constituent and their case) unless the councillor adds it, per plan, on Review."""

from __future__ import annotations

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import SystemClock
from safety_tui.plans.export import contact_message, contact_sms, sms_payload
from safety_tui.ui.screens.review import ReviewStep
from safety_tui.wiring import open_store
from tests.helpers import full_plan, seen, wizard_step

TITLE = "Mrs Smith re damp"


def test_the_message_leaves_the_title_out_by_default(store, clock):
    plan = full_plan(store, clock)
    for text in (
        contact_message(plan, include_code_word=True, phone=""),
        contact_sms(plan, include_code_word=True, phone=""),
        sms_payload(plan, True),
    ):
        assert TITLE not in text and "12 Acacia Avenue" in text
    assert "What:   Home visit\n" in contact_message(plan, include_code_word=False, phone="")
    store.update(plan.ref, location="")  # no place given: the title is still not used in its stead
    assert TITLE not in contact_sms(store.get_plan(plan.ref), include_code_word=False, phone="")
    assert TITLE in contact_message(plan, include_code_word=False, phone="", include_title=True)


@pytest.mark.slow
async def test_t_on_review_adds_the_title_and_it_is_remembered_for_the_plan(data_dir, store, clock):
    from tests.helpers import build_app

    plan = full_plan(store, clock)
    store.update(plan.ref, wizard_step="review")
    app = build_app(data_dir, clock)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(wizard_step(app), ReviewStep)
        await pilot.press("c")
        assert TITLE not in app.clipboard
        await pilot.press("t")
        assert "The title is named in the message" in await seen(pilot)
        await pilot.press("c")
        assert f"What:   Home visit: {TITLE}" in app.clipboard
    other = full_plan(store, clock)
    store.update(other.ref, wizard_step="review")
    again = build_app(data_dir, clock)
    async with again.run_test(size=(100, 40), notifications=True) as pilot:
        for ref, named in ((plan.ref, True), (other.ref, False)):
            if isinstance(wizard_step(again), ReviewStep):
                await pilot.press("ctrl+w")  # close the draft: back to Today
            rows = [again.screen.query_one("#plans").get_row_at(n)[0] for n in range(2)]
            again.screen.query_one("#plans").move_cursor(row=rows.index(ref))
            await pilot.press("enter")
            assert isinstance(wizard_step(again), ReviewStep)
            await pilot.press("c")
            assert (TITLE in again.clipboard) is named, ref  # kept for that plan only


def test_the_cli_message_has_no_title_unless_chosen(capsys):
    store = open_store(paths.data_dir())
    plan = full_plan(store, SystemClock())
    assert main(["export", plan.ref, "-f", "message"]) == 0
    out = capsys.readouterr().out
    assert TITLE not in out and "12 Acacia Avenue" in out and 'says "blue folder"' in out
    from safety_tui.plans.settings import set_title_in_message

    set_title_in_message(store, plan.uid, True)
    assert main(["export", plan.ref, "-f", "message", "--no-code-word"]) == 0
    out = capsys.readouterr().out
    assert TITLE in out and "blue folder" not in out
