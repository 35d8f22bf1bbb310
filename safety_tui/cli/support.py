"""What every CLI command shares: the one error boundary and opening the store. No Textual.

:func:`run_command` is the only place a command's error becomes a message and an
exit code: a :class:`~safety_tui.common.errors.SafetyError` prints ``safety-tui: message``
(exit 4 for the store, 1 otherwise); anything unexpected prints a plain note and
the traceback's frames, never local variables or the exception's text (which may
hold a plan's data). Output goes through :mod:`safety_tui.cli.console`.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

from safety_tui.cli.console import warn
from safety_tui.common.errors import SafetyError
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, exit_code_for

if TYPE_CHECKING:
    from safety_tui.store.repository import Store

Command = Callable[[argparse.Namespace], int]


def report(error: SafetyError) -> int:
    """Show one SafetyError as the person should read it; return its exit code."""
    warn(str(error))
    return exit_code_for(error)


def run_command(func: Command, args: argparse.Namespace) -> int:
    """Run one command: the CLI's single error boundary."""
    try:
        return func(args)
    except SafetyError as exc:
        return report(exc)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # e.g. `safety-tui plans | head`: not an error worth a message.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        warn(f"{exc.strerror or type(exc).__name__}{where}")
        return EXIT_ERROR
    except Exception as exc:  # a bug: say so, without the data the message may carry
        import traceback

        frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        warn(f"internal error ({type(exc).__name__}). This is a bug; please report it with these lines:")
        sys.stderr.write(frames)
        return EXIT_ERROR


@contextmanager
def cli_store(*, read_only: bool) -> Iterator["Store"]:
    """The store for one command, closed afterwards. ``read_only`` never changes the file."""
    from safety_tui.wiring import open_store

    store = open_store(read_only=read_only)
    try:
        yield store
    finally:
        store.close()
