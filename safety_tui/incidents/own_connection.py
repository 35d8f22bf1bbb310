"""A connection of its own to the store's file, for one worker thread of the incident screens. Core: no Textual.

The screens read and write the incident log in thread workers, so the UI thread keeps answering
keys. A worker never shares the app's connection: a statement from another thread would land in
the middle of the app's transactions (or the worker's in the middle of the app's). Each job opens
its own connection, reads (or writes, in one short transaction that queues behind any other
writer) and closes it. A store opened read-only is only ever read, through its own connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from safety_tui.store.connections import another_store
from safety_tui.store.repository import Store


@contextmanager
def own_connection(store: Store, *, write: bool = False) -> Iterator[Store]:
    """``store``'s file on a connection for the calling thread alone (read-only unless ``write``).

    A refusal to open becomes a :class:`StoreError` that says what to check (the store's own rule)."""
    if store.read_only:  # never written, and maybe only a copy in memory: read it where it is
        yield store
        return
    own = another_store(store, write=write)
    try:
        yield own
    finally:
        own.close()
