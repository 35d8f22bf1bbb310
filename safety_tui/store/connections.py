"""Connections to the store's file: the settings every writer uses, and one more connection for a
thread of its own (the incident screens' workers). Core: no Textual.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from safety_tui.store.failures import translate
from safety_tui.store.repository import Store

# Every writing connection to the store's file: waits its turn, durable, keys kept, deleted text overwritten.
WRITER_PRAGMAS = ("busy_timeout = 10000", "synchronous = FULL", "foreign_keys = ON", "secure_delete = ON")


def another_connection(path: Path, *, write: bool) -> sqlite3.Connection:
    """One more connection to a store's file already opened (checked and migrated) by :func:`open_store`,
    for a thread of its own: the same settings as the store's own, read-only (``query_only``) unless ``write``."""
    try:
        conn = sqlite3.connect(
            path.as_uri() + ("?mode=rw" if write else "?mode=ro"),
            uri=True,
            timeout=10.0,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise translate(exc, path, "open") from None
    try:
        conn.row_factory = sqlite3.Row
        for pragma in WRITER_PRAGMAS if write else ("busy_timeout = 10000", "query_only = ON"):
            conn.execute(f"PRAGMA {pragma}")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path, "open") from None
    return conn


def another_store(store: Store, *, write: bool) -> Store:
    """``store`` on a connection of its own, for another thread: the same file and settings, and the
    same ``on_change`` hook (a change made here is published like any other)."""
    conn = another_connection(store.path, write=write)
    return Store(conn, store.path, store.clock, read_only=not write, on_change=store.on_change)
