"""Reusable widgets, and the helpers that show untrusted text literally."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widgets import DataTable, Static

from safety_tui.common.text import printable


def literal(text: str) -> Content:
    """User or YAML text as plain content: no markup, no escape sequences."""
    return Content(printable(text))


def show_literal(box: Static, text: str) -> None:
    """Show ``text`` literally in ``box``, only when it differs from what the box shows: an update
    lays the whole screen out again, even with the same words."""
    content = literal(text)
    shown = box.content
    if isinstance(shown, Content) and not shown.spans and shown.plain == content.plain:
        return
    box.update(content)


def literal_cell(text: str) -> Text:
    """A DataTable cell from user or YAML text: a plain Rich Text (str cells are parsed as markup)."""
    return Text(printable(text), no_wrap=True, overflow="ellipsis")


def fit_last_column(table: DataTable[object], min_width: int = 12) -> None:
    """Give a DataTable's last column the width that is left, so long titles end in '…'
    instead of being cut off at the screen edge."""
    columns = list(table.columns.values())
    if not columns or table.size.width == 0:
        return
    used = sum(column.get_render_width(table) for column in columns[:-1])
    last = columns[-1]
    last.auto_width = False
    last.width = max(min_width, table.scrollable_content_region.width - used - 2 * table.cell_padding)
    table.refresh()
