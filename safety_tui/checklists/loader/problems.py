"""What the loader reports: one problem in one file, at a 1-based line and column."""

from __future__ import annotations

from dataclasses import dataclass

from safety_tui.common.errors import ChecklistError
from safety_tui.common.text import printable

# (line, column, message) found while reading one file; the file name is added at the end.
Problem = tuple[int, int, str]


@dataclass(frozen=True, order=True)
class LoadError:
    """One problem in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __post_init__(self) -> None:
        # Messages quote the file's own text (keys, values, link targets): never raw controls.
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ChecklistFileError(ChecklistError):
    """A checklist file could not be loaded. ``errors`` holds every problem found."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    @classmethod
    def at(cls, path: str, problems: list[Problem]) -> ChecklistFileError:
        return cls([LoadError(path, line, column, message) for line, column, message in problems])


class Fail(Exception):
    """A problem that makes the rest of the file meaningless: reading stops here."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message

    def problems(self) -> list[Problem]:
        return [(self.line, self.column, self.message)]


class Fails(Fail):
    """Several problems found in one pass (tabs, invisible spaces) that stop reading."""

    def __init__(self, problems: list[Problem]) -> None:
        line, column, message = problems[0] if problems else (1, 1, "")
        super().__init__(line, column, message)
        self.found = problems

    def problems(self) -> list[Problem]:
        return self.found
