"""Step 6: everything on one screen, risks first; then save as ready or start now."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from safety_tui.export import MASK, buddy_message
from safety_tui.plan import MODE_LABELS, Status, VISIT_LABELS
from safety_tui.screens.plan_actions import PlanActions
from safety_tui.screens.wizard import WizardScreen
from safety_tui.widgets import literal


class ReviewScreen(PlanActions, WizardScreen):
    STEP = "review"
    # Short labels: at 80 columns the footer must show the two that finish the plan.
    BINDINGS = [
        Binding("ctrl+n", "next", "Next", show=False),  # the last step: nothing comes next
        Binding("ctrl+w", "close", "Close", show=False),  # Esc goes back; the draft is saved anyway
        Binding("g", "start_now", "Start now"),
        Binding("s", "save_ready", "Save"),
        Binding("c", "copy_message", "Copy"),
        Binding("q", "show_qr", "QR"),
        Binding("i", "export_ics", ".ics"),
        Binding("r", "toggle_reveal", "Reveal"),
    ]

    def __init__(self, ref: str):
        super().__init__(ref)
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll(id="review"):
            yield Label("Risks", classes="section-title")
            yield Static(id="risks")
            yield Label("The plan", classes="section-title")
            yield Static(id="summary")
            yield Label("Message for your contact (c copies it)", classes="section-title")
            yield Static(id="message", classes="message")
        yield from self.compose_bottom()

    def on_mount(self) -> None:
        self.refresh_review()
        self.query_one("#review").focus()

    def refresh_review(self) -> None:
        plan = self.plan()
        now = self.app.clock.now()  # type: ignore[attr-defined]
        risks = plan.risks(now)
        risk_box = self.query_one("#risks", Static)
        risk_box.update(literal("\n".join(f"! {r}" for r in risks) if risks else "No risks found. Stay alert all the same."))
        risk_box.set_class(bool(risks), "-has-risks")
        answered, total = plan.progress()
        told = ", ".join(f"{c.name} ({'told' if c.told else 'NOT told'})" for c in plan.contacts) or "nobody"
        code = (plan.code_word if self.revealed else MASK) if plan.code_word else "none"
        lines = [
            f"{VISIT_LABELS.get(plan.visit_type, '')}: {plan.title or '(no title)'}",
            f"Where: {plan.location or '(not given)'}",
            f"When: {plan.local(plan.start):%a %d %b %H:%M} to {plan.local(plan.finish):%H:%M}, worry from {plan.local(plan.due_at):%H:%M}"
            if plan.start and plan.finish else "When: (not set)",
            f"Travel: {', '.join(MODE_LABELS[m] for m in plan.travel_modes) or 'not given'}",
            f"Told: {told}",
            f"Code word: {code}  means: {plan.code_meaning or '(not given)'}",
            f"Checklists: {answered} of {total} items answered",
        ]
        self.query_one("#summary", Static).update(literal("\n".join(lines)))
        self.query_one("#message", Static).update(literal(buddy_message(plan, include_code_word=False)))

    def action_toggle_reveal(self) -> None:
        self.revealed = not self.revealed
        self.refresh_review()

    def action_save_ready(self) -> None:
        plan = self.plan()
        if plan.status is Status.DRAFT and self.guarded(self.store.mark_ready, self.ref) is None:
            return
        self.guarded(self.store.update, self.ref, wizard_step="review")
        self.notify(f"Plan {self.ref} saved as ready. Start it from Today when you set off.", timeout=4)
        self.app.pop_screen()

    def action_start_now(self) -> None:
        plan = self.plan()
        if plan.finish is not None and plan.finish <= self.app.clock.now():  # type: ignore[attr-defined]
            self.notify(
                "The expected finish time has already passed. Press Esc to go back and set the times.",
                severity="error",
                timeout=6,
            )
            return
        if self.guarded(self.store.start, self.ref) is None:
            return
        self.notify("Started. Check in with c on Today when you are safe.", timeout=5)
        self.app.pop_screen()
