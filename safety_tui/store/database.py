"""The store's database: one connection, short transactions, errors translated, the audit trail, the settings.

Every query goes through :meth:`Database.rows` / :meth:`Database.row` or a
:meth:`Database.transaction`, so no ``sqlite3.Error`` leaves the store: each
becomes a :class:`~safety_tui.common.errors.StoreError` that says what went wrong.
The store's parts (its plans, contacts and deletions) each hold the one ``Database``
(its connection and its clock). Core: no Textual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Self

from safety_tui.common.clock import Clock
from safety_tui.common.errors import PlanError, PlanNotFound, StoreError
from safety_tui.common.transaction import write_transaction
from safety_tui.plans.lifecycle import MAX_RETENTION_DAYS, Status, check_retention_days
from safety_tui.store.failures import translate
from safety_tui.store.rows import SqlValue, iso, parse_time

DEFAULT_RETENTION_DAYS = 30
# Edits of one field close together are one audit entry, not one per keystroke.
COALESCE_WINDOW = timedelta(minutes=5)
# Fields whose every edit joins the previous entry for them, however slow the typing:
# a count of entries must never give away the code word's length.
SECRET_FIELDS = frozenset({"code_word", "code_meaning"})


class Database:
    """A connection to one database file and the clock its times come from; shared by the store's parts."""

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock, *, read_only: bool = False):
        self.conn = conn
        self.path = path
        self.clock = clock
        self.read_only = read_only

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "close") from None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading and writing -----------------------------------------------------
    def rows(self, sql: str, args: Sequence[SqlValue] = ()) -> list[sqlite3.Row]:
        try:
            return list(self.conn.execute(sql, args).fetchall())
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "read") from None

    def row(self, sql: str, args: Sequence[SqlValue] = ()) -> sqlite3.Row | None:
        try:
            found: sqlite3.Row | None = self.conn.execute(sql, args).fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, self.path, "read") from None
        return found

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taken up front so two writers queue, never clash.

        Any SQLite failure (disk full, read-only file, I/O error) rolls the whole
        transaction back and becomes a ``StoreError`` that says what to check.
        """
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only; nothing was changed.")
        with write_transaction(self.conn, lambda exc, verb: translate(exc, self.path, verb)) as conn:
            yield conn

    def now_text(self) -> str:
        return iso(self.clock.now()) or ""

    def plan_id(self, ref: str) -> int:
        found = self.row("SELECT id FROM plans WHERE ref = ?", (ref,))
        if found is None:
            raise PlanNotFound(f"no plan {ref}")
        return int(found[0])

    def status_in(self, conn: sqlite3.Connection, plan_id: int) -> Status:
        """Inside a transaction: the plan's status as it is now (another window may have started it)."""
        found = conn.execute("SELECT status FROM plans WHERE id = ?", (plan_id,)).fetchone()
        if found is None:
            raise PlanNotFound("that plan was deleted, perhaps in another window")
        return Status(found[0])

    # -- the audit trail (names and events only, never values) --------------------
    def audit(self, plan_id: int, event: str, detail: str = "") -> None:
        """Inside a transaction: one audit line, and the plan's ``updated`` time."""
        now = self.now_text()
        self.conn.execute(
            "INSERT INTO audit(plan_id, at_utc, event, detail) VALUES (?, ?, ?, ?)", (plan_id, now, event, detail)
        )
        self.conn.execute("UPDATE plans SET updated_utc = ? WHERE id = ?", (now, plan_id))

    def audit_edit(self, plan_id: int, field: str) -> None:
        """Inside a transaction: 'edited <field>', joined to the plan's last entry when that is the same edit."""
        last = self.conn.execute(
            "SELECT id, event, detail, at_utc FROM audit WHERE plan_id = ? ORDER BY id DESC LIMIT 1", (plan_id,)
        ).fetchone()
        if last is not None and last["event"] == "edited" and last["detail"] == field:
            when = parse_time(last["at_utc"])
            if field in SECRET_FIELDS or (when is not None and self.clock.now() - when <= COALESCE_WINDOW):
                now = self.now_text()
                self.conn.execute("UPDATE audit SET at_utc = ? WHERE id = ?", (now, last["id"]))
                self.conn.execute("UPDATE plans SET updated_utc = ? WHERE id = ?", (now, plan_id))
                return
        self.audit(plan_id, "edited", field)

    # -- settings -----------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        found = self.row("SELECT value FROM settings WHERE key = ?", (key,))
        return str(found[0]) if found is not None else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def retention_days(self) -> int:
        """Days finished plans are kept. A stored value outside the rule (written by an older
        version) never deletes early: too long keeps the longest, unreadable or too short the default."""
        try:
            days = int(self.setting("retention_days", str(DEFAULT_RETENTION_DAYS)))
        except ValueError:
            return DEFAULT_RETENTION_DAYS
        try:
            return check_retention_days(days)
        except PlanError:
            return MAX_RETENTION_DAYS if days > MAX_RETENTION_DAYS else DEFAULT_RETENTION_DAYS
