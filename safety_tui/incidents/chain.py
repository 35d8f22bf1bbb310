"""The hash chain over incident entries: how a hash is made, and how the chain is checked.

Core: no Textual. SHA-256 over a fixed text form, so anyone can re-check a chain
with a few lines of any language:

    body_hash = sha256(body as stored, UTF-8)
    hash      = sha256("seq|incident|kind|recorded_utc|recorder|body_hash|prev_hash", UTF-8)

The first entry's ``prev_hash`` is 64 zeros. Deleting an incident empties the
bodies of its entries but keeps their ``body_hash``, so the chain still checks;
an emptied body is accepted only for an incident that has a ``deleted`` entry.

What the chain alone cannot show is an entry removed from the end, or a whole
chain rewritten and re-hashed: for that, the check compares the log with a head
written down earlier (``head``: from a pack, or ``incidents verify --head``) and
with the anchors the council server recorded (``anchors``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from safety_tui.common.errors import StoreError
from safety_tui.incidents.model import normalise

GENESIS = "0" * 64
# An entry appended after an anchor is never dated before the moment the anchor was sent (on this
# machine's clock, which the anchor carries); this much slack covers an entry saved while it was sent.
ANCHOR_SLACK = timedelta(minutes=5)


def canonical(body: dict[str, Any]) -> str:
    """The one text form of a body: sorted keys, no spaces, Unicode kept."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(
    seq: int, incident_id: int, kind: str, recorded_utc: str, recorder: str, body_hash: str, prev_hash: str
) -> str:
    return sha256_text(f"{seq}|{incident_id}|{kind}|{recorded_utc}|{recorder}|{body_hash}|{prev_hash}")


def is_head(text: str) -> bool:
    """Is ``text`` a chain head as printed (64 hexadecimal digits)?"""
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text.lower())


@dataclass(frozen=True)
class Anchor:
    """What the council server recorded: the log had ``count`` entries ending in ``head``, at ``at`` (its
    clock); ``local_at`` is this machine's clock when the anchor was sent, on the scale of the recorded times."""

    count: int
    head: str
    at: datetime
    local_at: datetime


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    head: str  # the last entry's hash: write it down, or send it to the council
    problems: list[str]
    notes: list[str] = field(default_factory=list)  # what was compared: a head given, the council's anchors

    def __str__(self) -> str:
        first = [f"incident log intact: {self.entries} entries, chain head {self.head}"] if self.ok else self.problems
        return "\n".join(first + self.notes)


@dataclass(frozen=True)
class _Row:
    seq: int
    incident_id: int
    kind: str
    recorded: str
    recorder: str
    body: str | None
    body_hash: str
    prev_hash: str
    hash: str

    @property
    def where(self) -> str:
        return f"entry {self.seq} (incident {self.incident_id}, {self.kind})"


def _rows(conn: sqlite3.Connection) -> tuple[list[_Row], set[int], list[tuple[int, str, str, int]], list[int]]:
    try:
        deleted = {
            r[0] for r in conn.execute("SELECT DISTINCT incident_id FROM incident_entries WHERE kind = 'deleted'")
        }
        rows = [
            _Row(*r)
            for r in conn.execute(
                "SELECT seq, incident_id, kind, recorded_utc, recorder, body, body_hash, prev_hash, hash "
                "FROM incident_entries ORDER BY seq"
            ).fetchall()
        ]
        persons = [
            (int(r[0]), str(r[1]), str(r[2]), int(r[3]))
            for r in conn.execute("SELECT id, label, norm, described FROM incident_persons ORDER BY id")
        ]
        incidents = [int(r[0]) for r in conn.execute("SELECT id FROM incidents ORDER BY id")]
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read the incident log: {exc}") from None
    return rows, deleted, persons, incidents


def _time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _links(rows: list[_Row], deleted: set[int]) -> list[str]:
    """Each entry's own hash, its link to the one before, and times that never go backwards."""
    problems: list[str] = []
    prev, prev_time = GENESIS, None
    for row in rows:
        if row.body is None:
            if row.incident_id not in deleted:
                problems.append(f"{row.where}: its text is missing, but the incident was never deleted")
        elif sha256_text(row.body) != row.body_hash:
            problems.append(f"{row.where}: its text was changed after it was recorded")
        if row.prev_hash != prev:
            problems.append(f"{row.where}: the entry before it was removed or changed")
        expected = entry_hash(
            row.seq, row.incident_id, row.kind, row.recorded, row.recorder, row.body_hash, row.prev_hash
        )
        if expected != row.hash:
            problems.append(f"{row.where}: its time, recorder or order was changed after it was recorded")
        moment = _time(row.recorded)
        if moment is None:
            problems.append(f"{row.where}: its recorded time '{row.recorded}' is not a time")
        elif prev_time is not None and moment < prev_time:
            problems.append(
                f"{row.where}: recorded {row.recorded}, before the entry above it ({prev_time.isoformat()}): "
                "recorded times never go backwards: it was backdated or inserted (or the clock was put "
                "back before safety-tui kept recorded times in order)"
            )
        prev, prev_time = row.hash, moment or prev_time
    return problems


def _named(rows: list[_Row]) -> tuple[dict[int, tuple[str, bool]], list[str]]:
    """Every person as the chained entries name them (id -> label, described)."""
    named: dict[int, tuple[str, bool]] = {}
    problems: list[str] = []
    for row in rows:
        if row.body is None or row.kind not in ("created", "amended"):
            continue
        try:
            data = json.loads(row.body)
            data = data.get("changes", {}) if row.kind == "amended" else data
            people = data.get("people", [])
            pairs = [(int(p["id"]), str(p["label"]), bool(p.get("described"))) for p in people]
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # the body's hash check reports a changed body; a malformed one cannot be read anyway
        for pid, label, described in pairs:
            seen = named.setdefault(pid, (label, described))
            if seen != (label, described):
                problems.append(f"{row.where}: person {pid} is named '{label}' here but '{seen[0]}' earlier")
    return named, problems


def _persons(named: dict[int, tuple[str, bool]], table: list[tuple[int, str, str, int]]) -> list[str]:
    """The person table is only an index: each row must say what the chain says. (A row no entry
    names changes nothing: names are read from the chain. Older versions could leave one behind.)"""
    problems = []
    for pid, label, norm, described in table:
        chained = named.get(pid)
        if chained is not None and ((label, bool(described)) != chained or norm != normalise(chained[0])):
            problems.append(
                f"person {pid} was renamed outside the log: the table says '{label}', "
                f"the chained entries say '{chained[0]}'"
            )
    return problems


def _against_head(rows: list[_Row], head: str) -> tuple[list[str], list[str]]:
    index = next((i for i, row in enumerate(rows) if row.hash == head.lower()), None)
    if index is None:
        return [
            f"the chain head you gave ({head}) is not in the log: entries were removed, or the log was "
            "rewritten, since it was written down"
        ], []
    after = rows[index + 1 :]
    notes = [
        f"the log still holds the head you gave (entry {rows[index].seq}); "
        f"{len(after)} entr{'y' if len(after) == 1 else 'ies'} recorded after it:"
    ]
    notes += [
        f"  entry {r.seq}: {r.kind}, incident {r.incident_id}, recorded {r.recorded} by {r.recorder}" for r in after
    ]
    return [], notes


def _against_anchors(rows: list[_Row], anchors: list[Anchor]) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    for anchor in sorted(anchors, key=lambda a: (a.count, a.at)):
        when = f"{anchor.at.isoformat(timespec='seconds')} (council server's time)"
        if anchor.count > len(rows):
            problems.append(
                f"the council server recorded {anchor.count} entries at {when}; the log now has "
                f"{len(rows)}: entries were removed"
            )
        elif anchor.count > 0 and rows[anchor.count - 1].hash != anchor.head:
            problems.append(
                f"entry {anchor.count} is not the one the council server recorded at {when}: the log was rewritten"
            )
        elif anchor.count < len(rows):
            after = rows[anchor.count]
            moment = _time(after.recorded)
            if moment is not None and moment < anchor.local_at - ANCHOR_SLACK:
                problems.append(
                    f"{after.where}: recorded {after.recorded}, but the council server saw the log "
                    f"without it at {when}: it was backdated"
                )
    if not anchors:
        return problems, []
    last = max(anchors, key=lambda a: (a.count, a.at))
    return problems, [
        f"compared with {len(anchors)} anchor(s) on the council server; the latest: "
        f"{last.count} entries at {last.at.isoformat(timespec='seconds')}"
    ]


def verify_chain(
    conn: sqlite3.Connection, *, head: str | None = None, anchors: list[Anchor] | None = None
) -> Verification:
    """Re-compute every hash in order; compare with a head written down earlier and the council's anchors."""
    rows, deleted, table, incidents = _rows(conn)
    problems = _links(rows, deleted)
    named, naming = _named(rows)
    problems += naming + _persons(named, table)
    created = {row.incident_id for row in rows if row.kind == "created"}
    problems += [
        f"incident {i} is in the log's index but its entries are gone: they were removed by hand"
        for i in incidents
        if i not in created
    ]
    notes: list[str] = []
    if head is not None:
        found, notes = _against_head(rows, head)
        problems += found
    if anchors is not None:
        found, said = _against_anchors(rows, anchors)
        problems += found
        notes += said
    ok = not problems
    if not ok:
        problems.append(f"the incident log FAILED verification: {len(problems)} problem(s) in {len(rows)} entries")
    return Verification(
        ok=ok, entries=len(rows), head=rows[-1].hash if rows else GENESIS, problems=problems, notes=notes
    )
