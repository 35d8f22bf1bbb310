"""A small modal that asks for one line of text (a note, a reason, minutes)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from safety_tui.widgets import literal


class TextPrompt(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", placeholder: str = "", required: bool = False, integer: bool = False):
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.required = required
        self.integer = integer

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.question), classes="question")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input", type="integer" if self.integer else "text")
            yield Label("Enter to save, Escape to cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if self.required and not value:
            self.notify("Please give a short reason.", severity="warning")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
