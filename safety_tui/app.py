"""The Textual app. ``create_app`` is the one factory used by the CLI and the tests."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from safety_tui.kinds import Clock, PlanError, Status, SystemClock
from safety_tui.paths import search_path
from safety_tui.store import PlanSummary, Store, StoreError, open_store
from safety_tui.timeparse import local_zone_name

if TYPE_CHECKING:
    from safety_tui.loader import Catalog


class SafetyApp(App[int]):
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
    ):
        super().__init__()
        self.layers = layers
        self.data_dir = data_dir
        self.clock: Clock = clock or SystemClock()
        self.tz = tz or local_zone_name()
        self.catalog: Catalog | None = None  # loaded by a worker right after the first paint
        self._catalog_loaded = asyncio.Event()
        self.store: Store | None = None
        self.store_error: str | None = None

    # -- start-up ---------------------------------------------------------------
    def on_mount(self) -> None:
        from safety_tui.screens.store_error import StoreErrorScreen
        from safety_tui.screens.today import TodayScreen

        # Today needs only the store; the checklists (and pydantic) load in a thread
        # straight after, so the councillor sees their plans as soon as possible.
        self.load_catalog()
        try:
            self.store = open_store(self.data_dir, self.clock)
        except StoreError as exc:
            self.store_error = str(exc)
            self.push_screen(StoreErrorScreen(str(exc)))
            return
        self.push_screen(TodayScreen())
        self._offer_purge()
        self._overdue_alerted: set[str] = set()
        self.set_interval(15.0, self.watch_for_overdue)

    def watch_for_overdue(self) -> None:
        """Alert once per plan, on any screen, when a plan becomes overdue."""
        if self.store is None:
            return
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
        from safety_tui.loader import load_catalog

        catalog = load_catalog(self.layers)
        self.call_from_thread(self.set_catalog, catalog)

    def set_catalog(self, catalog: "Catalog") -> None:
        first = self.catalog is None
        self.catalog = catalog
        self._catalog_loaded.set()
        if first and catalog.errors:
            self.notify(
                f"{len(catalog.errors)} checklist problem(s); the other checklists work. Press l to see them.",
                title="Checklist errors",
                severity="warning",
                timeout=8,
            )

    async def wait_for_catalog(self) -> "Catalog":
        await self._catalog_loaded.wait()
        assert self.catalog is not None
        return self.catalog

    def _offer_purge(self) -> None:
        assert self.store is not None
        refs = self.store.purgeable()
        if refs:
            self.notify(
                f"{len(refs)} finished plan(s) are older than {self.store.retention_days} days. "
                "Press P on the Today screen to delete them.",
                title="Old plans",
                timeout=10,
            )

    def on_unmount(self) -> None:
        if self.store is not None:
            self.store.close()

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text: many carry names, paths or messages from files."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # -- commands shared by screens ---------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.store is not None:
            if self.active_plan() is not None:
                yield SystemCommand("I'm safe: check in", "Finish the plan in progress", self.action_check_in_active)
                yield SystemCommand("Extend the finish time", "Push the expected finish back", self.action_extend_active)
            yield SystemCommand("New plan", "Plan a visit step by step", self.action_new_plan)
            yield SystemCommand("History", "All plans, past and present", self.action_history)
        yield SystemCommand("Checklists", "Loaded checklists, errors and previews", self.action_checklists)

    # -- the plan in progress (Today's keys and the command palette) -----------
    def active_plan(self) -> "PlanSummary | None":
        """The plan in progress that is due first, if any."""
        if self.store is None:
            return None
        running = self.store.list_plans(statuses=[Status.IN_PROGRESS])
        return min(running, key=lambda p: p.due_at or p.created_at) if running else None

    def _after_change(self) -> None:
        refresh = getattr(self.screen, "refresh_plans", None)
        if refresh is not None:
            refresh()

    def action_check_in_active(self) -> None:
        active = self.active_plan()
        if active is None:
            self.notify("No plan is in progress.", severity="warning", timeout=3)
            return
        try:
            self.store.check_in(active.ref)  # type: ignore[union-attr]
        except (PlanError, StoreError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Checked in safe ({active.ref}). Let the people you told know.", title="Safe", timeout=6)
        self._after_change()

    def action_extend_active(self) -> None:
        active = self.active_plan()
        if active is None:
            self.notify("No plan is in progress.", severity="warning", timeout=3)
            return
        from safety_tui.screens.extend import ExtendScreen

        def extend(minutes: int | None) -> None:
            if not minutes:
                return
            try:
                self.store.extend(active.ref, minutes)  # type: ignore[union-attr]
            except (PlanError, StoreError) as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(f"Extended by {minutes} minutes. Tell the people you told.", timeout=5)
            self._after_change()

        self.push_screen(ExtendScreen(), extend)

    async def action_new_plan(self) -> None:
        from safety_tui.screens.wizard import start_new_plan

        await self.wait_for_catalog()
        start_new_plan(self)

    def action_history(self) -> None:
        from safety_tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    async def action_checklists(self) -> None:
        from safety_tui.screens.checklists import ChecklistsScreen

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
    return SafetyApp(layers or search_path(organisation_dir), data_dir=data_dir, clock=clock, tz=tz)
