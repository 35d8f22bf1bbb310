"""Rebuild an incident from its entries, oldest first. Core: no Textual.

An incident is never stored as one row that gets rewritten: it is the sum of its
entries (created, amended, action, evidence, dismissed, deleted), so every
earlier state stays readable and the revisions are the entries themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from safety_tui.incidents.model import (
    TEXT_FIELDS,
    Action,
    ActionKind,
    Category,
    Channel,
    Evidence,
    Incident,
    Person,
    Revision,
)

FIELD_NAMES = {
    "happened_utc": "when",
    "tz": "time zone",
    "channel": "channel",
    "category": "category",
    "people": "people",
    "what": "what happened",
    "where": "where",
    "exact_words": "exact words",
    "witnesses": "witnesses",
    "effect": "effect on you",
    "platform": "platform",
    "link": "link",
    "description": "description",
    "vehicle": "vehicle",
    "plate": "plate",
    "calling_number": "calling number",
    "plan": "plan",
}


@dataclass(frozen=True)
class Entry:
    seq: int
    incident_id: int
    kind: str
    recorded_utc: str
    recorder: str
    body: str | None
    hash: str

    @property
    def data(self) -> dict[str, Any]:
        if self.body is None:
            return {}
        value = json.loads(self.body)
        return value if isinstance(value, dict) else {}

    @property
    def recorded_at(self) -> datetime:
        return datetime.fromisoformat(self.recorded_utc)


def _people(raw: Any) -> list[Person]:
    people = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            people.append(
                Person(
                    id=int(item.get("id", 0)), label=str(item.get("label", "")), described=bool(item.get("described"))
                )
            )
    return people


def zone_name(value: Any) -> str:
    """A stored time zone's name, once it is known to be one: anything else (a name edited by hand,
    not a string) is a ``KeyError``, ``ValueError`` or ``TypeError``, the fold's "cannot be read"."""
    if not isinstance(value, str):
        raise TypeError("a time zone is a name")
    ZoneInfo(value)  # ZoneInfoNotFoundError is a KeyError
    return value


def _apply(incident: Incident, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key == "happened_utc":
            incident.happened_at = datetime.fromisoformat(str(value))
        elif key == "tz":
            incident.tz = zone_name(value)
        elif key == "channel":
            incident.channel = Channel(value)
        elif key == "category":
            incident.category = Category(value)
        elif key == "people":
            incident.people = _people(value)
        elif key in TEXT_FIELDS:
            setattr(incident, key, str(value))


def shown(incident: Incident, key: str) -> str:
    """A field's value as a person reads it, for 'what it was' and 'what it became'."""
    if key == "happened_utc":
        return f"{incident.happened_local:%a %d %b %Y %H:%M} ({incident.tz})"
    if key == "tz":
        return incident.tz
    if key in ("channel", "category"):
        return str(getattr(incident, key).label)
    if key == "people":
        return ", ".join(p.label + (" (description)" if p.described else "") for p in incident.people) or "nobody"
    return str(getattr(incident, key, ""))


def _amend(incident: Incident, changes: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """Apply an amendment; return what each field was and became, so the original is never lost."""
    before = {key: shown(incident, key) for key in changes}
    _apply(incident, changes)
    return tuple((FIELD_NAMES.get(key, key), before[key], shown(incident, key)) for key in sorted(changes))


def summary(kind: str, data: dict[str, Any]) -> str:
    """One line saying what an entry did, for the timeline and the evidence pack."""
    if kind == "created":
        return "recorded"
    if kind == "amended":
        changes = data.get("changes", {})
        names = ", ".join(FIELD_NAMES.get(k, k) for k in sorted(changes)) if isinstance(changes, dict) else ""
        return f"amended: {names}" if names else "amended"
    if kind == "action":
        try:
            label = ActionKind(data.get("action")).label
        except ValueError:
            label = str(data.get("action"))
        ref = f" (reference {data['reference']})" if data.get("reference") else ""
        return f"action: {label} on {data.get('on', '?')}{ref}"
    if kind == "evidence":
        return f"evidence added: {data.get('name', '?')} (SHA-256 {data.get('sha256', '?')})"
    if kind == "dismissed":
        return f"to-do dismissed: {data.get('prompt', '?')}"
    if kind == "deleted":
        return "deleted"
    return kind


def fold(entries: list[Entry]) -> Incident:
    """The incident as its entries say it is now. ``entries`` are one incident's, in order."""
    first = entries[0]
    created = first.data
    incident = Incident(
        id=first.incident_id,
        happened_at=datetime.fromisoformat(str(created.get("happened_utc", first.recorded_utc))),
        tz=zone_name(created.get("tz", "UTC")),
        recorded_at=first.recorded_at,
        recorder=first.recorder,
    )
    gone = next((e for e in entries if e.kind == "deleted"), None)
    if gone is not None:  # its texts were emptied on purpose: only the dates and the chain remain
        incident.deleted_at = gone.recorded_at
        incident.what = "(deleted)"
        incident.revisions = [
            Revision(
                seq=e.seq, kind=e.kind, recorded_at=e.recorded_at, recorder=e.recorder, summary=e.kind, hash=e.hash
            )
            for e in entries
        ]
        return incident
    for entry in entries:
        data = entry.data
        replaced: tuple[tuple[str, str, str], ...] = ()
        if entry.kind == "created":
            _apply(incident, data)
        elif entry.kind == "amended":
            changes = data.get("changes", {})
            replaced = _amend(incident, changes if isinstance(changes, dict) else {})
        elif entry.kind == "action":
            incident.actions.append(
                Action(
                    kind=ActionKind(data["action"]),
                    on=date.fromisoformat(str(data["on"])),
                    reference=str(data.get("reference", "")),
                    note=str(data.get("note", "")),
                    recorded_at=entry.recorded_at,
                    recorder=entry.recorder,
                )
            )
        elif entry.kind == "evidence":
            incident.evidence.append(
                Evidence(
                    name=str(data["name"]),
                    sha256=str(data["sha256"]),
                    size=int(data["size"]),
                    stored=str(data["stored"]),
                    added_at=entry.recorded_at,
                    recorder=entry.recorder,
                )
            )
        elif entry.kind == "dismissed":
            incident.dismissed.add(str(data.get("prompt", "")))
        incident.revisions.append(
            Revision(
                seq=entry.seq,
                kind=entry.kind,
                recorded_at=entry.recorded_at,
                recorder=entry.recorder,
                summary=summary(entry.kind, data),
                hash=entry.hash,
                replaced=replaced,
            )
        )
    return incident


def differs(current: Incident, key: str, value: Any) -> bool:
    """Would this stored value change the incident? (An amendment records only what changed.)"""
    if key == "happened_utc":
        return bool(current.happened_at.isoformat(timespec="seconds") != value)
    if key == "people":
        return bool([p.id for p in current.people] != [p["id"] for p in value])
    if key in ("channel", "category"):
        return bool(str(getattr(current, key).value) != value)
    return bool(getattr(current, key) != value)
