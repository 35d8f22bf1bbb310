"""Choose one of a short list (a card, a review, a plan to repeat): Enter picks, Escape cancels."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList

from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.marked import MarkedOptionList


class ChooseDialog(Dialog[str | None]):
    """Dismisses with the chosen entry's id, or None. ``entries`` are (id, label) pairs."""

    DEFAULT_CSS = """
    ChooseDialog #choices {
        height: auto;
        max-height: 16;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, entries: list[tuple[str, str]], hint: str = "Enter picks, Escape cancels.") -> None:
        super().__init__()
        self.title_text = title
        self.entries = entries
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield MarkedOptionList(self.entries, id="choices")
            yield Label(literal(self.hint), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
