"""Ask before doing something that matters: y goes ahead, n or Escape does not."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal


class ConfirmDialog(Dialog[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, lines: list[str], yes: str = "yes") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="dialog-title")
            for line in self.lines:
                yield Label(literal(line))
            yield Label(literal(f"y: {self.yes}   n or Escape: no"), classes="dialog-hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
