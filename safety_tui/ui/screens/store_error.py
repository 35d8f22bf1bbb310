"""Shown instead of Today when the store cannot be used: says what to do, writes nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Label, Static

from safety_tui.ui.screens.base import SafetyScreen
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.footer import Footer


class StoreErrorScreen(SafetyScreen):
    DEFAULT_CSS = """
    StoreErrorScreen #store-error {
        padding: 1 2;
    }
    """
    BINDINGS = [Binding("l", "app.checklists", "Checklists"), Binding("q", "app.quit", "Quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="store-error"):
            yield Label("Your plans cannot be opened", classes="section-title")
            yield Static(literal(self.message), id="store-error-text", classes="error-box")
            yield Static(
                "Nothing has been changed or deleted. You can still read the checklists (l). "
                "Fix the problem above, then start safety-tui again.",
                classes="hint",
            )
        yield Footer()
