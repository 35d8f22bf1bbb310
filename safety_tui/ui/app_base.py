"""The app as its screens see it: typed services, the one place errors are shown, plan changes.

``SafetyAppBase`` holds the services (store, catalog, clock, time zone) with their real types;
screens reach them through ``app = getters.app(SafetyAppBase)`` (see
:class:`~safety_tui.ui.screens.base.SafetyScreen`), so a type checker follows every use. The app
(``safety_tui.ui.app.SafetyApp``) subclasses it and adds the screens, which keeps the layers one
way: app -> screens -> dialogs/widgets -> core.

Every :class:`~safety_tui.common.errors.SafetyError` a screen meets is shown by
:meth:`SafetyAppBase.show_error`.
"""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from textual.app import App
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.signal import Signal

from safety_tui.common.clock import Clock
from safety_tui.common.errors import ChecklistError, PlanNotFound, SafetyError, StoreError
from safety_tui.common.text import printable
from safety_tui.plans.inprogress import due_first
from safety_tui.plans.lifecycle import Status

if TYPE_CHECKING:
    from safety_tui.checklists.loader.catalog import Catalog
    from safety_tui.store.repository import Store
    from safety_tui.store.rows import PlanSummary


@dataclass(repr=False)  # its repr goes to Textual's log: no message of the app shows what it carries
class PlansChanged(Message):
    """A plan was created, started, checked in, extended, cancelled or deleted.

    Every :class:`~safety_tui.ui.screens.base.SafetyScreen` subscribes to the app's
    ``plans_signal`` when mounted and gets this message when it is published; screens that list
    or show plans refresh.
    """

    ref: str | None = None


class SafetyAppBase(App[int]):
    """The app as screens see it: typed services and the one place errors are shown."""

    def __init__(self, layers: list[tuple[str, Path]], clock: Clock, tz: str, data_dir: Path | None) -> None:
        super().__init__()
        self.layers = layers
        self.clock = clock
        self.tz = tz
        self.data_dir = data_dir
        self._store: Store | None = None
        self._catalog: Catalog | None = None
        self._catalog_loaded = asyncio.Event()
        self.plans_signal: Signal[str | None] = Signal(self, "plans-changed")
        """Published with a plan's ref (or None) whenever plans change: see :meth:`plans_changed`."""

    # -- services -----------------------------------------------------------------
    @property
    def store(self) -> Store:
        """The open plan store (raises StoreError if it could not be opened)."""
        if self._store is None:
            raise StoreError("Your plans cannot be opened (see the message at start-up).")
        return self._store

    @property
    def has_store(self) -> bool:
        return self._store is not None

    @property
    def catalog(self) -> Catalog:
        """The loaded checklists (raises ChecklistError while they are still loading)."""
        if self._catalog is None:
            raise ChecklistError("The checklists are still loading; try again in a moment.")
        return self._catalog

    def set_catalog(self, catalog: Catalog) -> None:
        first = self._catalog is None
        self._catalog = catalog
        self._catalog_loaded.set()
        if first and catalog.errors:
            self.notify(
                f"{len(catalog.errors)} checklist problem(s); the other checklists work. Press l to see them.",
                title="Checklist errors",
                severity="warning",
                timeout=8,
            )

    async def wait_for_catalog(self) -> Catalog:
        await self._catalog_loaded.wait()
        return self.catalog

    def active_plan(self) -> PlanSummary | None:
        """The plan in progress that is due first, if any."""
        if self._store is None:
            return None
        return due_first(self._store.list_plans(statuses=[Status.IN_PROGRESS]))

    # -- output -------------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: many carry names, paths or messages from files."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def show_error(self, error: SafetyError) -> None:
        """THE one place the UI shows an error from the core."""
        if isinstance(error, PlanNotFound):
            self.notify(
                f"That plan no longer exists ({error}): was it deleted in another window?",
                title="Plan gone",
                severity="warning",
                timeout=6,
            )
            self.plans_changed()
        elif isinstance(error, StoreError):
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
        else:
            self.notify(str(error), title="Cannot do that", severity="error", timeout=6)

    @contextmanager
    def reporting_errors(self) -> Iterator[None]:
        """``with app.reporting_errors(): ...``: a SafetyError inside is shown, not raised.

        Only the project's own error family: the core turns every refusal into one (pydantic's
        through ``validated``), so anything else is a bug for the crash handler, never a toast.
        """
        try:
            yield
        except SafetyError as error:
            self.show_error(error)

    def plans_changed(self, ref: str | None = None) -> None:
        """Tell every screen that subscribed (each SafetyScreen does) that plans changed."""
        self.plans_signal.publish(ref)
