"""The new-plan wizard: its steps (one list) and moving a draft between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from safety_tui.checklists.vocabulary import VisitType
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.codeword import CodeWordScreen
from safety_tui.ui.screens.contacts import ContactsScreen
from safety_tui.ui.screens.details import DetailsScreen
from safety_tui.ui.screens.review import ReviewScreen
from safety_tui.ui.screens.step import StepPosition, StepScreen
from safety_tui.ui.screens.visit_type import VisitTypeScreen
from safety_tui.ui.screens.walk import WalkScreen

if TYPE_CHECKING:
    from safety_tui.checklists.loader.catalog import Catalog


@dataclass(frozen=True)
class Step:
    key: str  # stored as the plan's wizard_step: a draft resumes here
    label: str
    screen: type[StepScreen]


STEPS = (
    Step("type", "Visit", VisitTypeScreen),
    Step("details", "Details", DetailsScreen),
    Step("walk", "Checklists", WalkScreen),
    Step("codeword", "Code word", CodeWordScreen),  # before Who's told: telling someone includes the code word
    Step("contacts", "Who's told", ContactsScreen),
    Step("review", "Review", ReviewScreen),
)
LABELS = [step.label for step in STEPS]


def step_index(key: str) -> int:
    """The step stored as ``key``; an unknown key (an older version's) starts at the first."""
    return next((n for n, step in enumerate(STEPS) if step.key == key), 0)


def step_screen(ref: str, index: int) -> StepScreen:
    return STEPS[index].screen(ref, StepPosition(LABELS, index))


def start_new_plan(app: SafetyAppBase) -> None:
    """Create a draft straight away, so even the first choice is saved."""
    with app.reporting_errors():
        visit = VisitType.HOME_VISIT
        catalog = app.catalog
        chosen = [c for c in (catalog.get(i) for i in catalog.matching(visit.value, [])) if c is not None]
        from safety_tui.incidents.routes import default_escalation, load_routes

        escalation = default_escalation(load_routes().routes)  # the council's numbers (routes.yaml)
        plan = app.store.create_plan(visit, [], chosen, tz=app.tz, escalation=escalation)
        app.plans_changed(plan.ref)
        app.push_screen(step_screen(plan.ref, 0))


def resume(app: SafetyAppBase, ref: str, key: str | None = None) -> None:
    """Open a draft at ``key``, or at the step it was left on."""
    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        app.push_screen(step_screen(ref, step_index(key or plan.wizard_step)))


def go(app: SafetyAppBase, ref: str, index: int) -> None:
    """Move to step ``index``; before the first step leaves the wizard."""
    if index < 0:
        app.pop_screen()
        return
    if index >= len(STEPS):
        return
    with app.reporting_errors():
        app.store.update(ref, wizard_step=STEPS[index].key)
        app.switch_screen(step_screen(ref, index))


def notice_checklists_changed(app: SafetyAppBase, before: "Catalog", after: "Catalog") -> None:
    """While a plan is being made, say when a checklist it uses was changed on disk.

    The plan keeps the snapshot it took (its answers stay true to what was asked); new plans get
    the new version.
    """
    from safety_tui.checklists.loader.catalog import changed_checklists

    screen = next((s for s in reversed(app.screen_stack) if isinstance(s, StepScreen)), None)
    if screen is None:  # no plan is being made (a dialog over a step still counts)
        return
    changed = set(changed_checklists(before, after))
    with app.reporting_errors():
        used = [snap.checklist() for snap in app.store.get_plan(screen.ref).checklists if snap.checklist_id in changed]
        if used:
            titles = ", ".join(c.title for c in used)
            app.notify(
                f"{titles} changed. This plan keeps the version it was started with; new plans get the new one.",
                title="Checklist changed",
                timeout=12,
            )
