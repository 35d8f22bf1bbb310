"""The Textual app. ``create_app`` is the one factory used by the CLI and the tests.

Layers, one way only: this module -> ``screens`` -> ``dialogs`` / ``widgets`` -> the core.
Screens see the app as :class:`~safety_tui.ui.screens.base.SafetyAppBase` (its services and the one error
boundary); this class adds start-up, the screens, app-wide commands and the crash handler.
"""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual import work
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from safety_tui.common import paths
from safety_tui.common.clock import UTC, Clock, SystemClock
from safety_tui.common.errors import ChecklistError, StoreError
from safety_tui.common.text import printable
from safety_tui.plans.timeparse import local_zone_name
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.outbox_sender import OutboxSender
from safety_tui.ui.screens.base import SafetyScreen
from safety_tui.ui.screens.store_error import StoreErrorScreen
from safety_tui.ui.screens.today import TodayScreen
from safety_tui.ui.widgets.crash import CrashHandling
from safety_tui.wiring import open_store

if TYPE_CHECKING:
    from safety_tui.checklists.loader.catalog import Catalog
    from safety_tui.checklists.loader.files import Signature

CHECKLIST_CHECK_SECONDS = 2.0  # an officer's saved edit reaches every screen within this
NEVER_READ: Signature = (("", -1, -1),)  # no folder has this signature: the first check reads the checklists

# Screens other than Today are imported when first opened (the plan model, pydantic: not on the first frame).
OVERDUE_CHECK_SECONDS = 5.0  # how soon an overdue plan alerts, on any screen

CRASH_MESSAGE = (
    "safety-tui stopped because of a bug ({kind}). Everything you typed had been saved: "
    "start safety-tui again to carry on.\n{where}"
)


class SafetyApp(CrashHandling, SafetyAppBase):
    CSS_PATH = "app.tcss"
    TITLE = "safety-tui"
    SUB_TITLE = "plan a safe visit"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    CRASH_MESSAGE = CRASH_MESSAGE

    def __init__(
        self,
        layers: list[tuple[str, Path]],
        data_dir: Path | None = None,
        clock: Clock | None = None,
        tz: str | None = None,
    ) -> None:
        super().__init__(layers, clock or SystemClock(), tz or local_zone_name(), data_dir)
        self._overdue_alerted: set[tuple[str, object]] = set()  # (plan, due time): each overdue alerts once
        self.outbox_sender = OutboxSender(self)
        self._checklist_signature: Signature | None = NEVER_READ  # the files as last read; None: being read

    # -- start-up ---------------------------------------------------------------
    def on_mount(self) -> None:
        self.set_interval(CHECKLIST_CHECK_SECONDS, self.watch_checklist_files)
        try:
            self._store = open_store(self.data_dir, self.clock)
        except StoreError as exc:
            self.push_screen(StoreErrorScreen(str(exc)))
            return
        self._use_saved_theme()
        self.push_screen(TodayScreen())
        self._offer_purge()
        self.set_interval(OVERDUE_CHECK_SECONDS, self.watch_for_overdue)
        self.set_interval(0.5, self.outbox_sender.tick)

    def on_ready(self) -> None:
        # Today needs only the store; the checklists (pydantic) load in a thread once the first frame is drawn (one
        # started sooner slows it). Should this callback be held back, the timer of watch_checklist_files calls it.
        self.call_after_refresh(self.watch_checklist_files)

    def _use_saved_theme(self) -> None:
        """The high-contrast theme is offered with Textual's; the one chosen is kept in the settings."""
        from safety_tui.plans import settings
        from safety_tui.ui.widgets.themes import use_saved_theme

        with self.reporting_errors():
            use_saved_theme(self, settings.app_theme(self.store))
        self.theme_changed_signal.subscribe(self, self._keep_theme)

    def _keep_theme(self, theme: object) -> None:
        from safety_tui.plans import settings

        with self.reporting_errors():
            settings.set_app_theme(self.store, self.theme)

    def save_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str:
        """Every screenshot (the palette's Screenshot too) is an SVG readable by you only (it may show
        names and places), in the export folder, written like every other file (atomic, 0600, no link)."""
        folder = Path(path) if path else paths.export_dir()
        target = folder / (filename or f"safety-tui-screen-{datetime.now(UTC):%Y%m%dT%H%M%S}.svg")
        paths.write_private(target, self.export_screenshot().encode("utf-8"), make_parents=True)
        return str(target)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        try:
            target = self.save_screenshot(filename, path, time_format)
        except OSError as exc:
            self.notify(f"The screenshot was not saved: {exc.strerror or exc}", severity="error", timeout=6)
            return None
        self.notify(f"Screenshot saved (readable by you only): {target}", timeout=6)
        return None

    def watch_for_overdue(self) -> None:
        """Alert on any screen each time a plan becomes overdue: an extended plan that goes
        overdue again alerts again (the key is the plan and its due time), and every screen
        that lists plans is told, so each says OVERDUE at once."""
        with self.reporting_errors():
            fresh = False
            for plan in self.store.overdue():
                key = (plan.ref, plan.due_at)
                if key in self._overdue_alerted:
                    continue
                self._overdue_alerted.add(key)
                fresh = True
                self.bell()
                self.notify(
                    f"{plan.title or plan.ref} is OVERDUE. Your contacts were told to act now. "
                    "Check in (I'm safe) or extend from Today or the command palette.",
                    title="Overdue",
                    severity="error",
                    timeout=30,
                )
            if fresh:
                self.plans_changed()

    @work(thread=True, exclusive=True, group="catalog", description="read the checklists")
    def load_catalog(self) -> None:
        from safety_tui.checklists.loader.catalog import load_catalog
        from safety_tui.checklists.loader.files import layers_signature

        signature = layers_signature(self.layers)  # taken first: an edit during the load is seen next time
        catalog = load_catalog(self.layers)
        self.call_from_thread(self._catalog_read, catalog, signature)

    def _catalog_read(self, catalog: "Catalog", signature: "Signature") -> None:
        from safety_tui.ui.screens import wizard

        previous = self._catalog
        self._checklist_signature = signature
        self.set_catalog(catalog)
        # What is loaded by now lives as long as the app: frozen out of the collector's walks (a wizard step
        # cost a fifth more CPU), once per process; the collector, off while the app started, runs again.
        if gc.get_freeze_count() == 0:
            gc.freeze()
        gc.enable()
        if previous is not None:
            wizard.notice_checklists_changed(self, previous, catalog)
            if isinstance(self.screen, TodayScreen):
                self.screen.remind_reviews()  # its "In use: ..." line follows the files

    def watch_checklist_files(self) -> None:
        """Read the checklists: first once the first frame is drawn, then when an officer saves a file (any screen)."""
        if self._checklist_signature is not NEVER_READ:  # the loader (pydantic) is imported once they were read
            from safety_tui.checklists.loader.files import layers_signature

            if self._checklist_signature is None or layers_signature(self.layers) == self._checklist_signature:
                return  # being read, or unchanged
        self._checklist_signature = None  # one read at a time; set again when it is read
        self.load_catalog()

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

    # -- the one crash handler (safety_tui.ui.widgets.crash): save the typing first ------------
    def crash_folder(self) -> Path:
        return self.data_dir or paths.data_dir()

    def before_crash_report(self) -> None:
        self.flush_typing()

    # -- commands shared by screens ---------------------------------------
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.has_store:
            if self.active_plan() is not None:
                yield SystemCommand("I'm safe: check in", "Finish the plan in progress", self.action_check_in_active)
                yield SystemCommand(
                    "Extend the finish time", "Push the expected finish back", self.action_extend_active
                )
                yield SystemCommand("Briefing", "What to do during the visit in progress", self.action_briefing_active)
            yield SystemCommand("New plan", "Plan a visit step by step", self.action_new_plan)
            yield SystemCommand("History", "All plans, past and present", self.action_history)
            yield SystemCommand("Record an incident", "What, when and who, in seconds", self.action_quick_incident)
            yield SystemCommand("Incidents", "The incident log and reports still to make", self.action_incidents)
        yield SystemCommand("Checklists", "Loaded checklists, errors and previews", self.action_checklists)
        yield from self._visit_commands()

    def _visit_commands(self) -> Iterable[SystemCommand]:
        """Every quick-reference card by name (once the checklists have loaded)."""
        from functools import partial

        from safety_tui.ui.screens import visit_commands

        if self.has_store:
            yield SystemCommand(
                "Repeat a previous plan", "Same visit, place and contacts; new times", self.action_repeat_plan
            )
            yield SystemCommand(
                "Quick plan", "Only the critical items, the code word, who is told and times", self.action_quick_plan
            )
            yield SystemCommand(
                "Periodic reviews", "Home security, your online footprint: when each is due", self.action_reviews
            )
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

    def action_check_in_active(self, first: str | None = None) -> None:
        from safety_tui.ui.screens import plan_commands

        plan_commands.choose_in_progress(self, "check in", plan_commands.check_in, first)

    def action_extend_active(self, first: str | None = None) -> None:
        from safety_tui.ui.screens import plan_commands

        plan_commands.choose_in_progress(self, "extend", plan_commands.extend, first)

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
