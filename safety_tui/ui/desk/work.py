"""The desk's database work, off the event loop: one work connection, jobs one at a time, the board re-read.

Every write a duty officer makes runs in a thread on the work connection and is followed by
a fresh read of the whole board; many reads asked for at once cost one or two, not one each.
A lost server becomes a message and a retry, never a crash. The desk app holds one
:class:`DeskDatabase` (its ``database``).
"""

from __future__ import annotations

import threading
from typing import Callable

import psycopg
from textual.app import App
from textual.message import Message

from safety_tui.common.errors import CouncilError
from safety_tui.council import desk_data
from safety_tui.council.db import Conn, connect, why
from safety_tui.council.desk_data import Board

LOST = "connection lost, retrying"


class BoardLoaded(Message):
    def __init__(self, board: Board) -> None:
        super().__init__()
        self.board = board


class Problem(Message):
    """Something the officer must read (posted from worker threads)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class DeskDatabase:
    """Runs the desk's jobs on its work connection in worker threads; posts :class:`BoardLoaded` and
    :class:`Problem` to the app."""

    def __init__(self, app: App[int], url: str, *, retry: float = 1.0) -> None:
        self.app = app
        self.url = url
        self.retry = retry
        self._work: Conn | None = None
        self._work_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._dirty = self._reloading = False
        self._stopping = threading.Event()

    def stop(self) -> None:
        """The desk is closing: no more retries, and the work connection closed."""
        self._stopping.set()
        if self._work is not None:
            self._work.close()

    def run(self, job: Callable[[Conn], object], *, reload: bool = True) -> None:
        """Run ``job`` on the work connection in a thread; then read the board again (coalesced)."""

        def run() -> None:
            with self._work_lock:
                self._with_work(job)
            if reload:
                self.reload()

        self.app.run_worker(run, thread=True, group="db", description="a desk database job")

    def _with_work(self, job: Callable[[Conn], object], *, quiet: bool = False) -> bool:
        """Call with ``_work_lock`` held. Reconnects lazily; a failure becomes a message (unless
        ``quiet``: a retry of one already reported), never a crash."""
        try:
            if self._work is None or self._work.closed:
                self._work = connect(self.url)
            job(self._work)
            return True
        except psycopg.OperationalError as exc:
            if self._work is not None:
                self._work.close()
            self._work = None
            if not quiet:
                self.app.post_message(Problem(f"{LOST}: {why(exc)}"))
        except CouncilError as exc:
            self.app.post_message(Problem(str(exc)))
        return False

    def reload(self) -> None:
        """Read the whole board again. Many notifications at once cost one or two reads, not one each."""
        with self._reload_lock:
            self._dirty = True
            if self._reloading:
                return
            self._reloading = True
        self.app.run_worker(self._reload_loop, thread=True, group="reload", description="reload the board")

    def _reload_loop(self) -> None:
        retrying = False
        while True:
            with self._reload_lock:
                if not self._dirty:
                    self._reloading = False
                    return
                self._dirty = False
            with self._work_lock:
                read = self._with_work(
                    lambda conn: self.app.post_message(BoardLoaded(desk_data.load_board(conn))), quiet=retrying
                )
            retrying = not read
            if not read:  # the server went away mid-read: read again until it is back, never stay stale
                with self._reload_lock:
                    self._dirty = True
                if self._stopping.wait(self.retry):
                    with self._reload_lock:
                        self._reloading = False
                    return
