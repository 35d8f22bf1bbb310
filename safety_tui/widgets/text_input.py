"""An Input that never silently drops a paste."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TextInput(Input):
    """Textual's Input ignores a whole paste that would pass ``max_length``, and keeps only
    its first line. This one keeps every line (joined by spaces) and as much as fits, and
    says when the end was cut off."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # instead of Input's own paste handling
        event.stop()
        text = " ".join(event.text.splitlines())
        if not text:
            return
        start, end = sorted(self.selection)
        room = len(text) if not self.max_length else max(0, self.max_length - (len(self.value) - (end - start)))
        if room < len(text):
            self.notify(f"Only {self.max_length} characters fit here; the end of the paste was left out.", severity="warning")
        self.replace(text[:room], start, end)
