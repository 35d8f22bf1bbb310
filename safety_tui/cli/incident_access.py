"""How an incident command of the CLI reaches the log: opened around it, refusals as exit codes.

The store is opened read-only for commands that only read; a refusal of the core becomes its exit
code; output goes through ``text.printable``; ``recorder`` says who signs an entry. No Textual
import: quick for scripts.
"""

from __future__ import annotations

import argparse
import sys
from functools import wraps
from typing import TYPE_CHECKING, Callable

from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_STORE, EXIT_USAGE
from safety_tui.common.text import printable

if TYPE_CHECKING:
    from safety_tui.incidents import IncidentLog
    from safety_tui.incidents.routes import Routes
    from safety_tui.store.repository import Store

    Command = Callable[[argparse.Namespace, IncidentLog, Store], int]


def say(text: str, *, err: bool = False) -> None:
    print(printable(text), file=sys.stderr if err else sys.stdout)


def reading_log(func: Command) -> Callable[[argparse.Namespace], int]:
    """A command that only reads the log."""
    return with_log(func, read_only=True)  # only reads: works on a read-only copy, or a full disk


def with_log(func: Command, read_only: bool = False) -> Callable[[argparse.Namespace], int]:
    """Run ``func`` with the log of the store, opened for it and closed after; a refusal is its exit code."""

    @wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        from safety_tui.common.errors import SafetyError, StoreError, UsageError
        from safety_tui.incidents import IncidentLog
        from safety_tui.wiring import open_store

        try:
            store = open_store(read_only=read_only)
        except StoreError as exc:
            say(f"safety-tui: {exc}", err=True)
            return EXIT_STORE
        try:
            return func(args, IncidentLog.of(store), store)
        except SafetyError as exc:
            say(f"safety-tui: {exc}", err=True)
            return (
                EXIT_STORE if isinstance(exc, StoreError) else EXIT_USAGE if isinstance(exc, UsageError) else EXIT_ERROR
            )
        except OSError as exc:
            say(f"safety-tui: cannot write {exc.filename or 'the file'}: {exc.strerror or exc}", err=True)
            return EXIT_ERROR
        finally:
            store.close()

    return wrapper


def recorder(store: Store, given: str | None = None) -> str:
    """Who signs an entry: ``--by``, else your name in the settings, else your login name."""
    from safety_tui.incidents.validate import default_recorder

    return given or default_recorder(store)


def routes_in_force() -> Routes:
    """The council's reporting routes; each problem in a routes file is said on stderr."""
    from safety_tui.incidents.routes import load_routes

    loaded = load_routes()
    for error in loaded.errors:
        say(f"safety-tui: {error}", err=True)
    return loaded.routes
