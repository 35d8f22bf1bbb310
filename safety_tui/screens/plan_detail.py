"""One plan in full: answers, audit trail, exports; code word masked until revealed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from safety_tui.errors import PlanNotFound
from safety_tui.export import text_summary
from safety_tui.plan import PlanError, Status
from safety_tui.screens.plan_actions import PlanActions, PlanLookup
from safety_tui.store import StoreError
from safety_tui.widgets import literal


class PlanDetailScreen(PlanActions, PlanLookup, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "toggle_reveal", "Show code word"),
        Binding("c", "check_in", "I'm safe"),
        Binding("e", "extend", "Extend"),
        Binding("s", "start", "Start"),
        Binding("m", "copy_message", "Copy message"),
        Binding("q", "show_qr", "QR"),
        Binding("i", "export_ics", "Export .ics"),
        Binding("w", "edit", "Edit"),
        Binding("x", "cancel_plan", "Cancel plan"),
    ]

    def __init__(self, ref: str):
        super().__init__()
        self.ref = ref
        self.revealed = False

    @property
    def store(self):
        return self.app.store  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text")
        yield Footer()

    def on_mount(self) -> None:
        self.show_plan()
        self.query_one("#detail").focus()

    def on_screen_resume(self) -> None:
        self.show_plan()

    def show_plan(self) -> None:
        now = self.app.clock.now()  # type: ignore[attr-defined]
        plan = self.plan()
        self.query_one("#detail-text", Static).update(literal(text_summary(plan, reveal=self.revealed, now=now)))
        self.sub_title = f"plan {plan.ref}: {plan.state(now)}"

    def _do(self, func, *args, done: str = "") -> None:
        try:
            func(*args)
        except PlanNotFound:
            self.plan()  # deleted elsewhere: say so and go back
            return
        except (PlanError, StoreError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        if done:
            self.notify(done, timeout=4)
        self.show_plan()

    def action_toggle_reveal(self) -> None:
        self.revealed = not self.revealed
        self.show_plan()

    def action_check_in(self) -> None:
        self._do(self.store.check_in, self.ref, done="Checked in safe. Let the people you told know.")

    def action_start(self) -> None:
        self._do(self.store.start, self.ref, done="Started. Press c when you are safe.")

    def action_cancel_plan(self) -> None:
        self._do(self.store.cancel, self.ref, done="Plan cancelled.")

    def action_extend(self) -> None:
        from safety_tui.screens.extend import ExtendScreen

        def extend(minutes: int | None) -> None:
            if minutes:
                self._do(self.store.extend, self.ref, minutes, done=f"Extended by {minutes} minutes. Tell the people you told.")

        self.app.push_screen(ExtendScreen(), extend)

    def action_edit(self) -> None:
        plan = self.plan()
        if plan.status not in (Status.DRAFT, Status.READY):
            self.notify("Only draft or ready plans can be edited.", severity="warning")
            return
        if plan.status is Status.READY:
            self._do(self.store.reopen, self.ref)
        from safety_tui.screens.wizard import step_screen

        self.app.switch_screen(step_screen(plan.wizard_step or "review", self.ref))
