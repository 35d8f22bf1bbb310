"""A store's plans: creating, reading, listing and editing them (their lifecycle is the store's).

- Every field and answer is written as it is entered, in one short
  transaction, so a kill -9 loses at most the keystroke in flight.
- Nothing secret (code word, address, contact details) reaches the audit trail,
  which records one entry per edited field, never per keystroke.
Core: no Textual.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from safety_tui.checklists.vocabulary import Answer, TravelMode, VisitType
from safety_tui.common.errors import PlanError, PlanNotFound
from safety_tui.plans import settings
from safety_tui.plans.lifecycle import Status, check_editable
from safety_tui.store.database import Database
from safety_tui.store.rows import (
    COLUMN,
    SUMMARY_SELECT,
    PlanSummary,
    SqlValue,
    answer_from_row,
    audit_from_row,
    build_plan,
    column_values,
    contact_from_row,
    insert_sql,
    snapshot_from_row,
    summary_from_row,
    update_sql,
)

if TYPE_CHECKING:
    from safety_tui.checklists.model import Checklist
    from safety_tui.plans.model import Plan


class PlanEdits(TypedDict, total=False):
    """What ``Store.update`` may set: the plan's own fields, checked by the plan's rules.

    Their values never reach the audit trail (only the field's name does).
    """

    visit_type: VisitType | str
    travel_modes: list[TravelMode] | list[str]
    owner_name: str
    title: str
    location: str
    start: datetime | None
    finish: datetime | None
    tz: str
    grace_minutes: int
    escalation: str
    code_word: str
    code_meaning: str
    wizard_step: str
    cursor: str | None


EDITABLE = frozenset(PlanEdits.__annotations__)
QUIET_FIELDS = frozenset({"wizard_step", "cursor"})  # navigation, not worth an audit line
SCHEDULE_FIELDS = frozenset({"start", "finish"})  # a change bumps the calendar SEQUENCE
STORED_FIELDS = tuple(c.field for c in COLUMN.values())
# What a plan holds beside its own row: read back as stored, never re-checked by an edit.
RELATED = frozenset({"contacts", "answers", "checklists", "audit"})


class PlanRecords:
    """The plans' own rows, checklists and answers: the store's ``records``."""

    def __init__(self, db: Database):
        self.db = db

    # -- creating and reading -------------------------------------------------------
    def create_plan(
        self,
        visit_type: VisitType | str,
        travel_modes: Iterable[TravelMode | str] = (),
        checklists: Iterable[Checklist] = (),
        tz: str = "UTC",
        **fields: Any,
    ) -> Plan:
        """A new draft plan, with a short human id like ``2026-11-25-1`` and a random uid.

        The councillor's name comes from the settings (:func:`safety_tui.plans.settings.owner_name`)
        unless ``owner_name`` is given.
        """
        from safety_tui.plans.model import Plan, validated

        now = self.db.clock.now()
        try:
            kind, modes = VisitType(visit_type), [TravelMode(m) for m in travel_modes]
        except ValueError as exc:  # an unknown visit type or travel mode
            raise PlanError(str(exc)) from None
        owner = fields.pop("owner_name", None)
        draft = validated(
            Plan,
            visit_type=kind,
            travel_modes=modes,
            tz=tz,
            owner_name=settings.owner_name(self.db) if owner is None else owner,
            created_at=now,
            updated_at=now,
            **fields,
        )
        local_day = now.astimezone(draft.zone).date().isoformat()
        with self.db.transaction() as c:
            count = c.execute("SELECT COUNT(*) FROM plans WHERE ref LIKE ?", (local_day + "-%",)).fetchone()[0]
            n = count + 1
            while c.execute("SELECT 1 FROM plans WHERE ref = ?", (f"{local_day}-{n}",)).fetchone():
                n += 1
            draft.ref = f"{local_day}-{n}"
            fields_to_store = [f for f in STORED_FIELDS if f not in ("started_at", "checked_in_at", "ended_at")]
            sql, args = insert_sql(column_values(draft, fields_to_store))
            plan_id = int(c.execute(sql, args).lastrowid or 0)
            self._write_checklists(c, plan_id, list(checklists))
            self.db.audit(plan_id, "created", draft.visit_type.value)
        return self.get_plan(draft.ref)

    def _write_checklists(self, conn: sqlite3.Connection, plan_id: int, checklists: list[Checklist]) -> None:
        from safety_tui.plans.model import ChecklistSnapshot

        conn.execute("DELETE FROM plan_checklists WHERE plan_id = ?", (plan_id,))
        for position, checklist in enumerate(checklists):
            snap = ChecklistSnapshot.of(checklist)
            conn.execute(
                "INSERT OR IGNORE INTO checklist_snapshots(content_hash, checklist_id, body) VALUES (?, ?, ?)",
                (snap.content_hash, snap.checklist_id, json.dumps(snap.body, ensure_ascii=False)),
            )
            conn.execute(
                "INSERT INTO plan_checklists(plan_id, position, checklist_id, content_hash) VALUES (?, ?, ?, ?)",
                (plan_id, position, snap.checklist_id, snap.content_hash),
            )

    def resolve(self, ref: str) -> str:
        """Accept a plan id or ``last`` (the newest plan)."""
        if ref == "last":
            found = self.db.row("SELECT ref FROM plans ORDER BY created_utc DESC, id DESC LIMIT 1")
            if found is None:
                raise PlanNotFound("there are no plans yet")
            return str(found[0])
        self.db.plan_id(ref)
        return ref

    def get_plan(self, ref: str) -> Plan:
        from safety_tui.plans.model import answer_key

        found = self.db.row("SELECT * FROM plans WHERE ref = ?", (self.resolve(ref),))
        if found is None:  # deleted between the two reads
            raise PlanNotFound(f"no plan {ref}")
        plan_id, ref = int(found["id"]), str(found["ref"])
        path = self.db.path
        snapshots = self.db.rows(
            """SELECT pc.checklist_id, pc.content_hash, s.body FROM plan_checklists pc
               JOIN checklist_snapshots s USING(content_hash) WHERE pc.plan_id = ? ORDER BY pc.position""",
            (plan_id,),
        )
        answers = self.db.rows("SELECT * FROM answers WHERE plan_id = ?", (plan_id,))
        contacts = self.db.rows("SELECT * FROM plan_contacts WHERE plan_id = ? ORDER BY position, id", (plan_id,))
        audit = self.db.rows(
            "SELECT * FROM audit WHERE plan_id = ? ORDER BY at_utc, id", (plan_id,)
        )  # outside events by their time
        return build_plan(
            found,
            path,
            contacts=[contact_from_row(r, path, ref) for r in contacts],
            checklists=[snapshot_from_row(r, path, ref) for r in snapshots],
            answers={answer_key(r["checklist_id"], r["item_id"]): answer_from_row(r, path, ref) for r in answers},
            audit=[audit_from_row(r, path, ref) for r in audit],
        )

    def list_plans(
        self, include_closed: bool = True, limit: int | None = None, statuses: list[Status] | None = None
    ) -> list[PlanSummary]:
        """Plans newest first, without their answers (cheap even with 10,000 plans)."""
        where: list[str] = []
        args: list[SqlValue] = []
        if statuses:
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            args += [s.value for s in statuses]
        elif not include_closed:
            # Exactly the partial index's condition, so SQLite walks only the open plans, newest first.
            where.append("status NOT IN ('finished', 'cancelled')")
        sql = SUMMARY_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_utc DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [summary_from_row(r, self.db.path) for r in self.db.rows(sql, args)]

    def overdue(self) -> list[PlanSummary]:
        now = self.db.clock.now()
        return [p for p in self.list_plans(statuses=[Status.IN_PROGRESS]) if p.is_overdue(now)]

    # -- editing --------------------------------------------------------------------
    def update(self, ref: str, **fields: Unpack[PlanEdits]) -> Plan:
        """Set plan fields in one transaction, after checking the plan's rules.

        Only the plan's own fields are checked: a contact or note stored before a rule
        existed never stops the plan being edited.
        """
        from safety_tui.plans.model import Plan, validated

        unknown = set(fields) - EDITABLE
        if unknown:
            raise PlanError(f"cannot set {', '.join(sorted(unknown))}")
        current = self.get_plan(ref)
        merged = current.model_dump(exclude=set(RELATED))
        merged.update(fields)
        plan = validated(Plan, **merged)
        changed = sorted(f for f in fields if column_values(plan, [f]) != column_values(current, [f]))
        if not changed:
            return current
        values = column_values(plan, changed)
        if SCHEDULE_FIELDS & set(changed):
            values["sequence"] = current.sequence + 1
        assert current.id is not None
        with self.db.transaction() as c:
            if set(changed) - QUIET_FIELDS:  # the wizard's place is not the plan: moving on is always saved
                check_editable(self.db.status_in(c, current.id))
            c.execute(*update_sql(values, current.id))
            for field in changed:
                if field not in QUIET_FIELDS:
                    self.db.audit_edit(current.id, field)  # the field's name only, never its value
        return self.get_plan(ref)

    def set_checklists(self, ref: str, checklists: list[Checklist]) -> None:
        plan_id = self.db.plan_id(ref)
        with self.db.transaction() as c:
            self._write_checklists(c, plan_id, checklists)
            self.db.audit(plan_id, "checklists", ", ".join(c.id for c in checklists))

    def set_answer(
        self, ref: str, checklist_id: str, item_id: str, value: Answer | str, note: str = "", cursor: str | None = None
    ) -> None:
        """Save one answer (and optionally where the walk is) in one small transaction.

        The note keeps its lines; a control character in it is a ``PlanError`` (nothing is saved).
        """
        from safety_tui.plans.model import ItemAnswer

        try:
            answer = Answer(value)
        except ValueError:
            raise PlanError(f"not an answer: {value!r}") from None
        clean = ItemAnswer.clean_note(note)
        plan_id = self.db.plan_id(ref)
        with self.db.transaction() as c:
            c.execute(
                """INSERT INTO answers(plan_id, checklist_id, item_id, value, note, answered_utc)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(plan_id, checklist_id, item_id) DO UPDATE SET value = excluded.value,
                   note = excluded.note, answered_utc = excluded.answered_utc""",
                (plan_id, checklist_id, item_id, answer.value, clean, self.db.now_text()),
            )
            if cursor is not None:
                c.execute(
                    "UPDATE plans SET cursor = ?, updated_utc = ? WHERE id = ?", (cursor, self.db.now_text(), plan_id)
                )

    def set_note(self, ref: str, checklist_id: str, item_id: str, note: str) -> None:
        """Change an answer's note (lines kept; a control character is a ``PlanError``)."""
        from safety_tui.plans.model import ItemAnswer

        clean = ItemAnswer.clean_note(note)
        plan_id = self.db.plan_id(ref)
        with self.db.transaction() as c:
            c.execute(
                "UPDATE answers SET note = ? WHERE plan_id = ? AND checklist_id = ? AND item_id = ?",
                (clean, plan_id, checklist_id, item_id),
            )
