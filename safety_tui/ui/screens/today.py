"""The start screen: the plan in progress with a live countdown, drafts, upcoming plans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Footer, Header, Label, Static

from safety_tui.ui.dialogs.confirm import ConfirmDialog
from safety_tui.common.errors import PlanError
from safety_tui.plans.lifecycle import Status
from safety_tui.common.timefmt import format_duration, format_when
from safety_tui.checklists.vocabulary import VISIT_LABELS
from safety_tui.plans.inprogress import due_first
from safety_tui.ui.screens.base import PlansChanged, SafetyScreen, reports_errors
from safety_tui.store import PlanSummary

if TYPE_CHECKING:
    from safety_tui.ui.screens.incidents import IncidentTallied
from safety_tui.ui.widgets import fit_last_column, literal, literal_cell

# Today is the first paint, so it imports nothing that loads the plan model (pydantic):
# the screens and commands its keys open are imported when a key is pressed.

POLL_SECONDS = 5.0  # another window or the CLI may change plans: re-read this often


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
        Binding("b", "app.briefing_active", "Briefing", show=False),  # issue 11: keys in the README
        Binding("k", "app.cards", "Cards", show=False),
        Binding("r", "app.repeat_plan", "Repeat", show=False),
        Binding("q", "app.quick_plan", "Quick plan", show=False),
        Binding("v", "app.reviews", "Reviews", show=False),
    ]

    plans: reactive[list[PlanSummary]] = reactive(list, always_update=True, init=False)
    extras_ready = False
    """The review reminder and the to-dos need pydantic's models: shown once the checklists have loaded."""
    """The open plans as last read from the store: the banner and the list both show these."""

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

    def on_mount(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        table.add_columns("Plan", "Status", "When", "Visit", "Title")
        self.load_plans()
        self.set_interval(1.0, self.tick)
        self.set_interval(POLL_SECONDS, self.load_plans)
        self.run_worker(self._extras_when_loaded(), exclusive=True, group="reviews")
        self.set_interval(POLL_SECONDS, self.show_after_visit)
        from safety_tui.ui.screens import desk_pull

        desk_pull.start(self)  # with a council duty desk: check-ins from the phone
        table.focus()

    async def _extras_when_loaded(self) -> None:
        """Once the checklists have loaded (in a thread, after the first frame: pydantic is imported
        there), show the periodic reviews due and the reports still to make."""
        await self.app.wait_for_catalog()
        self.extras_ready = True
        self.remind_reviews()
        self.show_after_visit()

    @reports_errors
    def remind_reviews(self) -> None:
        """The periodic reviews due now (issue 11), under the banner; nothing when none is."""
        from safety_tui.common.errors import ChecklistError
        from safety_tui.ui.screens import visit_commands

        try:
            lines = [visit_commands.due_reminder(self.app)]
            # A checklist an officer replaced is never replaced silently: say whose version is walked.
            lines += [f"In use: {note}." for note in self.app.catalog.version_notes()]
        except ChecklistError:  # still loading: shown once the checklists arrive
            lines = []
        text = "\n".join(line for line in lines if line)
        box = self.query_one("#reviews-due", Static)
        box.update(literal(text))
        box.display = bool(text)

    def on_screen_resume(self) -> None:
        self.load_plans()
        if self.extras_ready:  # the first time, _extras_when_loaded shows them
            self.remind_reviews()
            self.show_after_visit()

    def on_plans_changed(self, event: PlansChanged) -> None:
        self.load_plans()
        self.show_after_visit()

    incident_line = ""
    """The incident log's line (reports to make, people to consider), as last counted in its worker."""

    @reports_errors
    def show_after_visit(self) -> None:
        """Incident reports still to make (I lists them), and what the duty desk has not yet had."""
        if not self.extras_ready:
            return
        from safety_tui.ui.screens.incidents import count_in_background

        count_in_background(self)  # the incident log is counted in a thread: on_incident_tallied shows it
        self.show_after_visit_lines()

    def on_incident_tallied(self, message: IncidentTallied) -> None:
        if message.error is not None:
            self.app.show_error(message.error)
        self.incident_line = message.line
        self.show_after_visit_lines()

    @reports_errors
    def show_after_visit_lines(self) -> None:
        from safety_tui.ui.screens.incidents import after_visit_lines

        lines = after_visit_lines(self.app, self.incident_line)
        box = self.query_one("#after-visit", Static)
        box.update(literal("\n".join(lines)))
        box.display = bool(lines)

    @reports_errors
    def load_plans(self) -> None:
        self.plans = self.app.store.list_plans(include_closed=False)

    def watch_plans(self, plans: list[PlanSummary]) -> None:
        now = self.app.clock.now()
        table: DataTable[object] = self.query_one(DataTable)
        selected = self._selected_ref()
        table.clear()
        for p in plans:
            when = format_when(p.start, p.tz, missing="-")
            state = p.state(now)
            table.add_row(
                p.ref, state.upper() if state == "overdue" else state, when, VISIT_LABELS.get(p.visit_type, ""),
                literal_cell(p.title or "(untitled)"), key=p.ref,
            )
        refs = [p.ref for p in plans]
        if selected in refs:
            table.move_cursor(row=refs.index(selected))
        self.query_one("#empty", Static).update(
            "" if plans else "No plans yet. Press n to plan a visit: it takes about two minutes."
        )
        self.call_after_refresh(fit_last_column, table)  # after layout: the width is known then
        self.tick()

    def on_resize(self) -> None:
        fit_last_column(self.query_one(DataTable))

    def tick(self) -> None:
        """Refresh the countdown and the overdue banner from the plans on the list."""
        box = self.query_one("#active", Static)
        active = due_first(self.plans)
        now = self.app.clock.now()
        if active is None or active.finish is None or active.due_at is None:
            box.update("Nothing in progress.")
            box.set_class(False, "-overdue")
            box.set_class(False, "-running")
            return
        title = active.title or VISIT_LABELS.get(active.visit_type, "Visit")
        # times alone today; with the date when the finish (or the worry time) is on another day
        finish = format_when(active.finish, active.tz, same_day_as=now)
        due = format_when(active.due_at, active.tz, same_day_as=now)
        overdue = active.is_overdue(now)
        if overdue:
            text = (
                f"OVERDUE by {format_duration(now - active.due_at)}: {title}\n"
                f"Expected finish was {finish}. Your contacts were told to act from {due}.\n"
                "Press c if you are safe, or e to extend."
            )
        elif now <= active.finish:
            text = (
                f"In progress: {title}\nExpected finish {finish}, in {format_duration(active.finish - now)}. "
                "Press c when you are safe.\nb shows the briefing: what to do during the visit."
            )
        else:
            text = f"In progress: {title}\nPast the expected finish {finish}; contacts act from {due} (in {format_duration(active.due_at - now)}). Press c or e."
        box.update(literal(text))
        box.set_class(overdue, "-overdue")
        box.set_class(not overdue, "-running")

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

    @reports_errors
    def action_delete_draft(self) -> None:
        ref = self._selected_ref()
        if ref is None:
            return
        plan = self.app.store.get_plan(ref)
        if plan.status is not Status.DRAFT:
            raise PlanError("Only drafts can be deleted here; cancel a plan from its own screen (x).")

        def confirmed(answer: bool | None) -> None:
            if answer:
                from safety_tui.ui.screens import plan_commands

                plan_commands.forget(self.app, ref)

        lines = [f"{plan.ref}: {plan.title or '(untitled)'}", "Everything in it is deleted for good."]
        self.app.push_screen(ConfirmDialog("Delete this draft?", lines, yes="delete it"), confirmed)

    @reports_errors
    def action_purge(self) -> None:
        result = self.app.store.purge()
        self.notify(result.message, severity="information" if result.wiped else "warning", timeout=6)
        self.app.plans_changed()
