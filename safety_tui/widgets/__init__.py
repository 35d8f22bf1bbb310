"""Reusable widgets."""

from textual.content import Content

from safety_tui.text import printable


def literal(text: str) -> Content:
    """User or YAML text as plain content: no markup, no escape sequences."""
    return Content(printable(text))
