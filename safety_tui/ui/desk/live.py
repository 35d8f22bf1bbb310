"""The desk's live feed: LISTEN/NOTIFY on its own connection, in a thread. No Textual import.

Notifications carry ids only (channels are not covered by row-level security),
so every notification means "read the state again". A heartbeat (``SELECT now()``
on the listening connection, never a read of plans) proves the feed is alive and
brings the server's clock. When the connection drops, :class:`Lost` is reported
and the feed retries until it is back; :class:`Connected` then asks for a full re-read,
because notifications sent while disconnected are gone.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Union

import psycopg
import psycopg.sql

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, connect, why

CHANNEL = "council_desk"  # before council schema v2; since then a random name only the duty role can read
FEED_NAME = "safety-tui desk feed"  # the listening connection, as the server lists it


@dataclass(frozen=True)
class Connected:
    server_now: datetime


@dataclass(frozen=True)
class Changed:
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Heartbeat:
    server_now: datetime


@dataclass(frozen=True)
class Lost:
    reason: str


LiveEvent = Union[Connected, Changed, Heartbeat, Lost]


def desk_channel(conn: Conn) -> str:
    """The notification channel: its name is in the council settings, which only the duty role reads."""
    row = conn.execute("SELECT value FROM council.settings WHERE key = 'desk_channel'").fetchone()
    return str(row[0]) if row else CHANNEL


class LiveFeed:
    """Runs in a daemon thread until :meth:`stop`; reports through ``on_event`` (called from that thread)."""

    def __init__(self, url: str, on_event: Callable[[LiveEvent], None], *, heartbeat: float = 2.0, retry: float = 1.0):
        self.url = url
        self.on_event = on_event
        self.heartbeat = heartbeat
        self.retry = retry
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="desk-live", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except (psycopg.Error, CouncilError) as exc:
                if self._stop.is_set():
                    return
                self.on_event(Lost(str(exc) if isinstance(exc, CouncilError) else why(exc)))
                self._stop.wait(self.retry)

    def _now(self, conn: Conn) -> datetime:
        row = conn.execute("SELECT now()").fetchone()
        if row is None:
            raise CouncilError("the server did not tell the time")
        when: datetime = row[0]
        return when

    def _listen(self) -> None:
        with connect(self.url, application_name=FEED_NAME) as conn:
            conn.execute(psycopg.sql.SQL("LISTEN {}").format(psycopg.sql.Identifier(desk_channel(conn))))
            self.on_event(Connected(self._now(conn)))
            while not self._stop.is_set():
                ids = tuple(n.payload for n in conn.notifies(timeout=self.heartbeat, stop_after=1))
                if ids:
                    self.on_event(Changed(ids))
                self.on_event(Heartbeat(self._now(conn)))
