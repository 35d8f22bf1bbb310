"""A plan's life: its status, when it is due, when it is overdue, when it may start. Core: no Textual, no pydantic.

Every rule about time and status is written here once; the plan model, the
store's light summaries, the CLI and the screens all ask these functions and
show their messages. Durations are real (UTC) time, right across DST changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import NamedTuple, Protocol, overload
from zoneinfo import ZoneInfo

from safety_tui.common.clock import UTC, to_utc, zone
from safety_tui.common.errors import PlanError
from safety_tui.common.timefmt import format_when

MINUTES_PER_DAY = 24 * 60
MAX_EXTEND_MINUTES = MINUTES_PER_DAY  # one extension pushes the finish back at most a day
MAX_GRACE_MINUTES = MINUTES_PER_DAY  # contacts wait at most a day past the finish
START_AHEAD_ASK_HOURS = 12  # starting a plan further ahead than this asks first
PLANNING_HORIZON = timedelta(days=366)  # typed times lie within a year of now
MAX_RETENTION_DAYS = 3650  # finished plans are kept at most ten years


class Status(str, Enum):
    DRAFT = "draft"
    READY = "ready"
    IN_PROGRESS = "in-progress"
    FINISHED = "finished"
    CANCELLED = "cancelled"


TRANSITIONS: dict[Status, set[Status]] = {
    Status.DRAFT: {Status.READY, Status.IN_PROGRESS, Status.CANCELLED},
    Status.READY: {Status.DRAFT, Status.IN_PROGRESS, Status.CANCELLED},
    Status.IN_PROGRESS: {Status.FINISHED, Status.CANCELLED},
    Status.FINISHED: set(),
    Status.CANCELLED: set(),
}
OPEN_STATUSES = (Status.DRAFT, Status.READY, Status.IN_PROGRESS)


def check_transition(current: Status, new: Status) -> None:
    if new not in TRANSITIONS[current]:
        raise PlanError(f"a {current.value} plan cannot become {new.value}")


# What the duty desk watches: once a plan has started, its own fields and its contacts are what the desk
# holds, changed only by the lifecycle (extend, check in, cancel), which publishes every change.
EDITABLE_STATUSES = (Status.DRAFT, Status.READY)


def check_editable(status: Status) -> None:
    """Only a draft or a ready plan is edited: a started plan's change would never reach the duty desk."""
    if status not in EDITABLE_STATUSES:
        what = "in progress" if status is Status.IN_PROGRESS else status.value
        raise PlanError(
            f"this plan is {what}: only a draft or a ready plan can be edited (extend, check in or "
            "cancel it instead, so the duty desk and your contacts know)"
        )


def check_forgettable(status: Status) -> None:
    """A plan in progress is never deleted: the duty desk and the people told still wait for its check-in."""
    if status is Status.IN_PROGRESS:
        raise PlanError(
            "this plan is in progress: check in or cancel it first (the duty desk and the people "
            "you told still wait for your check-in), then delete it"
        )


# -- due and overdue -----------------------------------------------------------
def due_at(finish: datetime | None, grace_minutes: int) -> datetime | None:
    """When the people told should start to worry: expected finish + grace (real time, UTC)."""
    if finish is None:
        return None
    try:
        return finish.astimezone(UTC) + timedelta(minutes=grace_minutes)
    except OverflowError:  # only a time stored before times were bounded; never due
        return datetime.max.replace(tzinfo=UTC)


def is_overdue(status: Status, due: datetime | None, now: datetime) -> bool:
    """The overdue rule: in progress, and now is past finish + grace. Defined only here."""
    return status is Status.IN_PROGRESS and due is not None and now > due


def state(status: Status, due: datetime | None, now: datetime) -> str:
    return "overdue" if is_overdue(status, due, now) else status.value


class HasSchedule(Protocol):
    """What :class:`Scheduled` needs of the class it is mixed into."""

    @property
    def status(self) -> Status: ...
    @property
    def finish(self) -> datetime | None: ...
    @property
    def grace_minutes(self) -> int: ...
    @property
    def tz(self) -> str: ...


class Scheduled:
    """Mixin: ``due_at``, ``zone``, ``local``, ``is_overdue(now)`` and ``state(now)`` for any class
    with ``status``, ``finish``, ``grace_minutes`` and ``tz`` (the plan model, the store's summaries)."""

    __slots__ = ()

    @property
    def due_at(self: HasSchedule) -> datetime | None:
        """When the people told should start to worry: finish + grace."""
        return due_at(self.finish, self.grace_minutes)

    @property
    def zone(self: HasSchedule) -> ZoneInfo:
        return zone(self.tz)

    @overload
    def local(self: HasSchedule, when: datetime) -> datetime: ...
    @overload
    def local(self: HasSchedule, when: None) -> None: ...
    def local(self: HasSchedule, when: datetime | None) -> datetime | None:
        """``when`` in the plan's own time zone (for arithmetic; use timefmt to show it)."""
        return when.astimezone(zone(self.tz)) if when is not None else None

    def is_overdue(self: HasSchedule, now: datetime) -> bool:
        return is_overdue(self.status, due_at(self.finish, self.grace_minutes), now)

    def state(self: HasSchedule, now: datetime) -> str:
        return state(self.status, due_at(self.finish, self.grace_minutes), now)


# -- durations and limits ------------------------------------------------------
def add_real_time(when: datetime, duration: timedelta) -> datetime:
    """``when`` plus elapsed time, right across a DST change, in ``when``'s own zone.

    Python adds a timedelta to a zone-aware datetime on the wall clock: 00:55 GMT
    plus 2 hours would give 02:55 BST, one real hour, on the night the clocks go
    forward. Adding in UTC gives the real time. Out of range: ``PlanError``.
    """
    try:
        result = when.astimezone(UTC) + duration
        to_utc(result)
        return result.astimezone(when.tzinfo)
    except (OverflowError, PlanError):
        raise PlanError("that time is out of range") from None


def visit_length(start: datetime, finish: datetime) -> timedelta:
    """How long a visit lasts in real time (a DST change does not add or lose an hour)."""
    return finish.astimezone(UTC) - start.astimezone(UTC)


def check_extend_minutes(minutes: int) -> int:
    if not 1 <= minutes <= MAX_EXTEND_MINUTES:
        raise PlanError(f"extend by 1 to {MAX_EXTEND_MINUTES} minutes")
    return minutes


def check_grace_minutes(minutes: int) -> int:
    if not 0 <= minutes <= MAX_GRACE_MINUTES:
        raise PlanError(f"grace must be 0 to {MAX_GRACE_MINUTES} minutes")
    return minutes


def extended_finish(status: Status, finish: datetime | None, minutes: int, now: datetime) -> datetime:
    """The new expected finish after extending by ``minutes``; ``PlanError`` says why not.

    A plan still before its finish extends from that finish. A plan past its finish
    (overdue, or in its grace period) extends from ``now``: "extend 10" always means
    ten more minutes from the moment it is asked, never a finish still in the past.
    """
    check_extend_minutes(minutes)
    if status not in OPEN_STATUSES:
        raise PlanError(f"a {status.value} plan cannot be extended")
    if finish is None:
        raise PlanError("the plan has no expected finish to extend")
    base = finish
    if now.astimezone(UTC) > finish.astimezone(UTC):
        base = now.astimezone(finish.tzinfo)
    return add_real_time(base, timedelta(minutes=minutes)).astimezone(UTC)


def check_retention_days(days: int, *, minimum: int = 1) -> int:
    """Days a finished plan is kept (``minimum=0`` for a one-off ``purge --days 0``)."""
    if not minimum <= days <= MAX_RETENTION_DAYS:
        raise PlanError(f"keep finished plans {minimum} to {MAX_RETENTION_DAYS} days")
    return days


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Plans that ended before this moment are old enough to purge. Never an overflow."""
    return now.astimezone(UTC) - timedelta(days=check_retention_days(days, minimum=0))


class Schedule(NamedTuple):
    start: datetime
    finish: datetime | None


def reschedule_start(start: datetime | None, finish: datetime | None, new_start: datetime) -> Schedule:
    """Move the start and keep the visit's (real-time) length: the finish moves with it.

    Without an old start or finish there is no length to keep: the finish stays.
    """
    if start is None or finish is None:
        return Schedule(new_start, finish)
    return Schedule(new_start, add_real_time(finish, visit_length(start, new_start)).astimezone(new_start.tzinfo))


# -- starting ------------------------------------------------------------------
@dataclass(frozen=True)
class StartCheck:
    """May a plan start now? ``refusal``: it may not (the message says why).
    ``questions``: it may, but ask the councillor each of these first."""

    refusal: str | None = None
    questions: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    def raise_if_refused(self) -> None:
        """For every start path (store, CLI): a refused start is a ``PlanError``."""
        if self.refusal is not None:
            raise PlanError(self.refusal)


def start_check_times(
    status: Status, start: datetime | None, finish: datetime | None, tz: str, now: datetime
) -> StartCheck:
    """The time and status half of the start rule (the plan model adds its checklist questions)."""
    if status is Status.IN_PROGRESS:
        return StartCheck(refusal="the plan has already started")
    if Status.IN_PROGRESS not in TRANSITIONS[status]:
        return StartCheck(refusal=f"a {status.value} plan cannot be started")
    if start is None or finish is None:
        return StartCheck(refusal="set the start and expected finish times first")
    if finish <= now:
        return StartCheck(
            refusal="The expected finish time has already passed. Set the start and finish again before you start."
        )
    questions: list[str] = []
    if start - now > timedelta(hours=START_AHEAD_ASK_HOURS):
        questions.append(
            f"The start ({format_when(start, tz)}) is more than {START_AHEAD_ASK_HOURS} hours away. "
            "Start the plan now anyway?"
        )
    return StartCheck(questions=questions)
