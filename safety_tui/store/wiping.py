"""Deleting plans for good: forget one, purge old ones, and wipe what was deleted.

Deleted rows are overwritten (``secure_delete``), but older copies of their pages
stay in the write-ahead log until a checkpoint can copy it back and truncate it,
which it cannot while another connection still reads an older snapshot. So a
delete is only reported as complete when the log is empty; otherwise the store
remembers that a wipe is pending and finishes it the next time it can.
Core: no Textual.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from safety_tui.plans.lifecycle import check_forgettable, retention_cutoff
from safety_tui.store.database import Database
from safety_tui.store.rows import iso

WIPE_PENDING = "wipe_pending"
# How long a checkpoint waits for other readers before saying the wipe is not done yet.
WIPE_WAIT_MS = 1500
NOT_WIPED = (
    "not yet wiped from the disk: another program (a safety-tui window?) is still reading the store. "
    "Close it; the wipe finishes the next time safety-tui opens the store."
)


@dataclass(frozen=True)
class PurgeResult:
    """What :meth:`Wiper.purge` did: the plans deleted, and whether their bytes are gone from the disk.

    ``wiped`` is False while another reader holds an older snapshot: the plans are gone
    from every list, but not yet from the file's log. Say so (:attr:`message`), never
    "deleted". ``len()``, truth and iteration are over ``refs``.
    """

    refs: tuple[str, ...]
    wiped: bool

    def __len__(self) -> int:
        return len(self.refs)

    def __bool__(self) -> bool:
        return bool(self.refs)

    def __iter__(self) -> Iterator[str]:
        return iter(self.refs)

    @property
    def message(self) -> str:
        """One sentence for the person, true to what happened."""
        if not self.refs:
            return "Nothing old enough to purge."
        if not self.wiped:
            return f"{len(self.refs)} old plan(s) removed from your plans, but {NOT_WIPED}"
        return f"Deleted {len(self.refs)} old plan(s)."


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


class Wiper:
    """Deleting plans for good, and wiping their bytes from the disk: the store's ``wiper``."""

    def __init__(self, db: Database):
        self.db = db

    def forget(self, ref: str) -> bool:
        """Delete one plan completely. True when nothing of it is left in the file or its log.

        False: the plan is gone from every list, but another program still reads an
        older snapshot, so its bytes may stay in the log until :meth:`wipe` succeeds.
        """
        plan_id = self.db.plan_id(ref)
        with self.db.transaction() as c:
            check_forgettable(self.db.status_in(c, plan_id))
            c.execute("DELETE FROM plans WHERE id = ?", (plan_id,))
            self._drop_orphan_snapshots(c)
        return self.wipe()

    def purgeable(self, older_than_days: int | None = None) -> list[str]:
        """Finished or cancelled plans that ended more than ``older_than_days`` (default: the
        retention period) ago. Days outside 0 to ``MAX_RETENTION_DAYS`` are a ``PlanError``."""
        days = self.db.retention_days if older_than_days is None else older_than_days
        cutoff = iso(retention_cutoff(self.db.clock.now(), days))
        return [
            str(r[0])
            for r in self.db.rows(
                "SELECT ref FROM plans WHERE status IN ('finished', 'cancelled')"
                " AND COALESCE(ended_utc, updated_utc) < ? ORDER BY created_utc",
                (cutoff,),
            )
        ]

    def purge(self, older_than_days: int | None = None) -> PurgeResult:
        """Delete old finished plans. ``result.wiped`` says whether their bytes are gone from the disk
        (with nothing to purge, whether an earlier wipe is still pending)."""
        refs = self.purgeable(older_than_days)
        if not refs:
            return PurgeResult((), wiped=not self.wipe_pending)
        with self.db.transaction() as c:
            c.executemany("DELETE FROM plans WHERE ref = ?", [(r,) for r in refs])
            self._drop_orphan_snapshots(c)
        return PurgeResult(tuple(refs), wiped=self.wipe())

    @property
    def wipe_pending(self) -> bool:
        """Deleted plans may still be readable in the log (another reader held a snapshot)."""
        return self.db.setting(WIPE_PENDING) == "1"

    def wipe(self) -> bool:
        """Copy the log back and empty it, then compact the file. True when the log is empty."""
        if self.db.read_only:
            return not self.wipe_pending
        done = self._checkpoint()
        if done:  # the deleted rows were overwritten and no older copy is left in the log
            try:
                self.db.conn.execute("VACUUM")  # compacting only: the wipe itself is complete
            except sqlite3.Error:
                pass  # e.g. no room for the copy: the deleted data is gone all the same
            self._checkpoint()  # best effort: the log now holds only live data
        pending = self.wipe_pending
        if done and pending:
            with self.db.transaction() as c:
                c.execute("DELETE FROM settings WHERE key = ?", (WIPE_PENDING,))
            self._checkpoint()
        elif not done and not pending:
            self.db.set_setting(WIPE_PENDING, "1")
        return done

    def _checkpoint(self) -> bool:
        """A truncating checkpoint that waits a little for readers; True when the log is empty."""
        try:
            timeout = self.db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
            self.db.conn.execute(f"PRAGMA busy_timeout = {WIPE_WAIT_MS}")
            try:
                busy = self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            finally:
                self.db.conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        except sqlite3.Error:
            return False
        wal = wal_path(self.db.path)
        return busy == 0 and (not wal.exists() or os.path.getsize(wal) == 0)

    @staticmethod
    def _drop_orphan_snapshots(conn: sqlite3.Connection) -> None:
        conn.execute(
            "DELETE FROM checklist_snapshots WHERE content_hash NOT IN (SELECT content_hash FROM plan_checklists)"
        )
