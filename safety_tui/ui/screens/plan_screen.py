"""A screen about one plan: the plan lookup and the plan commands its keys run."""

from __future__ import annotations

from safety_tui.common.errors import PlanNotFound
from safety_tui.plans.model import Plan
from safety_tui.ui.app_base import PlansChanged
from safety_tui.ui.screens import plan_commands
from safety_tui.ui.screens.base import SafetyScreen


class PlanScreen(SafetyScreen):
    """Shows one plan. If the plan is deleted elsewhere, it says so (the boundary) and goes back."""

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        # The contact's message carries the code word and its meaning unless the councillor leaves it
        # out (Review's w), as `export --no-code-word` does; on screen it stays masked until asked for.
        self.code_word_in_message = True

    def plan(self) -> Plan:
        """The plan as stored now (raises PlanNotFound if it was deleted)."""
        return self.app.store.get_plan(self.ref)

    def on_plans_changed(self, event: PlansChanged) -> None:
        if self.app.screen is not self or not self.app.has_store:
            return
        try:
            self.plan()
        except PlanNotFound:
            self.app.pop_screen()
            return
        self.show_plan()

    def show_plan(self) -> None:
        """Redraw from the store; screens override it."""

    # -- keys shared by the screens that show a plan ----------------------------------
    def action_copy_message(self) -> None:
        plan_commands.copy_message(self.app, self.ref, include_code_word=self.code_word_in_message)

    def action_show_qr(self) -> None:
        plan_commands.show_qr(self.app, self.ref, include_code_word=self.code_word_in_message)

    def action_export_ics(self) -> None:
        plan_commands.export_ics(self.app, self.ref, include_code_word=self.code_word_in_message)

    def action_start_plan(self) -> None:
        plan_commands.start(self.app, self.ref, self.plan_started)

    def plan_started(self) -> None:
        """After a start from this screen; screens override it."""
