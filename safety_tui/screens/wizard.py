"""The new-plan wizard: shared step behaviour and navigation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from safety_tui.errors import PlanNotFound
from safety_tui.plan import PlanError
from safety_tui.screens.plan_actions import PlanLookup
from safety_tui.store import Store, StoreError
from safety_tui.widgets.step_indicator import STEPS, StepIndicator

if TYPE_CHECKING:
    from safety_tui.app import SafetyApp

STEP_KEYS = [key for key, _ in STEPS]


def step_screen(step: str, ref: str) -> Screen:
    from safety_tui.screens.codeword import CodeWordScreen
    from safety_tui.screens.contacts import ContactsScreen
    from safety_tui.screens.details import DetailsScreen
    from safety_tui.screens.review import ReviewScreen
    from safety_tui.screens.visit_type import VisitTypeScreen
    from safety_tui.screens.walk import WalkScreen

    screens = {
        "type": VisitTypeScreen,
        "details": DetailsScreen,
        "walk": WalkScreen,
        "contacts": ContactsScreen,
        "codeword": CodeWordScreen,
        "review": ReviewScreen,
    }
    return screens.get(step, VisitTypeScreen)(ref)


def start_new_plan(app: "SafetyApp") -> None:
    """Create a draft straight away, so even the first choice is saved."""
    if app.store is None:
        return
    from safety_tui.checklist import VisitType

    visit = VisitType.HOME_VISIT
    ids = app.catalog.matching(visit.value, [])
    try:
        plan = app.store.create_plan(visit, [], [app.catalog.get(i) for i in ids], tz=app.tz)
    except StoreError as exc:
        app.notify(str(exc), title="Could not start a plan", severity="error", timeout=10)
        return
    app.push_screen(step_screen("type", plan.ref))


def resume_plan(app: "SafetyApp", ref: str) -> None:
    assert app.store is not None
    plan = app.store.get_plan(ref)
    app.push_screen(step_screen(plan.wizard_step, ref))


class WizardScreen(PlanLookup, Screen):
    """A step of the wizard. Every step saves as it goes; Back is always there."""

    STEP = ""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+w", "close", "Close"),
    ]

    def __init__(self, ref: str):
        super().__init__()
        self.ref = ref

    @property
    def store(self) -> Store:
        store = self.app.store  # type: ignore[attr-defined]
        assert store is not None
        return store

    def compose_top(self) -> ComposeResult:
        yield Header()
        yield StepIndicator(self.STEP, id="steps")

    def compose_bottom(self) -> ComposeResult:
        yield Footer()

    def save(self) -> bool:
        """Write what is on screen; False (with the reason shown) if it cannot move on."""
        return True

    def guarded(self, func, *args, **kwargs):
        """Run a store call; show a plan or store error instead of crashing.

        Returns the call's result (True for calls that return nothing), or None on failure.
        """
        try:
            result = func(*args, **kwargs)
            return True if result is None else result
        except PlanNotFound:
            self.plan()  # the plan was deleted elsewhere: say so and go back
            return None
        except (PlanError, StoreError, ValueError) as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return None

    def go(self, step: str) -> None:
        self.guarded(self.store.update, self.ref, wizard_step=step)
        self.app.switch_screen(step_screen(step, self.ref))

    def action_next(self) -> None:
        if not self.save():
            return
        index = STEP_KEYS.index(self.STEP)
        if index + 1 < len(STEP_KEYS):
            self.go(STEP_KEYS[index + 1])

    def action_back(self) -> None:
        self.save()
        index = STEP_KEYS.index(self.STEP)
        if index == 0:
            self.app.pop_screen()
        else:
            self.go(STEP_KEYS[index - 1])

    def action_close(self) -> None:
        self.save()
        self.notify(f"Draft {self.ref} saved. Resume it from Today.", timeout=4)
        self.app.pop_screen()
