"""The one crash handler, for the planner and the desk: a plain message, never local variables.

Textual's own crash report prints a traceback with every local variable (code words,
addresses, phone numbers of other councillors' plans). An app that mixes this in
writes the traceback without locals to a private (0600) ``crash-*.txt`` in the data
folder and stops with one plain line.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App

from safety_tui.common import paths
from safety_tui.common.clock import UTC


class CrashHandling(App[int]):
    """Mix in before the app's base class; override the hooks and ``CRASH_MESSAGE``."""

    CRASH_MESSAGE: ClassVar[str] = "safety-tui stopped because of a bug ({kind}).\n{where}"
    _crash_message: str | None = None

    def crash_folder(self) -> Path:
        """Where the private crash report goes."""
        return paths.data_dir()

    def before_crash_report(self) -> None:
        """Save what can be saved (the planner saves the typing); must not raise."""

    def _handle_exception(self, error: Exception) -> None:
        """An uncaught exception: write the traceback (never its local variables) to a private
        file, and leave with a plain message."""
        if self._crash_message is None:
            self._crash_message = self._report_crash(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        # Textual's own version prints a traceback with every local variable: this prints the plain message.
        self.bell()
        self.panic(Text(self._crash_message or self.CRASH_MESSAGE.format(kind="unknown", where="")))

    def _report_crash(self, error: BaseException) -> str:
        cause = getattr(error, "error", None)  # a worker's failure wraps the real error
        if isinstance(cause, BaseException):
            error = cause
        try:
            self.before_crash_report()
        except Exception:  # noqa: BLE001 - reporting must not fail
            pass
        report = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        try:
            path = self.crash_folder() / f"crash-{datetime.now(UTC):%Y%m%dT%H%M%S}.txt"
            paths.write_private(path, report.encode("utf-8", "replace"), make_parents=True)
            where = f"What went wrong (no personal details) is in {path}"
        except Exception:  # noqa: BLE001 - no folder (a refused data folder) or no disk: say it here
            where = "What went wrong:\n" + report
        return self.CRASH_MESSAGE.format(kind=type(error).__name__, where=where)
