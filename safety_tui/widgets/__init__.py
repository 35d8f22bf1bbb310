"""Reusable widgets."""

from textual.content import Content

from safety_tui.text import printable


def literal(text: str) -> Content:
    """User or YAML text as plain content: no markup, no escape sequences."""
    return Content(printable(text))


def literal_cell(text: str):
    """A DataTable cell from user or YAML text: a plain Rich Text (str cells are parsed as markup)."""
    from rich.text import Text

    return Text(printable(text), no_wrap=True, overflow="ellipsis")
