"""The contact's message as a QR code: scan it with a phone to send the text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.widgets import Label, Static

from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal


class QrDialog(Dialog[None]):
    """Shows a QR code drawn as text; says when the window is too small to show all of it."""

    DEFAULT_CSS = """
    QrDialog .qr-box {
        width: auto;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        background: $surface;
        padding: 0 1;
    }
    QrDialog #qr-too-small {
        color: $error;
        width: 100%;
    }
    QrDialog #qr {
        width: auto;
        color: white;
        background: black;
    }
    """
    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, code: str, hint: str = "Scan with your phone to send the message. Escape closes.") -> None:
        super().__init__()
        self.code = code
        self.hint = hint

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="qr-box"):
            yield Label(self.hint, classes="dialog-hint", markup=False)
            yield Label("", id="qr-too-small")
            with Center():
                yield Static(literal(self.code), id="qr")

    def on_mount(self) -> None:
        self._check_fits()

    def on_resize(self) -> None:
        self._check_fits()

    def _check_fits(self) -> None:
        """A code cut off by the window cannot be scanned: say so, and how big it needs to be."""
        lines = self.code.splitlines()
        need_rows, need_cols = len(lines) + 2, len(lines[0]) + 2
        size = self.app.size
        warning = self.query_one("#qr-too-small", Label)
        if size.height < need_rows or size.width < need_cols:
            warning.update(
                f"The window is {size.width}x{size.height}; the code needs {need_cols}x{need_rows}. "
                "Enlarge the window or make the font smaller, or press Escape and c to copy the message."
            )
            warning.display = True
        else:
            warning.display = False

    def action_close(self) -> None:
        self.dismiss(None)
