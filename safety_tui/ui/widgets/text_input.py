"""An Input that never silently drops a paste."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input

from safety_tui.common.text import printable


class TextInput(Input):
    """Textual's Input ignores a whole paste that would pass ``max_length``, and keeps only
    its first line. This one keeps every line (joined by spaces) and as much as fits, and
    says when the end was cut off. A stored value is shown through ``printable``: a control
    character saved by an older version appears as ``\\x1b``, never reaches the terminal."""

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        super().__init__(printable(value) if value is not None else None, **kwargs)

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of Input's own paste handling
        event.stop()
        text = printable(" ".join(event.text.splitlines()))
        if not text:
            return
        start, end = sorted(self.selection)
        room = len(text) if not self.max_length else max(0, self.max_length - (len(self.value) - (end - start)))
        if room < len(text):
            self.notify(
                f"Only {self.max_length} characters fit here; the end of the paste was left out.", severity="warning"
            )
        self.replace(text[:room], start, end)
