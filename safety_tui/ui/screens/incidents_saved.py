"""After an incident is saved: what to do next, in plain words with the guidance section.

The prompts are the core's (:func:`safety_tui.incidents.prompts.prompts_for`); ``o`` opens the
quick-reference card one of them points to.
"""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from safety_tui.incidents.guidance_words import NOT_LEGAL_ADVICE
from safety_tui.incidents.model import Incident
from safety_tui.incidents.prompts import Prompt
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.styled_once import StyledOnce


class IncidentSavedScreen(StyledOnce, ModalScreen[None]):
    """What to do next, in plain words with the guidance section."""

    app = getters.app(SafetyAppBase)

    DEFAULT_CSS = """
    IncidentSavedScreen { align: center middle; }
    IncidentSavedScreen > Vertical { width: 76; height: auto; max-height: 95%; border: thick $accent; background: $surface; padding: 0 1; }
    IncidentSavedScreen VerticalScroll { height: auto; max-height: 70vh; }
    IncidentSavedScreen .prompt { margin: 1 0 0 0; }
    IncidentSavedScreen .hint { width: 100%; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close"),
        Binding("o", "card", "Card", show=False),
    ]

    def __init__(self, incident: Incident, prompts: list[Prompt]):
        super().__init__()
        self.incident = incident
        self.prompts = prompts
        self.card = next((p.card for p in prompts if p.card), "")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Incident {self.incident.id} saved. What to do next:", classes="section-title")
            with VerticalScroll():
                for prompt in self.prompts:
                    yield Static(literal("• " + prompt.line()), classes="prompt")
                yield Static(literal(NOT_LEGAL_ADVICE), classes="prompt hint")
            card = " o opens the quick-reference card on abuse online." if self.card else ""
            yield Label(f"Reports not yet made stay on Today.{card} ↑/↓ scroll; Enter closes.", classes="hint")

    def action_card(self) -> None:
        if self.card:
            from safety_tui.ui.screens import visit_commands

            visit_commands.show_card(self.app, self.card)

    def action_close(self) -> None:
        self.dismiss(None)
