"""Forgiving time entry: "14:30", "2:30pm", "tomorrow 10:00", "+90m". Core: no Textual."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_DURATION = re.compile(r"^\+?\s*(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?$")
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class TimeParseError(ValueError):
    pass


def parse_clock(text: str) -> time:
    """'14:30', '1430'? no; '2:30pm', '2pm', '9.15', '10h00', 'noon', 'midnight'."""
    raw = text.strip().lower().replace(" ", "")
    if raw == "noon":
        return time(12, 0)
    if raw == "midnight":
        return time(0, 0)
    match = _TIME.match(raw)
    if not match:
        raise TimeParseError(f"'{text.strip()}' is not a time; try 14:30 or 2:30pm")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise TimeParseError(f"'{text.strip()}': with am/pm the hour must be 1 to 12")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        raise TimeParseError(f"'{text.strip()}' is not a time of day")
    return time(hour, minute)


def parse_day(text: str, today: date) -> date:
    """'today', 'tomorrow', 'fri', '2026-11-27', '27/11', '27/11/2026'."""
    raw = text.strip().lower()
    if raw in ("", "today"):
        return today
    if raw in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    for index, name in enumerate(_DAYS):
        if len(raw) >= 3 and name.startswith(raw):
            ahead = (index - today.weekday()) % 7
            return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    match = re.match(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?$", raw)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
        year = int(match.group(3)) if match.group(3) else today.year
        if year < 100:
            year += 2000
        try:
            result = date(year, month, day)
        except ValueError:
            raise TimeParseError(f"'{text.strip()}' is not a date") from None
        if not match.group(3) and result < today:
            result = date(year + 1, month, day)
        return result
    raise TimeParseError(f"'{text.strip()}' is not a date; try today, tomorrow, fri or 27/11")


def parse_when(text: str, now: datetime, tz: str, default_day: date | None = None) -> datetime:
    """A moment from free text: '14:30', 'tomorrow 10:00', 'fri 2pm', '27/11 9:15'.

    Returns an aware datetime in ``tz``.
    """
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    raw = text.strip()
    if not raw:
        raise TimeParseError("enter a time, e.g. 14:30")
    parts = raw.rsplit(" ", 1)
    if len(parts) == 2 and not re.fullmatch(r"(am|pm|a\.m\.|p\.m\.)", parts[1].lower()):
        day = parse_day(parts[0], local_now.date())
        clock = parse_clock(parts[1])
    else:
        day = default_day or local_now.date()
        clock = parse_clock(raw)
    return datetime.combine(day, clock, tzinfo=zone)


def parse_duration(text: str) -> timedelta | None:
    """'+90m', '1h', '1h30', '45 min', '+2 hours'; None if it is not a duration."""
    raw = text.strip().lower().replace(" ", "")
    if not raw or not any(ch.isdigit() for ch in raw):
        return None
    if re.fullmatch(r"\+?\d+", raw) and raw.startswith("+"):
        return timedelta(minutes=int(raw[1:]))
    match = re.fullmatch(r"\+?(\d+)h(\d{1,2})", raw)
    if match:
        return timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))
    match = _DURATION.match(raw)
    if match and (match.group(1) or match.group(2)):
        return timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2) or 0))
    return None


def parse_finish(text: str, start: datetime, now: datetime, tz: str) -> datetime:
    """The expected finish: a time ('15:30', same day as the start or the next if earlier) or a duration ('+1h')."""
    duration = parse_duration(text)
    if duration is not None:
        if duration <= timedelta(0):
            raise TimeParseError("the visit must last at least a minute")
        return add_real_time(start, duration)
    zone = ZoneInfo(tz)
    local_start = start.astimezone(zone)
    finish = parse_when(text, now, tz, default_day=local_start.date())
    # Compare in UTC: Python compares same-zone datetimes on the wall clock.
    if finish.astimezone(timezone.utc) <= start.astimezone(timezone.utc) and " " not in text.strip():
        finish = datetime.combine(finish.date() + timedelta(days=1), finish.time(), tzinfo=zone)
    return finish


def add_real_time(when: datetime, duration: timedelta) -> datetime:
    """``when`` plus elapsed time, right across a DST change.

    Python adds a timedelta to a zone-aware datetime on the wall clock: 00:55 GMT
    plus 2 hours would give 02:55 BST, one real hour, on the night the clocks go
    forward. Adding in UTC gives the real time.
    """
    return (when.astimezone(timezone.utc) + duration).astimezone(when.tzinfo)


def default_start(now: datetime, tz: str) -> datetime:
    """30 minutes from now, rounded up to five minutes."""
    local = add_real_time(now.astimezone(ZoneInfo(tz)), timedelta(minutes=30))
    local = local.replace(second=0, microsecond=0)
    extra = (-local.minute) % 5
    return add_real_time(local, timedelta(minutes=extra))


def local_zone_name() -> str:
    """The machine's zone name, for display; UTC when it cannot be told."""
    import os

    name = os.environ.get("TZ")
    if name:
        try:
            ZoneInfo(name.lstrip(":"))
            return name.lstrip(":")
        except Exception:
            pass
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            candidate = link.split("zoneinfo/", 1)[1]
            ZoneInfo(candidate)
            return candidate
    except Exception:
        pass
    return "UTC"
