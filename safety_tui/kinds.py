"""Plain kinds shared by the core: visit and travel kinds, plan status, answers, clocks.

No pydantic and no Textual here, so the quickest CLI paths (``safety-tui status``)
can import them without paying for model construction.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Protocol

UTC = timezone.utc


class VisitType(str, Enum):
    """What a checklist applies to. A plan has exactly one of the visit kinds."""

    SURGERY = "surgery"
    HOME_VISIT = "home-visit"
    MEETING = "meeting"
    DEMONSTRATION = "demonstration"
    TRAVEL = "travel"
    CALLER_AT_HOME = "caller-at-home"
    HOME_SECURITY = "home-security"
    PHONE_CALL = "phone-call"
    OTHER = "other"
    REVIEW = "review"  # a periodic review (home security, online footprint), not a visit
    CARD = "card"  # a quick-reference card for what cannot be planned, not a visit


# The kinds of visit a plan can have, in the order the wizard offers them. Reviews and cards are
# not visits; home-security and phone-call stay only so that stored data keeps loading.
PLAN_VISIT_TYPES = [
    VisitType.SURGERY,
    VisitType.HOME_VISIT,
    VisitType.MEETING,
    VisitType.DEMONSTRATION,
    VisitType.CALLER_AT_HOME,
    VisitType.TRAVEL,
    VisitType.OTHER,
]


class TravelMode(str, Enum):
    CAR = "car"
    PUBLIC_TRANSPORT = "public-transport"
    TAXI = "taxi"
    CYCLING = "cycling"
    WALKING = "walking"


class ItemType(str, Enum):
    CHECK = "check"
    QUESTION = "question"


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests: never sleeps, never depends on today's date."""

    def __init__(self, at: datetime):
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)


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


class Answer(str, Enum):
    DONE = "done"
    NOT_DONE = "not-done"
    NOT_APPLICABLE = "n/a"
    YES = "yes"
    NO = "no"


from safety_tui.errors import PlanError  # noqa: E402


def due_at(finish: datetime | None, grace_minutes: int) -> datetime | None:
    """When the people told should start to worry: expected finish + grace (real time, UTC)."""
    return finish + timedelta(minutes=grace_minutes) if finish is not None else None


def is_overdue(status: Status, due: datetime | None, now: datetime) -> bool:
    """The overdue rule: in progress, and now is past finish + grace. Defined only here."""
    return status is Status.IN_PROGRESS and due is not None and now > due


def state(status: Status, due: datetime | None, now: datetime) -> str:
    return "overdue" if is_overdue(status, due, now) else status.value


def check_transition(current: Status, new: Status) -> None:
    if new not in TRANSITIONS[current]:
        raise PlanError(f"a {current.value} plan cannot become {new.value}")


VISIT_LABELS = {
    VisitType.SURGERY: "Ward surgery",
    VisitType.HOME_VISIT: "Home visit",
    VisitType.MEETING: "Meeting",
    VisitType.DEMONSTRATION: "Protest expected",
    VisitType.CALLER_AT_HOME: "Caller at my home",
    VisitType.OTHER: "Other",
    VisitType.TRAVEL: "Travel only",
    VisitType.HOME_SECURITY: "Home security",
    VisitType.PHONE_CALL: "Phone call",
    VisitType.REVIEW: "Periodic review",
    VisitType.CARD: "Quick-reference card",
}
MODE_LABELS = {
    TravelMode.CAR: "Car",
    TravelMode.PUBLIC_TRANSPORT: "Bus or train",
    TravelMode.TAXI: "Taxi",
    TravelMode.CYCLING: "Bike",
    TravelMode.WALKING: "On foot",
}


def format_duration(delta: timedelta) -> str:
    """'1h 05m', '12m', '45s' for countdowns."""
    seconds = int(abs(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s" if minutes < 10 else f"{minutes}m"
    return f"{secs}s"
