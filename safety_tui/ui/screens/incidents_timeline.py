"""One incident's timeline: the record, every revision in order, evidence, actions, what is next.

Evidence: ``a`` attaches a file (the file picker; the core copies it in, or says why not),
``o`` opens the folder of the kept copies (or says where it is). A refusal of the core is shown by
the app's one error boundary, and nothing is recorded."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Header, Input, Label, Static

from safety_tui.incidents import report
from safety_tui.incidents.form import check_evidence_file
from safety_tui.incidents.guidance_words import NOT_LEGAL_ADVICE
from safety_tui.incidents.model import ActionKind
from safety_tui.incidents.prompts import is_done, prompts_for
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.incidents_base import IncidentScreen, routes_in_force
from safety_tui.ui.screens.incidents_evidence import evidence_lines, open_folder, pick_file
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
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


class IncidentTimelineScreen(IncidentScreen):
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
        timeline = self.query_one("#timeline", Static)
        timeline.update(literal(f"Incident {self.incident_id} cannot be shown (the message says why)."))
        with self.app.reporting_errors():
            timeline.update(literal("\n".join(self.timeline_lines())))

    def timeline_lines(self) -> list[str]:
        log = self.records
        incident = log.get(self.incident_id)
        lines = report.record_lines(incident, revisions_heading="Timeline (every entry as recorded; nothing is rewritten)")
        self.card = ""
        if incident.deleted_at is None:
            lines += ["", "Evidence files (a attaches one, o opens their folder):"]
            lines += [f"  {line}" for line in evidence_lines(incident, [], log.data_dir)]
            lines += ["", "What to do:"]
            for prompt in prompts_for(incident, log.incidents(), routes_in_force(self.app)):
                lines.append(f"  {'[done] ' if is_done(incident, prompt) else ''}{prompt.line()}")
                self.card = self.card or prompt.card
            if self.card:
                lines.append("  k opens the quick-reference card on abuse online.")
            lines += ["", NOT_LEGAL_ADVICE]
        return lines

    @reports_errors
    def _act(self, kind: ActionKind, reference: str = "") -> None:
        self.records.add_action(self.incident_id, self.recorder(), kind, reference=reference)
        self.notify(f"{kind.label}: recorded with today's date.", timeout=4)
        self.show()

    def action_council(self) -> None:
        self._act(ActionKind.COUNCIL)

    def action_police(self) -> None:
        def done(reference: str | None) -> None:
            if reference is not None:
                self._act(ActionKind.POLICE, reference.strip())

        self.app.push_screen(ReferencePrompt("Reported to the police. The crime reference, if you have it:"), done)

    @reports_errors
    def _export(self, person: bool) -> None:
        from safety_tui.common import paths
        from safety_tui.incidents.pack_file import write_pdf_pack

        written = write_pdf_pack(self.records, self.incident_id, person=person, prepared_by=self.recorder(),
                                 tz=self.app.tz, now=self.app.store.clock.now(), folder=paths.export_dir())
        self.notify(f"Evidence pack written to {written} (readable by you only).", timeout=8)

    def action_export(self) -> None:
        self._export(person=False)

    def action_export_person(self) -> None:
        self._export(person=True)

    def action_attach(self) -> None:
        def chosen(path: Path) -> None:
            with self.app.reporting_errors():  # the core's refusal, shown by the one error boundary
                check_evidence_file(path)  # a FIFO, a device or a folder is refused before it is opened
                incident = self.records.add_evidence(self.incident_id, self.recorder(), path)
                kept = incident.evidence[-1]
                self.notify(f"{kept.name} is kept as evidence (SHA-256 {kept.sha256[:12]}...).", timeout=6)
                self.show()

        pick_file(self.app, f"Attach a file to incident {self.incident_id} (it is copied; the original is left as it is)",
                  chosen)

    def action_open_folder(self) -> None:
        from safety_tui.incidents.evidence import evidence_folder

        with self.app.reporting_errors():  # created 0700 if missing; a link in its place is refused
            open_folder(evidence_folder(self.records.data_dir), self.notify)

    def action_card(self) -> None:
        if self.card:
            from safety_tui.ui.screens import visit_commands

            visit_commands.show_card(self.app, self.card)

    def action_amend(self) -> None:
        self.app.push_screen(IncidentFormScreen(self.incident_id))

    def action_back(self) -> None:
        self.app.pop_screen()
