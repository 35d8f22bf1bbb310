"""Exit codes of every command, defined once."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # invalid input, or a plan that does not exist
EXIT_USAGE = 2
EXIT_OVERDUE = 3
EXIT_STORE = 4
