"""Checks on what goes into an incident, with messages for a person. Core: no Textual."""

from __future__ import annotations

import getpass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from safety_tui.common.text import has_control_chars
from safety_tui.incidents.model import (
    MAX_PEOPLE,
    MAX_TEXT,
    TEXT_FIELDS,
    ActionKind,
    Category,
    Channel,
    EvidenceError,
    IncidentError,
    normalise,
)

if TYPE_CHECKING:
    from safety_tui.store.repository import Store

# Fields that hold a paragraph; the others are one line.
MULTILINE = {"what", "exact_words", "witnesses", "effect", "description"}
LABELS = {
    "what": "What happened",
    "where": "Where",
    "exact_words": "Exact words",
    "witnesses": "Witnesses",
    "effect": "How it affected you",
    "platform": "Platform",
    "link": "Link",
    "description": "Description",
    "vehicle": "Vehicle",
    "plate": "Plate",
    "calling_number": "Calling number",
    "plan": "Plan",
    "recorder": "Recorder",
    "person": "Person",
    "reference": "Reference",
    "note": "Note",
}
FUTURE_SLACK = timedelta(minutes=5)


def evidence_name(source: Path) -> str:
    """An evidence file's name as it will be recorded; refused (before anything is kept) when it
    holds control characters or bytes that are not UTF-8."""
    try:
        source.name.encode("utf-8")
    except UnicodeEncodeError:
        raise EvidenceError("the evidence file's name is not valid UTF-8 text: rename the file, then add it") from None
    return clean_text("evidence file name", source.name)


def clean_text(name: str, value: Any) -> str:
    """A text field as it will be kept; refuses control characters and overlong text."""
    label = LABELS.get(name, name)
    if not isinstance(value, str):
        raise IncidentError(f"{label} must be text")
    text = value if name in MULTILINE else value.strip()
    bad = has_control_chars(text)
    if bad is not None:
        raise IncidentError(f"{label} contains a control character (U+{ord(bad):04X}); remove it")
    if name not in MULTILINE and "\n" in text:
        raise IncidentError(f"{label} must be one line")
    if len(text) > MAX_TEXT:
        raise IncidentError(f"{label} is {len(text):,} characters; at most {MAX_TEXT:,}")
    return text


def clean_recorder(value: str) -> str:
    text = clean_text("recorder", value)
    if not text:
        raise IncidentError("every entry needs the recorder's name: set it with 'safety-tui settings --name'")
    return text


def clean_zone(tz: str) -> str:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise IncidentError(f"'{tz}' is not a time zone; try Europe/London") from None
    return tz


def clean_happened(when: datetime, now: datetime) -> str:
    if when.tzinfo is None:
        raise IncidentError("the time it happened needs a time zone")
    if when.astimezone(timezone.utc) > now.astimezone(timezone.utc) + FUTURE_SLACK:
        raise IncidentError("the time it happened is in the future; check the date")
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def clean_channel(value: Channel | str) -> str:
    try:
        return Channel(value).value
    except ValueError:
        raise IncidentError(f"unknown channel '{value}'; use one of: {', '.join(c.value for c in Channel)}") from None


def clean_category(value: Category | str) -> str:
    try:
        return Category(value).value
    except ValueError:
        raise IncidentError(f"unknown category '{value}'; use one of: {', '.join(c.value for c in Category)}") from None


def clean_action(value: ActionKind | str) -> ActionKind:
    try:
        return ActionKind(value)
    except ValueError:
        raise IncidentError(f"unknown action '{value}'; use one of: {', '.join(a.value for a in ActionKind)}") from None


def clean_action_date(on: date, today: date, earliest: date | None = None) -> str:
    """An action's date: not in the future, and not before the day its incident happened."""
    if on > today:
        raise IncidentError("an action cannot be dated in the future")
    if earliest is not None and on < earliest:
        raise IncidentError(f"an action cannot be dated before its incident ({earliest:%d %b %Y})")
    return on.isoformat()


def clean_people(people: list[str] | list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Names (or ``(text, is_description)`` pairs); blanks dropped, repeats once."""
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    for entry in people:
        label, described = (entry, False) if isinstance(entry, str) else entry
        text = clean_text("person", label)
        key = normalise(text)
        if not key:
            if text:
                raise IncidentError(f"person '{text}' needs at least one letter or digit")
            continue
        if key not in seen:
            seen.add(key)
            out.append((text, bool(described)))
    if len(out) > MAX_PEOPLE:
        raise IncidentError(f"at most {MAX_PEOPLE} people per incident")
    return out


def clean_fields(fields: dict[str, Any]) -> dict[str, str]:
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise IncidentError(f"an incident has no field {', '.join(sorted(unknown))}")
    return {name: clean_text(name, value) for name, value in fields.items()}


def default_recorder(store: Store) -> str:
    """Who signs an entry: your name in the settings, else your login name."""
    for key in ("name", "owner_name"):
        value = store.setting(key)
        if value.strip():
            return value.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
