"""The plan store: one SQLite database, crash-safe and private. Core: no Textual import.

- Every field and answer is written as it is entered, in one short
  transaction, so a kill -9 loses at most the keystroke in flight.
- WAL mode and a busy timeout let the app and the CLI run at once.
- A file that is not a safety-tui database, is corrupt, or comes from a newer
  version is never written to: ``StoreError`` says which file and what to do.
- The folder is 0700 and the files 0600; deleted plans are overwritten
  (``secure_delete``) and the file is vacuumed.
- Nothing secret (code word, address, contact details) is written to the audit
  trail, logs or exception messages.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

from typing import TYPE_CHECKING

from safety_tui import kinds, paths
from safety_tui.kinds import UTC, Answer, Clock, PlanError, Status, SystemClock, TravelMode, VisitType, check_transition

if TYPE_CHECKING:  # the pydantic models are imported where used, so `status` stays light
    from pydantic import ValidationError

    from safety_tui.checklist import Checklist
    from safety_tui.plan import Contact, Plan

DB_NAME = "plans.sqlite3"
APPLICATION_ID = 0x53465455  # "SFTU"
SCHEMA_VERSION = 2
DEFAULT_RETENTION_DAYS = 30
SQLITE_HEADER = b"SQLite format 3\x00"

SCHEMA = """
CREATE TABLE plans(
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    visit_type TEXT NOT NULL,
    travel_modes TEXT NOT NULL DEFAULT '[]',
    owner_name TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    start_utc TEXT,
    finish_utc TEXT,
    tz TEXT NOT NULL,
    grace_minutes INTEGER NOT NULL,
    escalation TEXT NOT NULL DEFAULT '',
    code_word TEXT NOT NULL DEFAULT '',
    code_meaning TEXT NOT NULL DEFAULT '',
    wizard_step TEXT NOT NULL DEFAULT 'type',
    cursor TEXT,
    created_utc TEXT NOT NULL,
    updated_utc TEXT NOT NULL,
    started_utc TEXT,
    checked_in_utc TEXT,
    ended_utc TEXT
);
CREATE INDEX plans_by_created ON plans(created_utc, id);
CREATE INDEX plans_by_status ON plans(status, finish_utc);
CREATE TABLE plan_contacts(
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    told_utc TEXT,
    PRIMARY KEY(plan_id, position)
) WITHOUT ROWID;
CREATE TABLE checklist_snapshots(
    content_hash TEXT PRIMARY KEY,
    checklist_id TEXT NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE plan_checklists(
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    checklist_id TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES checklist_snapshots(content_hash),
    PRIMARY KEY(plan_id, position)
) WITHOUT ROWID;
CREATE TABLE answers(
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    checklist_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    answered_utc TEXT NOT NULL,
    PRIMARY KEY(plan_id, checklist_id, item_id)
) WITHOUT ROWID;
CREATE TABLE audit(
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    at_utc TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_plan ON audit(plan_id, id);
CREATE TABLE saved_contacts(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    last_used_utc TEXT,
    UNIQUE(name, phone)
);
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""

# Forward migrations: MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: dict[int, str] = {
    0: SCHEMA,
    # v2: Today lists open plans; with years of finished plans a partial index keeps that instant.
    1: "CREATE INDEX plans_open ON plans(created_utc, id) WHERE status NOT IN ('finished', 'cancelled')",
}

# Fields a caller may set with ``update``; secret ones never reach the audit detail.
EDITABLE = {
    "visit_type", "travel_modes", "owner_name", "title", "location", "start", "finish", "tz",
    "grace_minutes", "escalation", "code_word", "code_meaning", "wizard_step", "cursor",
}
QUIET_FIELDS = {"wizard_step", "cursor"}  # navigation, not worth an audit line


from safety_tui.errors import PlanNotFound, StoreError  # noqa: E402,F401


@dataclass(frozen=True)
class PlanSummary:
    ref: str
    status: Status
    visit_type: VisitType
    title: str
    start: datetime | None
    finish: datetime | None
    grace_minutes: int
    tz: str
    created_at: datetime

    @property
    def due_at(self) -> datetime | None:
        return kinds.due_at(self.finish, self.grace_minutes)

    def local(self, when: datetime | None) -> datetime | None:
        """``when`` in the plan's own time zone, for display."""
        from zoneinfo import ZoneInfo

        return when.astimezone(ZoneInfo(self.tz)) if when is not None else None

    def is_overdue(self, now: datetime) -> bool:
        return kinds.is_overdue(self.status, self.due_at, now)

    def state(self, now: datetime) -> str:
        return kinds.state(self.status, self.due_at, now)


def _iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="microseconds") if when is not None else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _private_dir(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        mode = stat.S_IMODE(directory.stat().st_mode)
        if mode & 0o077:  # take group and other access away; never add write access back
            directory.chmod(mode & 0o700)
    except OSError as exc:
        raise StoreError(
            f"cannot use the data folder {directory}: {exc.strerror or exc}. "
            f"Check its permissions, or set {paths.ENV_DATA_DIR} to a folder you own."
        ) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StoreError(
            f"the data folder {directory} is read-only. Make it writable, or set "
            f"{paths.ENV_DATA_DIR} to a folder you own."
        )


def _check_existing(path: Path) -> None:
    """Refuse anything that is not a healthy safety-tui database, without writing to it."""
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not a SQLite database (it may be corrupt). safety-tui will not touch it. "
            "Move it somewhere safe (it may hold plans you need), then start safety-tui again."
        )
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{path} cannot be read as a database ({exc}). safety-tui will not touch it. "
            "Move it somewhere safe, then start safety-tui again."
        ) from None
    if app_id != APPLICATION_ID:
        raise StoreError(
            f"{path} is a SQLite database, but not one of safety-tui's. safety-tui will not touch it. "
            f"Move it away, or set {paths.ENV_DATA_DIR} to another folder."
        )
    if check != "ok":
        raise StoreError(
            f"{path} is damaged (integrity check: {check}). safety-tui will not write to it. "
            "Keep a copy; 'sqlite3 plans.sqlite3 .recover' may rescue the plans."
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer safety-tui (schema {version}, this one knows {SCHEMA_VERSION}). "
            "Upgrade safety-tui to open it."
        )


class Store:
    """All reads and writes of plans. Open with :func:`open_store`."""

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock):
        self.conn = conn
        self.path = path
        self.clock = clock

    # -- plumbing -----------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taken up front so two writers queue, never clash.

        Any SQLite failure (disk full, read-only file, I/O error) rolls the whole
        transaction back and becomes a ``StoreError`` that says what to check.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}. Is the disk full or read-only?") from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:  # SQLite may already have rolled back (e.g. disk full)
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"cannot save to {self.path}: {exc}. Is the disk full or read-only?") from None
            raise

    def _now(self) -> str:
        return _iso(self.clock.now())  # type: ignore[return-value]

    def _plan_id(self, ref: str) -> int:
        row = self.conn.execute("SELECT id FROM plans WHERE ref = ?", (ref,)).fetchone()
        if row is None:
            raise PlanNotFound(f"no plan {ref}")
        return row[0]

    def _audit(self, plan_id: int, event: str, detail: str = "") -> None:
        now = self._now()
        self.conn.execute("INSERT INTO audit(plan_id, at_utc, event, detail) VALUES (?, ?, ?, ?)", (plan_id, now, event, detail))
        self.conn.execute("UPDATE plans SET updated_utc = ? WHERE id = ?", (now, plan_id))

    # -- settings -------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._tx() as c:
            c.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    @property
    def retention_days(self) -> int:
        try:
            return int(self.setting("retention_days", str(DEFAULT_RETENTION_DAYS)))
        except ValueError:
            return DEFAULT_RETENTION_DAYS

    # -- creating and reading -----------------------------------------------
    def create_plan(
        self,
        visit_type: VisitType | str,
        travel_modes: list[TravelMode] | list[str] = (),  # type: ignore[assignment]
        checklists: list[Checklist] = (),  # type: ignore[assignment]
        tz: str = "UTC",
        **fields: Any,
    ) -> Plan:
        """A new draft plan, with a short human id like ``2026-11-25-1``."""
        from safety_tui.plan import Plan

        now = self.clock.now()
        draft = Plan(
            visit_type=VisitType(visit_type),
            travel_modes=[TravelMode(m) for m in travel_modes],
            tz=tz,
            owner_name=fields.pop("owner_name", self.setting("owner_name")),
            **fields,
        )
        local_day = now.astimezone(draft.zone).date().isoformat()
        with self._tx() as c:
            count = c.execute("SELECT COUNT(*) FROM plans WHERE ref LIKE ?", (local_day + "-%",)).fetchone()[0]
            n = count + 1
            while c.execute("SELECT 1 FROM plans WHERE ref = ?", (f"{local_day}-{n}",)).fetchone():
                n += 1
            ref = f"{local_day}-{n}"
            cur = c.execute(
                """INSERT INTO plans(ref, status, visit_type, travel_modes, owner_name, title, location, start_utc,
                   finish_utc, tz, grace_minutes, escalation, code_word, code_meaning, wizard_step, cursor,
                   created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    ref, draft.status.value, draft.visit_type.value, json.dumps([m.value for m in draft.travel_modes]),
                    draft.owner_name, draft.title, draft.location, _iso(draft.start), _iso(draft.finish), draft.tz,
                    draft.grace_minutes, draft.escalation, draft.code_word, draft.code_meaning, draft.wizard_step,
                    draft.cursor, _iso(now), _iso(now),
                ),
            )
            plan_id = cur.lastrowid
            self._write_checklists(plan_id, list(checklists))
            self._audit(plan_id, "created", draft.visit_type.value)
        return self.get_plan(ref)

    def _write_checklists(self, plan_id: int, checklists: list[Checklist]) -> None:
        from safety_tui.plan import ChecklistSnapshot

        self.conn.execute("DELETE FROM plan_checklists WHERE plan_id = ?", (plan_id,))
        for position, checklist in enumerate(checklists):
            snap = ChecklistSnapshot.of(checklist)
            self.conn.execute(
                "INSERT OR IGNORE INTO checklist_snapshots(content_hash, checklist_id, body) VALUES (?, ?, ?)",
                (snap.content_hash, snap.checklist_id, json.dumps(snap.body, ensure_ascii=False)),
            )
            self.conn.execute(
                "INSERT INTO plan_checklists(plan_id, position, checklist_id, content_hash) VALUES (?, ?, ?, ?)",
                (plan_id, position, snap.checklist_id, snap.content_hash),
            )

    def resolve(self, ref: str) -> str:
        """Accept a plan id or ``last`` (the newest plan)."""
        if ref == "last":
            row = self.conn.execute("SELECT ref FROM plans ORDER BY created_utc DESC, id DESC LIMIT 1").fetchone()
            if row is None:
                raise PlanNotFound("there are no plans yet")
            return row[0]
        self._plan_id(ref)
        return ref

    def get_plan(self, ref: str) -> Plan:
        from safety_tui.plan import AuditEntry, ChecklistSnapshot, Contact, ItemAnswer, Plan, answer_key

        row = self.conn.execute("SELECT * FROM plans WHERE ref = ?", (self.resolve(ref),)).fetchone()
        plan_id = row["id"]
        contacts = [
            Contact(name=r["name"], phone=r["phone"], told_at=_dt(r["told_utc"]))
            for r in self.conn.execute("SELECT * FROM plan_contacts WHERE plan_id = ? ORDER BY position", (plan_id,))
        ]
        snapshots = [
            ChecklistSnapshot(checklist_id=r["checklist_id"], content_hash=r["content_hash"], body=json.loads(r["body"]))
            for r in self.conn.execute(
                """SELECT pc.checklist_id, pc.content_hash, s.body FROM plan_checklists pc
                   JOIN checklist_snapshots s USING(content_hash) WHERE pc.plan_id = ? ORDER BY pc.position""",
                (plan_id,),
            )
        ]
        answers = {
            answer_key(r["checklist_id"], r["item_id"]): ItemAnswer(
                checklist_id=r["checklist_id"], item_id=r["item_id"], value=Answer(r["value"]),
                note=r["note"], answered_at=_dt(r["answered_utc"]),
            )
            for r in self.conn.execute("SELECT * FROM answers WHERE plan_id = ?", (plan_id,))
        }
        audit = [
            AuditEntry(at=_dt(r["at_utc"]), event=r["event"], detail=r["detail"])
            for r in self.conn.execute("SELECT * FROM audit WHERE plan_id = ? ORDER BY id", (plan_id,))
        ]
        return Plan.model_construct(
            id=plan_id, ref=row["ref"], status=Status(row["status"]), visit_type=VisitType(row["visit_type"]),
            travel_modes=[TravelMode(m) for m in json.loads(row["travel_modes"])], owner_name=row["owner_name"],
            title=row["title"], location=row["location"], start=_dt(row["start_utc"]), finish=_dt(row["finish_utc"]),
            tz=row["tz"], grace_minutes=row["grace_minutes"], contacts=contacts, escalation=row["escalation"],
            code_word=row["code_word"], code_meaning=row["code_meaning"], checklists=snapshots, answers=answers,
            wizard_step=row["wizard_step"], cursor=row["cursor"], created_at=_dt(row["created_utc"]),
            updated_at=_dt(row["updated_utc"]), started_at=_dt(row["started_utc"]),
            checked_in_at=_dt(row["checked_in_utc"]), ended_at=_dt(row["ended_utc"]), audit=audit,
        )

    def list_plans(self, include_closed: bool = True, limit: int | None = None, statuses: list[Status] | None = None) -> list[PlanSummary]:
        """Plans newest first, without their answers (cheap even with 10,000 plans)."""
        where, args = [], []
        if statuses:
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            args += [s.value for s in statuses]
        elif not include_closed:
            # Exactly the partial index's condition, so SQLite walks only the open plans, newest first.
            where.append("status NOT IN ('finished', 'cancelled')")
        sql = "SELECT ref, status, visit_type, title, start_utc, finish_utc, grace_minutes, tz, created_utc FROM plans"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_utc DESC, id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [
            PlanSummary(
                ref=r[0], status=Status(r[1]), visit_type=VisitType(r[2]), title=r[3], start=_dt(r[4]),
                finish=_dt(r[5]), grace_minutes=r[6], tz=r[7], created_at=_dt(r[8]),  # type: ignore[arg-type]
            )
            for r in self.conn.execute(sql, args)
        ]

    def overdue(self) -> list[PlanSummary]:
        now = self.clock.now()
        return [p for p in self.list_plans(statuses=[Status.IN_PROGRESS]) if p.is_overdue(now)]

    # -- editing ------------------------------------------------------------
    def update(self, ref: str, **fields: Any) -> Plan:
        """Set plan fields in one transaction, after checking the plan's rules."""
        from pydantic import ValidationError

        from safety_tui.plan import Plan

        unknown = set(fields) - EDITABLE
        if unknown:
            raise PlanError(f"cannot set {', '.join(sorted(unknown))}")
        current = self.get_plan(ref)
        merged = current.model_dump()
        merged.update(fields)
        try:
            plan = Plan.model_validate(merged)
        except ValidationError as exc:
            raise PlanError(_first_message(exc)) from None
        columns = {
            "visit_type": plan.visit_type.value,
            "travel_modes": json.dumps([m.value for m in plan.travel_modes]),
            "owner_name": plan.owner_name, "title": plan.title, "location": plan.location,
            "start_utc": _iso(plan.start), "finish_utc": _iso(plan.finish), "tz": plan.tz,
            "grace_minutes": plan.grace_minutes, "escalation": plan.escalation, "code_word": plan.code_word,
            "code_meaning": plan.code_meaning, "wizard_step": plan.wizard_step, "cursor": plan.cursor,
        }
        name_of = {"start": "start_utc", "finish": "finish_utc"}
        changed = [f for f in fields if columns[name_of.get(f, f)] != _column_value(current, f)]
        sets = ", ".join(f"{name_of.get(f, f)} = ?" for f in fields)
        with self._tx() as c:
            c.execute(f"UPDATE plans SET {sets} WHERE id = ?", [columns[name_of.get(f, f)] for f in fields] + [current.id])
            loud = [f for f in changed if f not in QUIET_FIELDS]
            if loud:
                self._audit(current.id, "edited", ", ".join(sorted(loud)))  # names only, never values
        return self.get_plan(ref)

    def set_checklists(self, ref: str, checklists: list[Checklist]) -> None:
        plan_id = self._plan_id(ref)
        with self._tx():
            self._write_checklists(plan_id, checklists)
            self._audit(plan_id, "checklists", ", ".join(c.id for c in checklists))

    def set_answer(self, ref: str, checklist_id: str, item_id: str, value: Answer | str, note: str = "", cursor: str | None = None) -> None:
        """Save one answer (and optionally where the walk is) in one small transaction."""
        plan_id = self._plan_id(ref)
        value = Answer(value)
        with self._tx() as c:
            c.execute(
                """INSERT INTO answers(plan_id, checklist_id, item_id, value, note, answered_utc) VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(plan_id, checklist_id, item_id) DO UPDATE SET value = excluded.value,
                   note = excluded.note, answered_utc = excluded.answered_utc""",
                (plan_id, checklist_id, item_id, value.value, note.strip(), self._now()),
            )
            if cursor is not None:
                c.execute("UPDATE plans SET cursor = ?, updated_utc = ? WHERE id = ?", (cursor, self._now(), plan_id))

    def set_note(self, ref: str, checklist_id: str, item_id: str, note: str) -> None:
        plan_id = self._plan_id(ref)
        with self._tx() as c:
            c.execute(
                "UPDATE answers SET note = ? WHERE plan_id = ? AND checklist_id = ? AND item_id = ?",
                (note.strip(), plan_id, checklist_id, item_id),
            )

    # -- contacts -------------------------------------------------------------
    def add_contact(self, ref: str, name: str, phone: str = "", told: bool = False, remember: bool = True) -> int:
        from safety_tui.plan import Contact

        contact = Contact(name=name, phone=phone)
        plan_id = self._plan_id(ref)
        with self._tx() as c:
            position = c.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM plan_contacts WHERE plan_id = ?", (plan_id,)).fetchone()[0]
            c.execute(
                "INSERT INTO plan_contacts(plan_id, position, name, phone, told_utc) VALUES (?, ?, ?, ?, ?)",
                (plan_id, position, contact.name, contact.phone, self._now() if told else None),
            )
            if remember:
                c.execute(
                    """INSERT INTO saved_contacts(name, phone, last_used_utc) VALUES (?, ?, ?)
                       ON CONFLICT(name, phone) DO UPDATE SET last_used_utc = excluded.last_used_utc""",
                    (contact.name, contact.phone, self._now()),
                )
            self._audit(plan_id, "contact added", f"contact {position + 1}")
        return position

    def set_told(self, ref: str, position: int, told: bool = True) -> None:
        plan_id = self._plan_id(ref)
        with self._tx() as c:
            c.execute(
                "UPDATE plan_contacts SET told_utc = ? WHERE plan_id = ? AND position = ?",
                (self._now() if told else None, plan_id, position),
            )
            self._audit(plan_id, "told" if told else "not told", f"contact {position + 1}")

    def remove_contact(self, ref: str, position: int) -> None:
        plan_id = self._plan_id(ref)
        with self._tx() as c:
            c.execute("DELETE FROM plan_contacts WHERE plan_id = ? AND position = ?", (plan_id, position))
            self._audit(plan_id, "contact removed", f"contact {position + 1}")

    def forget_saved_contact(self, name: str, phone: str) -> None:
        """Remove someone from the address book (plans that told them keep their record)."""
        with self._tx() as c:
            c.execute("DELETE FROM saved_contacts WHERE name = ? AND phone = ?", (name, phone))

    def saved_contacts(self) -> list["Contact"]:
        from safety_tui.plan import Contact

        return [
            Contact(name=r[0], phone=r[1])
            for r in self.conn.execute("SELECT name, phone FROM saved_contacts ORDER BY last_used_utc DESC, name")
        ]

    # -- lifecycle ------------------------------------------------------------
    def _transition(self, ref: str, new: Status, event: str, extra_sql: str = "", extra_args: tuple = ()) -> Plan:
        plan = self.get_plan(ref)
        check_transition(plan.status, new)
        if new in (Status.READY, Status.IN_PROGRESS) and (plan.start is None or plan.finish is None):
            raise PlanError("set the start and expected finish times first")
        with self._tx() as c:
            c.execute(f"UPDATE plans SET status = ?{extra_sql} WHERE id = ?", (new.value, *extra_args, plan.id))
            self._audit(plan.id, event)
        return _shared(self, self.get_plan(ref), event)

    def mark_ready(self, ref: str) -> Plan:
        return self._transition(ref, Status.READY, "ready")

    def reopen(self, ref: str) -> Plan:
        return self._transition(ref, Status.DRAFT, "reopened as draft")

    def start(self, ref: str) -> Plan:
        return self._transition(ref, Status.IN_PROGRESS, "started", ", started_utc = ?", (self._now(),))

    def check_in(self, ref: str) -> Plan:
        now = self._now()
        return self._transition(ref, Status.FINISHED, "checked in safe", ", checked_in_utc = ?, ended_utc = ?", (now, now))

    def cancel(self, ref: str) -> Plan:
        return self._transition(ref, Status.CANCELLED, "cancelled", ", ended_utc = ?", (self._now(),))

    def extend(self, ref: str, minutes: int) -> Plan:
        """Push the expected finish back; logged in the audit trail."""
        if not 1 <= minutes <= 24 * 60:
            raise PlanError("extend by 1 to 1440 minutes")
        plan = self.get_plan(ref)
        if plan.status not in (Status.DRAFT, Status.READY, Status.IN_PROGRESS):
            raise PlanError(f"a {plan.status.value} plan cannot be extended")
        if plan.finish is None:
            raise PlanError("the plan has no expected finish to extend")
        new_finish = plan.finish + timedelta(minutes=minutes)
        with self._tx() as c:
            c.execute("UPDATE plans SET finish_utc = ? WHERE id = ?", (_iso(new_finish), plan.id))
            self._audit(plan.id, "extended", f"+{minutes} min, finish {_iso(new_finish)}")
        return _shared(self, self.get_plan(ref), "extended")

    # -- deleting -------------------------------------------------------------
    def forget(self, ref: str) -> None:
        """Delete one plan completely: rows overwritten, file vacuumed, WAL emptied."""
        plan_id = self._plan_id(ref)
        with self._tx() as c:
            c.execute("DELETE FROM plans WHERE id = ?", (plan_id,))
            self._drop_orphan_snapshots()
        self._compact()

    def purgeable(self, older_than_days: int | None = None) -> list[str]:
        days = self.retention_days if older_than_days is None else older_than_days
        cutoff = _iso(self.clock.now() - timedelta(days=days))
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT ref FROM plans WHERE status IN ('finished', 'cancelled') AND COALESCE(ended_utc, updated_utc) < ? ORDER BY created_utc",
                (cutoff,),
            )
        ]

    def purge(self, older_than_days: int | None = None) -> list[str]:
        refs = self.purgeable(older_than_days)
        if refs:
            with self._tx() as c:
                c.executemany("DELETE FROM plans WHERE ref = ?", [(r,) for r in refs])
                self._drop_orphan_snapshots()
            self._compact()
        return refs

    def _drop_orphan_snapshots(self) -> None:
        self.conn.execute("DELETE FROM checklist_snapshots WHERE content_hash NOT IN (SELECT content_hash FROM plan_checklists)")

    def _compact(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _shared(store: Store, plan: Plan, event: str) -> Plan:
    """The council duty desk call-out (does nothing unless a council database is configured)."""
    from safety_tui.council.hook import plan_changed

    plan_changed(store, plan, event)
    return plan


def _column_value(plan: Plan, field: str) -> Any:
    value = getattr(plan, field)
    if field in ("start", "finish"):
        return _iso(value)
    if field == "visit_type":
        return value.value
    if field == "travel_modes":
        return json.dumps([m.value for m in value])
    return value


def _first_message(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    msg = str(err["msg"]).removeprefix("Value error, ")
    field = ".".join(str(p) for p in err["loc"])
    return f"{field}: {msg}" if field else msg


def database_path(directory: Path | None = None) -> Path:
    return (directory or paths.data_dir()) / DB_NAME


def open_store(directory: Path | None = None, clock: Clock | None = None) -> Store:
    """Open (or create) the store. Raises ``StoreError`` rather than risk a user's data."""
    directory = directory or paths.data_dir()
    _private_dir(directory)
    path = directory / DB_NAME
    if path.exists():
        _check_existing(path)
    else:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except FileExistsError:
            _check_existing(path)
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None
    file_mode = stat.S_IMODE(path.stat().st_mode)
    if file_mode & 0o077:
        path.chmod(file_mode & 0o600)
    try:
        conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open {path}: {exc}") from None
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists() and stat.S_IMODE(side.stat().st_mode) & 0o077:
            side.chmod(stat.S_IMODE(side.stat().st_mode) & 0o600)
    return Store(conn, path, clock or SystemClock())


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(f"{path} already holds tables that are not safety-tui's; it was left untouched.")
        while version < SCHEMA_VERSION:
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
