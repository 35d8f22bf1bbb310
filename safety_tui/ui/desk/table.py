"""The desk's board table, kept in step with the board by changing only what changed.

Rebuilding a 500-row ``DataTable`` measures every cell again; the desk redraws every second
(the countdown) and after every read, so rows whose keys and order are unchanged get only
their changed cells updated, and the table is rebuilt only when rows come, go or move.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

Look = tuple[str, str, tuple[object, ...]]


def look(cell: Text) -> Look:
    return (cell.plain, str(cell.style), tuple(cell.spans))


class BoardTable:
    def __init__(self, table: DataTable[object], columns: list[ColumnKey]) -> None:
        self.table = table
        self.columns = columns
        self._keys: list[str] = []
        self._shown: dict[str, tuple[Look, ...]] = {}

    def selected_key(self) -> str | None:
        if self.table.row_count == 0:
            return None
        return self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value

    def show(self, rows: list[tuple[str, tuple[Text, ...]]]) -> None:
        keys = [key for key, _ in rows]
        if keys != self._keys:
            self._rebuild(rows)
            return
        for key, cells in rows:
            before = self._shown[key]
            for column, cell, old in zip(self.columns, cells, before):
                new = look(cell)
                if new != old:
                    self.table.update_cell(key, column, cell, update_width=len(new[0]) > len(old[0]))
            self._shown[key] = tuple(look(c) for c in cells)

    def _rebuild(self, rows: list[tuple[str, tuple[Text, ...]]]) -> None:
        selected = self.selected_key()
        self.table.clear()
        for key, cells in rows:
            self.table.add_row(*cells, key=key)
        self._keys = [key for key, _ in rows]
        self._shown = {key: tuple(look(c) for c in cells) for key, cells in rows}
        if selected is not None and selected in self._shown:
            self.table.move_cursor(row=self.table.get_row_index(selected))
