"""The new-plan wizard: one screen whose steps are panes, the step list, and moving between them.

One Header, the step indicator and one Footer; the steps are panes in a ContentSwitcher.

A step is composed once and kept; the next one is composed ahead, out of sight, so moving on
only shows it: no new screen, Header or Footer, no restyling of the whole screen. A step shown
again reads afresh what other steps may have changed (``WizardStep.shown``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import ContentSwitcher, Header

from safety_tui.checklists.vocabulary import VisitType
from safety_tui.common.errors import PlanNotFound
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.plan_screen import PlanScreen
from safety_tui.ui.screens.step import SAVE_DELAY, WizardStep
from safety_tui.ui.widgets.footer import Footer
from safety_tui.ui.widgets.step_indicator import StepIndicator

if TYPE_CHECKING:
    from safety_tui.checklists.loader.catalog import Catalog

PREPARE_DELAY = 0.5  # seconds on a step before the next one is composed, out of sight
LAY_OUT_SECONDS = 0.3  # how long the step composed ahead stays laid out off the window, disabled


@dataclass(frozen=True)
class Step:
    key: str  # stored as the plan's wizard_step: a draft resumes here
    label: str
    pane: Callable[[], type[WizardStep]]  # the step's class; imported when the step is first composed


# Each step's module is imported when the step is first composed (the next one while this one is
# shown): opening the wizard imports the first step's alone, not every step's and their dialogs'.
def _visit_type() -> type[WizardStep]:
    from safety_tui.ui.screens.visit_type import VisitTypeStep

    return VisitTypeStep


def _details() -> type[WizardStep]:
    from safety_tui.ui.screens.details import DetailsStep

    return DetailsStep


def _walk() -> type[WizardStep]:
    from safety_tui.ui.screens.walk import WalkStep

    return WalkStep


def _code_word() -> type[WizardStep]:
    from safety_tui.ui.screens.codeword import CodeWordStep

    return CodeWordStep


def _contacts() -> type[WizardStep]:
    from safety_tui.ui.screens.contacts import ContactsStep

    return ContactsStep


def _review() -> type[WizardStep]:
    from safety_tui.ui.screens.review import ReviewStep

    return ReviewStep


STEPS = (
    Step("type", "Visit", _visit_type),
    Step("details", "Details", _details),
    Step("walk", "Checklists", _walk),
    Step("codeword", "Code word", _code_word),  # before Who's told: telling someone includes the code word
    Step("contacts", "Who's told", _contacts),
    Step("review", "Review", _review),
)
LABELS = [step.label for step in STEPS]


def step_index(key: str) -> int:
    """The step stored as ``key``; an unknown key (an older version's) starts at the first."""
    return next((n for n, step in enumerate(STEPS) if step.key == key), 0)


class WizardScreen(PlanScreen):
    """The wizard for plan ``ref``, showing step ``index``. Every step saves as it goes; Back is
    always there, and Back from the first step leaves the wizard.

    A step is composed once and kept: the next step is composed while this one is shown, once
    the screen has been idle for ``PREPARE_DELAY``, so that Ctrl+N only shows it (a layout and a
    repaint, no composition and no restyle).
    """

    # The same keys as each step's (WizardStep.BINDINGS, which the footer lists first): these
    # answer when the focus is in no step.
    BINDINGS = [
        Binding("ctrl+w", "close", "Close", priority=True),  # before an Input's delete-word
        # On Review the footer keeps its room for Start and Save: Ctrl+W still closes, unnamed.
        Binding("ctrl+w", "close_unlisted", "Close", show=False, priority=True),
        Binding("escape", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
    ]
    DEFAULT_CSS = """
    WizardScreen #wizard-steps {
        height: 1fr;
        layers: shown ahead;
    }
    WizardScreen #wizard-steps > .-ahead {
        layer: ahead;
        offset-x: 1000;
    }
    """

    def __init__(self, ref: str, index: int) -> None:
        super().__init__(ref)
        self.index = index
        self.steps: dict[int, WizardStep] = {index: self._new_step(index)}
        self.mounting: dict[int, AwaitMount] = {}
        self.preparing: Timer | None = None

    @property
    def step(self) -> WizardStep:
        """The step on screen."""
        return self.steps[self.index]

    def _new_step(self, index: int) -> WizardStep:
        return STEPS[index].pane()(self.ref, id=f"step-{STEPS[index].key}")

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepIndicator(LABELS, self.index, id="steps")
        with ContentSwitcher(id="wizard-steps", initial=self.step.id):
            yield self.step
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(SAVE_DELAY, self.flush)  # SAVE_DELAY read here: a test may set it
        self.step.shown(fresh=True)
        self._prepare_soon()

    def on_unmount(self) -> None:
        self.flush()

    def flush(self) -> bool:
        """Save the typing on the step shown (a step composed ahead saves nothing until shown)."""
        return self.step.flush()

    def show_plan(self) -> None:
        self.step.show_plan()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        last = self.index == len(STEPS) - 1
        if action in ("next", "close"):
            return not last  # Review is the last step: nothing comes next
        if action == "close_unlisted":
            return last
        return True

    # -- composing a step ahead ---------------------------------------------------------
    def _prepare_soon(self) -> None:
        self._stop_preparing()
        self.preparing = self.set_timer(PREPARE_DELAY, self._prepare_next)

    def _prepare_next(self) -> None:
        following = self.index + 1
        if following >= len(STEPS) or following in self.steps:
            return
        try:
            self.plan()
        except PlanNotFound:  # deleted: the wizard is going (PlansChanged), there is nothing to compose
            return
        self._mount_step(following, ahead=True)

    def _stop_preparing(self) -> None:
        if self.preparing is not None:
            self.preparing.stop()

    def _mount_step(self, index: int, ahead: bool = False) -> AwaitMount:
        step = self.steps[index] = self._new_step(index)
        if ahead:  # laid out once, out of the window and out of reach, then put away until shown
            step.add_class("-ahead")
            step.disabled = True
            self.set_timer(LAY_OUT_SECONDS, partial(self._put_away, step))
        else:
            step.display = False  # composed out of sight; the switcher shows it
        self.mounting[index] = self.query_one("#wizard-steps", ContentSwitcher).mount(step)
        return self.mounting[index]

    def _put_away(self, step: WizardStep) -> None:
        if not step.is_attached:  # the wizard closed meanwhile
            return
        if step is not self.step:
            step.display = False
        step.remove_class("-ahead")
        step.disabled = False

    # -- moving -------------------------------------------------------------------------
    async def go(self, index: int) -> None:
        """Show step ``index`` (saved as where the draft resumes); before the first leaves the wizard."""
        if index < 0:
            self.app.pop_screen()
            return
        if index >= len(STEPS) or not self._remember_step(index):
            return
        fresh = index not in self.steps
        if fresh:
            await self._mount_step(index)
        if index in self.mounting:  # composed ahead, perhaps still being mounted
            await self.mounting.pop(index)
        self.index = index
        self._put_away(self.step)  # shown before it was put away
        self.query_one("#wizard-steps", ContentSwitcher).current = self.step.id
        self.query_one(StepIndicator).show_step(index)
        self.step.shown(fresh)
        self.refresh_bindings()
        self._prepare_soon()

    @reports_errors
    def _remember_step(self, index: int) -> bool:
        self.app.store.update(self.ref, wizard_step=STEPS[index].key)
        return True

    async def action_next(self) -> None:
        if self.step.try_save():
            await self.go(self.index + 1)

    async def action_back(self) -> None:
        self.step.try_save()
        if self.index == 0:
            self._stop_preparing()  # the wizard is leaving (and a blank draft with it)
        if self.index == 0 and self._discarded():
            self.app.pop_screen()
            return
        await self.go(self.index - 1)

    def action_close(self) -> None:
        self._stop_preparing()  # the wizard is leaving (and a blank draft with it)
        self.step.try_save()
        if not self._discarded():
            self.notify(f"Draft {self.ref} saved. Resume it from Today.", timeout=4)
        self.app.pop_screen()

    def action_close_unlisted(self) -> None:
        self.action_close()

    @reports_errors
    def _discarded(self) -> bool:
        """Leaving a new plan nothing was typed into deletes it: no "(untitled)" draft is left behind."""
        if not self.plan().is_blank():
            return False
        self.app.store.forget(self.ref)
        self.app.plans_changed(self.ref)
        return True


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
        app.push_screen(WizardScreen(plan.ref, 0))


def resume(app: SafetyAppBase, ref: str, key: str | None = None) -> None:
    """Open a draft at ``key``, or at the step it was left on."""
    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        app.push_screen(WizardScreen(ref, step_index(key or plan.wizard_step)))


def notice_checklists_changed(app: SafetyAppBase, before: "Catalog", after: "Catalog") -> None:
    """While a plan is being made, say when a checklist it uses was changed on disk.

    The plan keeps the snapshot it took (its answers stay true to what was asked); new plans get
    the new version.
    """
    from safety_tui.checklists.loader.catalog import changed_checklists

    screen = next((s for s in reversed(app.screen_stack) if isinstance(s, WizardScreen)), None)
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
