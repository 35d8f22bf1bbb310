"""Everything the start screen shows, read in one go on a connection of its own. Core: no Textual.

Today shows the open plans, the periodic reviews due, the incident reports still to make and
whether the duty desk has had everything. :class:`TodayReader` reads all of it in one read
transaction on its own read-only connection, so a worker thread can do it while the UI thread
keeps answering keys: it sees what is committed (what another window or the CLI wrote, like the
app's own writes), never a write half done, and it can never write.

The incident part is the costly one: it is counted by :func:`safety_tui.incidents.tally.tally`
(linear in the log) and read again only when the log or the council's routes changed.

Importing this module loads no pydantic: the parts that need it are imported when first read, in
the worker, after the first frame.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from safety_tui.checklists.vocabulary import VISIT_LABELS
from safety_tui.common.clock import Clock
from safety_tui.common.errors import StoreError
from safety_tui.common.timefmt import format_duration, format_when
from safety_tui.plans.inprogress import due_first
from safety_tui.store.repository import Store
from safety_tui.store.rows import PlanSummary

if TYPE_CHECKING:
    from safety_tui.checklists.model import Checklist
    from safety_tui.incidents.routes import Routes


@dataclass(frozen=True)
class TodaySnapshot:
    """What Today shows, as read at one moment."""

    plans: tuple[PlanSummary, ...]
    """The open plans (not finished or cancelled), newest first."""
    reviews_due: str | None
    """"Review due: ... (press v)." or ''; None until the checklists have loaded."""
    incident_todo: str | None
    """The incident log's line (reports not yet made, people to consider: ``IncidentTally.line``) or '';
    None until loaded."""
    sharing: str | None
    """'' unless a council database is configured and something waits to be sent to the desk, was set
    aside, or this computer's clock is off (``council.hook.sharing_line``); None until the checklists
    have loaded (with them, what this needs)."""

    @property
    def after_visit(self) -> list[str]:
        """The lines under the banner: reports still to make, then what the desk has not had."""
        return [line for line in (self.incident_todo, self.sharing) if line]


COLUMNS = (("Plan", "plan"), ("Status", "status"), ("When", "when"), ("Visit", "visit"), ("Title", "title"))


def row_text(plan: PlanSummary, now: datetime) -> tuple[str, ...]:
    """One plan's row in Today's list (COLUMNS), as text: compared to see which cells changed."""
    state = plan.state(now)
    return (
        plan.ref,
        state.upper() if state == "overdue" else state,
        format_when(plan.start, plan.tz, missing="-"),
        VISIT_LABELS.get(plan.visit_type, ""),
        plan.title or "(untitled)",
    )


def banner(plans: Sequence[PlanSummary], now: datetime) -> tuple[str, bool | None]:
    """The box over Today's list: the plan in progress due first, its countdown or how overdue it is.
    With it, True when that plan is overdue, False when it is running, None when nothing is in progress."""
    active = due_first(list(plans))
    if active is None or active.finish is None or active.due_at is None:
        return "Nothing in progress.", None
    title = active.title or VISIT_LABELS.get(active.visit_type, "Visit")
    # times alone today; with the date when the finish (or the worry time) is on another day
    finish = format_when(active.finish, active.tz, same_day_as=now)
    due = format_when(active.due_at, active.tz, same_day_as=now)
    if active.is_overdue(now):
        return (
            f"OVERDUE by {format_duration(now - active.due_at)}: {title}\n"
            f"Expected finish was {finish}. Your contacts were told to act from {due}.\n"
            "Press c if you are safe, or e to extend."
        ), True
    if now <= active.finish:
        return (
            f"In progress: {title}\nExpected finish {finish}, in {format_duration(active.finish - now)}. "
            "Press c when you are safe.\nb shows the briefing: what to do during the visit."
        ), False
    return (
        f"In progress: {title}\nPast the expected finish {finish}; contacts act from {due} "
        f"(in {format_duration(active.due_at - now)}). Press c or e."
    ), False


def reviews_line(store: Store, checklists: Iterable[Checklist], now: datetime) -> str:
    """The periodic reviews due now, or ''."""
    from safety_tui.checklists import reviews

    due = [s.title for s in reviews.statuses(store, checklists, now) if s.due]
    return f"Review due: {', '.join(due)} (press v)." if due else ""


def open_reader(store: Store) -> Store:
    """A second connection to ``store``'s file that can only read: for one worker thread."""
    try:
        conn = sqlite3.connect(
            store.path.as_uri() + "?mode=ro", uri=True, timeout=10.0, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {store.path} for the start screen: {exc}") from None
    return Store(conn, store.path, store.clock, read_only=True)


# Every change to the incident log appends an entry (a deletion too, after blanking the texts): the
# last entry, the count and the texts' total length change with anything recorded. A plan saved
# changes none of them, so Today does not read the whole log again for it.
LOG_VERSION = "SELECT max(seq), count(*), total(length(body)) FROM incident_entries"


class TodayReader:
    """Reads :class:`TodaySnapshot` s for one screen; safe to call from any one thread at a time
    (a lock makes a second caller wait)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._reader: Store | None = None
        self._lock = threading.Lock()
        self._todo_memo: tuple[object, Routes, str] | None = None  # (the log's version, routes, line)

    def read(
        self, checklists: Sequence[Checklist] | None, wanted: Callable[[], bool] = lambda: True
    ) -> TodaySnapshot | None:
        """Everything Today shows; the reviews and the to-dos only once ``checklists`` are given
        (they need the models that load with them). None, reading nothing, once ``wanted()`` is
        False (the screen went out of sight while this call waited its turn)."""
        with self._lock:
            if not wanted():
                return None
            if self._reader is None:
                self._reader = open_reader(self.store)
            return today_snapshot(self._reader, checklists, self.clock.now(), self._incident_todo)

    def _incident_todo(self, reader: Store) -> str:
        from safety_tui.incidents import tally as incident_tally
        from safety_tui.incidents.log import IncidentLog
        from safety_tui.incidents.routes import load_routes

        routes = load_routes().routes
        log = IncidentLog.of(reader)
        version = tuple(reader.rows(LOG_VERSION)[0]) if log.ready else None
        memo = self._todo_memo
        if memo is not None and memo[0] == version and memo[1] == routes:
            return memo[2]
        line = incident_tally.tally(log.incidents(), routes).line()
        self._todo_memo = (version, routes, line)
        return line

    def close(self) -> None:
        with self._lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None


def today_snapshot(
    reader: Store, checklists: Sequence[Checklist] | None, now: datetime, incident_todo: Callable[[Store], str]
) -> TodaySnapshot:
    """Read everything Today shows in one read transaction on ``reader``."""
    try:
        reader.conn.execute("BEGIN")
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read {reader.path}: {exc}") from None
    try:
        plans = tuple(reader.list_plans(include_closed=False))
        reviews = todo = sharing = None
        if checklists is not None:
            from safety_tui.council.hook import sharing_line

            reviews = reviews_line(reader, checklists, now)
            todo = incident_todo(reader)
            sharing = sharing_line(reader)
    finally:
        try:
            reader.conn.execute("COMMIT")
        except sqlite3.Error:
            pass
    return TodaySnapshot(plans, reviews, todo, sharing)
