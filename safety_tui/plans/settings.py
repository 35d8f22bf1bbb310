"""The councillor's settings and their rules: name, phone, retention. Core: no Textual, no pydantic.

The app and the CLI read and change settings only through these functions, so the
rules (length, characters, ranges) live here once. Values are kept in the store's
settings table (``store.setting()`` / ``store.set_setting()``) under one key each:
``name``, ``phone``, ``retention_days`` (the store's schema v5 moved an older
``owner_name`` key to ``name``), and per plan ``title_in_message:<uid>`` (the
contact's message names the plan's title only when this is ``yes``).
"""

from __future__ import annotations

import re
from typing import Protocol

from safety_tui.common.errors import PlanError
from safety_tui.common.text import describe_char, has_control_chars
from safety_tui.common.textrules import NAME_MAX
from safety_tui.plans.lifecycle import MAX_RETENTION_DAYS

NAME_KEY = "name"
PHONE_KEY = "phone"
RETENTION_KEY = "retention_days"
THEME_KEY = "theme"
TITLE_IN_MESSAGE_PREFIX = "title_in_message:"  # + the plan's uid (random: it names nobody)

MAX_NAME_LENGTH = NAME_MAX
MAX_PHONE_LENGTH = 32
MIN_RETENTION_DAYS = 1
_PHONE = re.compile(r"[0-9+()\-. /]+")


class SettingsStore(Protocol):
    def setting(self, key: str, default: str = "") -> str: ...

    def set_setting(self, key: str, value: str) -> None: ...


def _refuse_controls(what: str, value: str) -> None:
    bad = has_control_chars(value)
    if bad is not None:
        raise PlanError(
            f"{what} cannot contain the control character {describe_char(bad)} "
            "(terminal escape sequences and direction overrides are refused)"
        )


def clean_name(value: str) -> str:
    """Your name as your contacts know you; '' clears it."""
    name = value.strip()
    _refuse_controls("your name", name)
    if len(name) > MAX_NAME_LENGTH:
        raise PlanError(f"your name is {len(name)} characters long; at most {MAX_NAME_LENGTH}, please")
    return name


def clean_phone(value: str) -> str:
    """Your own phone number (for "Ring me on ..."); '' clears it."""
    phone = " ".join(value.split())
    _refuse_controls("your phone number", phone)
    if not phone:
        return ""
    if len(phone) > MAX_PHONE_LENGTH:
        raise PlanError(f"your phone number is {len(phone)} characters long; at most {MAX_PHONE_LENGTH}, please")
    if not _PHONE.fullmatch(phone) or sum(ch.isdigit() for ch in phone) < 3:
        raise PlanError("a phone number has digits, spaces and + ( ) - . / only, e.g. 07700 900123 or +44 7700 900123")
    return phone


def check_days(days: int, *, what: str = "--days", minimum: int = 0) -> int:
    """A number of days for retention or purging, refused clearly outside a sane range."""
    if not minimum <= days <= MAX_RETENTION_DAYS:
        raise PlanError(f"{what} takes {minimum} to {MAX_RETENTION_DAYS} days (10 years), not {days}")
    return days


def stored_name_problem(store: SettingsStore) -> str | None:
    """Why the stored name cannot be used (it was saved before today's rules), or None."""
    try:
        clean_name(store.setting(NAME_KEY))
    except PlanError as exc:
        return str(exc)
    return None


def owner_name(store: SettingsStore) -> str:
    """Your name for new plans and messages; '' when unset or when the stored one breaks the rules."""
    try:
        return clean_name(store.setting(NAME_KEY))
    except PlanError:
        return ""


def set_owner_name(store: SettingsStore, value: str) -> str:
    name = clean_name(value)
    store.set_setting(NAME_KEY, name)
    return name


def owner_phone(store: SettingsStore) -> str:
    return store.setting(PHONE_KEY)


def set_owner_phone(store: SettingsStore, value: str) -> str:
    phone = clean_phone(value)
    store.set_setting(PHONE_KEY, phone)
    return phone


def _title_key(plan_uid: str) -> str:
    return f"{TITLE_IN_MESSAGE_PREFIX}{plan_uid}"


def title_in_message(store: SettingsStore, plan_uid: str) -> bool:
    """Whether the contact's message names the plan's title (often the constituent and their case).
    Off unless the councillor added it for this plan (Review's t): the message gives the place,
    the times and what to do."""
    return store.setting(_title_key(plan_uid)) == "yes"


def set_title_in_message(store: SettingsStore, plan_uid: str, shown: bool) -> bool:
    store.set_setting(_title_key(plan_uid), "yes" if shown else "")
    return shown


def app_theme(store: SettingsStore) -> str:
    """The theme chosen in the app (Ctrl+P, Theme), or '' for the default."""
    return store.setting(THEME_KEY)


def set_app_theme(store: SettingsStore, name: str) -> str:
    if len(name) > 64 or has_control_chars(name):
        raise PlanError("a theme name is a short plain name")
    store.set_setting(THEME_KEY, name)
    return name


def set_retention_days(store: SettingsStore, days: int) -> int:
    check_days(days, what="--retention-days", minimum=MIN_RETENTION_DAYS)
    store.set_setting(RETENTION_KEY, str(days))
    return days
