"""The plan <-> row mapping, written once: which field is which column, and how each converts.

Every read and write of the ``plans`` table goes through :data:`PLAN_COLUMNS`.
The pydantic models are imported only when a whole plan is built, so listing
plans (``safety-tui status``) stays light. Core: no Textual.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable
from zoneinfo import ZoneInfo

from safety_tui.checklists.vocabulary import Answer, TravelMode, VisitType
from safety_tui.common.clock import UTC
from safety_tui.plans.lifecycle import Scheduled, Status
from safety_tui.store.failures import unreadable_value

if TYPE_CHECKING:
    from safety_tui.plans.model import AuditEntry, ChecklistSnapshot, Contact, ItemAnswer, Plan

SqlValue = str | int | None


def iso(when: datetime | None) -> str | None:
    """A time as stored: UTC, ISO 8601, microseconds."""
    return when.astimezone(UTC).isoformat(timespec="microseconds") if when is not None else None


def parse_time(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _same(value: Any) -> Any:
    return value


def _value_of(value: Any) -> Any:
    return value.value


def _modes_to_sql(modes: Any) -> str:
    return json.dumps([TravelMode(m).value for m in modes])


def _modes_from_sql(text: Any) -> list[TravelMode]:
    return [TravelMode(m) for m in json.loads(text)]


def _zone(value: Any) -> str:
    ZoneInfo(value)  # an unknown zone raises ZoneInfoNotFoundError, a KeyError
    return str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int):
        raise TypeError("not a whole number")
    return value


@dataclass(frozen=True)
class Column:
    """One plan field, its column, and the conversions both ways."""

    field: str
    name: str
    to_sql: Callable[[Any], SqlValue] = _same
    from_sql: Callable[[Any], Any] = _same


def _time(field: str, name: str) -> Column:
    return Column(field, name, iso, parse_time)


PLAN_COLUMNS: tuple[Column, ...] = (
    Column("uid", "uid"),
    Column("ref", "ref"),
    Column("status", "status", _value_of, Status),
    Column("visit_type", "visit_type", _value_of, VisitType),
    Column("travel_modes", "travel_modes", _modes_to_sql, _modes_from_sql),
    Column("owner_name", "owner_name"),
    Column("title", "title"),
    Column("location", "location"),
    _time("start", "start_utc"),
    _time("finish", "finish_utc"),
    Column("tz", "tz", _same, _zone),
    Column("grace_minutes", "grace_minutes", _same, _int),
    Column("escalation", "escalation"),
    Column("code_word", "code_word"),
    Column("code_meaning", "code_meaning"),
    Column("wizard_step", "wizard_step"),
    Column("cursor", "cursor"),
    Column("sequence", "sequence", _same, _int),
    _time("created_at", "created_utc"),
    _time("updated_at", "updated_utc"),
    _time("started_at", "started_utc"),
    _time("checked_in_at", "checked_in_utc"),
    _time("ended_at", "ended_utc"),
)
COLUMN = {c.field: c for c in PLAN_COLUMNS}


def column_values(plan: Plan, fields: list[str] | tuple[str, ...]) -> dict[str, SqlValue]:
    """``{column: stored value}`` for some of a plan's fields."""
    return {COLUMN[f].name: COLUMN[f].to_sql(getattr(plan, f)) for f in fields}


def insert_sql(values: dict[str, SqlValue]) -> tuple[str, list[SqlValue]]:
    names = ", ".join(values)
    marks = ", ".join("?" * len(values))
    return f"INSERT INTO plans({names}) VALUES ({marks})", list(values.values())


def update_sql(values: dict[str, SqlValue], plan_id: int) -> tuple[str, list[SqlValue]]:
    sets = ", ".join(f"{name} = ?" for name in values)
    return f"UPDATE plans SET {sets} WHERE id = ?", [*values.values(), plan_id]


def _read(path: Path, ref: str, field: str, convert: Callable[[Any], Any], value: Any) -> Any:
    try:
        return convert(value)
    except (ValueError, TypeError, KeyError) as exc:  # json.JSONDecodeError is a ValueError
        raise unreadable_value(path, ref, field) from exc


def plan_fields(row: sqlite3.Row, path: Path) -> dict[str, Any]:
    """The plan's own fields from its ``plans`` row."""
    ref = str(row["ref"])
    return {c.field: _read(path, ref, c.field, c.from_sql, row[c.name]) for c in PLAN_COLUMNS}


def build_plan(
    row: sqlite3.Row,
    path: Path,
    contacts: list[Contact],
    checklists: list[ChecklistSnapshot],
    answers: dict[str, ItemAnswer],
    audit: list[AuditEntry],
) -> Plan:
    from safety_tui.plans.model import Plan

    fields = plan_fields(row, path)
    return Plan.model_construct(
        id=int(row["id"]), contacts=contacts, checklists=checklists, answers=answers, audit=audit, **fields
    )


def contact_from_row(row: sqlite3.Row, path: Path, ref: str) -> Contact:
    from safety_tui.plans.model import Contact

    told = _read(path, ref, "contact told", parse_time, row["told_utc"])
    return Contact.model_construct(id=int(row["id"]), name=row["name"], phone=row["phone"], told_at=told)


def snapshot_from_row(row: sqlite3.Row, path: Path, ref: str) -> ChecklistSnapshot:
    from safety_tui.plans.model import ChecklistSnapshot

    body = _read(path, ref, "checklist", json.loads, row["body"])
    return ChecklistSnapshot.model_construct(
        checklist_id=row["checklist_id"], content_hash=row["content_hash"], body=body
    )


def answer_from_row(row: sqlite3.Row, path: Path, ref: str) -> ItemAnswer:
    from safety_tui.plans.model import ItemAnswer

    return ItemAnswer.model_construct(
        checklist_id=row["checklist_id"],
        item_id=row["item_id"],
        value=_read(path, ref, "answer", Answer, row["value"]),
        note=row["note"],
        answered_at=_read(path, ref, "answer time", parse_time, row["answered_utc"]),
    )


def audit_from_row(row: sqlite3.Row, path: Path, ref: str) -> AuditEntry:
    from safety_tui.plans.model import AuditEntry

    at = _read(path, ref, "audit time", parse_time, row["at_utc"])
    return AuditEntry.model_construct(at=at, event=row["event"], detail=row["detail"])


@dataclass(frozen=True)
class PlanSummary(Scheduled):
    """What lists show of a plan: no answers, no contacts, cheap for thousands of plans.

    ``due_at``, ``local``, ``is_overdue(now)`` and ``state(now)`` are the plan's own rules
    (:class:`safety_tui.plans.lifecycle.Scheduled`), shared with :class:`safety_tui.plans.model.Plan`.
    """

    ref: str
    status: Status
    visit_type: VisitType
    title: str
    start: datetime | None
    finish: datetime | None
    grace_minutes: int
    tz: str
    created_at: datetime


SUMMARY_FIELDS = ("ref", "status", "visit_type", "title", "start", "finish", "grace_minutes", "tz", "created_at")
SUMMARY_SELECT = "SELECT " + ", ".join(COLUMN[f].name for f in SUMMARY_FIELDS) + " FROM plans"


def summary_from_row(row: sqlite3.Row, path: Path) -> PlanSummary:
    ref = str(row["ref"])
    values = {f: _read(path, ref, f, COLUMN[f].from_sql, row[COLUMN[f].name]) for f in SUMMARY_FIELDS}
    if values["created_at"] is None:
        raise unreadable_value(path, ref, "created_at")
    return PlanSummary(**values)
