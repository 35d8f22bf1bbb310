"""All plans: filter as you type, sort by column, Enter to open."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Header, Input

from safety_tui.checklists.vocabulary import VISIT_LABELS
from safety_tui.ui.app_base import PlansChanged
from safety_tui.ui.screens.base import SafetyScreen, reports_errors
from safety_tui.ui.screens.plan_detail import PlanDetailScreen
from safety_tui.ui.widgets import fit_last_column, literal_cell
from safety_tui.ui.widgets.footer import Footer

COLUMNS = ("Plan", "Status", "Start", "Visit", "Title")
SHOWN = 500  # rows in the table; the filter searches every plan


class HistoryScreen(SafetyScreen):
    DEFAULT_CSS = """
    HistoryScreen #history {
        height: 1fr;
        margin: 0 1;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("o", "sort", "Sort"),
        Binding("r", "repeat", "Repeat"),
    ]

    sort_column: reactive[int] = reactive(0, init=False)
    sort_reverse: reactive[bool] = reactive(True, init=False)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: title, status, plan id or visit type", id="filter")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.fill()
        table.focus()

    def on_screen_resume(self) -> None:
        self.fill()

    def on_plans_changed(self, event: PlansChanged) -> None:
        self.fill()

    def on_resize(self) -> None:
        fit_last_column(self.query_one(DataTable))

    def watch_sort_column(self) -> None:
        self.fill()

    def watch_sort_reverse(self) -> None:
        self.fill()

    @reports_errors
    def fill(self) -> None:
        now = self.app.clock.now()
        needle = self.query_one("#filter", Input).value.strip().lower()
        rows = []
        for p in self.app.store.list_plans(include_closed=True):
            start = p.local(p.start)
            state = p.state(now)
            row = (
                p.ref,
                state.upper() if state == "overdue" else state,
                f"{start:%Y-%m-%d %H:%M}" if start else "",
                VISIT_LABELS.get(p.visit_type, ""),
                p.title,
            )
            if needle and needle not in " ".join(row).lower():
                continue
            rows.append(row)
        rows.sort(key=lambda r: r[self.sort_column], reverse=self.sort_reverse)
        table: DataTable[object] = self.query_one(DataTable)
        selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        table.clear()
        for row in rows[:SHOWN]:
            table.add_row(*row[:4], literal_cell(row[4]), key=row[0])
        refs = [row[0] for row in rows[:SHOWN]]
        if selected in refs:  # a refresh (a plan went overdue) keeps the row the councillor was on
            table.move_cursor(row=refs.index(selected))
        self.call_after_refresh(fit_last_column, table)  # after layout: the width is known then
        shown = f"{SHOWN} of {len(rows)} plans (type / to filter)" if len(rows) > SHOWN else f"{len(rows)} plan(s)"
        self.sub_title = f"{shown}, sorted by {COLUMNS[self.sort_column].lower()}"

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.fill()

    @on(Input.Submitted, "#filter")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        if self.sort_reverse:
            self.sort_reverse = False
        else:
            self.sort_column = (self.sort_column + 1) % len(COLUMNS)
            self.sort_reverse = True

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        index = COLUMNS.index(str(event.column_key.value))
        self.sort_reverse = not self.sort_reverse if index == self.sort_column else False
        self.sort_column = index

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(PlanDetailScreen(str(event.row_key.value)))

    async def action_repeat(self) -> None:
        """A new draft like the highlighted plan."""
        from safety_tui.ui.screens import visit_commands

        table: DataTable[object] = self.query_one(DataTable)
        if table.row_count == 0:
            return
        await self.app.wait_for_catalog()
        visit_commands.repeat(self.app, str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))
