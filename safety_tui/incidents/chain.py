"""The hash chain over incident entries: how a hash is made, and how the chain is checked.

Core: no Textual. SHA-256 over a fixed text form, so anyone can re-check a chain
with a few lines of any language:

    body_hash = sha256(body as stored, UTF-8)
    hash      = sha256("seq|incident|kind|recorded_utc|recorder|body_hash|prev_hash", UTF-8)

The first entry's ``prev_hash`` is 64 zeros. Deleting an incident empties the
bodies of its entries but keeps their ``body_hash``, so the chain still checks;
an emptied body is accepted only for an incident that has a ``deleted`` entry.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from safety_tui.common.errors import StoreError

GENESIS = "0" * 64


def canonical(body: dict[str, Any]) -> str:
    """The one text form of a body: sorted keys, no spaces, Unicode kept."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(seq: int, incident_id: int, kind: str, recorded_utc: str, recorder: str, body_hash: str, prev_hash: str) -> str:
    return sha256_text(f"{seq}|{incident_id}|{kind}|{recorded_utc}|{recorder}|{body_hash}|{prev_hash}")


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    head: str  # the last entry's hash: write it down, or send it to the council
    problems: list[str]

    def __str__(self) -> str:
        if self.ok:
            return f"incident log intact: {self.entries} entries, chain head {self.head}"
        return "\n".join(self.problems)


def verify_chain(conn: sqlite3.Connection) -> Verification:
    """Re-compute every hash in order; report each entry that does not match."""
    problems: list[str] = []
    try:
        deleted = {r[0] for r in conn.execute("SELECT DISTINCT incident_id FROM incident_entries WHERE kind = 'deleted'")}
        rows = conn.execute(
            "SELECT seq, incident_id, kind, recorded_utc, recorder, body, body_hash, prev_hash, hash "
            "FROM incident_entries ORDER BY seq"
        ).fetchall()
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the incident log: {exc}") from None
    prev = GENESIS
    count = 0
    for seq, incident_id, kind, recorded, recorder, body, body_hash, prev_hash, stored_hash in rows:
        count += 1
        where = f"entry {seq} (incident {incident_id}, {kind})"
        if body is None:
            if incident_id not in deleted:
                problems.append(f"{where}: its text is missing, but the incident was never deleted")
        elif sha256_text(body) != body_hash:
            problems.append(f"{where}: its text was changed after it was recorded")
        if prev_hash != prev:
            problems.append(f"{where}: the entry before it was removed or changed")
        expected = entry_hash(seq, incident_id, kind, recorded, recorder, body_hash, prev_hash)
        if expected != stored_hash:
            problems.append(f"{where}: its time, recorder or order was changed after it was recorded")
        prev = stored_hash
    ok = not problems
    if not ok:
        problems.append(f"the incident log FAILED verification: {len(problems)} problem(s) in {count} entries")
    return Verification(ok=ok, entries=count, head=prev, problems=problems)
