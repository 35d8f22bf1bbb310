"""The one place the core is assembled: the store opened with the incident log's tables and the council's publication.

The store knows nothing of the incident log or the council duty desk; whoever opens it
says what comes with it. The app, the CLI, the scripts and the benchmarks all open it
through :func:`open_store` here, so no entry point can forget to publish a started plan
(tests/test_wiring.py checks that nothing else opens the store). Core: no Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from safety_tui.council.hook import plan_changed
from safety_tui.incidents.schema import INCIDENT_TABLES
from safety_tui.store import opening
from safety_tui.store.schema import SchemaPart

if TYPE_CHECKING:
    from safety_tui.common.clock import Clock
    from safety_tui.store.repository import Store

# The other parts kept in the store's file, each under its own version.
PARTS: tuple[SchemaPart, ...] = (INCIDENT_TABLES,)


def open_store(directory: Path | None = None, clock: Clock | None = None, *, read_only: bool = False) -> Store:
    """Open (or create) the store with everything that comes with it: the incident log's tables, and the
    council duty desk told of every lifecycle change (a no-op unless a council database is configured)."""
    return opening.open_store(directory, clock, read_only=read_only, parts=PARTS, on_change=plan_changed)
