"""Issue 11's commands from Today and the command palette: the briefing, the cards, the reviews,
repeat and quick plans. Each reports errors through the app's one boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safety_tui.screens.base import SafetyAppBase

if TYPE_CHECKING:
    from safety_tui.checklist import Checklist


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


# -- quick-reference cards ----------------------------------------------------------------------
def show_card(app: SafetyAppBase, card_id: str) -> None:
    """One card, its text shown literally."""
    from safety_tui.cards import card_text, find_card
    from safety_tui.dialogs.briefing import ReadingDialog

    with app.reporting_errors():
        card = find_card(loaded(app), card_id)
        app.push_screen(ReadingDialog("Quick-reference card", card_text(card)))


def choose_card(app: SafetyAppBase) -> None:
    """Today's k: pick a card from the list (bundled cards first, in the guidance's order)."""
    from safety_tui.cards import cards
    from safety_tui.dialogs.choose import ChooseDialog

    with app.reporting_errors():
        entries = [(card.id, card.title) for card in cards(loaded(app))]
        if not entries:
            app.notify("No quick-reference cards are loaded.", severity="warning", timeout=4)
            return

        def chosen(card_id: str | None) -> None:
            if card_id is not None:
                show_card(app, card_id)

        app.push_screen(ChooseDialog("Quick-reference cards: what to do when...", entries), chosen)


def loaded(app: SafetyAppBase) -> list[Checklist]:
    return [entry.checklist for entry in app.catalog.checklists.values()]
