"""Clocks and time zones. Core: no Textual, no pydantic.

Every "now" in safety-tui comes from a :class:`Clock` handed in by the caller, so
tests never depend on today's date. Times are held as aware UTC datetimes; a
plan's ``tz`` is only how they are shown.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safety_tui.common.errors import PlanError

UTC = timezone.utc

# Every stored time lies in this window, so adding grace or an extension never overflows.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)


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


def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``; ``PlanError`` (never KeyError) if there is none.

    The name is not echoed: error texts never repeat what was typed.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        raise PlanError("unknown time zone; use a name like Europe/London") from None


def to_utc(value: datetime) -> datetime:
    """``value`` as UTC. Refuses naive and out-of-range times with a ``PlanError``."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise PlanError("time must include a timezone")
    try:
        result = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise PlanError("that time is out of range") from None
    if not EARLIEST <= result < LATEST:
        raise PlanError("that time is out of range")
    return result
