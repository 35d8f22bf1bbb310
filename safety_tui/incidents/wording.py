"""How an incident reads, for the CLI, the evidence pack and the screens. Core: no Textual.

One place decides the labels and the order, so ``incident show``, the Markdown
and PDF packs and the timeline screen say the same thing. These functions
return raw text: every caller passes it through its own literal filter
(``text.printable`` on a terminal, ``markup=False`` in Textual).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from safety_tui.incidents.model import Channel, Incident, Revision

NOW_WORDS = {"", "now", "just now"}
# Recorded more than this after it happened: the record says so ("recorded later", e.g. a paper log moved in).
RECORDED_LATER = timedelta(days=1)
_FULL_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2})[:.](\d{2}))?$|"
    r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2})[:.](\d{2}))?$"
)


def when_text(moment: datetime, tz: str) -> str:
    """A moment in a zone, with the date, the zone's abbreviation and name: 'Tue 03 Nov 2026 18:00 GMT (Europe/London)'."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%a %d %b %Y %H:%M} {local.tzname()} ({tz})"


def short_when(moment: datetime, tz: str) -> str:
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local:%d %b %Y %H:%M}"


def recorded_text(moment: datetime) -> str:
    """When something was recorded, in UTC to the second (fixed, never edited)."""
    return f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S} UTC"


def recorded_later(incident: Incident) -> str:
    """'' for a record made at the time; else how long after it happened it was recorded."""
    gap = incident.recorded_at - incident.happened_at
    if gap <= RECORDED_LATER:
        return ""
    days = gap.days
    span = f"{days // 365} year(s) {days % 365} day(s)" if days >= 365 else f"{days} day(s)"
    return f"recorded later: {span} after it happened (not a record made at the time)"


def title(incident: Incident) -> str:
    return f"Incident {incident.id}: {incident.category.label}, {short_when(incident.happened_at, incident.tz)}, {incident.who}"


def fields(incident: Incident) -> list[tuple[str, str]]:
    """The record as (label, text) pairs, in the order the police would read it; empty ones left out."""
    channel = incident.channel.label
    if incident.channel is Channel.SOCIAL_MEDIA and incident.platform:
        channel += f" ({incident.platform})"
    rows = [
        ("Happened", when_text(incident.happened_at, incident.tz)),
        (
            "Recorded",
            f"{recorded_text(incident.recorded_at)} by {incident.recorder}"
            + (f"; {recorded_later(incident)}" if recorded_later(incident) else ""),
        ),
        (
            "People",
            ", ".join(p.label + (" (description)" if p.described else "") for p in incident.people) or "unknown",
        ),
        ("Channel", channel),
        (
            "Category",
            f"{incident.category.label}: {incident.category.explanation} (guidance {incident.category.section})",
        ),
        ("Where", incident.where),
        ("What happened", incident.what),
        ("Exact words", incident.exact_words),
        ("Witnesses", incident.witnesses),
        ("Effect on me", incident.effect),
        ("Description", incident.description),
        ("Vehicle", " ".join(b for b in (incident.vehicle, f"plate {incident.plate}" if incident.plate else "") if b)),
        ("Calling number", incident.calling_number),
        ("Platform" if incident.channel is not Channel.SOCIAL_MEDIA else "", incident.platform),
        ("Link", incident.link),
        ("Plan", incident.plan),
    ]
    return [(label, value) for label, value in rows if label and value.strip()]


def as_json(incident: Incident) -> dict[str, Any]:
    """The plain-data form of an incident, for ``incidents --json``."""
    return {
        "id": incident.id,
        "happened": incident.happened_at.isoformat(),
        "tz": incident.tz,
        "recorded": incident.recorded_at.isoformat(),
        "recorder": incident.recorder,
        "channel": incident.channel.value,
        "category": incident.category.value,
        "people": [p.label for p in incident.people],
        "what": incident.what,
        "where": incident.where,
        "evidence": [{"name": e.name, "sha256": e.sha256} for e in incident.evidence],
        "actions": [
            {"action": a.kind.value, "on": a.on.isoformat(), "reference": a.reference} for a in incident.actions
        ],
        "revisions": len(incident.revisions),
    }


def evidence_lines(incident: Incident) -> list[str]:
    return [
        f"{e.name}: SHA-256 {e.sha256}, {e.size:,} bytes, added {recorded_text(e.added_at)} by {e.recorder}"
        for e in incident.evidence
    ]


def action_lines(incident: Incident) -> list[str]:
    out = []
    for a in incident.actions:
        line = f"{a.on:%d %b %Y}: {a.label}"
        if a.reference:
            line += f", reference {a.reference}"
        if a.note:
            line += f" ({a.note})"
        out.append(line + f" [recorded {recorded_text(a.recorded_at)} by {a.recorder}]")
    return out


def revision_line(r: Revision) -> str:
    return f"{recorded_text(r.recorded_at)} by {r.recorder}: {r.summary} [entry {r.seq}, hash {r.hash[:16]}]"


def replaced_lines(r: Revision) -> list[tuple[str, str]]:
    """What an amendment replaced, as (heading, text) pairs: '<field> was' and '<field> became'."""
    out: list[tuple[str, str]] = []
    for label, old, new in r.replaced:
        out += [(f"{label} was", old or "(empty)"), (f"{label} became", new or "(empty)")]
    return out


def revision_lines(incident: Incident) -> list[str]:
    """Each entry as recorded; under an amendment, what it replaced (the original is never lost)."""
    lines = []
    for r in incident.revisions:
        lines.append(revision_line(r))
        lines += [f"  {head}: " + text.replace("\n", "\n      ") for head, text in replaced_lines(r)]
    return lines


def record_lines(incident: Incident, *, revisions_heading: str = "Revisions") -> list[str]:
    """The whole record as plain lines (title, fields, revisions, evidence, actions): CLI and timeline."""
    lines = [title(incident)] + [f"{label}: {value}" for label, value in fields(incident)]
    for heading, items in (
        (revisions_heading, revision_lines(incident)),
        ("Evidence", evidence_lines(incident)),
        ("Actions", action_lines(incident)),
    ):
        lines += [f"{heading}:"] + [f"  {item}" for item in items or ["none"]]
    return lines


def _full_date(raw: str, tz: str) -> datetime | None:
    """'2019-03-05 14:30' or '05/03/2019 14:30' (day first), or None when ``raw`` is not one."""
    from safety_tui.incidents.model import IncidentError

    match = _FULL_DATE.match(raw)
    if match is None:
        return None
    g = match.groups()
    year, month, day, hour, minute = (g[0], g[1], g[2], g[3], g[4]) if g[0] else (g[7], g[6], g[5], g[8], g[9])
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=ZoneInfo(tz))
    except ValueError:
        raise IncidentError(f"'{raw}' is not a date and time; e.g. '2019-03-05 14:30' or '05/03/2019 14:30'") from None
    if moment.year < 1970:
        raise IncidentError(f"'{raw}' is before 1970; check the year")
    return moment


def parse_happened(text: str, now: datetime, tz: str) -> datetime:
    """When something happened, from forgiving text; never in the future.

    'now', '14:30', 'yesterday 14:30', 'fri 9pm' (the last Friday), '2026-11-03 18:00',
    '2h ago', '-30m'. Raises ``IncidentError`` with a plain message.
    """
    from safety_tui.incidents.model import IncidentError
    from safety_tui.plans.timeparse import parse_duration, parse_when

    raw = " ".join(text.strip().lower().split())
    if raw in NOW_WORDS:
        return now.astimezone(ZoneInfo(tz))
    full = _full_date(raw, tz)
    if full is not None:  # a full date may be any time in the past: a paper log moved in
        if full > now + timedelta(minutes=5):
            raise IncidentError(f"'{text.strip()}' is in the future; check the date")
        return full
    ago = raw.removesuffix(" ago").removeprefix("-")
    if raw.endswith(" ago") or raw.startswith("-"):
        span = parse_duration(ago)
        if span is None:
            raise IncidentError(f"'{text.strip()}' is not a length of time; try '2h ago' or '-30m'")
        return (now - span).astimezone(ZoneInfo(tz))
    words = raw.split(" ")
    if words[0] == "yesterday" and len(words) == 2:
        raw = f"{(now.astimezone(ZoneInfo(tz)) - timedelta(days=1)).date().isoformat()} {words[1]}"
    try:
        moment = parse_when(raw, now, tz)
    except ValueError as exc:
        raise IncidentError(f"{exc}; e.g. 'now', '14:30', 'yesterday 14:30', '2h ago'") from None
    if moment > now + timedelta(minutes=5):
        if len(words) == 2 and words[0][:3].isalpha() and words[0] not in ("today", "tomorrow"):
            return moment - timedelta(days=7)  # 'fri 9pm' means the last Friday
        raise IncidentError(f"'{text.strip()}' is in the future; add the day, e.g. 'yesterday {words[-1]}'")
    return moment
