"""A short card of advice to read: the plan's briefing, a quick-reference card. Escape closes it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label

from safety_tui.checklists.compose import BriefingGroup
from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.bullets import BulletText


class ReadingDialog(Dialog[None]):
    """A title and text shown literally (the text comes from checklist files), scrollable."""

    DEFAULT_CSS = """
    ReadingDialog .reading-text {
        height: auto;
    }
    ReadingDialog VerticalScroll {
        height: auto;
        max-height: 100%;
    }
    """
    BINDINGS = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, title: str, text: str, hint: str = "Escape closes; the arrow keys scroll.") -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.hint = hint

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="reading"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield Label(literal(self.hint), classes="dialog-hint")
            yield BulletText(self.text, classes="reading-text")

    def on_mount(self) -> None:
        self.query_one("#reading", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def briefing_card(groups: Sequence[BriefingGroup]) -> str:
    """The briefing as a short card: each group's title, then its advice, one line each."""
    out: list[str] = []
    for group in groups:
        out += ([""] if out else []) + [group.title] + [f"  • {entry.text}" for entry in group.items]
    return "\n".join(out) if out else "This plan's checklists have no advice for during the visit."
