"""The start screen: the plan in progress with a live countdown, drafts, upcoming plans."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from safety_tui.kinds import VISIT_LABELS, PlanError, Status, format_duration
from safety_tui.store import PlanSummary, StoreError
from safety_tui.widgets import fit_last_column, literal, literal_cell


class TodayScreen(Screen):
    BINDINGS = [
        Binding("n", "app.new_plan", "New plan"),
        Binding("enter", "open", "Open"),
        Binding("c", "check_in", "I'm safe"),
        Binding("e", "extend", "Extend"),
        Binding("s", "start", "Start"),
        Binding("h", "app.history", "History"),
        Binding("l", "app.checklists", "Checklists"),
        Binding("P", "purge", "Purge old", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="today"):
            yield Static(id="active", classes="active")
            yield Label("Plans (Enter to open or resume)", classes="section-title")
            yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
            yield Static(id="empty", classes="hint")
        yield Footer()

    @property
    def store(self):
        return self.app.store  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Plan", "Status", "When", "Visit", "Title")
        self.refresh_plans()
        self.set_interval(1.0, self.tick)
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_plans()

    def open_plans(self) -> list[PlanSummary]:
        return self.store.list_plans(include_closed=False)

    def refresh_plans(self) -> None:
        now = self.app.clock.now()  # type: ignore[attr-defined]
        plans = self.open_plans()
        table = self.query_one(DataTable)
        table.clear()
        for p in plans:
            when = p.local(p.start).strftime("%a %d %b %H:%M") if p.start else "-"
            state = p.state(now)
            table.add_row(p.ref, state.upper() if state == "overdue" else state, when, VISIT_LABELS.get(p.visit_type, ""), literal_cell(p.title or "(untitled)"), key=p.ref)
        self.query_one("#empty", Static).update(
            "" if plans else "No plans yet. Press n to plan a visit: it takes about two minutes."
        )
        self.call_after_refresh(fit_last_column, table)  # after layout: the width is known then
        self.tick()

    def on_resize(self) -> None:
        fit_last_column(self.query_one(DataTable))

    def active_plan(self) -> PlanSummary | None:
        return self.app.active_plan()  # type: ignore[attr-defined]

    def tick(self) -> None:
        """Refresh the countdown and the overdue banner."""
        box = self.query_one("#active", Static)
        active = self.active_plan()
        now = self.app.clock.now()  # type: ignore[attr-defined]
        if active is None:
            box.update("Nothing in progress.")
            box.set_class(False, "-overdue")
            box.set_class(False, "-running")
            return
        finish = active.local(active.finish)
        due = active.local(active.due_at)
        title = active.title or VISIT_LABELS.get(active.visit_type, "Visit")
        if active.is_overdue(now):
            text = (
                f"OVERDUE by {format_duration(now - active.due_at)}: {title}\n"
                f"Expected finish was {finish:%H:%M}. Your contacts were told to act from {due:%H:%M}.\n"
                "Press c if you are safe, or e to extend."
            )
        elif finish is not None and now <= active.finish:
            text = f"In progress: {title}\nExpected finish {finish:%H:%M}, in {format_duration(active.finish - now)}. Press c when you are safe."
        else:
            text = f"In progress: {title}\nPast the expected finish {finish:%H:%M}; contacts act from {due:%H:%M} (in {format_duration(active.due_at - now)}). Press c or e."
        box.update(literal(text))
        box.set_class(active.is_overdue(now), "-overdue")
        box.set_class(not active.is_overdue(now), "-running")

    # -- actions --------------------------------------------------------------
    def _selected_ref(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        ref = self._selected_ref()
        if ref is None:
            return
        plan = self.store.get_plan(ref)
        if plan.status is Status.DRAFT:
            from safety_tui.screens.wizard import resume_plan

            resume_plan(self.app, ref)  # type: ignore[arg-type]
        else:
            from safety_tui.screens.plan_detail import PlanDetailScreen

            self.app.push_screen(PlanDetailScreen(ref))

    def _do(self, func, *args) -> bool:
        try:
            func(*args)
        except (PlanError, StoreError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return False
        self.refresh_plans()
        return True

    def action_check_in(self) -> None:
        self.app.action_check_in_active()  # type: ignore[attr-defined]

    def action_extend(self) -> None:
        self.app.action_extend_active()  # type: ignore[attr-defined]

    def action_start(self) -> None:
        ref = self._selected_ref()
        if ref and self._do(self.store.start, ref):
            self.notify(f"Started {ref}. Press c when you are safe.", timeout=4)

    def action_purge(self) -> None:
        refs = self.store.purge()
        self.notify(f"Deleted {len(refs)} old plan(s)." if refs else "Nothing old enough to purge.", timeout=4)
        self.refresh_plans()

