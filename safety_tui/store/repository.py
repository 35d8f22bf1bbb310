"""The store: every read and write of plans, through its parts. Open one with :func:`safety_tui.wiring.open_store`.

A :class:`Store` is made of parts that each hold the one :class:`~safety_tui.store.database.Database`
(the connection, its transactions and the clock): ``records`` (plans, checklists, answers),
``contact_book`` (who was told, the address book) and ``wiper`` (deleting for good). Its methods
are theirs, named once here so callers see one typed store; the lifecycle (start, extend,
check in, cancel) is the store's own.

After a committed lifecycle change the store calls the ``on_change`` hook it was opened with
(:data:`PlanChanged`); it knows nothing of who listens (the app and the CLI register the
council duty desk's publication). Core: no Textual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeAlias, Unpack

from safety_tui.checklists.vocabulary import Answer, TravelMode, VisitType
from safety_tui.common.clock import Clock
from safety_tui.common.errors import PlanError
from safety_tui.plans.lifecycle import Status, check_transition, extended_finish
from safety_tui.store.contacts import ContactBook
from safety_tui.store.database import Database
from safety_tui.store.records import PlanEdits, PlanRecords
from safety_tui.store.rows import COLUMN, PlanSummary, SqlValue, iso, update_sql
from safety_tui.store.wiping import PurgeResult, Wiper

if TYPE_CHECKING:
    from safety_tui.checklists.model import Checklist
    from safety_tui.plans.model import Contact, Plan

# Told of each committed lifecycle change: (the store, the plan as saved, the audit event), and of a
# plan deleted for good (the plan as it was, FORGOTTEN).
# Called after the commit: whatever it does, the plan is saved, so it must not raise.
PlanChanged: TypeAlias = "Callable[[Store, Plan, str], None]"
FORGOTTEN = "forgotten"


class Store:
    """All reads and writes of plans. Open with :func:`safety_tui.wiring.open_store`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        clock: Clock,
        *,
        read_only: bool = False,
        on_change: PlanChanged | None = None,
    ):
        self.db = Database(conn, path, clock, read_only=read_only)
        self.records = PlanRecords(self.db)
        self.contact_book = ContactBook(self.db)
        self.wiper = Wiper(self.db)
        self.on_change = on_change

    # The database's, read through the store (one of each: the parts share them).
    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def clock(self) -> Clock:
        return self.db.clock

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the database: reading, writing, settings ----------------------------------------------
    def rows(self, sql: str, args: Sequence[SqlValue] = ()) -> list[sqlite3.Row]:
        return self.db.rows(sql, args)

    def row(self, sql: str, args: Sequence[SqlValue] = ()) -> sqlite3.Row | None:
        return self.db.row(sql, args)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.db.transaction() as conn:
            yield conn

    def plan_id(self, ref: str) -> int:
        return self.db.plan_id(ref)

    def audit(self, plan_id: int, event: str, detail: str = "") -> None:
        """Inside :meth:`transaction`: one line in the plan's audit trail (names and events, never values)."""
        self.db.audit(plan_id, event, detail)

    def setting(self, key: str, default: str = "") -> str:
        return self.db.setting(key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.db.set_setting(key, value)

    @property
    def retention_days(self) -> int:
        return self.db.retention_days

    # -- plans: the records part ---------------------------------------------------------------
    def create_plan(
        self,
        visit_type: VisitType | str,
        travel_modes: Iterable[TravelMode | str] = (),
        checklists: Iterable[Checklist] = (),
        tz: str = "UTC",
        **fields: Any,
    ) -> Plan:
        return self.records.create_plan(visit_type, travel_modes, checklists, tz, **fields)

    def resolve(self, ref: str) -> str:
        return self.records.resolve(ref)

    def get_plan(self, ref: str) -> Plan:
        return self.records.get_plan(ref)

    def list_plans(
        self, include_closed: bool = True, limit: int | None = None, statuses: list[Status] | None = None
    ) -> list[PlanSummary]:
        return self.records.list_plans(include_closed, limit, statuses)

    def overdue(self) -> list[PlanSummary]:
        return self.records.overdue()

    def update(self, ref: str, **fields: Unpack[PlanEdits]) -> Plan:
        return self.records.update(ref, **fields)

    def set_checklists(self, ref: str, checklists: list[Checklist]) -> None:
        self.records.set_checklists(ref, checklists)

    def set_answer(
        self, ref: str, checklist_id: str, item_id: str, value: Answer | str, note: str = "", cursor: str | None = None
    ) -> None:
        self.records.set_answer(ref, checklist_id, item_id, value, note, cursor)

    def set_note(self, ref: str, checklist_id: str, item_id: str, note: str) -> None:
        self.records.set_note(ref, checklist_id, item_id, note)

    # -- contacts: the contact book part -------------------------------------------------------
    def add_contact(self, ref: str, name: str, phone: str = "", told: bool = False, remember: bool = True) -> int:
        return self.contact_book.add_contact(ref, name, phone, told, remember)

    def contacts(self, ref: str) -> list[Contact]:
        return self.contact_book.contacts(ref)

    def set_told(self, ref: str, contact_id: int, told: bool = True) -> None:
        self.contact_book.set_told(ref, contact_id, told)

    def remove_contact(self, ref: str, contact_id: int) -> None:
        self.contact_book.remove_contact(ref, contact_id)

    def forget_saved_contact(self, name: str, phone: str) -> None:
        self.contact_book.forget_saved_contact(name, phone)

    def saved_contacts(self) -> list[Contact]:
        return self.contact_book.saved_contacts()

    # -- deleting for good: the wiper part -------------------------------------------------------
    def forget(self, ref: str) -> bool:
        plan = self.get_plan(ref)
        wiped = self.wiper.forget(ref)
        self.announce(plan, FORGOTTEN)
        return wiped

    def purgeable(self, older_than_days: int | None = None) -> list[str]:
        return self.wiper.purgeable(older_than_days)

    def purge(self, older_than_days: int | None = None) -> PurgeResult:
        doomed = [self.get_plan(ref) for ref in self.wiper.purgeable(older_than_days)]
        result = self.wiper.purge(older_than_days)
        for plan in doomed:
            if plan.ref in result.refs:
                self.announce(plan, FORGOTTEN)
        return result

    @property
    def wipe_pending(self) -> bool:
        return self.wiper.wipe_pending

    def wipe(self) -> bool:
        return self.wiper.wipe()

    # -- lifecycle ------------------------------------------------------------------
    def _transition(self, ref: str, new: Status, event: str, **times: str) -> Plan:
        plan = self.get_plan(ref)
        check_transition(plan.status, new)
        if new in (Status.READY, Status.IN_PROGRESS) and (plan.start is None or plan.finish is None):
            raise PlanError("set the start and expected finish times first")
        assert plan.id is not None
        values: dict[str, SqlValue] = {"status": new.value, **{COLUMN[f].name: t for f, t in times.items()}}
        with self.db.transaction() as c:
            c.execute(*update_sql(values, plan.id))
            self.db.audit(plan.id, event)
        return self.announce(self.get_plan(ref), event)

    def mark_ready(self, ref: str) -> Plan:
        return self._transition(ref, Status.READY, "ready")

    def reopen(self, ref: str) -> Plan:
        return self._transition(ref, Status.DRAFT, "reopened as draft")

    def start(self, ref: str) -> Plan:
        """Start the visit. Refused (``PlanError``) when the plan's start check refuses, e.g. its
        expected finish has passed; the questions the check asks are the caller's to ask first."""
        self.get_plan(ref).start_check(self.clock.now()).raise_if_refused()
        return self._transition(ref, Status.IN_PROGRESS, "started", started_at=self.db.now_text())

    def check_in(self, ref: str) -> Plan:
        now = self.db.now_text()
        return self._transition(ref, Status.FINISHED, "checked in safe", checked_in_at=now, ended_at=now)

    def cancel(self, ref: str) -> Plan:
        return self._transition(ref, Status.CANCELLED, "cancelled", ended_at=self.db.now_text())

    def extend(self, ref: str, minutes: int) -> Plan:
        """Push the expected finish back; logged in the audit trail, and the calendar SEQUENCE goes up.

        The rules (1 to ``MAX_EXTEND_MINUTES``, an open plan with a finish) are
        :func:`safety_tui.plans.lifecycle.extended_finish`'s (past the finish, it counts from now).
        """
        plan = self.get_plan(ref)
        new_finish = extended_finish(plan.status, plan.finish, minutes, self.clock.now())
        assert plan.id is not None
        values = {"finish_utc": iso(new_finish), "sequence": plan.sequence + 1}
        with self.db.transaction() as c:
            c.execute(*update_sql(values, plan.id))
            self.db.audit(plan.id, "extended", f"+{minutes} min, finish {iso(new_finish)}")
        return self.announce(self.get_plan(ref), "extended")

    def add_outside_events(self, ref: str, events: Iterable[tuple[datetime, str, str]]) -> int:
        """Events from elsewhere (the council duty desk's actions), each added to the audit trail once,
        at its own time; returns how many were new. The caller keeps secrets out of ``detail``."""
        plan_id = self.db.plan_id(ref)
        added = 0
        with self.db.transaction() as c:
            for at, event, detail in events:
                row = (plan_id, iso(at), event, detail)
                if c.execute(
                    "SELECT 1 FROM audit WHERE plan_id = ? AND at_utc = ? AND event = ? AND detail = ?", row
                ).fetchone():
                    continue
                c.execute("INSERT INTO audit(plan_id, at_utc, event, detail) VALUES (?, ?, ?, ?)", row)
                added += 1
        return added

    def announce(self, plan: Plan, event: str) -> Plan:
        """After a committed lifecycle change: tell the ``on_change`` hook the store was opened with."""
        if self.on_change is not None:
            self.on_change(self, plan, event)
        return plan
