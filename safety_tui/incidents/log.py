"""The councillor's incident log, in the plan store's private SQLite file. Core: no Textual.

Append only: recording, amending, adding an action or an evidence file each adds
one entry to a hash chain; nothing is rewritten. Incidents are never purged with
plans; only :meth:`IncidentLog.delete` (after a confirmation) removes one.
Nothing from an incident is logged or put into an exception message.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Protocol

from safety_tui.common.errors import StoreError
from safety_tui.incidents import validate as check
from safety_tui.incidents.chain import GENESIS, Verification, canonical, entry_hash, sha256_text, verify_chain
from safety_tui.incidents.evidence import evidence_problem, forget_evidence, keep_evidence
from safety_tui.incidents.fold import Entry, differs, fold
from safety_tui.incidents.model import (
    ActionKind, Category, Channel, Incident, IncidentError, IncidentNotFound, Person, PersonSummary, normalise,
)
from safety_tui.incidents.schema import migrate_incidents, needs_migration
from safety_tui.incidents.validate import default_recorder as default_recorder  # re-exported for callers

if TYPE_CHECKING:
    from safety_tui.store import Store

class _Clock(Protocol):
    def now(self) -> datetime: ...


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class IncidentLog:
    """All reads and writes of incidents. Open with :meth:`of` (from a store)."""

    def __init__(self, conn: sqlite3.Connection, data_dir: Path, clock: _Clock | None = None):
        self.conn = conn
        self.data_dir = data_dir
        self.clock: _Clock = clock or _SystemClock()
        self._ready = not needs_migration(conn)

    @classmethod
    def of(cls, store: Store) -> IncidentLog:
        return cls(store.conn, store.path.parent, store.clock)

    # -- plumbing -------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the incident log: {exc}. Is the disk full or read-only?") from None
        try:
            if not self._ready:
                migrate_incidents(self.conn)
                self._ready = True
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"cannot save to the incident log: {exc}. Is the disk full or read-only?") from None
            raise

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if not self._ready:
            return []  # a store that never had incidents (e.g. opened read-only)
        try:
            return [tuple(r) for r in self.conn.execute(sql, args).fetchall()]
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the incident log: {exc}") from None

    def _now(self) -> datetime:
        return self.clock.now().astimezone(timezone.utc)

    def _append(self, incident_id: int, kind: str, recorder: str, body: dict[str, Any]) -> None:
        text = canonical(body)
        body_hash = sha256_text(text)
        row = self.conn.execute("SELECT seq, hash FROM incident_entries ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
        recorded = self._now().isoformat(timespec="microseconds")
        digest = entry_hash(seq, incident_id, kind, recorded, recorder, body_hash, prev)
        self.conn.execute(
            "INSERT INTO incident_entries(seq, incident_id, kind, recorded_utc, recorder, body, body_hash, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, incident_id, kind, recorded, recorder, text, body_hash, prev, digest),
        )

    def _person(self, label: str, described: bool) -> dict[str, Any]:
        key = normalise(label)
        row = self.conn.execute("SELECT id, label, described FROM incident_persons WHERE norm = ?", (key,)).fetchone()
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO incident_persons(label, norm, described) VALUES (?, ?, ?)", (label, key, int(described))
            )
            return {"id": cur.lastrowid, "label": label, "described": described}
        return {"id": row[0], "label": row[1], "described": bool(row[2])}

    def _live(self, incident_id: int) -> Incident:
        incident = self.get(incident_id)
        if incident.deleted_at is not None:
            raise IncidentNotFound(f"incident {incident_id} was deleted")
        return incident

    # -- writing --------------------------------------------------------------
    def record(
        self,
        *,
        what: str,
        recorder: str,
        tz: str,
        happened_at: datetime | None = None,
        people: list[str] | list[tuple[str, bool]] | None = None,
        channel: Channel | str = Channel.OTHER,
        category: Category | str = Category.OTHER,
        **fields: str,
    ) -> Incident:
        """Record a new incident. Only what happened is needed: the rest can be amended later."""
        now = self._now()
        body: dict[str, Any] = {
            "happened_utc": check.clean_happened(happened_at or now, now),
            "tz": check.clean_zone(tz),
            "channel": check.clean_channel(channel),
            "category": check.clean_category(category),
        }
        body.update(check.clean_fields({"what": what, **fields}))
        if not body["what"].strip():
            raise IncidentError("say what happened, in a few words")
        who = check.clean_people(people or [])
        recorder = check.clean_recorder(recorder)
        with self._tx() as c:
            body["people"] = [self._person(label, described) for label, described in who]
            incident_id = c.execute("INSERT INTO incidents(created_utc) VALUES (?)", (now.isoformat(),)).lastrowid
            assert incident_id is not None
            self._append(incident_id, "created", recorder, body)
        return self.get(incident_id)

    def amend(
        self, incident_id: int, recorder: str, *, people: list[str] | list[tuple[str, bool]] | None = None, **changes: Any,
    ) -> Incident:
        """Append a revision with the fields that changed; fields not given keep their value."""
        current = self._live(incident_id)
        now = self._now()
        body: dict[str, Any] = {}
        for name, value in changes.items():
            if name == "happened_at":
                body["happened_utc"] = check.clean_happened(value, now)
            elif name == "tz":
                body["tz"] = check.clean_zone(value)
            elif name == "channel":
                body["channel"] = check.clean_channel(value)
            elif name == "category":
                body["category"] = check.clean_category(value)
            else:
                body.update(check.clean_fields({name: value}))
        if "what" in body and not body["what"].strip():
            raise IncidentError("what happened cannot be empty")
        who = check.clean_people(people) if people is not None else None
        recorder = check.clean_recorder(recorder)
        with self._tx():
            if who is not None:
                body["people"] = [self._person(label, described) for label, described in who]
            changed = {k: v for k, v in body.items() if differs(current, k, v)}
            if changed:
                self._append(incident_id, "amended", recorder, {"changes": changed})
        return self.get(incident_id)

    def add_action(
        self, incident_id: int, recorder: str, kind: ActionKind | str, *, on: date | None = None,
        reference: str = "", note: str = "",
    ) -> Incident:
        incident = self._live(incident_id)
        today = self._now().astimezone(incident.zone).date()
        body = {
            "action": check.clean_action(kind).value,
            "on": check.clean_action_date(on or today, today),
            "reference": check.clean_text("reference", reference),
            "note": check.clean_text("note", note),
        }
        recorder = check.clean_recorder(recorder)
        with self._tx():
            self._append(incident_id, "action", recorder, body)
        return self.get(incident_id)

    def add_evidence(self, incident_id: int, recorder: str, source: Path) -> Incident:
        """Copy a file into the store's evidence folder (0600); the original is left as it is."""
        self._live(incident_id)
        recorder = check.clean_recorder(recorder)
        name = check.evidence_name(source)
        kept = keep_evidence(source, self.data_dir)
        body = {"name": name, "sha256": kept.sha256, "size": kept.size, "stored": kept.stored}
        with self._tx():
            self._append(incident_id, "evidence", recorder, body)
        return self.get(incident_id)

    def dismiss(self, incident_id: int, recorder: str, prompt: str) -> Incident:
        """Mark a to-do (a report not yet made) as dismissed; it leaves Today."""
        self._live(incident_id)
        recorder = check.clean_recorder(recorder)
        with self._tx():
            self._append(incident_id, "dismissed", recorder, {"prompt": check.clean_text("prompt", prompt)})
        return self.get(incident_id)

    def delete(self, incident_id: int, recorder: str) -> None:
        """Delete one incident on purpose: its texts and evidence copies go, the chain still checks."""
        incident = self._live(incident_id)
        recorder = check.clean_recorder(recorder)
        with self._tx() as c:
            c.execute("UPDATE incident_entries SET body = NULL WHERE incident_id = ?", (incident_id,))
            c.execute("UPDATE incidents SET deleted_utc = ? WHERE id = ?", (self._now().isoformat(), incident_id))
            self._append(incident_id, "deleted", recorder, {})
        remaining = self.incidents()
        in_use = {e.stored for other in remaining for e in other.evidence}
        for item in incident.evidence:
            if item.stored not in in_use:
                forget_evidence(self.data_dir, item.stored)
        people = {p.id for other in remaining for p in other.people}
        with self._tx() as c:  # a name kept only for this incident goes with it
            for person in incident.people:
                if person.id not in people:
                    c.execute("DELETE FROM incident_persons WHERE id = ?", (person.id,))
        self._compact()

    def _compact(self) -> None:
        """Deleted text leaves the file and its journal too (secure_delete is on for the store)."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.execute("VACUUM")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise StoreError(f"the incident was deleted, but the file could not be compacted: {exc}") from None

    # -- drafts: the form saves as you type; an entry is appended only on save -----
    def save_draft(self, key: str, values: dict[str, Any]) -> None:
        """Keep what is being typed (``key``: 'new' or 'amend-ID'); overwritten each time, never chained."""
        with self._tx() as c:
            c.execute(
                "INSERT INTO incident_drafts(key, body, updated_utc) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET body = excluded.body, updated_utc = excluded.updated_utc",
                (key, canonical(values), self._now().isoformat()),
            )

    def draft(self, key: str) -> dict[str, Any] | None:
        rows = self._read("SELECT body FROM incident_drafts WHERE key = ?", (key,))
        if not rows:
            return None
        try:
            value = json.loads(rows[0][0])
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def discard_draft(self, key: str) -> None:
        with self._tx() as c:
            c.execute("DELETE FROM incident_drafts WHERE key = ?", (key,))

    # -- reading --------------------------------------------------------------
    def _entries(self, incident_id: int | None = None) -> list[Entry]:
        sql = "SELECT seq, incident_id, kind, recorded_utc, recorder, body, hash FROM incident_entries"
        args: tuple[Any, ...] = ()
        if incident_id is not None:
            sql += " WHERE incident_id = ?"
            args = (incident_id,)
        return [Entry(*row) for row in self._read(sql + " ORDER BY seq", args)]

    def get(self, incident_id: int) -> Incident:
        entries = self._entries(incident_id)
        if not entries or entries[0].kind != "created":
            raise IncidentNotFound(f"no incident {incident_id}")
        return _fold(entries)

    def incidents(self, *, include_deleted: bool = False, person: Person | None = None) -> list[Incident]:
        """Every incident, in the order they happened (then recorded)."""
        grouped: dict[int, list[Entry]] = {}
        for entry in self._entries():
            grouped.setdefault(entry.incident_id, []).append(entry)
        found = [_fold(entries) for entries in grouped.values() if entries[0].kind == "created"]
        if not include_deleted:
            found = [i for i in found if i.deleted_at is None]
        if person is not None:
            found = [i for i in found if any(p.id == person.id for p in i.people)]
        return sorted(found, key=lambda i: (i.happened_at, i.recorded_at, i.id))

    def people(self) -> list[PersonSummary]:
        """Each person with their incident count, most incidents first."""
        by_person: dict[int, list[Incident]] = {}
        persons: dict[int, Person] = {}
        for incident in self.incidents():
            for person in incident.people:
                by_person.setdefault(person.id, []).append(incident)
                persons[person.id] = person
        summaries = [
            PersonSummary(persons[pid], len(items), max(i.happened_at for i in items), _unique([i.category for i in items]))
            for pid, items in by_person.items()
        ]
        return sorted(summaries, key=lambda s: (-s.count, s.person.key))

    def find_person(self, text: str) -> Person:
        key = normalise(text)
        rows = self._read("SELECT id, label, described FROM incident_persons WHERE norm = ?", (key,))
        if not rows:
            raise IncidentNotFound("no person by that name in the incident log")
        return Person(id=rows[0][0], label=rows[0][1], described=bool(rows[0][2]))

    def verify(self) -> Verification:
        """The hash chain, then every kept evidence file against its recorded SHA-256."""
        if not self._ready:
            return Verification(ok=True, entries=0, head=GENESIS, problems=[])
        chain = verify_chain(self.conn)
        if not chain.ok:
            return chain
        problems = [
            f"evidence {item.name} of incident {incident.id}: {problem}"
            for incident in self.incidents() for item in incident.evidence
            if (problem := evidence_problem(self.data_dir, item.stored, item.sha256))
        ]
        if problems:
            problems.append(f"the evidence files FAILED verification: {len(problems)} problem(s)")
        return Verification(ok=not problems, entries=chain.entries, head=chain.head, problems=problems)


def _fold(entries: list[Entry]) -> Incident:
    try:
        return fold(entries)
    except (KeyError, ValueError, TypeError):
        raise StoreError(
            f"incident {entries[0].incident_id} cannot be read: the store was edited by hand "
            "('safety-tui incidents verify' says where)"
        ) from None


def _unique(items: list[Category]) -> list[Category]:
    return list(dict.fromkeys(items))
