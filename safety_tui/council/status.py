"""What ``safety-tui council status`` says, tested now. Core: no Textual.

The connection is tried now (sending what waits in the outbox), so the error shown
is this moment's, never an old one; then what waits, since when, and what was set
aside. Every stored text goes through the one printable filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from safety_tui.common.errors import CouncilError
from safety_tui.common.text import printable
from safety_tui.common.timefmt import format_duration
from safety_tui.council.db import probe
from safety_tui.council.hook import clock_warning
from safety_tui.council.outbox import SET_ASIDE, Outbox, title_of
from safety_tui.council.schema_trust import SKEW_SHOWN_SECONDS


@dataclass(frozen=True)
class Summary:
    """What waits, since when, and what was set aside."""

    waiting: int
    oldest_utc: str
    last_attempt_utc: str
    attempts: int
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (title or plan key, why)


def summary(outbox: Outbox) -> Summary:
    first = outbox.conn.execute(
        "SELECT COUNT(*), MIN(queued_utc), MAX(last_attempt_utc) FROM outbox WHERE set_aside_utc IS NULL"
    ).fetchone()
    aside = [
        (title_of(body, key), error)
        for key, body, error in outbox.conn.execute(
            "SELECT plan_key, body, last_error FROM outbox WHERE set_aside_utc IS NOT NULL ORDER BY id"
        )
    ]
    return Summary(int(first[0]), first[1] or "", first[2] or "", outbox.attempts(), aside)


@dataclass(frozen=True)
class StatusReport:
    lines: list[str]
    notices: tuple[str, ...]
    shared: bool  # nothing waits and nothing was set aside


def connection_line(url: str, outbox: Outbox | None = None) -> tuple[bool, str]:
    """Connect now: (reached, what to say), with the clock warning when this computer's clock is off
    (kept in the outbox too, so Today stops warning once the clock is right)."""
    try:
        skew = probe(url)
    except CouncilError as exc:
        return False, f"cannot reach the council database now: {exc}"
    if outbox is not None:
        outbox.record_skew(skew)
    return True, "connected now" + (f"; {clock_warning(skew)}" if abs(skew) > SKEW_SHOWN_SECONDS else "")


def status_report(url: str, directory: Path) -> StatusReport:
    with Outbox.open(directory) as outbox:
        result = outbox.flush(url)  # the connection test, and what waits goes now if it can
        waiting = summary(outbox)
        notices = outbox.take_notices()
        lines = [
            f"cannot reach the council database now: {result.problem}"
            if result.problem
            else connection_line(url, outbox)[1]
        ]
    if result.sent:
        lines.append(f"sent {result.sent} just now")
    if waiting.waiting:
        lines.append(
            f"not yet shared with the duty desk: {waiting.waiting} waiting since {ago(waiting.oldest_utc)}"
            + (f" ({waiting.attempts} failed tries)" if waiting.attempts else "")
        )
    for title, why in waiting.set_aside:
        lines.append(f"{SET_ASIDE}: {printable(title)}: {printable(why)}")
    if waiting.set_aside:
        lines.append(
            "  start, extend or check in the plan again to send its latest state; after the council changed "
            "its rules: safety-tui council sync --retry-set-aside; to delete them: --discard-set-aside"
        )
    shared = not waiting.waiting and not waiting.set_aside
    if shared:
        lines.append("everything is shared with the duty desk")
    return StatusReport(lines, tuple(printable(n) for n in notices), shared)


def ago(iso: str) -> str:
    try:
        then = datetime.fromisoformat(iso)
    except ValueError:
        return "an unknown time"
    return f"{then.astimezone():%a %d %b %H:%M} ({format_duration(datetime.now(timezone.utc) - then)} ago)"
