"""Record an incident: what, when, who first (quick capture), details after. Saves as you type.

Keyboard first: the cursor starts in "What happened" (several lines: Enter is a new
line); Tab moves on; Ctrl+S saves and shows what to do next; Ctrl+O attaches a file.
Where the cursor is shows without colour: a "›" beside the field's name, and a hint
line naming the keys that work there. Every keystroke is kept as a draft in the store, so
closing the window (or a kill -9) loses nothing: the form opens where it was.
The rules (times, people, control characters) live in the core
(:mod:`safety_tui.incidents.form`); a refusal is shown by the app's one error boundary, and the
form stays open with what was typed. Ctrl+S saves in a thread worker (evidence files are copied
then): the form says "Saving...", its fields wait, and a second Ctrl+S meanwhile is refused, so an
incident is never saved twice.
"""

from __future__ import annotations

from pathlib import Path

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Header, Input, Label, Select, Static, TextArea

from safety_tui.common.errors import SafetyError
from safety_tui.incidents.form import (
    DETAIL_FIELDS,
    SavedIncident,
    check_evidence_file,
    draft_key,
    form_values,
    save_with_prompts,
)
from safety_tui.incidents.guidance_words import NOT_LEGAL_ADVICE_SHORT
from safety_tui.incidents.model import CHANNEL_LABELS, Category, Incident
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.incidents_base import IncidentScreen, LogInThread
from safety_tui.ui.screens.incidents_evidence import NO_EVIDENCE, evidence_lines, pick_file
from safety_tui.ui.screens.incidents_fields import HINTS, LABELS, MARKER, PLACEHOLDERS
from safety_tui.ui.screens.incidents_saved import IncidentSavedScreen
from safety_tui.ui.widgets import literal, show_literal
from safety_tui.ui.widgets.footer import Footer


def save_in_thread(
    job: LogInThread, values: dict[str, str], *, tz: str, incident_id: int | None, draft: str, evidence: list[Path]
) -> SavedIncident:
    """In the worker: save (all of it or nothing), then read the rest of the log for the prompts."""
    from safety_tui.incidents.routes import load_routes

    return save_with_prompts(
        job.log,
        values,
        recorder=job.recorder(),
        tz=tz,
        now=job.store.clock.now(),
        routes=load_routes().routes,
        incident_id=incident_id,
        draft=draft,
        evidence=evidence,
    )


class IncidentFormScreen(IncidentScreen):
    """New incident (``incident_id=None``) or an amendment of one."""

    DEFAULT_CSS = """
    IncidentFormScreen Grid { grid-size: 2; grid-columns: 18 1fr; grid-rows: auto; grid-gutter: 1 0; height: auto; padding: 0 1; }
    IncidentFormScreen #what-row { height: 4; padding: 0 1; margin-bottom: 1; }
    IncidentFormScreen #what-row > Label { width: 18; }
    IncidentFormScreen #f-what { height: 4; width: 1fr; }
    IncidentFormScreen .field-name.-current { text-style: bold reverse; }
    IncidentFormScreen Input > .input--cursor { text-style: reverse; }
    IncidentFormScreen TextArea > .text-area--cursor { text-style: reverse; }
    IncidentFormScreen #category-help { color: $text-muted; margin: 0 1; height: auto; }
    IncidentFormScreen #incident-notes { color: $text-muted; margin: 0 1 1 1; height: auto; }
    IncidentFormScreen #evidence { margin: 0 1 1 1; height: auto; }
    IncidentFormScreen > VerticalScroll { height: 1fr; }
    IncidentFormScreen #field-hint { height: auto; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),  # not priority: keys typed before it reach the field first
        Binding("ctrl+o", "attach", "Attach a file"),
        Binding("escape", "close", "Close (kept as a draft)"),
    ]

    def __init__(
        self,
        incident_id: int | None = None,
        *,
        prefill: dict[str, str] | None = None,
        key: str | None = None,
        notes: list[str] | None = None,
    ):
        """``prefill`` (with its own draft ``key``) starts a new incident from a plan: the debrief.
        ``notes`` are shown above the fields (the plan's 'after' items)."""
        super().__init__()
        self.notes = notes or []
        self.incident_id = incident_id
        self.prefill = prefill
        self.key = key or draft_key(incident_id)
        self.pending: list[tuple[Path, int]] = []  # evidence files to copy in on save, with their sizes
        self.opened = False  # the form's values were read (a log that cannot be read closes the form)
        self.incident: Incident | None = None  # the incident amended, as read when the form opened
        self.focused_before: Widget | None = None  # the field the cursor was in when a save started
        self.recorded: SavedIncident | None = None  # saved: this form never saves (or keeps a draft) again
        self.draft_error = ""  # the last refusal to keep the draft, shown once, not at every key

    @reports_errors
    def initial(self) -> dict[str, str]:
        draft = self.records.draft(self.key)
        if draft is not None:
            files = draft.pop("evidence", [])
            for name in files if isinstance(files, list) else []:
                try:
                    self.pending.append((Path(str(name)), check_evidence_file(Path(str(name)))))
                except SafetyError:
                    pass  # gone or changed since: attach it again
            return {k: str(v) for k, v in draft.items()}
        if self.incident_id is not None:
            self.incident = self.records.get(self.incident_id)
            return form_values(self.incident)
        return dict(self.prefill) if self.prefill else {"when": "now"}

    def _field(self, name: str, value: str) -> ComposeResult:
        yield Label(LABELS[name], id=f"l-{name}", classes="field-name")
        if name == "what":
            yield TextArea(value, id="f-what", soft_wrap=True, show_line_numbers=False, compact=True)
        else:
            yield Input(value, placeholder=PLACEHOLDERS.get(name, ""), id=f"f-{name}", max_length=20_000, compact=True)

    def compose(self) -> ComposeResult:
        values = self.initial()
        self.opened = values is not None
        values = values or {}
        yield Header()
        title = "Record an incident" if self.incident_id is None else f"Amend incident {self.incident_id}"
        yield Label(f"{title}: what, when and who first; Ctrl+S saves. Tab for details.", classes="section-title")
        with VerticalScroll():
            if self.notes:
                yield Static(
                    literal("\n".join(self.notes[:1] + [f"• {n}" for n in self.notes[1:]])), id="incident-notes"
                )
            with Horizontal(id="what-row"):
                yield from self._field("what", values.get("what", ""))
            with Grid(id="incident-grid"):
                for name in ("when", "people"):
                    yield from self._field(name, values.get(name, ""))
                yield Label(LABELS["channel"], id="l-channel", classes="field-name")
                yield Select(
                    [(label, c.value) for c, label in CHANNEL_LABELS.items()],
                    id="f-channel",
                    value=values.get("channel") or "other",
                    allow_blank=False,
                    compact=True,
                )
                yield Label(LABELS["category"], id="l-category", classes="field-name")
                yield Select(
                    [(c.label, c.value) for c in Category],
                    id="f-category",
                    value=values.get("category") or "other",
                    allow_blank=False,
                    compact=True,
                )
            yield Static(id="category-help")
            yield Static(id="evidence")
            with Grid(id="incident-grid-2", classes="incident-details"):
                for name in DETAIL_FIELDS:
                    if name not in ("channel", "category"):
                        yield from self._field(name, values.get(name, ""))
        yield Static(id="field-hint")
        yield Footer()

    def on_mount(self) -> None:
        if not self.opened:  # the boundary said why; an empty form would hide what is stored
            self.dismiss(None)
            return
        self._explain()
        self._show_evidence()
        for field in self.query(Input).results():
            field.cursor_blink = False  # a cursor that is always there is easier to find
        what = self.query_one("#f-what", TextArea)
        what.cursor_blink = False
        if self.prefill:  # the debrief's "At the visit (...): ": carry on typing after it
            what.move_cursor(what.document.end)
        what.focus()

    @on(events.DescendantFocus)
    def _mark_focus(self, event: events.DescendantFocus) -> None:
        """The field the cursor is in gets "›" beside its name, and the hint names the keys that work there."""
        widget: Widget = event.widget
        field_widget = next((w for w in widget.ancestors_with_self if (w.id or "").startswith("f-")), widget)
        name = (field_widget.id or "").removeprefix("f-")
        for label in self.query(".field-name").results(Label):
            field = (label.id or "").removeprefix("l-")
            show_literal(label, f"{MARKER if field == name else '  '}{LABELS.get(field, field)}")
            label.set_class(field == name, "-current")
        if name not in LABELS:
            hint = "No field has the cursor: ↑/↓ scroll the form, Tab goes back to the fields."
        elif field_widget is not widget:  # inside a drop-down: its list is open
            hint = f"In the list for {LABELS[name]}: ↑/↓ choose, Enter takes it, Escape closes the list."
        else:
            kind = "text-area" if isinstance(widget, TextArea) else "select" if isinstance(widget, Select) else "input"
            hint = HINTS["people" if name == "people" else kind].format(field=LABELS[name])
        show_literal(self.query_one("#field-hint", Static), hint)

    def values(self) -> dict[str, str]:
        out = {w.id.removeprefix("f-"): w.value for w in self.query(Input) if w.id}
        out["what"] = self.query_one("#f-what", TextArea).text
        for select in self.query(Select):
            if select.id and isinstance(select.value, str):
                out[select.id.removeprefix("f-")] = select.value
        return out

    def _explain(self) -> None:
        value = self.query_one("#f-category", Select).value
        category = Category(value) if isinstance(value, str) else Category.OTHER
        self.query_one("#category-help", Static).update(
            Content.from_markup(
                "$text (guidance $section)\n$caveat",
                text=category.explanation,
                section=category.section,
                caveat=NOT_LEGAL_ADVICE_SHORT,
            )
        )

    @reports_errors
    def _show_evidence(self) -> None:
        if self.incident_id is not None and self.incident is None:  # opened from a draft
            self.incident = self.records.get(self.incident_id)
        found = evidence_lines(self.incident, self.pending, self.app.store.path.parent)
        if found == [NO_EVIDENCE]:
            lines = ["Evidence: none yet (Ctrl+O attaches a screenshot, letter or recording)."]
        else:
            lines = ["Evidence (Ctrl+O attaches another):"] + found
        self.query_one("#evidence", Static).update(literal("\n".join(lines)))

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _keep(self, event: Input.Changed | Select.Changed | TextArea.Changed) -> None:
        """Saved as you type: the draft, never a chained entry."""
        if not self.opened or self.recorded is not None:  # closing: its values are no draft
            return
        if isinstance(event, Select.Changed) and event.select.id == "f-category":
            self._explain()
        self._keep_draft()

    def _keep_draft(self) -> bool:
        """Keep what is typed; a refusal (a full disk) is shown by the boundary once, not at every key."""
        try:
            self.records.save_draft(self.key, {**self.values(), "evidence": [str(p) for p, _ in self.pending]})
        except SafetyError as error:
            if str(error) != self.draft_error:
                self.draft_error = str(error)
                self.app.show_error(error)
            return False
        self.draft_error = ""
        return True

    def flush(self) -> bool:
        """On quitting: what is typed is kept as the draft (while saving, it is: the fields wait)."""
        return not self.opened or bool(self.writing) or self.recorded is not None or self._keep_draft()

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def action_attach(self) -> None:
        if self.writing:
            self.notify(f"{self.writing}: wait until it is done.", severity="warning", timeout=4)
            return

        def chosen(path: Path) -> None:
            with self.app.reporting_errors():  # the core's refusal, shown by the one error boundary
                size = check_evidence_file(path)
                if all(p != path for p, _ in self.pending):
                    self.pending.append((path, size))
                self._show_evidence()
                self._keep_draft()
                self.notify(f"{path.name} will be copied in as evidence when you save.", timeout=4)

        pick_file(self.app, "Attach a file as evidence (a copy is kept; the original is left alone)", chosen)

    def action_save(self) -> None:
        """All of it or nothing, in a thread: a refusal leaves the form open with what was typed, nothing
        recorded; a second Ctrl+S while the first is in flight is refused."""
        if self.recorded is not None:  # saved already; the form closes once it is in front again
            return
        values, pending = self.values(), [path for path, _ in self.pending]
        incident_id, key, tz = self.incident_id, self.key, self.app.tz
        self.write_log(
            "Saving",
            lambda job: save_in_thread(job, values, tz=tz, incident_id=incident_id, draft=key, evidence=pending),
            self.saved,
        )

    def saved(self, saved: SavedIncident) -> None:
        """Recorded: the form closes whatever follows, so it is never saved twice (if something was
        opened over it meanwhile, the palette say, it closes as soon as it is in front again)."""
        self.recorded = saved
        for problem in saved.problems:
            self.app.show_error(problem)
        if self.app.screen is self:
            self.close_saved()

    def on_screen_resume(self) -> None:
        if self.recorded is not None:
            self.close_saved()

    def close_saved(self) -> None:
        assert self.recorded is not None
        self.dismiss(None)
        self.app.push_screen(IncidentSavedScreen(self.recorded.incident, self.recorded.prompts))

    def set_writing(self, busy: str) -> None:
        """While saving the fields wait (nothing typed then could be lost) and the hint says so."""
        super().set_writing(busy)
        form = self.query_one(VerticalScroll)
        if busy:
            self.focused_before = self.focused
            self.query_one("#field-hint", Static).update(literal(f"{busy}... (Ctrl+S again does nothing meanwhile)"))
            form.disabled = True
            return
        form.disabled = False
        self.query_one("#field-hint", Static).update("")
        if self.focused_before is not None and self.focused_before.is_attached:
            self.focused_before.focus()

    def action_close(self) -> None:
        """Escape closes (not while saving): a draft that cannot be discarded is said by the boundary (and kept)."""
        if self.writing:
            self.notify(f"{self.writing}: wait until it is done.", severity="warning", timeout=4)
            return
        if self.pending or any(v.strip() for k, v in self.values().items() if k not in ("when", "channel", "category")):
            self.notify("Kept as a draft: it opens again where you left it.", timeout=4)
        else:
            with self.app.reporting_errors():
                self.records.discard_draft(self.key)
        self.dismiss(None)
