"""One step of the new-plan wizard: a pane of the one wizard screen.

A step knows nothing of the others: the wizard screen moves between them (Esc, Ctrl+N), asking
the step first to save what is on it (:meth:`WizardStep.save`). A step is composed from the store
once (the next one while this one is shown) and kept; each time it is shown again it reads what
it shows from other steps afresh (:meth:`WizardStep.shown`).

Typing is saved a moment later in one write (``stage``, then ``flush`` at most
``SAVE_DELAY`` seconds on), not one database write per key press; leaving the step,
closing the app or a crash flushes what is pending first.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from textual import getters
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widget import Widget

from safety_tui.plans import settings as personal
from safety_tui.plans.model import Plan
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.base import reports_errors

SAVE_DELAY = 0.3  # seconds: a kill -9 loses at most this much typing

# What a step may save besides the plan: the councillor's own details, each through its rule.
PERSONAL_SETTINGS = {personal.NAME_KEY: personal.set_owner_name, personal.PHONE_KEY: personal.set_owner_phone}


StepT = TypeVar("StepT", bound="WizardStep")


def unless_taken_down(handler: Callable[[StepT], None]) -> Callable[[StepT], None]:
    """For a step's Mount handler. A step composed ahead can be mounted just as the wizard is closed
    or the app quits, its children already being removed: then there is nothing to show, and it must
    not stop the app. Anywhere else a missing child is a bug, raised as ever."""

    @wraps(handler)
    def wrapper(step: StepT) -> None:
        try:
            handler(step)
        except NoMatches:
            if step.is_attached and step.app.is_running and step.screen in step.app.screen_stack:
                raise

    return wrapper


class WizardStep(Widget):
    """A step of the wizard, shown in the wizard screen's switcher. It saves as it goes."""

    DEFAULT_CSS = """
    WizardStep {
        height: 1fr;
    }
    """

    # The wizard's own keys (the screen's), listed first in the footer, before the step's. Close
    # leads: a text box's own Ctrl+W (delete a word) puts it first there, and the same order on
    # every step lets the footer stay as it is when the step changes.
    BINDINGS = [
        Binding("ctrl+w", "screen.close", "Close", priority=True),  # before an Input's delete-word
        Binding("ctrl+w", "screen.close_unlisted", "Close", show=False, priority=True),
        Binding("escape", "screen.back", "Back"),
        Binding("ctrl+n", "screen.next", "Next"),
    ]

    app = getters.app(SafetyAppBase)

    def __init__(self, ref: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ref = ref
        self.pending: dict[str, Any] = {}
        self.pending_settings: dict[str, str] = {}

    def plan(self) -> Plan:
        """The plan as stored now (raises PlanNotFound if it was deleted)."""
        return self.app.store.get_plan(self.ref)

    def shown(self, fresh: bool) -> None:
        """The step is now the one on screen: put the cursor in it and, unless ``fresh`` (composed
        just now), show again from the store what other steps may have changed since."""

    def put_cursor(self, widget: Widget) -> None:
        """Focus ``widget`` at once (``focus()`` waits its turn): a key typed ahead of the switch goes
        to this step, never into the step left. The step opens at its top (what it says first,
        such as Details' times and errors, stays in view)."""
        self.screen.set_focus(widget, scroll_visible=False)

    def show_plan(self) -> None:
        """Redraw from the store when the plans change elsewhere; steps that show more than their
        own fields override it."""

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
    def try_save(self) -> bool:
        """``save``, with a store error shown (and False) rather than raised."""
        return self.save()
