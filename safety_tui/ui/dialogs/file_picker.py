"""Choose a file: type its path (Tab completes, as in a shell) or pick it in a folder tree.

Dismisses with the chosen :class:`~pathlib.Path`, or None when cancelled. The dialog only
chooses: whoever asked decides whether the file will do (the core checks it and says why
not). Every file and folder name is shown literally, through the printable filter.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Input, Label

from safety_tui.common.text import has_control_chars, printable
from safety_tui.ui.dialogs.base import Dialog
from safety_tui.ui.widgets import literal

MAX_LISTED = 2000  # a folder with more entries than this completes from its first ones only


def _expand(typed: str) -> Path:
    return Path(os.path.expanduser(typed)) if typed else Path.cwd()


def completions(typed: str, cwd: Path | None = None) -> list[str]:
    """What ``typed`` can be completed to, sorted: folders end in '/'. Hidden entries only when a '.' is
    typed; names with control characters never (they would be typed into the field as they are)."""
    folder_part, _, prefix = typed.rpartition("/")
    folder = _expand(folder_part + "/" if folder_part or typed.startswith("/") else "")
    if not folder.is_absolute() and cwd is not None:
        folder = cwd / folder
    try:
        with os.scandir(folder) as entries:
            names = []
            for count, entry in enumerate(entries):
                if count >= MAX_LISTED:
                    break
                if has_control_chars(entry.name) is not None:
                    continue  # never typed into the field: the tree shows it, made visible
                if entry.name.startswith(prefix) and (prefix.startswith(".") or not entry.name.startswith(".")):
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    names.append(entry.name + ("/" if is_dir else ""))
    except OSError:
        return []
    head = typed[: len(typed) - len(prefix)]
    return [head + name for name in sorted(names)]


def common_completion(typed: str, cwd: Path | None = None) -> str:
    """The longest text every completion of ``typed`` starts with (the shell's Tab)."""
    found = completions(typed, cwd)
    return os.path.commonprefix(found) if found else typed


class PathSuggester(Suggester):
    """Shows the first completion greyed after the cursor (→ accepts it)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        found = completions(value)
        return found[0] if found else None


class PathInput(Input):
    """Tab completes the path as far as it is unambiguous; with nothing to complete it moves on."""

    BINDINGS = [Binding("tab", "complete", "Complete the path", show=False)]

    def action_complete(self) -> None:
        completed = common_completion(self.value)
        if completed != self.value and completed.startswith(self.value):
            self.value = completed
            self.cursor_position = len(completed)
        else:
            self.screen.focus_next()


class LiteralDirectoryTree(DirectoryTree):
    """A folder tree whose names are shown as they are: never read as markup, controls made visible."""

    def process_label(self, label: str | Text) -> Text:
        return Text(printable(label if isinstance(label, str) else label.plain))

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]


class FilePicker(Dialog[Path | None]):
    """Type a path (Tab completes) and Enter, or move to the tree (Tab) and Enter on a file."""

    DEFAULT_CSS = """
    FilePicker #picker-tree {
        height: 12;
        border: round $primary;
    }
    FilePicker #picker-tree:focus {
        border: heavy $accent;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, start: Path | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.start = start or Path.home()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.title_text), classes="dialog-title")
            yield PathInput(
                placeholder="a path, e.g. ~/Pictures/screenshot.png", id="picker-path", suggester=PathSuggester()
            )
            yield Label(
                literal(
                    "In the path: Tab completes (with nothing to complete, moves to the folders); Enter "
                    "chooses. In the folders: ↑/↓, Enter opens a folder or chooses a file. Escape cancels."
                ),
                classes="dialog-hint",
                id="picker-hint",
            )
            yield LiteralDirectoryTree(self.start, id="picker-tree")
            yield Label("", id="picker-error", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(PathInput).focus()

    def _problem(self, text: str) -> None:
        error = self.query_one("#picker-error", Label)
        error.update(literal(text))
        error.add_class("-shown")

    @on(Input.Submitted, "#picker-path")
    def _typed(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._problem("Type a path, or pick a file in the folders below.")
            return
        path = _expand(event.value.strip())
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_dir():
            self.query_one(LiteralDirectoryTree).path = path
            self.query_one(PathInput).value = str(path).rstrip("/") + "/"
            return
        self.dismiss(path)

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    @on(DirectoryTree.DirectorySelected)
    def _folder(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self.query_one(PathInput).value = str(event.path).rstrip("/") + "/"

    def action_cancel(self) -> None:
        self.dismiss(None)
