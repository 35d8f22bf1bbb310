"""'1 Visit › 2 Details › ...' with the current step highlighted."""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget


class StepIndicator(Widget):
    """One line; moving to another step repaints it without laying the screen out again."""

    DEFAULT_CSS = """
    StepIndicator {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    def __init__(self, labels: list[str], current: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.current = current

    def render(self) -> Content:
        parts: list[Content] = []
        for index, label in enumerate(self.labels):
            if parts:
                parts.append(Content(" › "))
            text = f"{index + 1} {label}"
            parts.append(Content.styled(text, "bold reverse" if index == self.current else "dim"))
        return Content("").join(parts)

    def show_step(self, current: int) -> None:
        """Highlight step ``current`` (counted from 0)."""
        self.current = current
        self.refresh()
