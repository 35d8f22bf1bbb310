"""Today's line about the incident log: reports still to make and people to consider. Core: no Textual.

Linear in the size of the log: every incident's to-dos depend on the incident alone, and the
people are grouped once (:class:`~safety_tui.incidents.prompts.PersonIndex`). :func:`read_tally`
opens its own read-only connection, so it can run in a worker thread while the app's
connection stays on the UI thread.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from safety_tui.common.errors import StoreError
from safety_tui.incidents.log import IncidentLog
from safety_tui.incidents.model import Incident
from safety_tui.incidents.prompts import PersonIndex, outstanding
from safety_tui.incidents.routes import Routes, load_routes


@dataclass(frozen=True)
class IncidentTally:
    reports: int  # reports not yet made (to-dos)
    incidents: int  # the incidents they are for
    people: int  # named people with enough incidents that count to ask 5.5.5's question

    def line(self) -> str:
        """One line for Today, or '' when there is nothing to do."""
        parts = []
        if self.reports:
            parts.append(f"{_count(self.reports, 'report')} not yet made for {_count(self.incidents, 'incident')}")
        if self.people:
            parts.append(f"a question to consider (harassment?) about {_count(self.people, 'person', 'people')}")
        text = "; ".join(parts) + ": press I to see them."
        return text[0].upper() + text[1:] if parts else ""


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def tally(incidents: list[Incident], routes: Routes) -> IncidentTally:
    todo = outstanding(incidents, routes)
    people = PersonIndex.of(incidents).pattern_people()
    return IncidentTally(len(todo), len({i.id for i, _ in todo}), len(people))


def _log_version(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes with every entry appended (recorded, amended, action, dismissed, deleted): cheap to read."""
    try:
        row = conn.execute("SELECT coalesce(max(seq), 0), count(*) FROM incident_entries").fetchone()
    except sqlite3.OperationalError:  # a store that never had an incident: no table yet
        return (0, 0)
    return (int(row[0]), int(row[1]))


@dataclass
class TallyCache:
    """The last tally and the log version it was counted at: Today recounts only after the log changed,
    so on a quiet log its poll costs one small query."""

    version: tuple[int, int] | None = None
    last: IncidentTally | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, database: Path, data_dir: Path) -> IncidentTally:
        """The tally from the store's file through a connection of its own (read-only): for a worker thread."""
        with self.lock:
            try:
                conn = sqlite3.connect(database.as_uri() + "?mode=ro", uri=True, timeout=10.0)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the incident log: {exc}") from None
            try:
                conn.execute("PRAGMA query_only = ON")
                version = _log_version(conn)
                if version == self.version and self.last is not None:
                    return self.last
                incidents = IncidentLog(conn, data_dir).incidents()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the incident log: {exc}") from None
            finally:
                conn.close()
            self.last = tally(incidents, load_routes().routes)
            self.version = version
            return self.last


def read_tally(database: Path, data_dir: Path) -> IncidentTally:
    """One tally, counted now (no cache)."""
    return TallyCache().read(database, data_dir)
