from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

STEPS = [
    ("type", "Visit"),
    ("details", "Details"),
    ("walk", "Checklists"),
    ("contacts", "Who's told"),
    ("codeword", "Code word"),
    ("review", "Review"),
]


class StepIndicator(Static):
    """'1 Visit › 2 Details › ...' with the current step highlighted."""

    def __init__(self, current: str, **kwargs):
        super().__init__(**kwargs)
        self.current = current

    def on_mount(self) -> None:
        parts: list[Content | str] = []
        for index, (key, label) in enumerate(STEPS, start=1):
            if parts:
                parts.append(Content(" › "))
            text = f"{index} {label}"
            if key == self.current:
                parts.append(Content.styled(text, "bold reverse"))
            else:
                parts.append(Content.styled(text, "dim"))
        self.update(Content("").join(parts))
