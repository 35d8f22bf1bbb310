"""Extend the expected finish: +15, +30, +60 or a number of minutes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from safety_tui.ui.dialogs.base import Dialog


class ExtendDialog(Dialog[int | None]):
    # Nothing focused: the number keys answer at once; Tab reaches the custom field.
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("1", "pick(15)", "+15 min"),
        Binding("3", "pick(30)", "+30 min"),
        Binding("6", "pick(60)", "+60 min"),
        Binding("escape", "pick(0)", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Extend the expected finish", classes="dialog-title")
            yield Label("1: +15 minutes   3: +30 minutes   6: +60 minutes", classes="dialog-hint")
            yield Label("or press Tab, type minutes and press Enter:", classes="dialog-hint")
            yield Input(placeholder="minutes", id="minutes", type="integer", max_length=4)
            yield Label("", id="extend-error", classes="dialog-error")
            yield Label("Remember to tell the people you told.", classes="dialog-hint")

    def action_pick(self, minutes: int) -> None:
        self.dismiss(minutes or None)

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        """The number typed; the plan's rule (how far a finish may move) is checked by the core."""
        try:
            minutes = int(event.value)
        except ValueError:
            error = self.query_one("#extend-error", Label)
            error.update("Type a number of minutes.")
            error.add_class("-shown")
            return
        self.dismiss(minutes)
