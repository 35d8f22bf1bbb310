"""How an incident reads, for the CLI, the evidence pack and the screens. Core: no Textual.

One place decides the labels and the order, so ``incident show``, the Markdown
and PDF packs and the timeline screen say the same thing. These functions
return raw text: every caller passes it through its own literal filter
(``text.printable`` on a terminal, ``markup=False`` in Textual).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from safety_tui.incidents.model import Channel, Incident

NOW_WORDS = {"", "now", "just now"}


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


def title(incident: Incident) -> str:
    return f"Incident {incident.id}: {incident.category.label}, {short_when(incident.happened_at, incident.tz)}, {incident.who}"


def fields(incident: Incident) -> list[tuple[str, str]]:
    """The record as (label, text) pairs, in the order the police would read it; empty ones left out."""
    channel = incident.channel.label
    if incident.channel is Channel.SOCIAL_MEDIA and incident.platform:
        channel += f" ({incident.platform})"
    rows = [
        ("Happened", when_text(incident.happened_at, incident.tz)),
        ("Recorded", f"{recorded_text(incident.recorded_at)} by {incident.recorder}"),
        ("People", ", ".join(p.label + (" (description)" if p.described else "") for p in incident.people) or "unknown"),
        ("Channel", channel),
        ("Category", f"{incident.category.label}: {incident.category.explanation} (guidance {incident.category.section})"),
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
        "id": incident.id, "happened": incident.happened_at.isoformat(), "tz": incident.tz,
        "recorded": incident.recorded_at.isoformat(), "recorder": incident.recorder,
        "channel": incident.channel.value, "category": incident.category.value,
        "people": [p.label for p in incident.people], "what": incident.what, "where": incident.where,
        "evidence": [{"name": e.name, "sha256": e.sha256} for e in incident.evidence],
        "actions": [{"action": a.kind.value, "on": a.on.isoformat(), "reference": a.reference} for a in incident.actions],
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


def revision_lines(incident: Incident) -> list[str]:
    return [
        f"{recorded_text(r.recorded_at)} by {r.recorder}: {r.summary} [entry {r.seq}, hash {r.hash[:16]}]"
        for r in incident.revisions
    ]


def record_lines(incident: Incident, *, revisions_heading: str = "Revisions") -> list[str]:
    """The whole record as plain lines (title, fields, revisions, evidence, actions): CLI and timeline."""
    lines = [title(incident)] + [f"{label}: {value}" for label, value in fields(incident)]
    for heading, items in ((revisions_heading, revision_lines(incident)), ("Evidence", evidence_lines(incident)),
                           ("Actions", action_lines(incident))):
        lines += [f"{heading}:"] + [f"  {item}" for item in items or ["none"]]
    return lines


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
