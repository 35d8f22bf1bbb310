"""The Textual app. ``create_app`` is the one factory used by the CLI and the tests.

Layers, one way only: this module -> ``screens`` -> ``dialogs`` / ``widgets`` -> the core.
Screens see the app as :class:`~safety_tui.ui.screens.base.SafetyAppBase` (its services and the
one error boundary); this class adds start-up, the screens, app-wide commands and the crash
handler.
"""

from __future__ import annotations

import gc
import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from rich.text import Text
from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from safety_tui.common import paths
from safety_tui.common.errors import ChecklistError, StoreError
from safety_tui.common.clock import Clock, SystemClock, UTC
from safety_tui.ui.screens.base import SafetyAppBase, SafetyScreen
from safety_tui.ui.screens.store_error import StoreErrorScreen
from safety_tui.ui.screens.today import TodayScreen
from safety_tui.store import open_store
from safety_tui.common.text import printable
from safety_tui.plans.timeparse import local_zone_name

if TYPE_CHECKING:
    from safety_tui.checklists.loader import Catalog
    from safety_tui.ui.screens.step import StepScreen

# The screens below Today are imported when first opened: they load the plan model
# (pydantic), which Today's first paint does without. The direction stays app -> screens.

CRASH_MESSAGE = (
    "safety-tui stopped because of a bug ({kind}). Everything you typed had been saved: "
    "start safety-tui again to carry on.\n{where}"
)


class SafetyApp(SafetyAppBase):
    CSS_PATH = "app.tcss"
    TITLE = "safety-tui"
    SUB_TITLE = "plan a safe visit"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self,
        layers: list[tuple[str, Path]],
        data_dir: Path | None = None,
        clock: Clock | None = None,
        tz: str | None = None,
    ) -> None:
        super().__init__(layers, clock or SystemClock(), tz or local_zone_name(), data_dir)
        self._overdue_alerted: set[str] = set()
        self._crash_message: str | None = None

    # -- start-up ---------------------------------------------------------------
    def on_mount(self) -> None:
        # Today needs only the store; the checklists (and pydantic) load in a thread once
        # Today has been drawn, so the councillor sees their plans as soon as possible and
        # the loading does not compete with the first frame.
        try:
            self._store = open_store(self.data_dir, self.clock)
        except StoreError as exc:
            self.push_screen(StoreErrorScreen(str(exc)))
            self.call_after_refresh(self.load_catalog)
            return
        self.push_screen(TodayScreen())
        self.call_after_refresh(self.load_catalog)
        self._offer_purge()
        self.set_interval(15.0, self.watch_for_overdue)

    def watch_for_overdue(self) -> None:
        """Alert once per plan, on any screen, when a plan becomes overdue."""
        with self.reporting_errors():
            for plan in self.store.overdue():
                if plan.ref in self._overdue_alerted:
                    continue
                self._overdue_alerted.add(plan.ref)
                self.bell()
                self.notify(
                    f"{plan.title or plan.ref} is OVERDUE. Your contacts were told to act now. "
                    "Check in (I'm safe) or extend from Today or the command palette.",
                    title="Overdue",
                    severity="error",
                    timeout=30,
                )

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        from safety_tui.checklists.loader import load_catalog

        catalog = load_catalog(self.layers)
        self.call_from_thread(self.catalog_loaded, catalog)

    def catalog_loaded(self, catalog: Catalog) -> None:
        self.set_catalog(catalog)
        # What is loaded by now (Textual, the models, the checklists) lives as long as the app: the
        # garbage collector stops walking it on every collection, which made each wizard step
        # cost about a fifth more CPU. Only what is made from now on is collected as usual. Once
        # per process: a second app in one process (the tests) must not pin the first one's garbage.
        if gc.get_freeze_count() == 0:
            gc.freeze()

    def _offer_purge(self) -> None:
        with self.reporting_errors():
            refs = self.store.purgeable()
            if refs:
                self.notify(
                    f"{len(refs)} finished plan(s) are older than {self.store.retention_days} days. "
                    "Press P on the Today screen to delete them.",
                    title="Old plans",
                    timeout=10,
                )

    def flush_typing(self) -> None:
        """Save whatever any open screen holds unsaved."""
        for screen in self.screen_stack:
            if isinstance(screen, SafetyScreen):
                screen.flush()

    def on_unmount(self) -> None:
        if self._store is not None:
            self.flush_typing()
            self._store.close()

    # -- the one crash handler --------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """An uncaught exception: save the typing, write the traceback (never its local
        variables) to a private file, and leave with a plain message."""
        if self._crash_message is None:
            self._crash_message = self._report_crash(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        # Textual's own version prints a traceback with every local variable (code words,
        # addresses, phone numbers): this prints the plain message instead.
        self.bell()
        self.panic(Text(self._crash_message or CRASH_MESSAGE.format(kind="unknown", where="")))

    def _report_crash(self, error: BaseException) -> str:
        cause = getattr(error, "error", None)  # a worker's failure wraps the real error
        if isinstance(cause, BaseException):
            error = cause
        try:
            self.flush_typing()
        except Exception:  # noqa: BLE001 - reporting must not fail; the store is transactional
            pass
        report = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        folder = self.data_dir or paths.data_dir()
        path = folder / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S}.txt"
        try:
            paths.write_private(path, report.encode("utf-8", "replace"), make_parents=True)
            where = f"What went wrong (no personal details) is in {path}"
        except OSError:
            where = "What went wrong:\n" + report
        return CRASH_MESSAGE.format(kind=type(error).__name__, where=where)

    # -- the wizard's steps ask to move (StepScreen.Navigate) ----------------------------
    def on_step_screen_navigate(self, event: StepScreen.Navigate) -> None:
        from safety_tui.ui.screens import wizard

        wizard.go(self, event.ref, event.index)

    # -- commands shared by screens ---------------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.has_store:
            if self.active_plan() is not None:
                yield SystemCommand("I'm safe: check in", "Finish the plan in progress", self.action_check_in_active)
                yield SystemCommand("Extend the finish time", "Push the expected finish back", self.action_extend_active)
                yield SystemCommand("Briefing", "What to do during the visit in progress", self.action_briefing_active)
            yield SystemCommand("New plan", "Plan a visit step by step", self.action_new_plan)
            yield SystemCommand("History", "All plans, past and present", self.action_history)
            yield SystemCommand("Record an incident", "What, when and who, in seconds", self.action_quick_incident)
            yield SystemCommand("Incidents", "The incident log and reports still to make", self.action_incidents)
        yield SystemCommand("Checklists", "Loaded checklists, errors and previews", self.action_checklists)
        yield from self._visit_commands()

    def _visit_commands(self) -> Iterable[SystemCommand]:
        """Issue 11: every quick-reference card by name (once the checklists have loaded)."""
        from functools import partial

        from safety_tui.ui.screens import visit_commands

        if self.has_store:
            yield SystemCommand("Repeat a previous plan", "Same visit, place and contacts; new times", self.action_repeat_plan)
            yield SystemCommand("Quick plan", "Only the critical items, who's told, code word and times", self.action_quick_plan)
            yield SystemCommand("Periodic reviews", "Home security, your online footprint: when each is due", self.action_reviews)
        yield SystemCommand("Quick-reference cards", "What to do when it cannot be planned", self.action_cards)
        try:
            checklists = visit_commands.loaded(self)
        except ChecklistError:
            return
        from safety_tui.checklists.cards import cards

        for card in cards(checklists):
            # The palette reads a title as markup: a title from a file keeps no square brackets.
            title = printable(card.title).replace("[", "(").replace("]", ")")
            show = partial(visit_commands.show_card, self, card.id)
            yield SystemCommand(f"Card: {title}", "A quick-reference card", show, discover=False)

    def action_check_in_active(self) -> None:
        from safety_tui.ui.screens import plan_commands

        active = self.active_plan()
        if active is None:
            self.notify("No plan is in progress.", severity="warning", timeout=3)
            return
        plan_commands.check_in(self, active.ref)

    def action_extend_active(self) -> None:
        from safety_tui.ui.screens import plan_commands

        active = self.active_plan()
        if active is None:
            self.notify("No plan is in progress.", severity="warning", timeout=3)
            return
        plan_commands.extend(self, active.ref)

    async def action_cards(self) -> None:
        from safety_tui.ui.screens import visit_commands

        await self.wait_for_catalog()
        visit_commands.choose_card(self)

    async def action_repeat_plan(self) -> None:
        from safety_tui.ui.screens import visit_commands

        await self.wait_for_catalog()
        visit_commands.choose_repeat(self)

    async def action_quick_plan(self) -> None:
        from safety_tui.ui.screens import visit_commands

        await self.wait_for_catalog()
        visit_commands.choose_quick(self)

    async def action_reviews(self) -> None:
        from safety_tui.ui.screens import visit_commands

        await self.wait_for_catalog()
        visit_commands.choose_review(self)

    def action_briefing_active(self) -> None:
        from safety_tui.ui.screens import visit_commands

        visit_commands.briefing_active(self)

    async def action_new_plan(self) -> None:
        from safety_tui.ui.screens import wizard

        if not self.has_store:
            return
        await self.wait_for_catalog()
        wizard.start_new_plan(self)

    def action_history(self) -> None:
        from safety_tui.ui.screens.history import HistoryScreen

        if self.has_store:
            self.push_screen(HistoryScreen())

    def action_quick_incident(self) -> None:
        from safety_tui.ui.screens.incidents import open_quick_capture

        if self.has_store:
            open_quick_capture(self)

    def action_incidents(self) -> None:
        from safety_tui.ui.screens.incidents import open_incidents

        if self.has_store:
            open_incidents(self)

    async def action_checklists(self) -> None:
        from safety_tui.ui.screens.checklists import ChecklistsScreen

        await self.wait_for_catalog()
        self.push_screen(ChecklistsScreen())


def create_app(
    organisation_dir: Path | None = None,
    data_dir: Path | None = None,
    clock: Clock | None = None,
    tz: str | None = None,
    layers: list[tuple[str, Path]] | None = None,
) -> SafetyApp:
    """The app as the CLI starts it; tests pass a clock, folders and zone."""
    return SafetyApp(layers or paths.search_path(organisation_dir), data_dir=data_dir, clock=clock, tz=tz)
