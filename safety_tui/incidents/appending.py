"""Appending to the incident log's hash chain, inside the log's transaction. Core: no Textual.

:class:`ChainAppender` adds one entry after the last (its hash covers the one before, and its
recorded time never goes backwards), looks up or adds a person in the index, and keeps the
evidence copies an entry names (taken back if the transaction fails). The transaction itself, and
when an append is anchored on the council server, are :class:`~safety_tui.incidents.log.IncidentLog`'s.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence

from safety_tui.common.errors import SafetyError, StoreError
from safety_tui.common.transaction import write_transaction
from safety_tui.incidents import validate as check
from safety_tui.incidents.chain import GENESIS, canonical, entry_hash, sha256_text
from safety_tui.incidents.evidence import Original, forget_evidence, keep_original, read_original
from safety_tui.incidents.model import IncidentError, normalise


def read_originals(sources: Sequence[Path | str]) -> list[Original]:
    """Every evidence file read and checked, before anything is written."""
    if isinstance(sources, str):
        raise IncidentError("evidence is a list of files")
    return [read_original(Path(source), check.evidence_name(Path(source))) for source in sources]


class ChainAppender:
    """Writes entries to the chain on ``conn``; ``now`` is the log's clock, in UTC."""

    def __init__(self, conn: sqlite3.Connection, data_dir: Path, now: Callable[[], datetime]) -> None:
        self.conn = conn
        self.data_dir = data_dir
        self.now = now
        self.appended = False  # set by append: the log anchors the new head after its transaction

    def append(self, incident_id: int, kind: str, recorder: str, body: dict[str, Any]) -> None:
        text = canonical(body)
        body_hash = sha256_text(text)
        row = self.conn.execute(
            "SELECT seq, hash, recorded_utc FROM incident_entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
        now = self.now()
        try:
            last = datetime.fromisoformat(row[2]) if row is not None else now
            if last.tzinfo is None:
                raise ValueError
        except ValueError:
            raise StoreError(
                "the incident log's last entry has no readable time: the store was edited by hand "
                "('safety-tui incidents verify' says where)"
            ) from None
        now = max(now, last)  # the clock was put back: a recorded time never goes backwards
        recorded = now.isoformat(timespec="microseconds")
        digest = entry_hash(seq, incident_id, kind, recorded, recorder, body_hash, prev)
        self.conn.execute(
            "INSERT INTO incident_entries(seq, incident_id, kind, recorded_utc, recorder, body, body_hash, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, incident_id, kind, recorded, recorder, text, body_hash, prev, digest),
        )
        self.appended = True

    def person(self, label: str, described: bool) -> dict[str, Any]:
        """The person's entry in the index (added if new), as an entry names them."""
        key = normalise(label)
        row = self.conn.execute("SELECT id, label, described FROM incident_persons WHERE norm = ?", (key,)).fetchone()
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO incident_persons(label, norm, described) VALUES (?, ?, ?)", (label, key, int(described))
            )
            return {"id": cur.lastrowid, "label": label, "described": described}
        return {"id": row[0], "label": row[1], "described": bool(row[2])}

    def head(self) -> tuple[int, str] | None:
        """(entries, the last hash), or None for an empty chain."""
        row = self.conn.execute(
            "SELECT count(*), (SELECT hash FROM incident_entries ORDER BY seq DESC LIMIT 1) FROM incident_entries"
        ).fetchone()
        return (int(row[0]), str(row[1])) if row is not None and row[1] else None

    def keep_evidence(self, incident_id: int, recorder: str, originals: list[Original], written: list[Path]) -> None:
        """Inside the transaction: keep each copy and append its entry; ``written`` collects new copies."""
        for original in originals:
            kept, new = keep_original(original, self.data_dir)
            if new is not None:
                written.append(new)
            self.append(
                incident_id,
                "evidence",
                recorder,
                {"name": kept.name, "sha256": kept.sha256, "size": kept.size, "stored": kept.stored},
            )

    def take_back(self, written: list[Path]) -> None:
        """A transaction failed: the copies it wrote go too, unless an entry committed since refers to
        the same bytes (another window attached the same file between the rollback and now). The check
        and the deletion hold the write lock, so no such entry can be committed in between."""
        if not written:
            return
        try:
            with write_transaction(self.conn) as conn:
                for path in written:
                    if not _referred_to(conn, path.name):
                        forget_evidence(self.data_dir, path.name)
        except (sqlite3.Error, SafetyError):
            pass  # the store cannot be used: an unreferenced copy stays, listed by nothing


def _referred_to(conn: sqlite3.Connection, stored: str) -> bool:
    """Whether a committed evidence entry names this copy (its SHA-256: 64 hex characters, unique)."""
    row = conn.execute(
        "SELECT 1 FROM incident_entries WHERE kind = 'evidence' AND instr(body, ?) > 0 LIMIT 1", (stored,)
    ).fetchone()
    return row is not None
