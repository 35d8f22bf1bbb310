"""The check-in debrief: one question at a time, one key each; Enter skips, Escape skips the rest.

Answers with ``dismiss({question key: value})`` (skipped questions are left out). The
questions and their choices come from the core (``safety_tui.incidents.debrief``).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from safety_tui.incidents.debrief import Question
from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal


class DebriefDialog(Dialog[dict[str, str]]):
    BINDINGS = [
        Binding("enter", "skip", "Skip"),
        Binding("escape", "done", "Skip the rest"),
    ]

    def __init__(self, title: str, questions: list[Question]) -> None:
        super().__init__()
        self.title_text = title
        self.questions = questions
        self.index = 0
        self.answers: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield Label(id="debrief-question")
            yield Label(id="debrief-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_question()

    def show_question(self) -> None:
        question = self.questions[self.index]
        self.query_one("#debrief-question", Label).update(
            literal(f"{self.index + 1} of {len(self.questions)}: {question.text}")
        )
        self.query_one("#debrief-hint", Label).update(literal(question.hint() + "   Escape: skip the rest"))

    def on_key(self, event: events.Key) -> None:
        if event.character is None or event.key in ("enter", "escape"):
            return
        value = self.questions[self.index].value_for(event.character)
        if value is not None:
            event.stop()
            self.answers[self.questions[self.index].key] = value
            self.next_question()

    def action_skip(self) -> None:
        self.next_question()

    def next_question(self) -> None:
        self.index += 1
        if self.index >= len(self.questions):
            self.dismiss(self.answers)
        else:
            self.show_question()

    def action_done(self) -> None:
        self.dismiss(self.answers)


class SupportDialog(Dialog[None]):
    """Who can help (guidance 1.4.1): the routes the council set. Enter or Escape closes."""

    BINDINGS = [Binding("enter,escape", "close", "Close")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Support is there for you", classes="dialog-title")
            for line in self.lines:
                yield Label(literal(f"• {line}"))
            yield Label("Enter closes. safety-tui routes lists them again.", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
