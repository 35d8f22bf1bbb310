"""The Textual app. ``create_app`` is the one factory used by the CLI and the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from safety_tui.loader import Catalog, load_catalog, search_path
from safety_tui.plan import Clock, SystemClock
from safety_tui.store import Store, StoreError, open_store
from safety_tui.timeparse import local_zone_name


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
        self.catalog = Catalog()
        self.store: Store | None = None
        self.store_error: str | None = None

    # -- start-up ---------------------------------------------------------------
    def on_mount(self) -> None:
        from safety_tui.screens.store_error import StoreErrorScreen
        from safety_tui.screens.today import TodayScreen

        self.reload_catalog()
        try:
            self.store = open_store(self.data_dir, self.clock)
        except StoreError as exc:
            self.store_error = str(exc)
            self.push_screen(StoreErrorScreen(str(exc)))
            return
        self.push_screen(TodayScreen())
        self._offer_purge()

    def reload_catalog(self) -> Catalog:
        self.catalog = load_catalog(self.layers)
        if self.catalog.errors:
            count = len(self.catalog.errors)
            self.notify(
                f"{count} checklist problem(s); the other checklists work. Press l to see them.",
                title="Checklist errors",
                severity="warning",
                timeout=8,
            )
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

    # -- commands shared by screens ---------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.store is not None:
            yield SystemCommand("New plan", "Plan a visit step by step", self.action_new_plan)
            yield SystemCommand("History", "All plans, past and present", self.action_history)
        yield SystemCommand("Checklists", "Loaded checklists, errors and previews", self.action_checklists)

    def action_new_plan(self) -> None:
        from safety_tui.screens.wizard import start_new_plan

        start_new_plan(self)

    def action_history(self) -> None:
        from safety_tui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def action_checklists(self) -> None:
        from safety_tui.screens.checklists import ChecklistsScreen

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
