"""A connection of its own to the store's file, for one worker thread of the incident screens. Core: no Textual.

The screens read and write the incident log in thread workers, so the UI thread keeps answering
keys. A worker never shares the app's connection: a statement from another thread would land in
the middle of the app's transactions (or the worker's in the middle of the app's). Each job opens
its own connection, reads (or writes, in one short transaction that queues behind any other
writer) and closes it. A store opened read-only is only ever read, through its own connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from safety_tui.common.errors import StoreError
from safety_tui.store.repository import Store

# The store's own writer settings (store/opening.py): an entry written here is as durable as one
# written by the app's connection, and a deleted text leaves the file.
WRITER_PRAGMAS = ("busy_timeout = 10000", "synchronous = FULL", "foreign_keys = ON", "secure_delete = ON")


@contextmanager
def own_connection(store: Store, *, write: bool = False) -> Iterator[Store]:
    """``store``'s file on a connection for the calling thread alone (read-only unless ``write``).

    A refusal to open becomes a :class:`StoreError` that says what to check."""
    if store.read_only:  # never written, and maybe only a copy in memory: read it where it is
        yield store
        return
    mode = "rw" if write else "ro"
    try:
        conn = sqlite3.connect(
            store.path.as_uri() + f"?mode={mode}", uri=True, timeout=10.0, isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {store.path} for the incident log: {exc}") from None
    try:
        conn.row_factory = sqlite3.Row
        for pragma in WRITER_PRAGMAS if write else ("busy_timeout = 10000", "query_only = ON"):
            conn.execute(f"PRAGMA {pragma}")
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot open {store.path} for the incident log: {exc}") from None
    try:
        yield Store(conn, store.path, store.clock, read_only=not write)
    finally:
        conn.close()
