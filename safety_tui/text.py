"""Helpers for showing text from files and users literally. Core: no Textual import."""

from __future__ import annotations

import re

# C0 controls except newline, DEL, and C1 controls (which include CSI/OSC introducers).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


# Also refused in stored text (not escaped by printable yet): bidi overrides and isolates.
_FORBIDDEN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_control_chars(text: str) -> str | None:
    """Return the first forbidden control character in ``text``, if any."""
    match = _FORBIDDEN.search(text)
    return match.group(0) if match else None


def printable(text: str) -> str:
    """Replace control characters with visible ``\\xNN`` escapes.

    Terminal escape sequences (ESC, CSI, OSC ...) can never reach the screen
    from a checklist or a plan field: they are shown as text instead.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
