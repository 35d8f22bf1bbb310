"""The local outbox: publications wait here until the council database takes them. Core: no Textual.

A small SQLite file of its own in the data folder (0600, like the store), so a
councillor with no signal loses nothing: publications are sent in order when the
connection returns, and the server applies each idempotency key once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg

from safety_tui.council.db import connect, masked, why
from safety_tui.council.publication import DutyView, Publication, send
from safety_tui.common.errors import CouncilError

OUTBOX_NAME = "council-outbox.sqlite3"
NOT_SHARED = "not yet shared with the duty desk"

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox(
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    plan_key TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    body TEXT NOT NULL,
    queued_utc TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sequences(plan_key TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
"""

_flush_lock = threading.Lock()


@dataclass(frozen=True)
class FlushResult:
    sent: int
    waiting: int
    problem: str = ""

    @property
    def message(self) -> str:
        if self.waiting:
            return f"{NOT_SHARED} ({self.waiting} waiting): {self.problem}" if self.problem else NOT_SHARED
        return "shared with the duty desk"


class Outbox:
    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, directory: Path) -> "Outbox":
        path = directory / OUTBOX_NAME
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600))
            except FileExistsError:
                if path.is_symlink() or not path.is_file():
                    raise CouncilError(f"{path} is not a regular file; the outbox will not use it") from None
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                path.chmod(mode & 0o600)
            conn = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA secure_delete = ON")
            conn.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CouncilError(f"cannot use the council outbox {path}: {exc}") from None
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def enqueue(self, plan_key: str, view: DutyView) -> Publication:
        """Queue the duty view as the plan's next publication (the sequence only grows, per plan)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                row = self.conn.execute("SELECT last FROM sequences WHERE plan_key = ?", (plan_key,)).fetchone()
                # Never below the clock in milliseconds: a lost or reinstalled outbox still outranks
                # what the server already holds for a plan in flight.
                sequence = max((row[0] if row else 0) + 1, time.time_ns() // 1_000_000)
                publication = Publication(plan_key=plan_key, sequence=sequence, view=view.as_json())
                self.conn.execute(
                    "INSERT INTO sequences(plan_key, last) VALUES (?, ?) ON CONFLICT(plan_key) DO UPDATE SET last = excluded.last",
                    (plan_key, sequence),
                )
                self.conn.execute(
                    "INSERT INTO outbox(idempotency_key, plan_key, sequence, body, queued_utc) VALUES (?, ?, ?, ?, ?)",
                    (publication.key, plan_key, sequence, json.dumps(publication.view),
                     datetime.now(timezone.utc).isoformat()),
                )
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise CouncilError(f"cannot queue the plan for the duty desk ({self.path}): {exc}") from None
        return publication

    def pending(self) -> list[Publication]:
        return [
            Publication(plan_key=r[1], sequence=r[2], view=json.loads(r[3]), key=r[0])
            for r in self.conn.execute("SELECT idempotency_key, plan_key, sequence, body FROM outbox ORDER BY id")
        ]

    def waiting(self, plan_key: str | None = None) -> int:
        if plan_key is None:
            row = self.conn.execute("SELECT COUNT(*) FROM outbox").fetchone()
        else:
            row = self.conn.execute("SELECT COUNT(*) FROM outbox WHERE plan_key = ?", (plan_key,)).fetchone()
        return int(row[0])

    def last_problem(self) -> str:
        row = self.conn.execute("SELECT last_error FROM outbox WHERE last_error != '' ORDER BY id LIMIT 1").fetchone()
        return str(row[0]) if row else ""

    def _sent(self, key: str) -> None:
        self.conn.execute("DELETE FROM outbox WHERE idempotency_key = ?", (key,))

    def _failed(self, key: str, problem: str) -> None:
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE idempotency_key = ?", (problem, key)
        )

    def flush(self, url: str) -> FlushResult:
        """Send everything waiting, oldest first. Stops at the first failure; nothing is lost."""
        with _flush_lock:
            pending = self.pending()
            if not pending:
                return FlushResult(sent=0, waiting=0)
            sent = 0
            try:
                with connect(url) as conn:
                    for publication in pending:
                        send(conn, publication)  # applied, duplicate or stale: the server has it either way
                        self._sent(publication.key)
                        sent += 1
            except CouncilError as exc:
                problem = str(exc)
            except psycopg.Error as exc:
                problem = f"lost the council database {masked(url)}: {why(exc)}"
            else:
                return FlushResult(sent=sent, waiting=self.waiting())
            if sent < len(pending):
                self._failed(pending[sent].key, problem)
            return FlushResult(sent=sent, waiting=self.waiting(), problem=problem)
