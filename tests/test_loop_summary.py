"""Honest summaries: items a step carried out say so; briefing items are advice, not unanswered."""

from __future__ import annotations

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import SystemClock
from safety_tui.plans.summary import text_summary
from safety_tui.ui.screens.plan_detail import PlanDetailScreen
from safety_tui.wiring import open_store
from tests.helpers import full_plan


def _lines(text: str, needle: str) -> list[str]:
    """The checklist lines (each starts with its [mark]) that mention ``needle``."""
    return [line for line in text.splitlines() if needle in line and line.strip().startswith("[")]


def test_show_says_done_by_the_step_and_lists_briefing_items_as_advice(capsys):
    store = open_store(paths.data_dir())
    plan = full_plan(store, SystemClock())
    assert main(["show", plan.ref]) == 0
    out = capsys.readouterr().out
    told = _lines(out, "Tell them when you expect to finish")
    assert told and told[0].strip().startswith("[done by the Who's told step]"), told
    code = _lines(out, "Agree a code word")
    assert code and code[0].strip().startswith("[done by the Code word step]"), code
    assert _lines(out, "After knocking, stand back")[0].strip().startswith("[advice for the visit]")
    assert not [
        line
        for line in out.splitlines()
        if "[not answered]" in line and "(critical)" in line and ("Tell" in line or "code word" in line)
    ]
    briefing_unanswered = [line for line in _lines(out, "[not answered]") if "stand back" in line or "weapon" in line]
    assert briefing_unanswered == []


def test_a_step_not_yet_done_says_so_rather_than_done(store, clock):
    plan = full_plan(store, clock, code_word="")
    for contact in plan.contacts:
        assert contact.id is not None
        store.set_told(plan.ref, contact.id, False)
    text = text_summary(store.get_plan(plan.ref), now=clock.now())
    assert _lines(text, "Agree a code word")[0].strip().startswith("[not yet: the Code word step]")
    assert _lines(text, "Tell them when you expect to finish")[0].strip().startswith("[not yet: the Who's told step]")


async def test_the_plan_screen_says_done_by_the_step(app, store, clock):
    plan = full_plan(store, clock)
    store.start(plan.ref)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # Today: open the plan in progress
        assert isinstance(app.screen, PlanDetailScreen)
        shown = str(app.screen.query_one("#detail-text").content)
        assert "[done by the Who's told step] Tell them when you expect to finish." in shown
        assert "[done by the Code word step] Agree a code word" in shown
        assert "[advice for the visit] After knocking" in shown
