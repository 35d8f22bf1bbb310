"""What the duty desk reads and writes, as the duty role (RLS decides what it may see). Core: no Textual.

Overdue is judged by the server's clock: :class:`Board` carries the server's
``now()`` from the same read, and the desk moves it forward with a monotonic clock.
The response ladder comes from the council's settings; its rules are here, once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import psycopg

from safety_tui.council.db import Conn, why
from safety_tui.common.errors import CouncilError
from safety_tui.plans.lifecycle import Status, is_overdue

KINDS = {
    "alert": "alert raised",
    "acknowledged": "acknowledged (claimed)",
    "called-councillor": "called the councillor",
    "called-contact": "called a contact",
    "escalated-police": "escalated to the police",
    "reached-safe": "reached, safe",
    "note": "note",
    "closed": "closed",
    "code-word-revealed": "code word revealed",
}
OUTCOMES = {"safe": "safe", "false-alarm": "false alarm", "incident": "incident"}
# The ladder step each action completes, in ladder order.
STEP_ACTIONS = ("called-councillor", "called-contact", "escalated-police")
DEFAULT_LADDER = (("Call the councillor", 5), ("Call their contacts", 10), ("Call the police (999) and give the place", 15))

_COLUMNS = ("id, owner, name, phone, title, place, start_at, finish_at, grace_minutes, due_at, contacts, escalation, "
            "code_meaning, status, ended_at")
# Two index-friendly halves of the desk rule (the policy enforces it anyway).
BOARD_SQL = (
    f"SELECT {_COLUMNS} FROM council.plans WHERE status = 'in-progress' "
    f"UNION ALL SELECT {_COLUMNS} FROM council.plans WHERE status <> 'in-progress' AND ended_at > now() - interval '1 day'"
)


@dataclass(frozen=True)
class LadderStep:
    step: str
    ack_minutes: int


@dataclass(frozen=True)
class DeskAction:
    id: int
    plan_id: int
    due_at: datetime
    kind: str
    outcome: str | None
    detail: str
    by: str
    at: datetime

    @property
    def label(self) -> str:
        text = KINDS.get(self.kind, self.kind)
        if self.outcome:
            text += f": {OUTCOMES.get(self.outcome, self.outcome)}"
        return text


@dataclass(frozen=True)
class AlertState:
    """Where an overdue plan stands on the ladder."""

    claimed_by: str | None
    outcome: str | None
    step: LadderStep | None  # the step to do now (None: ladder done)
    step_number: int
    late: bool  # unclaimed past the acknowledgement time, or the current step overran: loud
    minutes_overdue: int


@dataclass(frozen=True)
class DeskPlan:
    id: int
    owner: str
    name: str
    phone: str
    title: str
    place: str
    start_at: datetime | None
    finish_at: datetime
    grace_minutes: int
    due_at: datetime
    contacts: list[dict[str, str]]
    escalation: str
    code_meaning: str
    status: Status
    ended_at: datetime | None
    actions: list[DeskAction] = field(default_factory=list)

    def is_overdue(self, now: datetime) -> bool:
        return is_overdue(self.status, self.due_at, now)

    def alert_actions(self) -> list[DeskAction]:
        """Actions on the current alert (an extension moves the due time and starts a new one)."""
        return [a for a in self.actions if a.due_at == self.due_at]

    def alert(self, now: datetime, ladder: list[LadderStep]) -> AlertState | None:
        if not self.is_overdue(now):
            return None
        actions = self.alert_actions()
        kinds = {a.kind for a in actions}
        claimed = next((a.by for a in actions if a.kind == "acknowledged"), None)
        outcome = next((a.outcome for a in actions if a.kind == "closed"), None)
        minutes = int((now - self.due_at).total_seconds() // 60)
        number = next((i for i, kind in enumerate(STEP_ACTIONS[: len(ladder)]) if kind not in kinds), len(ladder))
        step = ladder[number] if number < len(ladder) else None
        first_ack = ladder[0].ack_minutes if ladder else 0
        step_deadline = sum(s.ack_minutes for s in ladder[: number + 1])
        late = outcome is None and (
            (claimed is None and minutes >= first_ack) or (step is not None and minutes >= step_deadline) or step is None
        )
        return AlertState(claimed, outcome, step, number + 1, late, minutes)

    def urgency(self, now: datetime) -> tuple[int, datetime]:
        """Sort key: open alerts first (most overdue first), then plans in progress by due time, then ended."""
        if self.is_overdue(now):
            closed = any(a.kind == "closed" for a in self.alert_actions())
            return (1 if closed else 0, self.due_at)
        return (2 if self.status is Status.IN_PROGRESS else 3, self.due_at)


@dataclass(frozen=True)
class Board:
    server_now: datetime
    plans: list[DeskPlan]
    ladder: list[LadderStep]

    def sorted(self, now: datetime) -> list[DeskPlan]:
        return sorted(self.plans, key=lambda p: (p.urgency(now), p.id))


def _ladder(raw: str | None) -> list[LadderStep]:
    try:
        steps = [LadderStep(str(s["step"]), int(s["ack_minutes"])) for s in json.loads(raw or "")]
    except (ValueError, TypeError, KeyError):
        steps = []
    return steps or [LadderStep(step, minutes) for step, minutes in DEFAULT_LADDER]


def load_board(conn: Conn) -> Board:
    """Everything the desk shows, read again from the server (after every change and reconnect)."""
    try:
        with conn.transaction():
            server_now = conn.execute("SELECT now()").fetchone()
            rows = conn.execute(BOARD_SQL).fetchall()
            ids = [int(r[0]) for r in rows]
            actions = conn.execute(
                "SELECT id, plan_id, due_at, kind, outcome, detail, by_role, at FROM council.actions "
                "WHERE plan_id = ANY(%s) ORDER BY id", (ids,)
            ).fetchall()
            setting = conn.execute("SELECT value FROM council.settings WHERE key = 'ladder'").fetchone()
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"the council database refused the desk: {why(exc)}") from None
    by_plan: dict[int, list[DeskAction]] = {}
    for a in actions:
        by_plan.setdefault(int(a[1]), []).append(DeskAction(*a))
    plans = [_plan(r, by_plan.get(int(r[0]), [])) for r in rows]
    assert server_now is not None
    return Board(server_now=server_now[0], plans=plans, ladder=_ladder(setting[0] if setting else None))


def _plan(r: tuple[Any, ...], actions: list[DeskAction]) -> DeskPlan:
    contacts = [{"name": str(c.get("name", "")), "phone": str(c.get("phone", ""))} for c in (r[10] or []) if isinstance(c, dict)]
    return DeskPlan(
        id=r[0], owner=r[1], name=r[2], phone=r[3], title=r[4], place=r[5], start_at=r[6], finish_at=r[7],
        grace_minutes=r[8], due_at=r[9], contacts=contacts, escalation=r[11], code_meaning=r[12],
        status=Status(r[13]), ended_at=r[14], actions=actions,
    )


def _insert(conn: Conn, sql: str, args: tuple[Any, ...]) -> bool:
    try:
        return conn.execute(sql, args).rowcount > 0
    except psycopg.errors.UniqueViolation:
        return False
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"the council database refused the action: {why(exc)}") from None


def record(conn: Conn, plan_id: int, kind: str, detail: str = "") -> None:
    """Append a duty action; who and when are stamped by the server."""
    if kind not in KINDS or kind in ("closed", "code-word-revealed", "acknowledged", "alert"):
        raise CouncilError(f"not an action the desk records directly: {kind}")
    _insert(conn, "INSERT INTO council.actions(plan_id, kind, detail) VALUES (%s, %s, %s)", (plan_id, kind, detail))


def raise_alert(conn: Conn, plan_id: int) -> bool:
    """Mark the plan's current due time as an alert (once, whichever desk sees it first)."""
    return _insert(
        conn, "INSERT INTO council.actions(plan_id, kind) VALUES (%s, 'alert') "
        "ON CONFLICT (plan_id, due_at) WHERE kind = 'alert' DO NOTHING", (plan_id,)
    )


def raise_alerts(conn: Conn, plan_ids: list[int]) -> None:
    """Raise several alerts in one transaction (one burst of notifications, not one commit each)."""
    try:
        with conn.transaction():
            for plan_id in plan_ids:
                raise_alert(conn, plan_id)
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"the council database refused the alert: {why(exc)}") from None


def acknowledge(conn: Conn, plan_id: int) -> bool:
    """Claim the alert; False when another duty officer claimed it first."""
    return _insert(conn, "INSERT INTO council.actions(plan_id, kind) VALUES (%s, 'acknowledged')", (plan_id,))


def close(conn: Conn, plan_id: int, outcome: str, detail: str = "") -> bool:
    """Close the alert with an outcome; False when it was already closed."""
    if outcome not in OUTCOMES:
        raise CouncilError("the outcome is one of: " + ", ".join(OUTCOMES))
    return _insert(
        conn, "INSERT INTO council.actions(plan_id, kind, outcome, detail) VALUES (%s, 'closed', %s, %s)",
        (plan_id, outcome, detail),
    )


def reveal_code_word(conn: Conn, plan_id: int) -> str:
    """The code word; the server records who revealed it and when."""
    try:
        row = conn.execute("SELECT council.reveal_code_word(%s)", (plan_id,)).fetchone()
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"cannot reveal the code word: {why(exc)}") from None
    return str(row[0]) if row else ""


def minutes_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier) / timedelta(minutes=1)
