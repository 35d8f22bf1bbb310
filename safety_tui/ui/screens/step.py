"""One step of the new-plan wizard. Steps know nothing of the wizard: they ask to move on
with a :class:`StepScreen.Navigate` message, which the app hands to the wizard.

Typing is saved a moment later in one write (``stage``, then ``flush`` at most
``SAVE_DELAY`` seconds on), not one database write per key press; leaving the step,
closing the app or a crash flushes what is pending first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header

from safety_tui.plans import settings as personal
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.plan_screen import PlanScreen
from safety_tui.ui.widgets.footer import Footer
from safety_tui.ui.widgets.step_indicator import StepIndicator

SAVE_DELAY = 0.3  # seconds: a kill -9 loses at most this much typing


@dataclass(frozen=True)
class StepPosition:
    """Where a step sits in the wizard: every step's label, and this step's index."""

    labels: list[str]
    index: int


# What a step may save besides the plan: the councillor's own details, each through its rule.
PERSONAL_SETTINGS = {personal.NAME_KEY: personal.set_owner_name, personal.PHONE_KEY: personal.set_owner_phone}

class StepScreen(PlanScreen):
    """A step of the wizard. Every step saves as it goes; Back is always there."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+w", "close", "Close", priority=True),  # before an Input's delete-word
    ]

    @dataclass
    class Navigate(Message):
        """Go to step ``index`` of plan ``ref`` (-1: leave the wizard)."""

        ref: str
        index: int

    def __init__(self, ref: str, position: StepPosition) -> None:
        super().__init__(ref)
        self.place = position
        self.pending: dict[str, Any] = {}
        self.pending_settings: dict[str, str] = {}

    def compose_top(self) -> ComposeResult:
        yield Header()
        yield StepIndicator(self.place.labels, self.place.index, id="steps")

    def compose_bottom(self) -> ComposeResult:
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(SAVE_DELAY, self.flush)

    def on_unmount(self) -> None:
        self.flush()

    # -- saving -----------------------------------------------------------------------
    def stage(self, **fields: Any) -> None:
        """Remember plan fields to write on the next flush."""
        self.pending.update(fields)

    def stage_setting(self, key: str, value: str) -> None:
        """Remember one of PERSONAL_SETTINGS ('name', 'phone') to write on the next flush."""
        self.pending_settings[key] = value

    def flush(self) -> bool:
        """Write what is staged, in one call per kind; False (the error shown) if it failed."""
        if not self.pending and not self.pending_settings:
            return True
        fields, settings = self.pending, self.pending_settings
        self.pending, self.pending_settings = {}, {}
        return self._write(fields, settings) is not None

    @reports_errors
    def _write(self, fields: dict[str, Any], settings: dict[str, str]) -> bool:
        if fields:
            self.app.store.update(self.ref, **fields)
        for key, value in settings.items():
            PERSONAL_SETTINGS[key](self.app.store, value)  # the settings' own rules (length, no controls)
        return True

    def save(self) -> bool:
        """Write what is on screen; False (with the reason shown) if it cannot move on."""
        return self.flush()

    @reports_errors
    def _saved(self) -> bool:
        return self.save()

    # -- moving -------------------------------------------------------------------------
    def action_next(self) -> None:
        if self._saved():
            self.post_message(self.Navigate(self.ref, self.place.index + 1))

    def action_back(self) -> None:
        self._saved()
        if self.place.index == 0 and self._discarded():
            self.app.pop_screen()
            return
        self.post_message(self.Navigate(self.ref, self.place.index - 1))

    def action_close(self) -> None:
        self._saved()
        if not self._discarded():
            self.notify(f"Draft {self.ref} saved. Resume it from Today.", timeout=4)
        self.app.pop_screen()

    @reports_errors
    def _discarded(self) -> bool:
        """Leaving a new plan nothing was typed into deletes it: no "(untitled)" draft is left behind."""
        if not self.plan().is_blank():
            return False
        self.app.store.forget(self.ref)
        self.app.plans_changed(self.ref)
        return True
