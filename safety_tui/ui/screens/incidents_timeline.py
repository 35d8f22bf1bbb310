"""One incident's timeline: the record, every revision in order, evidence, actions, what is next.

Evidence: ``a`` attaches a file (the file picker; the core copies it in, or says why not),
``o`` opens the folder of the kept copies (or says where it is)."""

from __future__ import annotations

from pathlib import Path

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Label, Static

from safety_tui.common.errors import SafetyError
from safety_tui.incidents import report
from safety_tui.incidents.form import check_evidence_file
from safety_tui.incidents.model import NOT_LEGAL_ADVICE, ActionKind
from safety_tui.incidents.prompts import is_done, prompts_for
from safety_tui.incidents.validate import default_recorder
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.incidents_evidence import evidence_lines, open_folder, pick_file
from safety_tui.ui.screens.incidents_form import IncidentFormScreen, app_store, incident_log, load_routes_quietly
from safety_tui.ui.widgets import literal


class ReferencePrompt(ModalScreen[str | None]):
    """Ask for a crime or platform reference (may be left empty)."""

    DEFAULT_CSS = """
    ReferencePrompt > Vertical { width: 60; height: auto; border: thick $accent; background: $surface; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.question))
            yield Input(id="reference")
            yield Label("Enter saves (empty is fine), Escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class IncidentTimelineScreen(Screen[None]):
    app = getters.app(SafetyAppBase)

    DEFAULT_CSS = """
    IncidentTimelineScreen #timeline { padding: 0 1; height: auto; }
    """
    BINDINGS = [
        Binding("e", "amend", "Amend"),
        Binding("a", "attach", "Attach evidence"),
        Binding("o", "open_folder", "Evidence folder"),
        Binding("k", "card", "Card", show=False),
        Binding("x", "export", "Evidence pack (PDF)"),
        Binding("X", "export_person", "Pack for the person", show=False),
        Binding("c", "council", "Reported to council"),
        Binding("p", "police", "Reported to police"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, incident_id: int):
        super().__init__()
        self.incident_id = incident_id
        self.card = ""  # the quick-reference card a prompt points to, if any

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def on_screen_resume(self) -> None:
        self.show()

    def show(self) -> None:
        log = incident_log(self.app)
        try:
            incident = log.get(self.incident_id)
        except SafetyError as exc:
            self.query_one("#timeline", Static).update(literal(str(exc)))
            return
        lines = report.record_lines(incident, revisions_heading="Timeline (every entry as recorded; nothing is rewritten)")
        self.card = ""
        if incident.deleted_at is None:
            lines += ["", "Evidence files (a attaches one, o opens their folder):"]
            lines += [f"  {line}" for line in evidence_lines(incident, [], self.app.store.path.parent)]
            lines += ["", "What to do:"]
            for prompt in prompts_for(incident, log.incidents(), load_routes_quietly(self.app)):
                lines.append(f"  {'[done] ' if is_done(incident, prompt) else ''}{prompt.line()}")
                self.card = self.card or prompt.card
            if self.card:
                lines.append("  k opens the quick-reference card on abuse online.")
            lines += ["", NOT_LEGAL_ADVICE]
        self.query_one("#timeline", Static).update(literal("\n".join(lines)))

    def _act(self, kind: ActionKind, reference: str = "") -> None:
        try:
            store = app_store(self.app)
            incident_log(self.app).add_action(self.incident_id, default_recorder(store), kind, reference=reference)
        except SafetyError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"{kind.label}: recorded with today's date.", timeout=4)
        self.show()

    def action_council(self) -> None:
        self._act(ActionKind.COUNCIL)

    def action_police(self) -> None:
        def done(reference: str | None) -> None:
            if reference is not None:
                self._act(ActionKind.POLICE, reference.strip())

        self.app.push_screen(ReferencePrompt("Reported to the police. The crime reference, if you have it:"), done)

    def _export(self, person: bool) -> None:
        from safety_tui.common import paths
        from safety_tui.incidents.pack import PackInfo, pdf_pack

        try:
            store = app_store(self.app)
            log = incident_log(self.app)
            incident = log.get(self.incident_id)
            if person and incident.people:
                who = incident.people[0]
                incidents, subject, name = log.incidents(person=who), who.label, f"incidents-person-{who.id}.pdf"
            else:
                incidents, subject, name = [incident], f"incident {incident.id}", f"incident-{incident.id}.pdf"
            info = PackInfo(subject=subject, prepared_by=default_recorder(store), generated_at=store.clock.now(),
                            tz=str(getattr(self.app, "tz", "UTC")), verification=log.verify())
            folder = paths.export_dir()
            folder.mkdir(parents=True, exist_ok=True)
            paths.write_private(folder / name, pdf_pack(incidents, info))
        except (SafetyError, OSError) as exc:
            self.notify(f"Could not write the evidence pack: {exc}", severity="error")
            return
        self.notify(f"Evidence pack written to {folder / name} (readable by you only).", timeout=8)

    def action_export(self) -> None:
        self._export(person=False)

    def action_export_person(self) -> None:
        self._export(person=True)

    def action_attach(self) -> None:
        def chosen(path: Path) -> None:
            with self.app.reporting_errors():  # the core's refusal, shown by the one error boundary
                log = incident_log(self.app)
                check_evidence_file(path)  # a FIFO, a device or a folder is refused before it is opened
                incident = log.add_evidence(self.incident_id, default_recorder(app_store(self.app)), path)
                kept = incident.evidence[-1]
                self.notify(f"{kept.name} is kept as evidence (SHA-256 {kept.sha256[:12]}...).", timeout=6)
                self.show()

        pick_file(self.app, f"Attach a file to incident {self.incident_id} (it is copied; the original is left as it is)",
                  chosen)

    def action_open_folder(self) -> None:
        from safety_tui.incidents.evidence import evidence_folder

        with self.app.reporting_errors():  # created 0700 if missing; a link in its place is refused
            open_folder(evidence_folder(self.app.store.path.parent), self.notify)

    def action_card(self) -> None:
        if self.card:
            from safety_tui.ui.screens import visit_commands

            visit_commands.show_card(self.app, self.card)

    def action_amend(self) -> None:
        self.app.push_screen(IncidentFormScreen(self.incident_id))

    def action_back(self) -> None:
        self.app.pop_screen()
