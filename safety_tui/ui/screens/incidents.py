"""Incidents: the list (filter by person, the pattern flag) and reports still to make.

Hooks for the app: ``open_incidents(app)`` and ``open_quick_capture(app)``. Today's line about the
log is counted in Today's own worker (``safety_tui.today.snapshot``, with ``incidents.tally``).
The list is read in a thread worker each time the screen is shown (what another window recorded
shows up then), as one :class:`~safety_tui.incidents.views.IncidentList`; the filter works on it in
memory, so a key typed in the filter never reads the log. A refusal of the core (a log edited by
hand, say) is shown by the app's one error boundary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static

from safety_tui.incidents.views import IncidentList, ListRow, read_list
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.incidents_base import IncidentScreen, LogInThread
from safety_tui.ui.widgets import fit_last_column, literal, literal_cell
from safety_tui.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from safety_tui.plans.model import Plan

ROWS_PER_FRAME = 25  # rows added to the list between two frames (each costs the UI thread about 0.3 ms)


def read_incident_list(job: LogInThread) -> tuple[IncidentList, list[str]]:
    """In the worker: the council's routes (with any problem in routes.yaml) and the list."""
    from safety_tui.incidents.routes import load_routes

    loaded = load_routes()
    return read_list(job.log, loaded.routes), [str(error) for error in loaded.errors]


def open_incidents(app: SafetyAppBase) -> None:
    app.push_screen(IncidentsScreen())


def open_quick_capture(app: SafetyAppBase) -> None:
    """Today's one key: what, when, who, then Ctrl+S."""
    from safety_tui.ui.screens.incidents_form import IncidentFormScreen

    app.push_screen(IncidentFormScreen())


def open_debrief_incident(app: SafetyAppBase, plan: Plan) -> None:
    """Check-in debrief, "Did anything worrying happen?" Yes: a new incident filled in from the plan,
    with the plan's own 'after' items shown above the form. The earlier incidents (whose people the
    plan's title may name) are read in a thread; the form opens once they are."""
    from safety_tui.common.errors import SafetyError
    from safety_tui.incidents.debrief import after_items, incident_form
    from safety_tui.incidents.log import IncidentLog
    from safety_tui.incidents.own_connection import own_connection

    notes = after_items(plan)
    store, now = app.store, app.clock.now()

    def show(prefill: dict[str, str]) -> None:
        from safety_tui.ui.screens.incidents_form import IncidentFormScreen

        app.push_screen(
            IncidentFormScreen(
                prefill=prefill,
                key=f"debrief-{plan.ref}",
                notes=["After this visit (your checklists):"] + notes if notes else None,
            )
        )

    def read() -> None:
        try:
            with own_connection(store) as own:
                earlier = IncidentLog.of(own).incidents()
        except SafetyError as error:  # shown by the one boundary; no form over a log that cannot be read
            app.call_from_thread(app.show_error, error)
            return
        app.call_from_thread(show, incident_form(plan, now, earlier))

    app.run_worker(read, thread=True, exclusive=True, group="debrief-incident", description="read earlier incidents")


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

    def __init__(self) -> None:
        super().__init__()
        self.view: IncidentList | None = None  # the list as last read (None until the first read lands)
        self.shown: tuple[int, ...] | None = None  # the ids on the table, in order
        self.routes_said = False  # a problem in routes.yaml is said once per screen

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="incidents-integrity")
            yield Static(literal("Reading the incident log..."), id="incidents-summary")
            yield Input(placeholder="/ filter by person", id="incidents-filter", compact=True)
            yield DataTable(id="incidents", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Happened", "Flag", "Who", "Category")
        banner = self.query_one("#incidents-integrity", Static)
        banner.display = False
        table.focus()

    def on_screen_resume(self) -> None:
        """Shown (first, or again after the timeline or the form): read the log again, in a thread."""
        self.read_log(read_incident_list, self.show_list)

    def show_list(self, read: tuple[IncidentList, list[str]]) -> None:
        """The worker's list on screen; the integrity line first: it is there even when an incident
        cannot be read (that refusal is then shown by the boundary)."""
        view, route_errors = read
        if route_errors and not self.routes_said:
            self.routes_said = True
            self.notify(f"routes.yaml: {route_errors[0]}", severity="warning", timeout=6)
        self.view = view
        banner = self.query_one("#incidents-integrity", Static)
        banner.update(literal(view.integrity))
        banner.display = bool(view.integrity)
        self.show_rows(again=True)  # the rows may have changed under the same ids (an amendment)
        if view.unreadable is not None:
            raise view.unreadable

    def show_rows(self, again: bool = False) -> None:
        """The rows matching the filter, from the list in memory; the table is filled again only when
        they change (or ``again``: a new read), keeping the highlighted incident."""
        if self.view is None:
            return
        wanted = self.query_one("#incidents-filter", Input).value
        rows = self.view.matching(wanted)
        self.query_one("#incidents-summary", Static).update(literal(self.view.summary(wanted)))
        ids = tuple(row.id for row in rows)
        if ids == self.shown and not again:
            return
        selected = self.selected_id()
        self.shown = ids
        self._fill(rows, selected)

    @work(exclusive=True, group="incident-rows", description="show the incident rows")
    async def _fill(self, rows: tuple[ListRow, ...], selected: int | None) -> None:
        """Put ``rows`` on the table a few at a time, the newest first: a DataTable measures every
        cell it is given, about 0.3 ms a row, so a thousand at once would freeze the screen for a
        third of a second. A newer fill (the filter changed) replaces this one."""
        table = self.query_one(DataTable)
        table.clear()
        for start in range(0, len(rows), ROWS_PER_FRAME):
            for row in rows[start : start + ROWS_PER_FRAME]:
                table.add_row(*self.cells(row), key=str(row.id))
                if row.id == selected:
                    table.move_cursor(row=table.row_count - 1)
            if start == 0:
                self.call_after_refresh(fit_last_column, table)
            await table.wait_for_refresh()  # this chunk measured and drawn: then the next
        self.call_after_refresh(fit_last_column, table)

    @staticmethod
    def cells(row: ListRow) -> list[object]:
        return [str(row.id), row.happened, row.flag, literal_cell(row.who), literal_cell(row.category)]

    @on(Input.Changed, "#incidents-filter")
    def _filter(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#incidents-filter")
    def _filtered(self) -> None:
        self.query_one(DataTable).focus()

    def selected_id(self) -> int | None:
        """The incident on the highlighted row (the rows are in ``shown``'s order)."""
        table = self.query_one(DataTable)
        if table.row_count == 0 or not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        from safety_tui.ui.screens.incidents_timeline import IncidentTimelineScreen

        incident_id = self.selected_id()
        if incident_id is not None:
            self.app.push_screen(IncidentTimelineScreen(incident_id))

    def action_new(self) -> None:
        from safety_tui.ui.screens.incidents_form import IncidentFormScreen

        self.app.push_screen(IncidentFormScreen())

    def action_filter(self) -> None:
        self.query_one("#incidents-filter", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#incidents-filter", Input).has_focus:
            self.query_one(DataTable).focus()
            return
        self.app.pop_screen()
