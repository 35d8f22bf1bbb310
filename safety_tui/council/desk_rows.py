"""Reading the desk's rows so that one bad row cannot blind the desk. Core: no Textual.

A row comes from a councillor's device (or an older or tampered server), so every
value is read on its own: text columns are cast to text and cut in SQL, a time outside
a sane window of the server's clock (``infinity``, year 1) comes as NULL with a flag
saying it was there, instead of failing the whole read, the contacts are cut to the
first :data:`CONTACTS_SHOWN` by the server (a 60,000-contact row costs the desk
nothing), and each row is converted with a fallback. A row whose times cannot be
judged becomes a :class:`BadRow` that the desk shows as such; every other row lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from safety_tui.plans.lifecycle import Status

CONTACTS_SHOWN = 10  # the desk shows the first ten contacts and "and N more"
FIELD_LIMIT = 40  # characters of a contact's name or phone shown on the desk
SANE_WINDOW = timedelta(days=3650)  # a time further than this from the server's now() is not a plan's


def _sane(column: str) -> str:
    """The time if it lies within the window of the server's clock, else NULL (so it always loads)."""
    return (
        f"CASE WHEN {column} BETWEEN now() - interval '{SANE_WINDOW.days} days' "
        f"AND now() + interval '{SANE_WINDOW.days} days' THEN {column} END"
    )


# Every risky column read as text, cut, windowed or counted by the server. The order is read by ``read_plan``.
_ARRAY = "jsonb_typeof(contacts) = 'array'"
PLAN_COLUMNS = (
    "id, owner::text, left(name::text, 200), left(phone::text, 200), left(title::text, 200), left(place::text, 500), "
    f"{_sane('start_at')}, {_sane('finish_at')}, grace_minutes::text, {_sane('due_at')}, "
    f"CASE WHEN {_ARRAY} THEN jsonb_array_length(contacts) END, "
    f"CASE WHEN {_ARRAY} THEN jsonb_path_query_array(contacts, '$[0 to {CONTACTS_SHOWN - 1}]') END, "
    "jsonb_typeof(contacts), left(escalation::text, 2000), left(code_meaning::text, 2000), status::text, "
    f"{_sane('ended_at')}, start_at IS NOT NULL, finish_at IS NOT NULL, due_at IS NOT NULL, ended_at IS NOT NULL, "
    "clock_skew_seconds"
)
ACTION_COLUMNS = (
    f"id, plan_id, {_sane('due_at')}, kind::text, outcome::text, left(detail::text, 500), by_role::text, {_sane('at')}"
)


@dataclass(frozen=True)
class BadRow:
    """A plan on the desk whose data cannot be judged: shown as a bad row, with whatever could be read."""

    id: int
    owner: str
    name: str
    phone: str
    title: str
    problem: str


@dataclass(frozen=True)
class ReadContacts:
    shown: list[dict[str, str]]
    more: int  # how many were not shown
    problem: str  # "" when the contacts were a proper list


def text(value: object) -> str:
    return value if isinstance(value, str) else ""


def sane_time(value: object, present: object, what: str, *, required: bool) -> datetime | None:
    """A time the server found within the sane window, or ValueError naming ``what``."""
    if isinstance(value, datetime):
        return value
    if present:
        raise ValueError(f"the {what} is out of range")
    if required:
        raise ValueError(f"the {what} is missing")
    return None


def lenient_time(value: object, present: object, what: str, warnings: list[str]) -> datetime | None:
    """An optional time; one out of range is None, and ``warnings`` says so."""
    try:
        return sane_time(value, present, what, required=False)
    except ValueError as exc:
        warnings.append(str(exc))
        return None


def read_contacts(count: object, first: object, kind: object) -> ReadContacts:
    if not isinstance(count, int) or not isinstance(first, list):
        return ReadContacts([], 0, f"the contacts are not a list (a JSON {text(kind) or 'null'})")
    shown: list[dict[str, str]] = []
    odd = 0
    for entry in first:
        if isinstance(entry, dict):
            shown.append({key: str(entry.get(key, ""))[:FIELD_LIMIT] for key in ("name", "phone")})
        else:
            odd += 1
    problem = f"{odd} contact(s) are not name and phone" if odd else ""
    return ReadContacts(shown, max(count - len(first), 0), problem)


def bad_row(row: tuple[Any, ...], problem: str) -> BadRow:
    plan_id = row[0] if isinstance(row[0], int) else -1
    return BadRow(plan_id, text(row[1]), text(row[2]), text(row[3]), text(row[4]), problem)


def read_grace(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ValueError("the grace period cannot be read") from None


def read_status(value: object) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise ValueError("the status cannot be read") from None
