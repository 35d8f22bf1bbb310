"""What a councillor publishes to the duty desk, and how one publication is sent. Core: no Textual.

The duty view is exactly what a duty officer needs to act: name, phone, title,
place, start, expected finish, grace, contacts, escalation, and the code word with
its meaning. Checklist answers, drafts, history and incidents are never part of it.

Every publication is the whole duty view at that moment, with an idempotency key
and a per-plan sequence number. The server applies a key once and never lets an
older sequence overwrite a newer one, so repeated and out-of-order sends are safe.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.types.json import Jsonb

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, why
from safety_tui.plans.lifecycle import Status

if TYPE_CHECKING:
    from safety_tui.plans.model import Plan

# The lifecycle events that publish (the store's audit event names).
PUBLISHED_EVENTS = {"started", "extended", "checked in safe", "cancelled"}


@dataclass(frozen=True)
class DutyView:
    status: str
    name: str
    phone: str
    title: str
    place: str
    start: str | None
    finish: str
    grace_minutes: int
    contacts: list[dict[str, str]]
    escalation: str
    code_word: str
    code_meaning: str
    ended: str | None
    checkin_hash: str = ""  # the SHA-256 of the plan's phone check-in token (sent beside the view)

    def as_json(self) -> dict[str, Any]:
        view = asdict(self)
        if not view["checkin_hash"]:
            del view["checkin_hash"]
        return view


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def plan_key(plan: Plan) -> str:
    """The plan's stable identity on the council side: its uid, or its id where the store has no uid."""
    uid = getattr(plan, "uid", None)
    return str(uid) if uid else plan.ref


def duty_view(plan: Plan, *, name: str, phone: str, checkin_hash: str = "") -> DutyView | None:
    """The duty view of a plan that has been started (None for drafts and plans never started)."""
    if plan.finish is None or plan.started_at is None:
        return None
    if plan.status not in (Status.IN_PROGRESS, Status.FINISHED, Status.CANCELLED):
        return None
    return DutyView(
        status=plan.status.value,
        name=name or plan.owner_name,
        phone=phone,
        title=plan.title,
        place=plan.location,
        start=_iso(plan.start),
        finish=plan.finish.isoformat(),
        grace_minutes=plan.grace_minutes,
        contacts=[{"name": c.name, "phone": c.phone} for c in plan.contacts],
        escalation=plan.escalation,
        code_word=plan.code_word,
        code_meaning=plan.code_meaning,
        ended=_iso(plan.ended_at),
        checkin_hash=checkin_hash,
    )


# SQLSTATE classes that blame the publication itself (a value the server's rules refuse), not
# the connection, the role or the schema: data exceptions and integrity constraint violations.
ROW_PROBLEMS = ("22", "23")


class RefusedPublication(CouncilError):
    """The server will never accept this publication as it is (the outbox sets it aside)."""


@dataclass(frozen=True)
class Publication:
    plan_key: str
    sequence: int
    view: dict[str, Any]
    key: str = field(default_factory=lambda: str(uuid.uuid4()))


def send(conn: Conn, publication: Publication, *, sent_at: datetime | None = None) -> str:
    """Apply one publication on the server: 'applied', 'duplicate' or 'stale' (an older sequence; also
    a retry of one the server first found stale).

    The laptop's clock goes with it (``sent_at``, now by default), so the server measures the
    skew and computes the due time on its own clock. Raises ``psycopg.OperationalError`` when
    the server is unreachable (the outbox keeps the publication) and ``CouncilError`` when the
    server refuses it.
    """
    view = dict(publication.view)
    checkin_hash = str(view.pop("checkin_hash", ""))
    when = sent_at or datetime.now(timezone.utc)
    try:
        row = conn.execute(
            "SELECT council.publish(%s, %s, %s, %s, %s)",
            (uuid.UUID(publication.key), publication.plan_key, publication.sequence, Jsonb(view), when),
        ).fetchone()
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        if (exc.sqlstate or "")[:2] in ROW_PROBLEMS:
            raise RefusedPublication(f"the council database refused the plan: {why(exc)}") from None
        raise CouncilError(f"the council database refused the plan: {why(exc)}") from None
    if checkin_hash:
        publish_checkin_hash(conn, publication.plan_key, checkin_hash)
    outcome = str(row[0]) if row is not None else "stale"
    return _first_answer(conn, publication.key) if outcome == "duplicate" else outcome


def _first_answer(conn: Conn, key: str) -> str:
    """A retry's "duplicate" says only that the server saw this publication: what it did then is in its
    receipt. "stale" (it held another version) must not be taken for the desk having this state."""
    try:
        row = conn.execute(
            "SELECT outcome FROM council.receipts WHERE idempotency_key = %s AND owner = session_user",
            (uuid.UUID(key),),
        ).fetchone()
    except psycopg.OperationalError:
        raise
    except psycopg.Error:
        return "duplicate"  # a council schema that does not let me read my receipts: as before
    return "stale" if row is not None and row[0] == "stale" else "duplicate"


def publish_checkin_hash(conn: Conn, key: str, checkin_hash: str) -> None:
    """Attach the hash of the plan's phone check-in token (the same for the plan's life, so sent again freely).

    A council schema without the phone check-in is not an error: the plan is on the desk all the same.
    """
    try:
        conn.execute("SELECT council.publish_checkin(%s, %s)", (key, checkin_hash))
    except psycopg.errors.UndefinedFunction:
        return
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"the council database refused the plan's check-in link: {why(exc)}") from None


@dataclass(frozen=True)
class DutyActionSeen:
    """A duty desk action on one of the councillor's own plans, as the councillor reads it back."""

    plan_key: str
    at: datetime
    kind: str
    outcome: str | None
    by: str
    detail: str = ""


def duty_actions(conn: Conn, plan_key: str | None = None) -> list[DutyActionSeen]:
    """The duty desk's actions on my plans (row-level security shows me nothing else)."""
    sql = (
        "SELECT p.plan_key, a.at, a.kind, a.outcome, a.by_role, a.detail FROM council.actions a "
        "JOIN council.plans p ON p.id = a.plan_id"
    )
    args: tuple[str, ...] = ()
    if plan_key is not None:
        sql += " WHERE p.plan_key = %s"
        args = (plan_key,)
    try:
        rows = conn.execute(sql + " ORDER BY a.id", args).fetchall()
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"cannot read the duty desk's actions: {why(exc)}") from None
    return [DutyActionSeen(*r) for r in rows]


def phone_checkins(conn: Conn, plan_key: str) -> list[tuple[datetime, str, datetime]]:
    """The check-ins from the councillor's phone on one plan: (server time, action, finish after it).

    A council schema without the phone check-in has none.
    """
    try:
        rows = conn.execute(
            "SELECT c.at, c.action, c.finish_at FROM council.checkins c JOIN council.plans p ON p.id = c.plan_id "
            "WHERE p.plan_key = %s AND p.owner = current_user ORDER BY c.id",
            (plan_key,),
        ).fetchall()
    except psycopg.errors.UndefinedTable:
        return []
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"cannot read the check-ins from your phone: {why(exc)}") from None
    return [(r[0], str(r[1]), r[2]) for r in rows]
