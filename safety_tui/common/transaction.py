"""The one way safety-tui writes to SQLite: a short transaction taken up front. Core: no Textual.

``BEGIN IMMEDIATE`` takes the write lock at once, so two writers (the app and the CLI, two
windows) queue instead of failing half way. Anything that goes wrong rolls the whole transaction
back, even when SQLite already did (a full disk), and an ``sqlite3.Error`` becomes the caller's
own error through ``failure(error, verb)``, where verb is "write to" (the lock could not be
taken) or "save to" (the work or the commit failed). Used by the plan store, the incident log,
the council outbox and the store's migrations.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Failure = Callable[[sqlite3.Error, str], BaseException]


def reraise(error: sqlite3.Error, verb: str) -> BaseException:
    """For callers that translate SQLite's errors themselves, further up."""
    return error


@contextmanager
def write_transaction(conn: sqlite3.Connection, failure: Failure = reraise) -> Iterator[sqlite3.Connection]:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise failure(exc, "write to") from None
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:  # SQLite may already have rolled back (a full disk)
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the first failure is the one to report
        if isinstance(exc, sqlite3.Error):
            raise failure(exc, "save to") from None
        raise
