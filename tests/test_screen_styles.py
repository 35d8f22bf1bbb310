"""A screen is styled once when it opens: each widget as it is mounted, not the whole screen again
on the ScreenResume that follows (Textual's default, a sixth of the wizard's time to open)."""

from __future__ import annotations

from collections import Counter

from textual.widgets import Header

from safety_tui.ui.screens.history import HistoryScreen
from safety_tui.ui.screens.wizard import WizardScreen
from safety_tui.ui.widgets.step_indicator import StepIndicator
from tests.helpers import today_settled, wait_until


def count_styling(app, monkeypatch) -> Counter:
    """How many times each widget is styled from now on."""
    styled: Counter = Counter()
    apply = app.stylesheet.apply

    def counting(node, *args, **kwargs):
        styled[node] += 1
        return apply(node, *args, **kwargs)

    monkeypatch.setattr(app.stylesheet, "apply", counting)
    return styled


async def test_the_wizard_is_styled_once_as_it_opens(app, monkeypatch):
    async with app.run_test(size=(80, 24)) as pilot:
        await today_settled(pilot)
        styled = count_styling(app, monkeypatch)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, WizardScreen), "the wizard")
        await pilot.pause()
        indicator = app.screen.query_one(StepIndicator)  # never focused, never changed while opening
        assert styled[indicator] == 1
        assert styled[app.screen] == 1


async def test_history_is_styled_once_as_it_opens(app, monkeypatch):
    async with app.run_test(size=(80, 24)) as pilot:
        await today_settled(pilot)
        styled = count_styling(app, monkeypatch)
        await pilot.press("h")
        await wait_until(pilot, lambda: isinstance(app.screen, HistoryScreen), "History")
        await pilot.pause()
        assert styled[app.screen.query_one(Header)] == 1
        assert styled[app.screen] == 1
