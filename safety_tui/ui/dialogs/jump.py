"""Jump to any item of the walk."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from safety_tui.checklists.vocabulary import ANSWER_LABELS
from safety_tui.plans.model import ItemAnswer
from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal


@dataclass(frozen=True)
class JumpEntry:
    key: str
    checklist_title: str
    text: str
    answer: ItemAnswer | None


class JumpDialog(Dialog[str | None]):
    """Dismisses with the chosen item's answer key, or None."""

    DEFAULT_CSS = """
    JumpDialog .dialog {
        width: 100;
        height: 80%;
    }
    JumpDialog #jump-list {
        height: 1fr;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, entries: list[JumpEntry], position: int) -> None:
        super().__init__()
        self.entries = entries
        self.position = position

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Jump to an item (Enter), Escape to cancel", classes="dialog-title")
            options = []
            for entry in self.entries:
                mark = f"[{ANSWER_LABELS[entry.answer.value]}]" if entry.answer else "[ ]"
                options.append(Option(literal(f"{mark:<16} {entry.checklist_title}: {entry.text}"), id=entry.key))
            yield OptionList(*options, id="jump-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.entries:
            options.highlighted = min(self.position, len(self.entries) - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
