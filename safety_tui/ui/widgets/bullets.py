"""Text whose bullet lines wrap under their own text, not under the bullet (a hanging indent)."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from safety_tui.ui.widgets import literal

_BULLET = re.compile(r"^(\s*[•\-*] )(.*)$")  # "  • advice", "  - step": the mark, then the text


class BulletText(Vertical):
    """Shows text line by line; a line ``  • advice`` (or ``  - step``) keeps its wrapped lines in line with ``advice``.
    Every line is shown literally (it comes from checklist files)."""

    DEFAULT_CSS = """
    BulletText { height: auto; }
    BulletText > Horizontal { height: auto; }
    BulletText .bullet-mark { width: auto; }
    BulletText .bullet-text { width: 1fr; height: auto; }
    BulletText > Static { height: auto; }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text

    def compose(self) -> ComposeResult:
        yield from self.rows(self.text)

    @staticmethod
    def rows(text: str) -> list[Widget]:
        out: list[Widget] = []
        for line in text.split("\n"):
            bullet = _BULLET.match(line)
            if bullet is not None:
                mark = Static(literal(bullet.group(1)), classes="bullet-mark")
                out.append(Horizontal(mark, Static(literal(bullet.group(2)), classes="bullet-text")))
            else:
                out.append(Static(literal(line) if line else " "))
        return out

    def show(self, text: str) -> None:
        """Replace what is shown (nothing is redrawn when the text is the same)."""
        if text == self.text and self.children:
            return
        self.text = text
        self.remove_children()
        self.mount_all(self.rows(text))
