"""Every date, time and duration a person reads, formatted in one place. Core: no Textual, no pydantic.

The app, the CLI and every export (message, SMS, calendar text, summary) use
these functions, so a time never reads differently in two places. A time is
shown in the plan's own zone, e.g. ``Wed 25 Nov 14:30``; a span shows the
finish's date whenever it is not on the start's day, so a visit from 22:30 to
02:00 can never read as ``22:30-02:00`` with no hint of the next day.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from safety_tui.common.clock import UTC, zone

DAY_FORMAT = "%a %d %b"  # Wed 25 Nov
TIME_FORMAT = "%H:%M"  # 14:30
NOT_SET = "(not set)"


def _in_zone(when: datetime, tz: str | tzinfo) -> tuple[datetime, str]:
    """``when`` in ``tz``; at the very edge of the calendar, UTC (said so) rather than a crash."""
    target = zone(tz) if isinstance(tz, str) else tz
    try:
        return when.astimezone(target), ""
    except (OverflowError, ValueError):
        return when.astimezone(UTC), " UTC"


def format_when(
    dt: datetime | None,
    tz: str | tzinfo,
    *,
    same_day_as: datetime | None = None,
    with_year: bool = False,
    missing: str = NOT_SET,
) -> str:
    """THE way a moment is shown: ``Wed 25 Nov 14:30``.

    ``same_day_as``: leave the date out (``14:30``) when ``dt`` falls on that
    moment's local day. ``with_year`` adds the year (``Wed 25 Nov 2026 14:30``),
    for lists that reach back a long way. ``missing`` is shown for ``None``.
    """
    if dt is None:
        return missing
    local, suffix = _in_zone(dt, tz)
    clock = local.strftime(TIME_FORMAT) + suffix
    if same_day_as is not None:
        reference, _ = _in_zone(same_day_as, tz)
        if reference.date() == local.date():
            return clock
    day = local.strftime(DAY_FORMAT)
    if with_year:
        day += f" {local.year}"
    return f"{day} {clock}"


def format_span(start: datetime | None, finish: datetime | None, tz: str | tzinfo, *, sep: str = " to ") -> str:
    """A visit's time span: ``Wed 25 Nov 14:30 to 15:30``, or ``Wed 25 Nov 22:30 to Thu 26 Nov 02:00``.

    The finish carries its date whenever it is not on the start's local day.
    ``sep`` lets a short form (an SMS) use ``-``.
    """
    if start is None or finish is None:
        return NOT_SET
    return f"{format_when(start, tz)}{sep}{format_when(finish, tz, same_day_as=start)}"


def format_duration(delta: timedelta) -> str:
    """'1h 05m', '12m', '3m 20s', '45s': how long, for countdowns and visit lengths (sign ignored)."""
    seconds = int(abs(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s" if minutes < 10 else f"{minutes}m"
    return f"{secs}s"
