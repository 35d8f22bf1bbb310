"""One plan in full: answers, audit trail, exports; code word masked until revealed."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Header, Static

from safety_tui.plans.lifecycle import Status, check_editable
from safety_tui.plans.summary import text_summary
from safety_tui.ui.screens import plan_commands, wizard
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.plan_screen import PlanScreen
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.footer import Footer


class PlanDetailScreen(PlanScreen):
    DEFAULT_CSS = """
    PlanDetailScreen #detail {
        padding: 0 2;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "toggle_reveal", "Show code word"),
        Binding("c", "check_in", "I'm safe"),
        Binding("e", "extend", "Extend"),
        Binding("s", "start_plan", "Start"),
        Binding("m", "copy_message", "Copy message"),
        Binding("q", "show_qr", "QR"),
        Binding("i", "export_ics", "Export .ics"),
        Binding("w", "edit", "Edit"),
        Binding("x", "cancel_plan", "Cancel plan"),
    ]

    revealed: reactive[bool] = reactive(False, init=False)
    """Whether the code word is shown (masked until asked for)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        self.show_plan()
        self.query_one("#detail").focus()
        self.pull_desk_actions()

    @reports_errors
    def pull_desk_actions(self) -> None:
        """With a council database: the duty desk's actions on this plan, into its audit trail (in the background)."""
        from safety_tui.council.pull import desk_source

        source = desk_source(self.app.store, self.ref)
        if source is not None:
            self.run_worker(
                lambda: self._fetch_desk_events(*source),
                thread=True,
                exit_on_error=False,
                description="read the desk's events for this plan",
            )

    def _fetch_desk_events(self, url: str, key: str) -> None:
        from safety_tui.common.errors import CouncilError
        from safety_tui.council.pull import desk_events

        try:
            events = desk_events(url, key)
        except CouncilError:
            return  # offline: the trail shows what was pulled before
        self.app.call_from_thread(self._add_desk_events, events)

    @reports_errors
    def _add_desk_events(self, events: list[tuple[datetime, str, str]]) -> None:
        from safety_tui.council.pull import apply_desk_events

        pulled = apply_desk_events(self.app.store, self.ref, events) if events else None
        if pulled is None or not pulled.added:
            return
        for notice in pulled.notices:  # a check-in from the phone took effect here
            self.notify(notice, title="From your phone", timeout=10)
        self.app.plans_changed(self.ref)
        self.show_plan()

    def on_screen_resume(self) -> None:
        self.show_plan()

    def watch_revealed(self) -> None:
        self.show_plan()

    @reports_errors
    def show_plan(self) -> None:
        now = self.app.clock.now()
        plan = self.plan()
        self.query_one("#detail-text", Static).update(literal(text_summary(plan, reveal=self.revealed, now=now)))
        state = plan.state(now)
        self.sub_title = f"plan {plan.ref}: {state.upper() if state == 'overdue' else state}"

    def action_toggle_reveal(self) -> None:
        self.revealed = not self.revealed

    def action_check_in(self) -> None:
        plan_commands.check_in(self.app, self.ref)

    def action_extend(self) -> None:
        plan_commands.extend(self.app, self.ref)

    def action_cancel_plan(self) -> None:
        plan_commands.cancel(self.app, self.ref)

    @reports_errors
    def action_edit(self) -> None:
        plan = self.plan()
        check_editable(plan.status)  # the store's own rule, and its words
        if plan.status is Status.READY:
            self.app.store.reopen(self.ref)
        self.app.pop_screen()
        wizard.resume(self.app, self.ref, plan.wizard_step or "review")
