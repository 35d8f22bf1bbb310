"""Anchoring the incident log on the council server. Core: no Textual.

After each append to the local incident log, the number of entries and the chain
head are recorded in ``council.incident_anchors`` with the server's own time.
The councillor's role can add anchors and read its own, never change or delete
one (no UPDATE or DELETE grant; row-level security keeps councillors apart), so
a log rewritten or cut short afterwards no longer matches what the server saw.

Nothing waits in a queue: an anchor that could not be sent (no signal) is simply
covered by the next one, because every anchor holds the whole chain up to its
head. The next successful contact (the next append, ``incidents verify``, or the
app's check of the log) anchors the current head. Only counts and hashes leave
the machine, never a word of an incident.
"""

from __future__ import annotations

import threading
from datetime import datetime

import psycopg

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, connect, why
from safety_tui.incidents.chain import Anchor, is_head

last_problem = ""  # why the last anchor could not be sent ('' when it was)
_threads: list[threading.Thread] = []
_lock = threading.Lock()


def fetch(conn: Conn) -> list[Anchor]:
    """Every anchor of the connected councillor, oldest first."""
    try:
        rows = conn.execute(
            "SELECT entries, head, at, local_at FROM council.incident_anchors ORDER BY entries, at"
        ).fetchall()
    except psycopg.Error as exc:
        raise CouncilError(f"cannot read the incident log's anchors: {why(exc)}") from None
    out = []
    for entries, head, at, local_at in rows:
        if isinstance(at, datetime) and isinstance(local_at, datetime):
            out.append(Anchor(count=int(entries), head=str(head), at=at, local_at=local_at))
    return out


def record(conn: Conn, count: int, head: str, local_at: datetime) -> bool:
    """Anchor (count, head) unless the server already holds as many entries or more; True if added."""
    if count < 1 or not is_head(head):
        return False
    try:
        with conn.transaction():
            row = conn.execute("SELECT COALESCE(max(entries), 0) FROM council.incident_anchors").fetchone()
            if row is not None and int(row[0]) >= count:
                return False
            conn.execute(
                "INSERT INTO council.incident_anchors(entries, head, local_at) VALUES (%s, %s, %s)",
                (count, head.lower(), local_at),
            )
    except psycopg.Error as exc:
        raise CouncilError(f"cannot anchor the incident log on the council server: {why(exc)}") from None
    return True


def anchors(url: str) -> list[Anchor]:
    """The server's anchors (``CouncilError`` when it cannot be reached)."""
    with connect(url, application_name="safety-tui-anchor") as conn:
        return fetch(conn)


def anchor_now(url: str, count: int, head: str, local_at: datetime) -> str:
    """Send one anchor now; '' when it is on the server, else why not (never raises)."""
    global last_problem
    with _lock:  # two appends in a row: the bigger count wins, the order does not matter
        try:
            with connect(url, application_name="safety-tui-anchor") as conn:
                record(conn, count, head, local_at)
            last_problem = ""
        except CouncilError as exc:
            last_problem = f"incident log not yet anchored on the council server: {exc}"
        except Exception as exc:  # noqa: BLE001 - a background send must never take the app down
            last_problem = f"incident log not yet anchored on the council server: {type(exc).__name__}"
    return last_problem


def anchor_in_background(url: str, count: int, head: str, local_at: datetime) -> threading.Thread:
    """Send an anchor from a thread; not a daemon, so a CLI command finishes its send before exiting."""
    thread = threading.Thread(target=anchor_now, args=(url, count, head, local_at), name="incident-anchor")
    _threads[:] = [t for t in _threads if t.is_alive()]
    _threads.append(thread)
    thread.start()
    return thread


def wait_for_anchors(timeout: float | None = None) -> None:
    """Wait for the anchors this process started (tests, and the CLI before it exits)."""
    while _threads:
        _threads.pop(0).join(timeout)
