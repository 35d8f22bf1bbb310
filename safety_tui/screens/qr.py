"""The buddy message as a QR code: scan it with a phone to send the text."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from safety_tui.export import qr_text
from safety_tui.widgets import literal


class QrScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "dismiss_qr", "Close")]

    def __init__(self, payload: str):
        super().__init__()
        self.payload = payload

    def compose(self) -> ComposeResult:
        self.code = qr_text(self.payload)
        with VerticalScroll(classes="qr-box"):
            yield Label("Scan with your phone's camera to send the message. Escape closes.", classes="hint")
            yield Label("", id="qr-too-small", classes="error")
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
                "Enlarge the window or make the font smaller, or use c to copy the message instead."
            )
            warning.display = True
        else:
            warning.display = False

    def action_dismiss_qr(self) -> None:
        self.dismiss(None)
