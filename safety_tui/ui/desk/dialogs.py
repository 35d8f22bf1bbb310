"""The desk's dialogs: closing an alert records an outcome, and closing needs a reason."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from safety_tui.council.desk_data import OUTCOMES
from safety_tui.ui.widgets.styled_once import StyledOnce


class CloseAlert(StyledOnce, ModalScreen[str | None]):
    """Safe, false alarm or incident (s, f, i); Escape keeps the alert open."""

    BINDINGS = [
        Binding("s", "choose('safe')", "Safe"),
        Binding("f", "choose('false-alarm')", "False alarm"),
        Binding("i", "choose('incident')", "Incident"),
        Binding("escape", "choose('')", "Keep open"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="close-dialog"):
            yield Static("Close this alert. What was the outcome?")
            with Horizontal():
                for value, label in OUTCOMES.items():
                    yield Button(label.capitalize(), id=f"outcome-{value}")
                yield Button("Keep open", id="outcome-none")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        value = (event.button.id or "").removeprefix("outcome-")
        self.dismiss(value if value in OUTCOMES else None)

    def action_choose(self, outcome: str) -> None:
        self.dismiss(outcome or None)


class Reason(StyledOnce, ModalScreen[str | None]):
    """Why the alert is closed (the server refuses a close without one); Enter records, Escape keeps it open."""

    BINDINGS = [Binding("escape", "cancel", "Keep open")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="close-dialog"):
            yield Static(self.question, markup=False)
            yield Input(placeholder="e.g. spoke to her on the phone, home safe", max_length=2000, id="reason")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.notify("Say why, in a few words: it goes into the councillor's audit trail.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(None)
