"""Ask for a piece of text: one line (a reason) or several (a note, where a paste keeps every line)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal


class TextPrompt(Dialog[str | None]):
    """Dismisses with the text (stripped), or None when cancelled."""

    DEFAULT_CSS = """
    TextPrompt #prompt-area {
        height: 8;
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", show=False),
    ]

    def __init__(self, question: str, value: str = "", *, required: bool = False, multiline: bool = False) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.required = required
        self.multiline = multiline

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.question), classes="dialog-title")
            if self.multiline:
                from textual.widgets import TextArea  # a tenth of a second to import: only for a note

                yield TextArea(self.value, id="prompt-area", soft_wrap=True, show_line_numbers=False)
                yield Label("Ctrl+S to save, Escape to cancel", classes="dialog-hint")
            else:
                yield Input(self.value, id="prompt-input")
                yield Label("Enter to save, Escape to cancel", classes="dialog-hint")
            yield Label("", id="prompt-error", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one("#prompt-area" if self.multiline else "#prompt-input").focus()

    @on(Input.Submitted)
    def action_save(self) -> None:
        if self.multiline:
            from textual.widgets import TextArea

            value = self.query_one("#prompt-area", TextArea).text.strip()
        else:
            value = self.query_one("#prompt-input", Input).value.strip()
        if self.required and not value:
            error = self.query_one("#prompt-error", Label)
            error.update("Please give a short reason.")
            error.add_class("-shown")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
