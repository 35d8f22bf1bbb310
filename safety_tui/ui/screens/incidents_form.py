"""Record an incident: what, when, who first (quick capture), details after. Saves as you type.

Keyboard first: the cursor starts in "What happened"; Tab moves on; Ctrl+S saves
and shows what to do next. Every keystroke is kept as a draft in the store, so
closing the window (or a kill -9) loses nothing: the form opens where it was.
The rules (times, people, control characters) live in the core
(:mod:`safety_tui.incidents.form`); this screen shows their messages.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Label, Select, Static

from safety_tui.common.errors import SafetyError
from safety_tui.incidents.form import DETAIL_FIELDS, draft_key, form_values, save_form
from safety_tui.incidents.log import IncidentLog, default_recorder
from safety_tui.incidents.model import CATEGORY_INFO, CHANNEL_LABELS, Category, Incident
from safety_tui.incidents.prompts import Prompt, prompts_for
from safety_tui.store import Store
from safety_tui.ui.widgets import literal

LABELS = {
    "what": "What happened", "when": "When", "people": "Who (; between)", "where": "Where",
    "exact_words": "Exact words", "witnesses": "Witnesses", "effect": "Effect on you", "platform": "Platform",
    "link": "Link", "description": "Description", "vehicle": "Vehicle", "plate": "Plate",
    "calling_number": "Calling number", "plan": "Plan",
}
PLACEHOLDERS = {
    "what": "in a few words", "when": "now, 14:30, yesterday 18:00, 2h ago", "people": "a name, or a description",
    "exact_words": "what they said or wrote, word for word", "calling_number": "include unanswered calls",
}


def app_store(app: Any) -> Store:
    """The app's open store (the incident screens are only offered when it opened)."""
    store: Store | None = app.store
    if store is None:
        raise SafetyError("the store is not open")
    return store


def incident_log(app: Any) -> IncidentLog:
    return IncidentLog.of(app_store(app))


def load_routes_quietly(app: Any) -> Any:
    from safety_tui.incidents.routes import load_routes

    loaded = load_routes()
    if loaded.errors:
        app.notify(f"routes.yaml: {loaded.errors[0]}", severity="warning", timeout=6)
    return loaded.routes


class IncidentFormScreen(Screen[int | None]):
    """New incident (``incident_id=None``) or an amendment of one."""

    DEFAULT_CSS = """
    IncidentFormScreen Grid { grid-size: 2; grid-columns: 18 1fr; grid-rows: 1; grid-gutter: 1 0; height: auto; padding: 0 1; }
    IncidentFormScreen #incident-error { color: $error; margin: 0 1; height: auto; }
    IncidentFormScreen #category-help { color: $text-muted; margin: 0 1; height: auto; }
    IncidentFormScreen #incident-notes { color: $text-muted; margin: 0 1 1 1; height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),  # not priority: keys typed before it reach the field first
        Binding("escape", "close", "Close (kept as a draft)"),
    ]

    def __init__(self, incident_id: int | None = None, *, prefill: dict[str, str] | None = None, key: str | None = None,
                 notes: list[str] | None = None):
        """``prefill`` (with its own draft ``key``) starts a new incident from a plan: the debrief.
        ``notes`` are shown above the fields (the plan's 'after' items)."""
        super().__init__()
        self.notes = notes or []
        self.incident_id = incident_id
        self.prefill = prefill
        self.key = key or draft_key(incident_id)

    @property
    def records(self) -> IncidentLog:
        return incident_log(self.app)

    def initial(self) -> dict[str, str]:
        draft = self.records.draft(self.key)
        if draft is not None:
            return {k: str(v) for k, v in draft.items()}
        if self.incident_id is not None:
            return form_values(self.records.get(self.incident_id))
        return dict(self.prefill) if self.prefill else {"when": "now"}

    def compose(self) -> ComposeResult:
        values = self.initial()
        yield Header()
        title = "Record an incident" if self.incident_id is None else f"Amend incident {self.incident_id}"
        yield Label(f"{title}: what, when and who first; Ctrl+S saves. Tab for details.", classes="section-title")
        yield Static(id="incident-error")
        with VerticalScroll():
            if self.notes:
                yield Static(literal("\n".join(self.notes[:1] + [f"• {n}" for n in self.notes[1:]])), id="incident-notes")
            with Grid(id="incident-grid"):
                for name in ("what", "when", "people"):
                    yield Label(LABELS[name])
                    yield Input(values.get(name, ""), placeholder=PLACEHOLDERS.get(name, ""), id=f"f-{name}", max_length=20_000, compact=True)
                yield Label("Channel")
                yield Select([(label, c.value) for c, label in CHANNEL_LABELS.items()], id="f-channel",
                             value=values.get("channel") or "other", allow_blank=False, compact=True)
                yield Label("Category")
                yield Select([(info[0], c.value) for c, info in CATEGORY_INFO.items()], id="f-category",
                             value=values.get("category") or "other", allow_blank=False, compact=True)
            yield Static(id="category-help")
            with Grid(id="incident-grid-2", classes="incident-details"):
                for name in DETAIL_FIELDS:
                    if name in ("channel", "category"):
                        continue
                    yield Label(LABELS[name])
                    yield Input(values.get(name, ""), placeholder=PLACEHOLDERS.get(name, ""), id=f"f-{name}", max_length=20_000, compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._explain()
        what = self.query_one("#f-what", Input)
        if self.prefill:  # the debrief's "At the visit (...): ": carry on typing after it
            what.select_on_focus = False
            what.cursor_position = len(what.value)
        what.focus()

    def values(self) -> dict[str, str]:
        out = {w.id.removeprefix("f-"): w.value for w in self.query(Input) if w.id}
        for select in self.query(Select):
            if select.id and isinstance(select.value, str):
                out[select.id.removeprefix("f-")] = select.value
        return out

    def _explain(self) -> None:
        value = self.query_one("#f-category", Select).value
        category = Category(value) if isinstance(value, str) else Category.OTHER
        self.query_one("#category-help", Static).update(
            Content.from_markup("$text (guidance $section)", text=category.explanation, section=category.section)
        )

    @on(Input.Changed)
    @on(Select.Changed)
    def _keep(self, event: Input.Changed | Select.Changed) -> None:
        """Saved as you type: the draft, never a chained entry."""
        if isinstance(event, Select.Changed) and event.select.id == "f-category":
            self._explain()
        try:
            self.records.save_draft(self.key, self.values())
        except SafetyError as exc:
            self.query_one("#incident-error", Static).update(literal(str(exc)))

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        store = app_store(self.app)
        try:
            incident = save_form(
                self.records, self.values(), recorder=default_recorder(store), tz=str(getattr(self.app, "tz", "UTC")),
                now=store.clock.now(), incident_id=self.incident_id, draft=self.key,
            )
        except SafetyError as exc:
            self.query_one("#incident-error", Static).update(literal(str(exc)))
            return
        prompts = prompts_for(incident, self.records.incidents(), load_routes_quietly(self.app))
        self.dismiss(incident.id)
        self.app.push_screen(IncidentSavedScreen(incident, prompts))

    def action_close(self) -> None:
        if any(v.strip() for k, v in self.values().items() if k not in ("when", "channel", "category")):
            self.notify("Kept as a draft: it opens again where you left it.", timeout=4)
        else:
            self.records.discard_draft(self.key)
        self.dismiss(None)


class IncidentSavedScreen(ModalScreen[None]):
    """What to do next, in plain words with the guidance section."""

    DEFAULT_CSS = """
    IncidentSavedScreen { align: center middle; }
    IncidentSavedScreen > Vertical { width: 76; height: auto; max-height: 22; border: thick $accent; background: $surface; padding: 0 1; }
    IncidentSavedScreen VerticalScroll { height: auto; max-height: 16; }
    IncidentSavedScreen .prompt { margin: 1 0 0 0; }
    """
    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "close", "Close")]

    def __init__(self, incident: Incident, prompts: list[Prompt]):
        super().__init__()
        self.incident = incident
        self.prompts = prompts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Incident {self.incident.id} saved. What to do next:", classes="section-title")
            with VerticalScroll():
                for prompt in self.prompts:
                    yield Static(literal("• " + prompt.line()), classes="prompt")
            yield Label("Reports not yet made stay on Today as to-dos. Enter closes.", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
