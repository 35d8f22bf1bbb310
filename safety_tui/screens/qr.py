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
        with VerticalScroll(classes="qr-box"):
            yield Label("Scan with your phone's camera to send the message. Escape closes.", classes="hint")
            with Center():
                yield Static(literal(qr_text(self.payload)), id="qr")

    def action_dismiss_qr(self) -> None:
        self.dismiss(None)
