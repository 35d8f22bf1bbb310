"""Choices whose state and cursor are told by characters, not colour alone (WCAG 1.4.1).

In every theme, in 16 colours and with ``NO_COLOR``: a chosen option reads ``(•)``
(radio) or ``[x]`` (check), an unchosen one ``( )`` or ``[ ]``, and the row the
cursor is on starts with ``›``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import OptionList, RadioButton, SelectionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from safety_tui.ui.widgets import literal

CURSOR = "›"
RADIO_ON, RADIO_OFF = "(•)", "( )"
CHECK_ON, CHECK_OFF = "[x]", "[ ]"


class MarkedRadioButton(RadioButton):
    """``› (•) Home visit``: the cursor and the choice in characters."""

    def render(self) -> Content:
        here = self.has_class("-selected") and isinstance(self.parent, Widget) and self.parent.has_focus
        cursor = CURSOR if here else " "
        mark = Content.styled(RADIO_ON, "bold") if self.value else Content(RADIO_OFF)
        return Content.assemble(cursor, mark, " ", self.label, " ")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(CURSOR + RADIO_ON) + 2 + self.label.cell_length

    def watch_value(self) -> None:
        super().watch_value()
        self.refresh(layout=True)


class MarkedSelectionList(SelectionList[str]):
    """A selection list drawn ``›[x] Car`` / `` [ ] Taxi``: the cursor and the choice in characters."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        try:
            index = self.scroll_offset.y + y
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        if len(segments) < 4:
            return line
        text_style = segments[3].style
        chosen = option.value in self.selected
        mark = Segment(CHECK_ON if chosen else CHECK_OFF, segments[1].style)
        cursor = Segment(CURSOR if self.has_focus and self.highlighted == index else " ", text_style)
        # The button was three cells and a space; the marks take one more: the line keeps its width.
        return Strip([cursor, mark, *segments[3:]]).crop(0, line.cell_length)


class MarkedOptionList(OptionList):
    """An option list whose current row starts with ``›`` (not only a brighter background).

    ``entries`` are (id, label) pairs; labels are shown literally (they may come from files).
    """

    def __init__(self, entries: Sequence[tuple[str | None, str]], *, id: str | None = None) -> None:
        self.labels = [label for _, label in entries]
        super().__init__(*[Option(self.prompt(label, False), id=key) for key, label in entries], id=id)
        self.marked: int | None = None

    @staticmethod
    def prompt(label: str, current: bool) -> Content:
        return literal(f"{CURSOR if current else ' '} {label}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is not self:
            return
        if self.marked is not None and self.marked < len(self.labels):
            self.replace_option_prompt_at_index(self.marked, self.prompt(self.labels[self.marked], False))
        self.marked = event.option_index
        self.replace_option_prompt_at_index(event.option_index, self.prompt(self.labels[event.option_index], True))
