"""The start screen: the plan in progress with a live countdown, drafts, upcoming plans."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import DataTable, Header, Label, Static

from safety_tui.common.errors import ChecklistError, SafetyError
from safety_tui.plans.lifecycle import TRANSITIONS, Status
from safety_tui.store.rows import PlanSummary
from safety_tui.today.snapshot import COLUMNS, TodayReader, TodaySnapshot, banner, row_text
from safety_tui.ui.app_base import PlansChanged
from safety_tui.ui.screens.base import SafetyScreen, reports_errors
from safety_tui.ui.widgets import fit_last_column, literal_cell, show_literal
from safety_tui.ui.widgets.footer import Footer

if TYPE_CHECKING:
    from safety_tui.checklists.model import Checklist

# Today is the first paint, so it imports nothing that loads the plan model (pydantic):
# the screens and commands its keys open are imported when a key is pressed.

POLL_SECONDS = 5.0  # another window or the CLI may change plans: re-read this often (while shown)
COLUMN_KEYS = [key for _, key in COLUMNS]
# The footer offers I'm safe and Extend while a plan is in progress, Start while one can start.
RUNNING, STARTABLE = {Status.IN_PROGRESS}, {s for s, then in TRANSITIONS.items() if Status.IN_PROGRESS in then}
OFFERED_WITH = {"check_in": RUNNING, "extend": RUNNING, "start": STARTABLE}


def row_cells(cells: tuple[str, ...]) -> list[object]:
    """The row's cells for the table: the title (typed by a person) stays literal."""
    return [*cells[:-1], literal_cell(cells[-1])]


class TodayScreen(SafetyScreen):
    DEFAULT_CSS = """
    TodayScreen #today {
        height: 1fr;
    }
    TodayScreen .active {
        margin: 1 1 0 1;
        padding: 1 2;
        border: round $primary;
        height: auto;
    }
    TodayScreen .active.-running {
        border: round $success;
    }
    TodayScreen .active.-overdue {
        background: $error;
        color: $text;
        text-style: bold;
        border: heavy $error-lighten-2;
    }
    TodayScreen #reviews-due {
        margin: 0 2;
        color: $warning;
        display: none;
    }
    TodayScreen #after-visit {
        height: auto;
        margin: 0 1;
        color: $warning;
    }
    TodayScreen #plans {
        height: 1fr;
        margin: 0 1;
    }
    """
    BINDINGS = [
        Binding("n", "app.new_plan", "New plan"),
        Binding("enter", "open", "Open"),
        Binding("c", "check_in", "I'm safe"),
        Binding("e", "extend", "Extend"),
        Binding("s", "start", "Start"),
        Binding("h", "app.history", "History"),
        Binding("l", "app.checklists", "Checklists"),
        Binding("i", "app.quick_incident", "Incident"),
        Binding("I", "app.incidents", "Incidents", show=False),
        Binding("d,delete", "delete_draft", "Delete draft", show=False),
        Binding("P", "purge", "Purge old", show=False),
        Binding("b", "app.briefing_active", "Briefing", show=False),  # the key is in the README
        Binding("k", "app.cards", "Cards", show=False),
        Binding("r", "app.repeat_plan", "Repeat", show=False),
        Binding("q", "app.quick_plan", "Quick plan", show=False),
        Binding("v", "app.reviews", "Reviews", show=False),
    ]

    plans: reactive[list[PlanSummary]] = reactive(list, always_update=True, init=False, repaint=False)
    """The open plans as last read from the store: the banner and the list both show these."""

    @dataclass(repr=False)  # its repr goes to Textual's log: it carries plans and incidents
    class Refreshed(Message):
        """A worker read everything Today shows; the screen shows it (on the UI thread)."""

        snapshot: TodaySnapshot

    def __init__(self) -> None:
        super().__init__()
        self.reader: TodayReader | None = None
        self.shown: dict[str, tuple[str, ...]] = {}  # ref -> the row's text as shown
        self.timers: list[Timer] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="today"):
            yield Static(id="active", classes="active")
            yield Static(id="reviews-due", classes="hint")
            after_visit = Static(id="after-visit", classes="hint")
            after_visit.display = False  # shown only while something is outstanding
            yield after_visit
            yield Label("Plans (Enter to open or resume, d deletes a draft)", classes="section-title")
            yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
            yield Static(id="empty", classes="hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action not in OFFERED_WITH or any(plan.status in OFFERED_WITH[action] for plan in self.plans)

    def on_mount(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        for label, key in COLUMNS:
            table.add_column(label, key=key)
        self.reader = TodayReader(self.app.store, self.app.clock)
        # Both timers run only while Today is on screen (paused on suspend, resumed on resume).
        self.timers = [self.set_interval(1.0, self.tick), self.set_interval(POLL_SECONDS, self.refresh_snapshot)]
        self.first_read()
        self.run_worker(
            self._extras_when_loaded(), exclusive=True, group="reviews", description="reviews due and reports to make"
        )
        from safety_tui.ui.screens import desk_pull

        desk_pull.start(self)  # with a council duty desk: check-ins from the phone
        table.focus()

    def on_unmount(self) -> None:
        if self.reader is not None:
            self.reader.close()

    async def _extras_when_loaded(self) -> None:
        """Once the checklists have loaded (in a thread, after the first frame: pydantic is imported
        there), read again with the periodic reviews due and the reports still to make."""
        await self.app.wait_for_catalog()
        self.refresh_snapshot()

    def on_screen_suspend(self) -> None:
        for timer in self.timers:
            timer.pause()

    def on_screen_resume(self) -> None:
        for timer in self.timers:
            timer.resume()
        self.refresh_snapshot()
        self.tick()

    def on_plans_changed(self, event: PlansChanged) -> None:
        self.refresh_snapshot()  # behind another screen: nothing now, Today reads again on resume

    @reports_errors
    def first_read(self) -> None:
        """The open plans for the first frame, read here (a few rows, by an index): the banner must
        never say "Nothing in progress" while a visit is. The rest comes from the worker."""
        if self.reader is not None:
            first = self.reader.read(None)
            if first is not None:
                self.show_snapshot(first)

    @property
    def on_top(self) -> bool:
        """Today is the screen in front (``is_current`` is also true just under another screen)."""
        try:
            return self.app.screen is self
        except ScreenStackError:  # the app is closing
            return False

    def refresh_snapshot(self) -> None:
        """Read everything Today shows in a thread; the result arrives as :class:`Refreshed`."""
        if not self.on_top or self.reader is None:
            return
        try:
            checklists: list[Checklist] | None = [e.checklist for e in self.app.catalog.checklists.values()]
        except ChecklistError:  # still loading: the reviews and to-dos come with the next read
            checklists = None
        self._read_snapshot(self.reader, checklists)

    @work(thread=True, exclusive=True, group="today-snapshot", description="read Today's plans")
    def _read_snapshot(self, reader: TodayReader, checklists: list[Checklist] | None) -> None:
        try:
            snapshot = reader.read(checklists, wanted=lambda: self.on_top)
        except SafetyError as error:
            self.app.call_from_thread(self.app.show_error, error)
            return
        if snapshot is not None:
            self.post_message(self.Refreshed(snapshot))

    snapshot: TodaySnapshot | None = None  # the snapshot shown last
    snapshots_shown = 0  # one per read shown: a test can wait for the next

    def on_today_screen_refreshed(self, message: Refreshed) -> None:
        self.show_snapshot(message.snapshot)

    def show_snapshot(self, snapshot: TodaySnapshot) -> None:
        self.snapshot = snapshot
        self.snapshots_shown += 1
        self.plans = list(snapshot.plans)
        self.show_reviews()
        if snapshot.incident_todo is not None:
            lines = snapshot.after_visit
            self.show_text(self.query_one("#after-visit", Static), "\n".join(lines), display=bool(lines))

    def remind_reviews(self) -> None:
        """The checklists were read again (an officer saved a file): show their version notes now,
        and read again for the reviews due under the new checklists."""
        self.show_reviews()
        self.refresh_snapshot()

    def show_reviews(self) -> None:
        """The periodic reviews due, as last read, and which version of a replaced checklist
        is walked, under the banner; nothing when there is neither."""
        lines = [self.snapshot.reviews_due or ""] if self.snapshot is not None else []
        try:
            # A checklist an officer replaced is never replaced silently: say whose version is walked.
            lines += [f"In use: {note}." for note in self.app.catalog.version_notes()]
        except ChecklistError:  # still loading: shown once the checklists arrive
            pass
        text = "\n".join(line for line in lines if line)
        self.show_text(self.query_one("#reviews-due", Static), text, display=bool(text))

    def watch_plans(self, plans: list[PlanSummary]) -> None:
        """Rows updated in place: changed cells rewritten, rows added and removed, the cursor kept."""
        now = self.app.clock.now()
        table: DataTable[object] = self.query_one(DataTable)
        selected = self._selected_ref()
        wanted = {p.ref: row_text(p, now) for p in plans}
        changed = wanted != self.shown
        for ref in [ref for ref in self.shown if ref not in wanted]:
            table.remove_row(ref)
            del self.shown[ref]
        for ref, cells in wanted.items():
            old = self.shown.get(ref)
            if old is None:
                table.add_row(*row_cells(cells), key=ref)
            else:
                for key, text, value, before in zip(COLUMN_KEYS, cells, row_cells(cells), old):
                    if text != before:
                        table.update_cell(ref, key, value, update_width=True)
            self.shown[ref] = cells
        order = {ref: n for n, ref in enumerate(wanted)}
        if [row.key.value for row in table.ordered_rows] != list(wanted):
            table.sort("plan", key=lambda ref: order[str(ref)])
        if selected in wanted and table.get_row_index(selected) != table.cursor_row:
            table.move_cursor(row=table.get_row_index(selected))
        empty = "" if plans else "No plans yet. Press n to plan a visit: it takes about two minutes."
        self.show_text(self.query_one("#empty", Static), empty)
        if changed or self.fitted_width != table.size.width:
            self.call_after_refresh(self.fit_table)  # after layout: the width is known then
            self.refresh_bindings()  # the keys offered follow the plans' statuses
        self.tick()

    fitted_width = -1  # the table's width when its last column was last fitted (0: not laid out yet)

    def fit_table(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        fit_last_column(table)
        self.fitted_width = table.size.width
        if table.row_count:  # a DataTable measures its scrollable width again only when told a cell's may change
            first = table.ordered_rows[0].key
            table.update_cell(first, "title", table.get_cell(first, "title"), update_width=True)

    def on_resize(self) -> None:
        self.fit_table()

    def tick(self) -> None:
        """Refresh the countdown and the overdue banner from the plans on the list."""
        box = self.query_one("#active", Static)
        text, overdue = banner(self.plans, self.app.clock.now())
        self.show_text(box, text)
        box.set_class(overdue is True, "-overdue")
        box.set_class(overdue is False, "-running")

    def show_text(self, box: Static, text: str, *, display: bool | None = None) -> None:
        """Put ``text`` (literal) in ``box`` when it differs (the countdown ticks every second)."""
        show_literal(box, text)
        if display is not None and box.display != display:
            box.display = display

    # -- actions --------------------------------------------------------------
    def _selected_ref(self) -> str | None:
        table: DataTable[object] = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected)
    @reports_errors
    def action_open(self) -> None:
        ref = self._selected_ref()
        if ref is None:
            return
        if self.app.store.get_plan(ref).status is Status.DRAFT:
            from safety_tui.ui.screens import wizard

            wizard.resume(self.app, ref)
        else:
            from safety_tui.ui.screens.plan_detail import PlanDetailScreen

            self.app.push_screen(PlanDetailScreen(ref))

    def action_check_in(self) -> None:
        """I'm safe: with several plans in progress, it asks which (the highlighted row first)."""
        from safety_tui.ui.screens import plan_commands

        plan_commands.choose_in_progress(self.app, "check in", plan_commands.check_in, self._selected_ref())

    def action_extend(self) -> None:
        from safety_tui.ui.screens import plan_commands

        plan_commands.choose_in_progress(self.app, "extend", plan_commands.extend, self._selected_ref())

    def action_start(self) -> None:
        ref = self._selected_ref()
        if ref is not None:
            from safety_tui.ui.screens import plan_commands

            plan_commands.start(self.app, ref)

    def action_delete_draft(self) -> None:
        ref = self._selected_ref()
        if ref is not None:
            from safety_tui.ui.screens import plan_commands

            plan_commands.delete_draft(self.app, ref)

    @reports_errors
    def action_purge(self) -> None:
        result = self.app.store.purge()
        self.notify(result.message, severity="information" if result.wiped else "warning", timeout=6)
        self.app.plans_changed()
