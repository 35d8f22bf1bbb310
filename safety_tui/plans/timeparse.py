"""Forgiving time entry: "14:30", "2:30pm", "tomorrow 10:00", "+90m", "now", "in 10 minutes". Core: no Textual.

Every function here either returns an aware datetime (in the zone asked for)
or raises a :class:`TimeParseError`, which is a ``PlanError`` whose message a
person can act on. No input, however odd (year 1, year 9999, ``+9999999999``,
a thousand digits), raises anything else.

A finish typed as a bare time of day that falls before the start is *not*
quietly moved to the next day: :func:`parse_finish` raises
:class:`FinishBeforeStart`, which carries the next-day time the person probably
meant (``exc.next_day``) so the UI can ask, then call again with
``next_day_ok=True``.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta

from safety_tui.common.clock import to_utc, zone
from safety_tui.common.errors import PlanError
from safety_tui.common.text import printable
from safety_tui.common.timefmt import TIME_FORMAT, format_when
from safety_tui.plans.lifecycle import PLANNING_HORIZON, add_real_time, check_grace_minutes

__all__ = [
    "FinishBeforeStart",
    "TimeParseError",
    "add_real_time",
    "default_start",
    "entry_text",
    "local_zone_name",
    "parse_clock",
    "parse_day",
    "parse_duration",
    "parse_finish",
    "parse_grace",
    "parse_start",
    "parse_when",
]

MAX_TEXT = 64  # nothing longer is a time; long digit runs never reach int()
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$")
_DURATION = re.compile(r"^\+?(?:(\d{1,6})h(?:ours?|rs?)?)?(?:(\d{1,7})m(?:in(?:ute)?s?)?)?$")
_SUFFIX = re.compile(r"(\d)\s+(am|pm|a\.m\.|p\.m\.)$")
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMERIC_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?$")
_MINUTE = timedelta(minutes=1)


class TimeParseError(PlanError):
    """Typed text is not a usable time; the message says what to type instead."""


class FinishBeforeStart(TimeParseError):
    """A finish typed as a time of day falls before (or on) the start.

    ``typed`` is that time on the start's day; ``next_day`` the same wall-clock
    time a day later, which is probably what was meant. Ask, then call
    :func:`parse_finish` again with ``next_day_ok=True`` (or use ``next_day``).
    """

    def __init__(self, message: str, typed: datetime, next_day: datetime):
        super().__init__(message)
        self.typed = typed
        self.next_day = next_day


def _shown(text: str) -> str:
    """The typed text, quoted safely for an error message."""
    return f"'{printable(text.strip())}'"


def _clean(text: str) -> str:
    raw = " ".join(text.split())
    if len(raw) > MAX_TEXT:
        raise TimeParseError("that is too long to be a time; try 14:30 or tomorrow 10:00")
    return raw


def parse_clock(text: str) -> time:
    """'14:30', '2:30pm', '2 pm', '2pm', '9.15', '10h00', 'noon', 'midnight'."""
    raw = _clean(text).lower().replace(" ", "")
    if raw == "noon":
        return time(12, 0)
    if raw == "midnight":
        return time(0, 0)
    match = _TIME.match(raw)
    if not match:
        raise TimeParseError(f"{_shown(text)} is not a time; try 14:30 or 2:30pm")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise TimeParseError(f"{_shown(text)}: with am/pm the hour must be 1 to 12")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise TimeParseError(f"{_shown(text)} is not a time of day")
    return time(hour, minute)


def _near(day: date, today: date) -> date:
    if abs((day - today).days) > PLANNING_HORIZON.days:
        when = "away" if day > today else "ago"
        raise TimeParseError(f"{day.isoformat()} is more than a year {when}; plan visits within the next year")
    return day


def parse_day(text: str, today: date) -> date:
    """'today', 'tomorrow', 'fri', '2026-11-27', '27/11', '27/11/2026' (within a year of today)."""
    raw = _clean(text).lower()
    if raw in ("", "today"):
        return today
    if raw in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    for index, name in enumerate(_DAYS):
        if len(raw) >= 3 and name.startswith(raw):
            return today + timedelta(days=(index - today.weekday()) % 7)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            iso = date.fromisoformat(raw)
        except ValueError:
            raise TimeParseError(f"{_shown(text)} is not a date") from None
        return _near(iso, today)
    match = _NUMERIC_DAY.match(raw)
    if not match:
        raise TimeParseError(f"{_shown(text)} is not a date; try today, tomorrow, fri or 27/11")
    day, month = int(match.group(1)), int(match.group(2))
    year = int(match.group(3)) if match.group(3) else today.year
    if year < 100:
        year += 2000
    try:
        result = date(year, month, day)
        if not match.group(3) and result < today:  # '27/11' typed in December means next year's
            result = date(year + 1, month, day)
    except ValueError:
        raise TimeParseError(f"{_shown(text)} is not a date") from None
    return _near(result, today)


def parse_duration(text: str) -> timedelta | None:
    """'+90m', '1h', '1h30', '45 min', '+2 hours', '+90'; None if it is not a duration.

    A duration longer than a year is a ``TimeParseError``, not an overflow.
    """
    raw = _clean(text).lower().replace(" ", "")
    if not raw or not any(ch.isdigit() for ch in raw):
        return None
    minutes: int | None = None
    if re.fullmatch(r"\+\d+", raw):
        minutes = int(raw[1:]) if len(raw) <= 12 else PLANNING_HORIZON.days * 24 * 60 + 1
    elif match := re.fullmatch(r"\+?(\d{1,6})h(\d{1,2})", raw):
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    elif (match := _DURATION.match(raw)) and (match.group(1) or match.group(2)):
        minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if minutes is None:
        return None
    if minutes > PLANNING_HORIZON.days * 24 * 60:
        raise TimeParseError("that is more than a year; plan visits within the next year")
    return timedelta(minutes=minutes)


def _relative(raw: str, now: datetime) -> datetime | None:
    """'now', '+10m', 'in 10 minutes', 'in 1h': a moment counted from ``now``."""
    low = raw.lower()
    if low == "now":
        return now
    if low.startswith("+") or low.startswith("in "):
        duration = parse_duration(low.removeprefix("in "))
        if duration is None:
            raise TimeParseError(f"{_shown(raw)} is not a time; try now, +10m or in 10 minutes")
        return add_real_time(now, duration)
    return None


def _moment(text: str, now: datetime, tz: str, default_day: date | None) -> tuple[datetime, bool]:
    """(the moment in ``tz``, whether the text fixed the day itself)."""
    place = zone(tz)
    try:
        local_now = now.astimezone(place)
    except (OverflowError, ValueError):
        raise TimeParseError("the clock is out of range") from None
    raw = _clean(text)
    if not raw:
        raise TimeParseError("enter a time, e.g. 14:30")
    relative = _relative(raw, local_now)
    if relative is not None:
        return _within_horizon(relative, now), True
    raw = _SUFFIX.sub(r"\1\2", raw.lower())
    parts = raw.rsplit(" ", 1)
    if len(parts) == 2:
        day, day_given = parse_day(parts[0], local_now.date()), True
        clock = parse_clock(parts[1])
    else:
        day, day_given = _near(default_day or local_now.date(), local_now.date()), False
        clock = parse_clock(raw)
    try:
        moment = datetime.combine(day, clock, tzinfo=place)
        to_utc(moment)
    except (OverflowError, PlanError):
        raise TimeParseError("that time is out of range") from None
    return _within_horizon(moment, now), day_given


def parse_when(text: str, now: datetime, tz: str, default_day: date | None = None) -> datetime:
    """A moment from free text: '14:30', 'tomorrow 10:00', 'fri 2pm', '27/11 9:15', 'now', '+10m', 'in 10 minutes'.

    Returns an aware datetime in ``tz``, within a year of ``now``.
    """
    return _moment(text, now, tz, default_day)[0]


def parse_start(text: str, now: datetime, tz: str) -> datetime:
    """The start of a visit: anything :func:`parse_when` reads ('now', '+10m', 'in 10 minutes', '14:30' ...)."""
    return parse_when(text, now, tz)


def _within_horizon(when: datetime, now: datetime) -> datetime:
    ahead = to_utc(when) - to_utc(now)
    if abs(ahead) > PLANNING_HORIZON:
        away = "away" if ahead > timedelta(0) else "ago"
        raise TimeParseError(f"that is more than a year {away}; plan visits within the next year")
    return when


def parse_finish(text: str, start: datetime, now: datetime, tz: str, *, next_day_ok: bool = False) -> datetime:
    """The expected finish: a duration from the start ('+1h', '90 min') or a moment ('15:30', 'in 2 hours').

    A bare time of day is on the start's day. If that is not after the start,
    :class:`FinishBeforeStart` asks about the next day, unless ``next_day_ok``
    says the person already agreed. A finish with its own day that is not after
    the start is a plain ``TimeParseError``.
    """
    to_utc(start)  # an out-of-range start is a PlanError here, not an overflow below
    duration = parse_duration(text)
    if duration is not None:
        if duration < _MINUTE:
            raise TimeParseError("the visit must last at least a minute")
        return _within_horizon(add_real_time(start, duration), now)
    place = zone(tz)
    local_start = start.astimezone(place)
    finish, day_given = _moment(text, now, tz, local_start.date())
    if to_utc(finish) > to_utc(start):
        return finish
    if day_given:
        raise TimeParseError("the expected finish must be after the start")
    try:
        next_day = datetime.combine(finish.date() + timedelta(days=1), finish.time(), tzinfo=place)
    except OverflowError:
        raise TimeParseError("that time is out of range") from None
    _within_horizon(next_day, now)
    if next_day_ok:
        return next_day
    finish_clock, start_clock = finish.strftime(TIME_FORMAT), local_start.strftime(TIME_FORMAT)
    raise FinishBeforeStart(
        f"The finish ({finish_clock}) is not after the start ({start_clock}). "
        f"Do you mean {format_when(next_day, place)}, the next day? "
        f"Then type {next_day:%d/%m} {finish_clock}.",
        typed=finish,
        next_day=next_day,
    )


def parse_grace(text: str) -> int:
    """Minutes of grace after the finish before contacts act: '15', '' (0)."""
    raw = _clean(text)
    if not raw:
        return 0
    if not re.fullmatch(r"\d{1,5}", raw):
        raise TimeParseError("grace is a number of minutes, e.g. 15")
    return check_grace_minutes(int(raw))


def entry_text(when: datetime, tz: str, *, now: datetime | None = None, same_day_as: datetime | None = None) -> str:
    """What to put in an input box so that it reads back as ``when``: the inverse of the parsers.

    ``14:30`` when on ``same_day_as``'s day (a finish beside its start);
    ``today 14:30`` / ``tomorrow 14:30`` relative to ``now``; else ``27/11/2026 14:30``.
    """
    place = zone(tz)
    local = when.astimezone(place)
    clock = local.strftime(TIME_FORMAT)
    if same_day_as is not None and same_day_as.astimezone(place).date() == local.date():
        return clock
    if now is not None:
        ahead = (local.date() - now.astimezone(place).date()).days
        if ahead in (0, 1):
            return f"{'today' if ahead == 0 else 'tomorrow'} {clock}"
    return f"{local:%d/%m/%Y} {clock}"


def default_start(now: datetime, tz: str) -> datetime:
    """30 minutes from now, rounded up to five minutes."""
    local = add_real_time(now.astimezone(zone(tz)), timedelta(minutes=30))
    local = local.replace(second=0, microsecond=0)
    return add_real_time(local, timedelta(minutes=(-local.minute) % 5))


def local_zone_name() -> str:
    """The machine's zone name, for display; UTC when it cannot be told."""
    name = os.environ.get("TZ", "").lstrip(":")
    candidates = [name] if name else []
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for candidate in candidates:
        try:
            zone(candidate)
        except PlanError:
            continue
        return candidate
    return "UTC"
