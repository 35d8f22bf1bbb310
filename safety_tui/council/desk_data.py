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

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, why
from safety_tui.council.desk_rows import (
    ACTION_COLUMNS,
    PLAN_COLUMNS,
    BadRow,
    bad_row,
    lenient_time,
    read_contacts,
    read_grace,
    read_status,
    sane_time,
    text,
)
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
DEFAULT_LADDER = (
    ("Call the councillor", 5),
    ("Call their contacts", 10),
    ("Call the police (999) and give the place", 15),
)

# Two index-friendly halves of the desk rule (the policy enforces it anyway). Columns: see desk_rows.
BOARD_SQL = (
    f"SELECT {PLAN_COLUMNS} FROM council.plans WHERE status = 'in-progress' UNION ALL "
    f"SELECT {PLAN_COLUMNS} FROM council.plans WHERE status <> 'in-progress' AND ended_at > now() - interval '1 day'"
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
    help: bool = False  # a silent call for help from the councillor's phone: loud, from the police step


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
    more_contacts: int = 0  # contacts beyond the first few, not shown on the desk
    warnings: tuple[str, ...] = ()  # what in the row could not be read (the rest is shown)
    help_at: datetime | None = None  # the latest silent call for help from the councillor's phone

    def help_open(self) -> bool:
        """A call for help stays open, whatever the plan does next, until the desk closes an alert after it."""
        return self.help_at is not None and not any(a.kind == "closed" and a.at >= self.help_at for a in self.actions)

    clock_skew_seconds: int = 0  # how far the councillor's clock was from the server's (due_at is the server's)

    def is_overdue(self, now: datetime) -> bool:
        return is_overdue(self.status, self.due_at, now)

    def alert_actions(self) -> list[DeskAction]:
        """Actions on the current alert (an extension moves the due time and starts a new one)."""
        return [a for a in self.actions if a.due_at == self.due_at]

    def alert(self, now: datetime, ladder: list[LadderStep]) -> AlertState | None:
        help_open = self.help_open()
        if not self.is_overdue(now) and not help_open:
            return None
        actions = self.alert_actions()
        kinds = {a.kind for a in actions}
        claimed = next((a.by for a in actions if a.kind == "acknowledged"), None)
        outcome = next((a.outcome for a in actions if a.kind == "closed"), None)
        minutes = int((now - self.due_at).total_seconds() // 60)
        number = next((i for i, kind in enumerate(STEP_ACTIONS[: len(ladder)]) if kind not in kinds), len(ladder))
        if help_open and self.help_at is not None:  # the ladder starts at its police step
            minutes = int((now - self.help_at).total_seconds() // 60)
            police = min(STEP_ACTIONS.index("escalated-police"), len(ladder) - 1)
            number = len(ladder) if "escalated-police" in kinds else max(number, police)
            step = ladder[number] if number < len(ladder) else None
            return AlertState(claimed, None, step, number + 1, True, minutes, help=True)
        step = ladder[number] if number < len(ladder) else None
        first_ack = ladder[0].ack_minutes if ladder else 0
        step_deadline = sum(s.ack_minutes for s in ladder[: number + 1])
        late = outcome is None and (
            (claimed is None and minutes >= first_ack)
            or (step is not None and minutes >= step_deadline)
            or step is None
        )
        return AlertState(claimed, outcome, step, number + 1, late, minutes)

    def urgency(self, now: datetime) -> tuple[int, datetime]:
        """Sort key: open alerts first (most overdue first), then plans in progress by due time, then ended.
        Rows that cannot be read (rank 1) come right after the open alerts."""
        if self.help_open():
            return (-1, self.help_at or self.due_at)
        if self.is_overdue(now):
            closed = any(a.kind == "closed" for a in self.alert_actions())
            return (2 if closed else 0, self.due_at)
        return (3 if self.status is Status.IN_PROGRESS else 4, self.due_at)


@dataclass(frozen=True)
class Board:
    server_now: datetime
    plans: list[DeskPlan]
    ladder: list[LadderStep]
    bad: list[BadRow] = field(default_factory=list)  # rows that cannot be judged: shown as bad rows

    def sorted(self, now: datetime) -> list[DeskPlan]:
        return sorted(self.plans, key=lambda p: (p.urgency(now), p.id))

    def rows(self, now: datetime) -> list[DeskPlan | BadRow]:
        """What the desk lists, in order: open alerts, then the rows that cannot be read, then the rest."""
        ordered = self.sorted(now)
        split = next((i for i, p in enumerate(ordered) if p.urgency(now)[0] > 0), len(ordered))
        return [*ordered[:split], *sorted(self.bad, key=lambda b: b.id), *ordered[split:]]


def _ladder(raw: str | None) -> list[LadderStep]:
    try:
        steps = [LadderStep(str(s["step"]), int(s["ack_minutes"])) for s in json.loads(raw or "")]
    except (ValueError, TypeError, KeyError):
        steps = []
    return steps or [LadderStep(step, minutes) for step, minutes in DEFAULT_LADDER]


def load_board(conn: Conn) -> Board:
    """Everything the desk shows, read again from the server (after every change and reconnect).

    Each row is read on its own (see :mod:`safety_tui.council.desk_rows`): a row that cannot be
    judged is listed as a :class:`BadRow`, and every other row still lists."""
    try:
        with conn.transaction(), conn.cursor() as cur:
            server_now = cur.execute("SELECT now()").fetchone()
            rows = cur.execute(BOARD_SQL).fetchall()
            ids = [r[0] for r in rows if isinstance(r[0], int)]
            actions = cur.execute(
                f"SELECT {ACTION_COLUMNS} FROM council.actions WHERE plan_id = ANY(%s) ORDER BY id", (ids,)
            ).fetchall()
            setting = cur.execute("SELECT value FROM council.settings WHERE key = 'ladder'").fetchone()
            has_checkins = cur.execute("SELECT to_regclass('council.checkins')").fetchone() != (None,)
            helps = (
                cur.execute(
                    "SELECT plan_id, max(at) FROM council.checkins WHERE action = 'help' AND plan_id = ANY(%s) GROUP BY plan_id",
                    (ids,),
                ).fetchall()
                if has_checkins
                else []
            )
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"the council database refused the desk: {why(exc)}") from None
    if server_now is None or not isinstance(server_now[0], datetime):
        raise CouncilError("the council database did not tell the time")
    now: datetime = server_now[0]
    by_plan: dict[int, list[DeskAction]] = {}
    for a in actions:
        if isinstance(a[2], datetime) and isinstance(a[7], datetime):  # an action on an unreadable due time is dropped
            by_plan.setdefault(a[1], []).append(
                DeskAction(a[0], a[1], a[2], text(a[3]), a[4], text(a[5]), text(a[6]), a[7])
            )
    help_at = {h[0]: h[1] for h in helps if isinstance(h[1], datetime)}
    plans: list[DeskPlan] = []
    bad: list[BadRow] = []
    for r in rows:
        try:
            plans.append(read_plan(r, by_plan.get(r[0], []), help_at.get(r[0])))
        except (ValueError, TypeError, OverflowError, KeyError) as exc:
            bad.append(bad_row(r, str(exc)))
    ladder = _ladder(setting[0] if setting and isinstance(setting[0], str) else None)
    return Board(server_now=now, plans=plans, ladder=ladder, bad=bad)


def read_plan(r: tuple[Any, ...], actions: list[DeskAction], help_at: datetime | None = None) -> DeskPlan:
    """One row of ``BOARD_SQL`` as a plan; ValueError (or TypeError) saying what cannot be read."""
    warnings: list[str] = []
    start = lenient_time(r[6], r[17], "start time", warnings)
    ended = lenient_time(r[16], r[20], "end time", warnings)
    contacts = read_contacts(r[10], r[11], r[12])
    if contacts.problem:
        warnings.append(contacts.problem)
    finish = sane_time(r[7], r[18], "finish time", required=True)
    due = sane_time(r[9], r[19], "due time", required=True)
    assert finish is not None and due is not None
    return DeskPlan(
        id=r[0],
        owner=text(r[1]),
        name=text(r[2]),
        phone=text(r[3]),
        title=text(r[4]),
        place=text(r[5]),
        start_at=start,
        finish_at=finish,
        grace_minutes=read_grace(r[8]),
        due_at=due,
        contacts=contacts.shown,
        escalation=text(r[13]),
        code_meaning=text(r[14]),
        status=read_status(r[15]),
        ended_at=ended,
        actions=actions,
        more_contacts=contacts.more,
        warnings=tuple(warnings),
        help_at=help_at,
        clock_skew_seconds=r[21] if len(r) > 21 and isinstance(r[21], int) else 0,
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
        conn,
        "INSERT INTO council.actions(plan_id, kind) VALUES (%s, 'alert') "
        "ON CONFLICT (plan_id, due_at) WHERE kind = 'alert' DO NOTHING",
        (plan_id,),
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
        conn,
        "INSERT INTO council.actions(plan_id, kind, outcome, detail) VALUES (%s, 'closed', %s, %s)",
        (plan_id, outcome, detail),
    )


def reveal_code_word(conn: Conn, plan_id: int) -> str:
    """The code word; the server records who revealed it and when, committed before the word is sent.

    Two statements on an autocommit connection: the request (the record) commits on its own,
    then the server hands out the word only against a committed request (council schema v2).
    """
    try:
        if not conn.autocommit:
            raise CouncilError("a code word is revealed only on an autocommit connection (the record commits first)")
        conn.execute("SELECT council.request_reveal(%s)", (plan_id,))
        row = conn.execute("SELECT council.reveal_code_word(%s)", (plan_id,)).fetchone()
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"cannot reveal the code word: {why(exc)}") from None
    return str(row[0]) if row else ""


def minutes_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier) / timedelta(minutes=1)
