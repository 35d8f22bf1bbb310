"""The local outbox: publications wait here until the council database takes them. Core: no Textual.

A small SQLite file of its own in the data folder (0600, like the store), so a
councillor with no signal loses nothing: publications are sent in order when the
connection returns, and the server applies each idempotency key once.

A row the server refuses (its values break the server's rules) or that cannot be
read back (damaged) is **set aside**: kept, shown, and never blocking the rows
behind it. A ``stale`` answer (the server holds a newer version than this one,
from a lost outbox or another device) is not "shared": unless a later row for the
same plan follows, the same state is queued again above the server's version, and
the councillor is told.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import psycopg

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, clock_skew, connect, masked, why
from safety_tui.council.outbox_file import open_outbox_file
from safety_tui.council.publication import Publication, RefusedPublication, send

OUTBOX_NAME = "council-outbox.sqlite3"
NOT_SHARED = "not yet shared with the duty desk"
SET_ASIDE = "set aside (the duty desk will not get them)"
RETRY_BASE, RETRY_CAP = 1.0, 8.0  # seconds: the desk has a plan within ~10 s of the server's return

_flush_lock = threading.Lock()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def next_delay(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds before the next try: exponential in the failed ``attempts``, capped, with jitter."""
    ceiling = min(RETRY_CAP, RETRY_BASE * 2.0 ** min(max(attempts, 0), 16))
    jitter = (rng or random.Random()).uniform(0.5, 1.0)
    return ceiling * jitter


@dataclass(frozen=True)
class FlushResult:
    sent: int
    waiting: int
    problem: str = ""
    set_aside: int = 0
    notices: tuple[str, ...] = ()  # what the councillor must be told (a row set aside, a state sent again)

    @property
    def message(self) -> str:
        parts = []
        if self.waiting:
            parts.append(f"{NOT_SHARED} ({self.waiting} waiting): {self.problem}" if self.problem else NOT_SHARED)
        if self.set_aside:
            parts.append(f"{self.set_aside} publication(s) {SET_ASIDE}")
        return "; ".join(parts) or "shared with the duty desk"

    @property
    def shared(self) -> bool:
        return not self.waiting and not self.set_aside


class Outbox:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, directory: Path) -> "Outbox":
        path = directory / OUTBOX_NAME
        return cls(open_outbox_file(path), path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def enqueue(self, plan_key: str, view: Any, *, above: int = 0) -> Publication:
        """Queue the duty view as the plan's next publication (the sequence only grows, per plan,
        and is above ``above``: a version the server already holds)."""
        body = view if isinstance(view, dict) else view.as_json()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                row = self.conn.execute("SELECT last FROM sequences WHERE plan_key = ?", (plan_key,)).fetchone()
                # Never below the clock in milliseconds: a lost or reinstalled outbox still outranks
                # what the server already holds for a plan in flight.
                sequence = max((row[0] if row else 0) + 1, time.time_ns() // 1_000_000, above + 1)
                publication = Publication(plan_key=plan_key, sequence=sequence, view=body)
                self.conn.execute(
                    "INSERT INTO sequences(plan_key, last) VALUES (?, ?) ON CONFLICT(plan_key) DO UPDATE SET last = excluded.last",
                    (plan_key, sequence),
                )
                self.conn.execute(
                    "INSERT INTO outbox(idempotency_key, plan_key, sequence, body, queued_utc) VALUES (?, ?, ?, ?, ?)",
                    (publication.key, plan_key, sequence, json.dumps(publication.view), _now()),
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise CouncilError(f"cannot queue the plan for the duty desk ({self.path}): {exc}") from None
        return publication

    # -- reading ------------------------------------------------------------------------------------
    def waiting(self, plan_key: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM outbox WHERE set_aside_utc IS NULL"
        row = (
            self.conn.execute(sql).fetchone()
            if plan_key is None
            else self.conn.execute(sql + " AND plan_key = ?", (plan_key,)).fetchone()
        )
        return int(row[0])

    def set_aside_count(self, plan_key: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM outbox WHERE set_aside_utc IS NOT NULL"
        row = (
            self.conn.execute(sql).fetchone()
            if plan_key is None
            else self.conn.execute(sql + " AND plan_key = ?", (plan_key,)).fetchone()
        )
        return int(row[0])

    def last_problem(self) -> str:
        row = self.conn.execute(
            "SELECT last_error FROM outbox WHERE last_error != '' AND set_aside_utc IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
        return str(row[0]) if row else ""

    def attempts(self) -> int:
        """Failed tries of the first row in line (the worker's backoff starts from it)."""
        row = self.conn.execute(
            "SELECT attempts FROM outbox WHERE set_aside_utc IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
        return int(row[0]) if row else 0

    def pending(self) -> list[Publication]:
        """The readable rows waiting, in order (damaged ones are left for :meth:`flush` to set aside)."""
        out = []
        for row in self.conn.execute(
            "SELECT id, idempotency_key, plan_key, sequence, body FROM outbox WHERE set_aside_utc IS NULL ORDER BY id"
        ).fetchall():
            publication = _publication(row)
            if isinstance(publication, Publication):
                out.append(publication)
        return out

    # -- changing -----------------------------------------------------------------------------------
    def _sent(self, row_id: int) -> None:
        self.conn.execute("DELETE FROM outbox WHERE id = ?", (row_id,))

    def _superseded(self, row_id: int, plan_key: str) -> None:
        """The desk now holds a later state of this plan: the plan's older rows set aside are moot, and
        they hold its duty view (code word included), so they go (overwritten: ``secure_delete``)."""
        self.conn.execute(
            "DELETE FROM outbox WHERE set_aside_utc IS NOT NULL AND plan_key = ? AND id < ?", (plan_key, row_id)
        )

    def _failed(self, row_id: int, problem: str) -> None:
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, last_attempt_utc = ? WHERE id = ?",
            (problem, _now(), row_id),
        )

    def _set_aside(self, row_id: int, problem: str) -> None:
        self.conn.execute(
            "UPDATE outbox SET set_aside_utc = ?, last_error = ?, last_attempt_utc = ? WHERE id = ?",
            (_now(), problem, _now(), row_id),
        )

    def take_notices(self) -> list[str]:
        """What the councillor has not been told yet (kept by whichever process sent), once each."""
        with self.conn:  # one transaction: two processes never both take a notice
            self.conn.execute("BEGIN IMMEDIATE")
            rows = self.conn.execute("SELECT id, text FROM notices ORDER BY id").fetchall()
            self.conn.execute("DELETE FROM notices WHERE id <= ?", (rows[-1][0] if rows else 0,))
        return [str(text) for _, text in rows]

    def retry_set_aside(self) -> int:
        """Put the rows set aside back in line (after the council changed its settings, say)."""
        return self.conn.execute(
            "UPDATE outbox SET set_aside_utc = NULL, attempts = 0, last_error = '' WHERE set_aside_utc IS NOT NULL"
        ).rowcount

    def discard_set_aside(self, plan_key: str | None = None) -> int:
        """Delete the rows set aside (of one plan), overwritten (``secure_delete``)."""
        if plan_key is None:
            return self.conn.execute("DELETE FROM outbox WHERE set_aside_utc IS NOT NULL").rowcount
        return self.conn.execute(
            "DELETE FROM outbox WHERE set_aside_utc IS NOT NULL AND plan_key = ?", (plan_key,)
        ).rowcount

    def _next_row(self, after: int) -> tuple[Any, ...] | None:
        row = self.conn.execute(
            "SELECT id, idempotency_key, plan_key, sequence, body FROM outbox "
            "WHERE set_aside_utc IS NULL AND id > ? ORDER BY id LIMIT 1",
            (after,),
        ).fetchone()
        return tuple(row) if row is not None else None

    def _later_for_plan(self, row_id: int, plan_key: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM outbox WHERE set_aside_utc IS NULL AND id > ? AND plan_key = ?", (row_id, plan_key)
            ).fetchone()
            is not None
        )

    def flush(self, url: str) -> FlushResult:
        """Send everything waiting, oldest first. Stops when the server cannot be reached (nothing is
        lost); a row it refuses, or a damaged row, is set aside and the rest go on."""
        with _flush_lock:
            if not self.waiting():
                return FlushResult(sent=0, waiting=0, set_aside=self.set_aside_count())
            first = self._next_row(0)
            try:
                conn = connect(url)
            except CouncilError as exc:
                if first is not None:
                    self._failed(int(first[0]), str(exc))
                return FlushResult(sent=0, waiting=self.waiting(), problem=str(exc), set_aside=self.set_aside_count())
            with conn:
                self.measured(conn)
                return self._send_all(conn, url)

    def measured(self, conn: Conn) -> int:
        """Measure and keep how far this computer's clock is from the server's (seconds, + = fast)."""
        try:
            skew = round(clock_skew(conn))
        except psycopg.Error:
            return self.skew() or 0
        self.record_skew(skew)
        return skew

    def record_skew(self, skew: float) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('clock_skew_seconds', ?)", (str(round(skew)),)
        )

    def skew(self) -> int | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'clock_skew_seconds'").fetchone()
        try:
            return int(row[0]) if row else None
        except ValueError:
            return None

    def _send_all(self, conn: Conn, url: str) -> FlushResult:
        sent, notices, problem, cursor = 0, [], "", 0
        resent: set[str] = set()
        while (row := self._next_row(cursor)) is not None:
            row_id, cursor = int(row[0]), int(row[0])
            publication = _publication(row)
            if isinstance(publication, str):
                self._set_aside(row_id, publication)
                notices.append(f"A publication in the outbox was damaged and is set aside: {publication}")
                continue
            title = title_of(json.dumps(publication.view), publication.plan_key)
            try:
                outcome = send(conn, publication)
            except RefusedPublication as exc:
                self._set_aside(row_id, str(exc))
                notices.append(f"{title}: {exc}. It is set aside; the duty desk does not have this change.")
                continue
            except CouncilError as exc:  # not this row's fault (a role or schema problem): try again later
                problem = str(exc)
            except psycopg.Error as exc:
                problem = f"lost the council database {masked(url)}: {why(exc)}"
            if problem:
                self._failed(row_id, problem)
                break
            if outcome == "stale" and not self._later_for_plan(row_id, publication.plan_key):
                if publication.plan_key in resent:
                    self._set_aside(row_id, "the duty desk keeps a newer version of this plan")
                    notices.append(f"{title}: the duty desk keeps a newer version; this change is set aside.")
                    continue
                resent.add(publication.plan_key)
                self.enqueue(publication.plan_key, publication.view, above=_server_sequence(conn, publication.plan_key))
                notices.append(f"{title}: the duty desk held another version of this plan; your latest is sent again.")
            self._sent(row_id)
            self._superseded(row_id, publication.plan_key)
            sent += 1
        self.conn.executemany("INSERT INTO notices(text) VALUES (?)", [(n,) for n in notices])
        return FlushResult(
            sent=sent, waiting=self.waiting(), problem=problem, set_aside=self.set_aside_count(), notices=tuple(notices)
        )


def _publication(row: tuple[Any, ...]) -> Publication | str:
    """The row as a publication, or why it cannot be one (a damaged row)."""
    _, key, plan_key, sequence, body = row
    try:
        view = json.loads(body)
    except (TypeError, ValueError) as exc:
        return f"its contents cannot be read ({type(exc).__name__})"
    if not isinstance(view, dict) or not isinstance(sequence, int) or not isinstance(plan_key, str) or not plan_key:
        return "its contents are not a duty view"
    try:
        uuid.UUID(str(key))
    except ValueError:
        return "its idempotency key is damaged"
    return Publication(plan_key=plan_key, sequence=sequence, view=view, key=str(key))


def title_of(body: str, fallback: str) -> str:
    try:
        view = json.loads(body)
        title = view.get("title") if isinstance(view, dict) else None
    except (TypeError, ValueError):
        title = None
    return str(title) if isinstance(title, str) and title else f"plan {fallback}"


def _server_sequence(conn: Conn, plan_key: str) -> int:
    """The version the server holds for one of my plans (0 if it cannot say)."""
    try:
        row = conn.execute(
            "SELECT sequence FROM council.plans WHERE plan_key = %s AND owner = session_user", (plan_key,)
        ).fetchone()
    except psycopg.Error:
        return 0
    return int(row[0]) if row else 0
