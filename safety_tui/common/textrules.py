"""What text a person may type into a plan, a contact, a note or a setting. Core: no Textual, no pydantic.

One rule for every typed field: no control characters (C0 but newline, DEL,
C1, bidi overrides: they could rewrite the terminal or reorder what a contact
reads), one line unless the field is a note, and a length limit. The plan
model's validators call these; so do the store for notes and the settings
name, which are written without the model. A broken rule is a ``PlanError``
whose message names the field and never repeats the value.
"""

from __future__ import annotations

from safety_tui.common.errors import PlanError
from safety_tui.common.text import has_control_chars

NAME_MAX = 100  # a person's name: the councillor's (settings, plan) or a contact's
SHORT_MAX = 200  # a title, a phone number, a code word
LONG_MAX = 2000  # an address, what to do, what the code word means, a note


def _fail(field: str | None, problem: str) -> PlanError:
    return PlanError(f"{field}: {problem}" if field else problem)


def _check(value: str, field: str | None, max_length: int, required: bool) -> str:
    bad = has_control_chars(value)
    if bad is not None:
        raise _fail(field, f"control character U+{ord(bad):04X} is not allowed")
    if len(value) > max_length:
        raise _fail(field, f"at most {max_length} characters, please")
    if required and not value:
        raise _fail(field, "this cannot be empty")
    return value


def one_line(value: str, *, max_length: int = SHORT_MAX, field: str | None = None, required: bool = False) -> str:
    """``value`` stripped, if it is one line of plain text no longer than ``max_length``."""
    value = value.strip()
    if "\n" in value or "\r" in value:
        raise _fail(field, "must be on one line")
    return _check(value, field, max_length, required)


def multi_line(value: str, *, max_length: int = LONG_MAX, field: str | None = None) -> str:
    """``value`` stripped, line breaks kept (Windows and old Mac ones made ``\\n``)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return _check(value, field, max_length, required=False)


def person_name(value: str, field: str | None = "name") -> str:
    """A name as contacts know the person: one line, at most ``NAME_MAX`` characters (may be empty)."""
    return one_line(value, max_length=NAME_MAX, field=field)


def note(value: str, field: str | None = "note") -> str:
    """A note on an answer: several lines allowed (a pasted paragraph keeps every line)."""
    return multi_line(value, max_length=LONG_MAX, field=field)
