"""Incidents: the list (filter by person, the pattern flag) and reports still to make.

Hooks for the app: ``open_incidents(app)`` and ``open_quick_capture(app)``. Today's line about the
log is counted in Today's own worker (``safety_tui.today.snapshot``, with ``incidents.tally``).
A refusal of the core (a log edited by hand, say) is shown by the app's one error boundary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from safety_tui.incidents.model import Incident, normalise
from safety_tui.incidents.prompts import outstanding, pattern_line
from safety_tui.incidents.report import short_when
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.incidents_base import IncidentScreen, incident_log, routes_in_force
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
from safety_tui.ui.widgets import fit_last_column, literal, literal_cell

if TYPE_CHECKING:
    from safety_tui.plans.model import Plan


def open_incidents(app: SafetyAppBase) -> None:
    app.push_screen(IncidentsScreen())


def open_quick_capture(app: SafetyAppBase) -> None:
    """Today's one key: what, when, who, then Ctrl+S."""
    app.push_screen(IncidentFormScreen())


def open_debrief_incident(app: SafetyAppBase, plan: Plan) -> None:
    """Check-in debrief, "Did anything worrying happen?" Yes: a new incident filled in from the plan,
    with the plan's own 'after' items shown above the form."""
    from safety_tui.incidents.debrief import after_items, incident_form

    notes = after_items(plan)
    prefill = incident_form(plan, app.clock.now(), incident_log(app).incidents())
    app.push_screen(IncidentFormScreen(prefill=prefill, key=f"debrief-{plan.ref}",
                                       notes=["After this visit (your checklists):"] + notes if notes else None))


def review_risks(app: SafetyAppBase, plan: Plan) -> list[str]:
    """For Review's risks: earlier incidents at this plan's place or with its person (2.4.2)."""
    from safety_tui.incidents.visits import earlier_incidents

    found = earlier_incidents(incident_log(app).incidents(), location=plan.location or "", title=plan.title or "",
                              visit_type=plan.visit_type)
    return [note.line() for note in found]


class IncidentsScreen(IncidentScreen):
    DEFAULT_CSS = """
    IncidentsScreen #incidents-summary { height: auto; margin: 0 1; }
    IncidentsScreen #incidents-integrity { height: auto; margin: 0 1; color: $error; text-style: bold; }
    IncidentsScreen #incidents-filter { margin: 0 1; }
    IncidentsScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", "New incident"),
        Binding("enter", "open", "Timeline"),
        Binding("slash", "filter", "Filter by person"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="incidents-integrity")
            yield Static(id="incidents-summary")
            yield Input(placeholder="/ filter by person", id="incidents-filter", compact=True)
            yield DataTable(id="incidents", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.routes = routes_in_force(self.app)  # once: the filter refreshes on every key
        table = self.query_one(DataTable)
        table.add_columns("#", "Happened", "Flag", "Who", "Category")
        self.show_log()
        table.focus()

    def on_screen_resume(self) -> None:
        self.show_log()

    @reports_errors
    def show_log(self) -> None:
        """The integrity line first: it is there even when an incident cannot be read."""
        self.show_integrity()
        self.refresh_incidents()

    def show_integrity(self) -> None:
        """One line when the log fails its check (the chain, times, names: the core's words)."""
        from safety_tui.incidents.integrity import log_status

        line = log_status(self.records, files=False)[1]
        banner = self.query_one("#incidents-integrity", Static)
        banner.update(literal(line))
        banner.display = bool(line)

    def refresh_incidents(self) -> None:
        log = self.records
        people = log.people()
        pattern_ids = {s.person.id for s in people if s.pattern}
        wanted = normalise(self.query_one("#incidents-filter", Input).value)
        incidents = [i for i in log.incidents() if not wanted or any(wanted in p.key for p in i.people)]
        table = self.query_one(DataTable)
        table.clear()
        for incident in reversed(incidents):  # newest first on screen
            flag = "pattern" if any(p.id in pattern_ids for p in incident.people) else ""
            table.add_row(
                str(incident.id), short_when(incident.happened_at, incident.tz), flag, literal_cell(incident.who[:30]),
                literal_cell(incident.category.label), key=str(incident.id),
            )
        lines = [f"{len(incidents)} incident(s)" + (" with that person" if wanted else "") + ". n records one."]
        for summary in people:
            if summary.pattern:
                lines.append(f"Pattern: {pattern_line(summary.person.label, summary.counting)}.")
        todo = outstanding(log.incidents(), self.routes)
        if todo:
            ids = ", ".join(dict.fromkeys(str(i.id) for i, _ in todo))
            lines.append(f"To do: {len(todo)} report(s) not yet made, for incident(s) {ids}. Enter shows what.")
        self.query_one("#incidents-summary", Static).update(literal("\n".join(lines)))
        self.call_after_refresh(fit_last_column, table)

    @on(Input.Changed, "#incidents-filter")
    @reports_errors
    def _filter(self) -> None:
        self.refresh_incidents()

    @on(Input.Submitted, "#incidents-filter")
    def _filtered(self) -> None:
        self.query_one(DataTable).focus()

    def selected(self) -> Incident | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.records.get(int(key)) if key else None

    @on(DataTable.RowSelected)
    @reports_errors
    def action_open(self) -> None:
        from safety_tui.ui.screens.incidents_timeline import IncidentTimelineScreen

        incident = self.selected()
        if incident is not None:
            self.app.push_screen(IncidentTimelineScreen(incident.id))

    def action_new(self) -> None:
        self.app.push_screen(IncidentFormScreen())

    def action_filter(self) -> None:
        self.query_one("#incidents-filter", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#incidents-filter", Input).has_focus:
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()
