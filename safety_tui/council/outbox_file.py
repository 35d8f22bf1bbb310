"""The outbox's own SQLite file: made 0600 and never through a link, its tables, the columns added since.

Opened by :meth:`safety_tui.council.outbox.Outbox.open`; a file that cannot be used is a
:class:`~safety_tui.common.errors.CouncilError` naming it. Core: no Textual.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from safety_tui.common.errors import CouncilError

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
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notices(id INTEGER PRIMARY KEY, text TEXT NOT NULL);
"""
# Added after the first version; an existing outbox gains them when opened.
LATER_COLUMNS = {"set_aside_utc": "TEXT", "last_attempt_utc": "TEXT"}


def open_outbox_file(path: Path) -> sqlite3.Connection:
    """Create the file (0600, in a 0700 folder) if it is new, refuse anything but a regular file, and
    bring its tables up to date. Autocommit: the outbox begins its own transactions."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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
        have = {r[1] for r in conn.execute("PRAGMA table_info(outbox)")}
        for column, kind in LATER_COLUMNS.items():
            if column not in have:
                conn.execute(f"ALTER TABLE outbox ADD COLUMN {column} {kind}")
    except (OSError, sqlite3.Error) as exc:
        raise CouncilError(f"cannot use the council outbox {path}: {exc}") from None
    return conn
