"""The visit commands from Today and the command palette: the briefing, the cards, the reviews,
repeat and quick plans. Each reports errors through the app's one boundary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safety_tui.ui.app_base import SafetyAppBase

if TYPE_CHECKING:
    from safety_tui.checklists.model import Checklist


def briefing(app: SafetyAppBase, ref: str) -> None:
    """The plan's during advice as a short card (Today's b while the plan is in progress)."""
    from safety_tui.checklists.compose import compose_plan
    from safety_tui.council.checkin_link import link_lines
    from safety_tui.ui.dialogs.briefing import ReadingDialog, briefing_card

    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        composition, answers = compose_plan(plan)
        title = f"Briefing: {plan.title or plan.ref}"
        phone = link_lines(app.store, plan)  # the phone check-in link, with a council duty desk
        card = "\n".join(phone + [""] if phone else []) + briefing_card(composition.briefing(answers))
        app.push_screen(ReadingDialog(title, card))


def briefing_active(app: SafetyAppBase) -> None:
    active = app.active_plan()
    if active is None:
        app.notify("No plan is in progress: the briefing is on each plan's Review.", severity="warning", timeout=4)
        return
    briefing(app, active.ref)


# -- quick-reference cards ----------------------------------------------------------------------
def show_card(app: SafetyAppBase, card_id: str) -> None:
    """One card, its text shown literally."""
    from safety_tui.checklists.cards import card_text, find_card
    from safety_tui.ui.dialogs.briefing import ReadingDialog

    with app.reporting_errors():
        card = find_card(loaded(app), card_id)
        app.push_screen(ReadingDialog("Quick-reference card", card_text(card)))


def choose_card(app: SafetyAppBase) -> None:
    """Today's k: pick a card from the list (bundled cards first, in the guidance's order)."""
    from safety_tui.checklists.cards import cards
    from safety_tui.ui.dialogs.choose import ChooseDialog

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


# -- repeat and quick plans -----------------------------------------------------------------------
REPEATABLE = 20  # the newest plans offered for repeating


def repeat(app: SafetyAppBase, ref: str) -> None:
    """A new draft like plan ``ref``, opened at Details for its new times."""
    from safety_tui.plans.shortcuts import repeat_plan
    from safety_tui.ui.screens import wizard

    with app.reporting_errors():
        plan = repeat_plan(app.store, app.catalog, ref)
        app.notify(
            f"{plan.ref} repeats {ref}: give the new times. Contacts are copied but NOT told.",
            timeout=6,
        )
        app.plans_changed(plan.ref)
        wizard.resume(app, plan.ref)
        show_new_code_word(app, plan.code_word, plan.code_meaning)


def show_new_code_word(app: SafetyAppBase, word: str, meaning: str) -> None:
    """A repeat's fresh code word, shown clearly once (masked everywhere after that)."""
    from safety_tui.ui.dialogs.briefing import ReadingDialog

    text = (
        f"    {word}\n\n"
        f"It means: {meaning or 'call the police to this address'}\n\n"
        "The old code word is not used again. Tell this one to each person you tell on the\n"
        "Who's told step; change it on the Code word step if you like."
    )
    app.push_screen(
        ReadingDialog("The new code word for this visit", text, hint="Enter closes; from now on it is masked.")
    )


def choose_repeat(app: SafetyAppBase) -> None:
    """Today's r: pick one of the newest plans (not drafts) to repeat; Enter takes the newest."""
    from safety_tui.checklists.vocabulary import VISIT_LABELS
    from safety_tui.plans.lifecycle import Status
    from safety_tui.ui.dialogs.choose import ChooseDialog

    with app.reporting_errors():
        plans = [p for p in app.store.list_plans(limit=REPEATABLE * 2) if p.status is not Status.DRAFT][:REPEATABLE]
        if not plans:
            app.notify("No previous plan to repeat yet: press n to plan a visit.", severity="warning", timeout=4)
            return
        entries = [(p.ref, f"{p.ref}  {VISIT_LABELS.get(p.visit_type, '')}: {p.title or '(untitled)'}") for p in plans]

        def chosen(ref: str | None) -> None:
            if ref is not None:
                repeat(app, ref)

        app.push_screen(ChooseDialog("Repeat which plan? (newest first)", entries), chosen)


def choose_quick(app: SafetyAppBase) -> None:
    """Today's q: a quick plan of the chosen kind: critical items, who's told, code word, times."""
    from safety_tui.checklists.vocabulary import PLAN_VISIT_TYPES, VISIT_LABELS
    from safety_tui.ui.dialogs.choose import ChooseDialog

    def chosen(visit: str | None) -> None:
        if visit is None:
            return
        from safety_tui.incidents.routes import default_escalation, load_routes
        from safety_tui.plans.shortcuts import quick_plan
        from safety_tui.ui.screens import wizard

        with app.reporting_errors():
            escalation = default_escalation(load_routes().routes)  # as a full plan: the council's numbers
            plan = quick_plan(app.store, app.catalog, visit, app.tz, escalation=escalation)
            app.plans_changed(plan.ref)
            wizard.resume(app, plan.ref)

    entries = [(v.value, VISIT_LABELS[v]) for v in PLAN_VISIT_TYPES]
    app.push_screen(ChooseDialog("Quick plan: what kind of visit?", entries), chosen)


# -- periodic reviews -------------------------------------------------------------------------------
def review_lines(app: SafetyAppBase) -> list[tuple[str, str]]:
    """(review id, 'Title: due now' or 'Title: next due ...') for every loaded review."""
    from safety_tui.checklists import reviews
    from safety_tui.common.clock import zone

    out = []
    for status in reviews.statuses(app.store, loaded(app), app.clock.now()):
        if status.last_done is None:
            when = "due now (never done)"
        elif status.due:
            when = "due now"
        else:
            when = f"next due {status.next_due.astimezone(zone(app.tz)):%d %b %Y}" if status.next_due else "due now"
        out.append((status.review_id, f"{status.title}: {when}"))
    return out


def choose_review(app: SafetyAppBase) -> None:
    """Today's v: every review with its next-due date; Enter walks it through and records the date."""
    from safety_tui.ui.dialogs.choose import ChooseDialog
    from safety_tui.ui.screens.periodic import PeriodicReviewScreen

    with app.reporting_errors():
        entries = review_lines(app)
        if not entries:
            app.notify("No periodic reviews are loaded.", severity="warning", timeout=4)
            return
        by_id = {c.id: c for c in loaded(app)}

        def chosen(review_id: str | None) -> None:
            if review_id is not None and review_id in by_id:
                app.push_screen(PeriodicReviewScreen(by_id[review_id]))

        app.push_screen(ChooseDialog("Periodic reviews (Enter walks one through)", entries), chosen)
