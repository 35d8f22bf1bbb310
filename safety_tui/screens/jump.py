"""Jump to any item of the walk."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from safety_tui.plan import ANSWER_LABELS, ItemAnswer
from safety_tui.text import printable


class JumpScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, entries: list[tuple[str, str, str, ItemAnswer | None]], position: int):
        super().__init__()
        self.entries = entries
        self.position = position

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Jump to an item (Enter), Escape to cancel", classes="question")
            options = []
            for key, checklist_title, text, answer in self.entries:
                mark = f"[{ANSWER_LABELS[answer.value]}]" if answer else "[ ]"
                options.append(Option(Content(printable(f"{mark:<16} {checklist_title}: {text}")), id=key))
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
