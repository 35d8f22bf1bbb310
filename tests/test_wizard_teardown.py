"""A step composed ahead while the wizard is taken down (the wizard closed, the app quitting) never
stops the app; anywhere else a step missing its own parts is a bug, and still raised."""

from __future__ import annotations

import pytest
from textual.css.query import NoMatches
from textual.widgets import ProgressBar

from safety_tui.ui.screens.walk import WalkStep
from tests.helpers import open_highlighted, settle, wizard_step


async def test_a_step_mounted_as_the_wizard_goes_shows_nothing_and_does_not_crash(app, wizard_draft):
    wizard_draft("walk")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot)
        step = wizard_step(app)
        assert isinstance(step, WalkStep)
        await step.query_one("#progress-all", ProgressBar).remove()  # its parts going, as when taken down
        with pytest.raises(NoMatches):  # the wizard still shown: a missing part is a bug, raised
            step.on_mount()
        wizard_screen = step.screen
        await pilot.press("ctrl+w")  # the wizard closes
        await settle(pilot)
        assert wizard_screen not in app.screen_stack
        step.on_mount()  # mounted just as the wizard went: nothing to show, nothing raised
        assert app.return_code is None  # still running, no crash
