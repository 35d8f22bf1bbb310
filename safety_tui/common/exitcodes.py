"""Exit codes of every command, defined once."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # invalid input, or a plan that does not exist
EXIT_USAGE = 2
EXIT_OVERDUE = 3
EXIT_STORE = 4
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report it


def exit_code_for(error: BaseException) -> int:
    """The exit code of a command that stopped with ``error`` (a SafetyError, usually)."""
    from safety_tui.common.errors import StoreError, UsageError

    if isinstance(error, UsageError):
        return EXIT_USAGE
    return EXIT_STORE if isinstance(error, StoreError) else EXIT_ERROR
