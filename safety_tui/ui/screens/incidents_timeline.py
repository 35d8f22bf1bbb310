"""One incident's timeline: the record, every revision in order, evidence, actions, what is next.

Evidence: ``a`` attaches a file (the file picker; the core copies it in, or says why not),
``o`` opens the folder of the kept copies (or says where it is). The incident is read in a thread
worker each time the screen is shown; an action, an evidence copy and the evidence pack are written
in one too, one at a time (the screen says what is in flight, and a second is refused meanwhile).
A refusal of the core is shown by the app's one error boundary, and nothing is recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Header, Input, Label, Static

from safety_tui.incidents import wording
from safety_tui.incidents.form import check_evidence_file
from safety_tui.incidents.guidance_words import NOT_LEGAL_ADVICE
from safety_tui.incidents.model import ActionKind, Incident
from safety_tui.incidents.views import Timeline, read_timeline
from safety_tui.ui.screens.incidents_base import IncidentScreen, LogInThread
from safety_tui.ui.screens.incidents_evidence import evidence_lines, open_folder, pick_file
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.footer import Footer
from safety_tui.ui.widgets.styled_once import StyledOnce


class ReferencePrompt(StyledOnce, ModalScreen[str | None]):
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


def read_incident_timeline(incident_id: int) -> Callable[[LogInThread], Timeline]:
    def job(job: LogInThread) -> Timeline:
        """In the worker: the incident, the rest of the log for its prompts, the council's routes."""
        from safety_tui.incidents.routes import load_routes

        return read_timeline(job.log, incident_id, load_routes().routes)

    return job


def timeline_lines(timeline: Timeline) -> list[str]:
    incident = timeline.incident
    lines = wording.record_lines(incident, revisions_heading="Timeline (every entry as recorded; nothing is rewritten)")
    if incident.deleted_at is None:
        lines += ["", "Evidence files (a attaches one, o opens their folder):"]
        lines += [f"  {line}" for line in evidence_lines(incident, [], timeline.data_dir)]
        lines += ["", "What to do:"]
        lines += [f"  {'[done] ' if done else ''}{prompt.line()}" for prompt, done in timeline.prompts]
        if timeline.card:
            lines.append("  k opens the quick-reference card on abuse online.")
        lines += ["", NOT_LEGAL_ADVICE]
    return lines


class IncidentTimelineScreen(IncidentScreen):
    DEFAULT_CSS = """
    IncidentTimelineScreen #timeline { padding: 0 1; height: auto; }
    IncidentTimelineScreen #timeline-busy { padding: 0 1; height: auto; text-style: bold; }
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
        self.timeline: Timeline | None = None  # as last read

    @property
    def card(self) -> str:
        """The quick-reference card a prompt points to, if any."""
        return self.timeline.card if self.timeline is not None else ""

    def compose(self) -> ComposeResult:
        yield Header()
        busy = Static(id="timeline-busy")
        busy.display = False
        yield busy
        with VerticalScroll():
            yield Static(literal(f"Reading incident {self.incident_id}..."), id="timeline")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.show()

    def show(self) -> None:
        """Read the incident again, in a thread; until it lands the screen shows what it showed."""

        def failed() -> None:
            self.query_one("#timeline", Static).update(
                literal(f"Incident {self.incident_id} cannot be shown (the message says why).")
            )

        self.read_log(read_incident_timeline(self.incident_id), self.show_timeline, failed)

    def show_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.query_one("#timeline", Static).update(literal("\n".join(timeline_lines(timeline))))

    def set_writing(self, busy: str) -> None:
        super().set_writing(busy)
        line = self.query_one("#timeline-busy", Static)
        line.update(literal(f"{busy}... (one thing at a time: wait until it is done)" if busy else ""))
        line.display = bool(busy)

    def recorded(self, incident: Incident, said: str) -> None:
        self.notify(said, timeout=6)
        self.show()

    def _act(self, kind: ActionKind, reference: str = "") -> None:
        incident_id = self.incident_id
        self.write_log(
            f"Recording {kind.label.lower()}",
            lambda job: job.log.add_action(incident_id, job.recorder(), kind, reference=reference),
            lambda incident: self.recorded(incident, f"{kind.label}: recorded with today's date."),
        )

    def action_council(self) -> None:
        self._act(ActionKind.COUNCIL)

    def action_police(self) -> None:
        def done(reference: str | None) -> None:
            if reference is not None:
                self._act(ActionKind.POLICE, reference.strip())

        self.app.push_screen(ReferencePrompt("Reported to the police. The crime reference, if you have it:"), done)

    def _export(self, person: bool) -> None:
        from safety_tui.common import paths
        from safety_tui.incidents.pack_file import write_pdf_pack

        incident_id, tz, now = self.incident_id, self.app.tz, self.app.store.clock.now()

        def job(job: LogInThread) -> Path:
            return write_pdf_pack(
                job.log,
                incident_id,
                person=person,
                prepared_by=job.recorder(),
                tz=tz,
                now=now,
                folder=paths.export_dir(),
            )

        self.write_log(
            "Writing the evidence pack",
            job,
            lambda written: self.notify(f"Evidence pack written to {written} (readable by you only).", timeout=8),
        )

    def action_export(self) -> None:
        self._export(person=False)

    def action_export_person(self) -> None:
        self._export(person=True)

    def action_attach(self) -> None:
        incident_id = self.incident_id

        def kept(incident: Incident) -> None:
            item = incident.evidence[-1]
            self.recorded(incident, f"{item.name} is kept as evidence (SHA-256 {item.sha256[:12]}...).")

        def chosen(path: Path) -> None:
            with self.app.reporting_errors():  # the core's refusal, shown by the one error boundary
                check_evidence_file(path)  # a FIFO, a device or a folder is refused before it is opened
                self.write_log(
                    "Copying the evidence file",
                    lambda job: job.log.add_evidence(incident_id, job.recorder(), path),
                    kept,
                )

        pick_file(
            self.app,
            f"Attach a file to incident {self.incident_id} (it is copied; the original is left as it is)",
            chosen,
        )

    def action_open_folder(self) -> None:
        from safety_tui.incidents.evidence import evidence_folder

        with self.app.reporting_errors():  # created 0700 if missing; a link in its place is refused
            open_folder(evidence_folder(self.app.store.path.parent), self.notify)

    def action_card(self) -> None:
        if self.card:
            from safety_tui.ui.screens import visit_commands

            visit_commands.show_card(self.app, self.card)

    def action_amend(self) -> None:
        from safety_tui.ui.screens.incidents_form import IncidentFormScreen

        self.app.push_screen(IncidentFormScreen(self.incident_id))

    def action_back(self) -> None:
        if self.writing:  # its result (where the pack went, say) is shown here
            self.notify(f"{self.writing}: wait until it is done.", severity="warning", timeout=4)
            return
        self.app.pop_screen()
