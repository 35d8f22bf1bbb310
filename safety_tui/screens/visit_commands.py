"""Issue 11's commands from Today and the command palette: the briefing, the cards, the reviews,
repeat and quick plans. Each reports errors through the app's one boundary."""

from __future__ import annotations

from safety_tui.screens.base import SafetyAppBase


def briefing(app: SafetyAppBase, ref: str) -> None:
    """The plan's during advice as a short card (Today's b while the plan is in progress)."""
    from safety_tui.compose import compose_plan
    from safety_tui.dialogs.briefing import ReadingDialog, briefing_card

    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        composition, answers = compose_plan(plan)
        title = f"Briefing: {plan.title or plan.ref}"
        app.push_screen(ReadingDialog(title, briefing_card(composition.briefing(answers))))


def briefing_active(app: SafetyAppBase) -> None:
    active = app.active_plan()
    if active is None:
        app.notify("No plan is in progress: the briefing is on each plan's Review.", severity="warning", timeout=4)
        return
    briefing(app, active.ref)
