"""The councillor's incident log, in the plan store's private SQLite file. Core: no Textual.

Append only: recording, amending, adding an action or an evidence file each adds
one entry to a hash chain; nothing is rewritten, and recorded times never go
backwards. An incident and its evidence files are one transaction: every file is
read and checked first, and a refusal records nothing. Incidents are never purged
with plans; only :meth:`IncidentLog.delete` (after a confirmation) removes one.
With a council database configured, each append is anchored there
(:mod:`safety_tui.council.anchor`). Nothing from an incident is logged or put into
an exception message.

The log is composed of a :class:`~safety_tui.incidents.reading.LogReader` (incidents folded from
their entries, the people) and a :class:`~safety_tui.incidents.appending.ChainAppender` (one
entry after the last); it holds the connection, the transaction and the council anchor.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from safety_tui.common.clock import Clock, SystemClock
from safety_tui.common.errors import StoreError
from safety_tui.common.transaction import write_transaction
from safety_tui.incidents import validate as check
from safety_tui.incidents.appending import ChainAppender, read_originals
from safety_tui.incidents.chain import Verification, canonical
from safety_tui.incidents.evidence import forget_evidence
from safety_tui.incidents.fold import differs
from safety_tui.incidents.model import (
    ActionKind,
    Category,
    Channel,
    Incident,
    IncidentError,
    IncidentNotFound,
    Person,
    PersonSummary,
)
from safety_tui.incidents.reading import LogReader
from safety_tui.incidents.schema import migrate_incidents, needs_migration

if TYPE_CHECKING:
    from safety_tui.store.repository import Store


class IncidentLog:
    """All reads and writes of incidents. Open with :meth:`of` (from a store)."""

    def __init__(self, conn: sqlite3.Connection, data_dir: Path, clock: Clock | None = None, anchor_url: str = ""):
        self.conn = conn
        self.data_dir = data_dir
        self.clock: Clock = clock or SystemClock()
        self.anchor_url = anchor_url  # the council database that anchors each append ('' for none)
        self._ready = not needs_migration(conn)
        self.reader = LogReader(self._read)
        self.chain = ChainAppender(conn, data_dir, self._now)

    @property
    def ready(self) -> bool:
        """False for a store that never had the incident tables (nothing recorded yet)."""
        return self._ready

    @classmethod
    def of(cls, store: Store) -> IncidentLog:
        from safety_tui.council.config import SETTING_URL, configured_url

        return cls(store.conn, store.path.parent, store.clock, configured_url(store.setting(SETTING_URL)))

    # -- plumbing -------------------------------------------------------------
    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        def failure(exc: sqlite3.Error, verb: str) -> StoreError:
            return StoreError(f"cannot {verb} the incident log: {exc}. Is the disk full or read-only?")

        with write_transaction(self.conn, failure) as conn:
            if not self._ready:
                migrate_incidents(conn)
                self._ready = True
            self.chain.appended = False
            yield conn
        if self.chain.appended and self.anchor_url:
            self._anchor()

    def _anchor(self) -> None:
        """Send (entries, head) to the council server in the background; never raises (the entry is saved)."""
        try:
            head = self.chain.head()
            from safety_tui.council.anchor import anchor_in_background
        except (sqlite3.Error, ImportError):
            return
        if head is not None:
            anchor_in_background(self.anchor_url, head[0], head[1], self._now())

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if not self._ready:
            return []  # a store that never had incidents (e.g. opened read-only)
        try:
            return [tuple(r) for r in self.conn.execute(sql, args).fetchall()]
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the incident log: {exc}") from None

    def _now(self) -> datetime:
        return self.clock.now().astimezone(timezone.utc)

    def _live(self, incident_id: int) -> Incident:
        incident = self.get(incident_id)
        if incident.deleted_at is not None:
            raise IncidentNotFound(f"incident {incident_id} was deleted")
        return incident

    # -- reading (the reader's) -------------------------------------------------
    def get(self, incident_id: int) -> Incident:
        return self.reader.get(incident_id)

    def incidents(self, *, include_deleted: bool = False, person: Person | None = None) -> list[Incident]:
        """Every incident, in the order they happened (then recorded)."""
        return self.reader.incidents(include_deleted=include_deleted, person=person)

    def people(self) -> list[PersonSummary]:
        """Each person with their incident count, most incidents first."""
        return self.reader.people()

    def find_person(self, text: str) -> Person:
        """A person by name, as the chained entries name them."""
        return self.reader.find_person(text)

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
        evidence: Sequence[Path | str] = (),
        **fields: str,
    ) -> Incident:
        """Record a new incident, with its evidence files, in one transaction: all of it or nothing.

        Only what happened is needed: the rest can be amended later.
        """
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
        originals = read_originals(evidence)  # every file checked before anything is written
        written: list[Path] = []
        try:
            with self._tx() as c:
                body["people"] = [self.chain.person(label, described) for label, described in who]
                incident_id = c.execute("INSERT INTO incidents(created_utc) VALUES (?)", (now.isoformat(),)).lastrowid
                assert incident_id is not None
                self.chain.append(incident_id, "created", recorder, body)
                self.chain.keep_evidence(incident_id, recorder, originals, written)
        except BaseException:
            self.chain.take_back(written)
            raise
        return self.get(incident_id)

    def amend(
        self,
        incident_id: int,
        recorder: str,
        *,
        people: list[str] | list[tuple[str, bool]] | None = None,
        **changes: Any,
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
                body["people"] = [self.chain.person(label, described) for label, described in who]
            changed = {k: v for k, v in body.items() if differs(current, k, v)}
            if changed:
                self.chain.append(incident_id, "amended", recorder, {"changes": changed})
        return self.get(incident_id)

    def add_action(
        self,
        incident_id: int,
        recorder: str,
        kind: ActionKind | str,
        *,
        on: date | None = None,
        reference: str = "",
        note: str = "",
    ) -> Incident:
        incident = self._live(incident_id)
        today = self._now().astimezone(incident.zone).date()
        body = {
            "action": check.clean_action(kind).value,
            "on": check.clean_action_date(on or today, today, incident.happened_local.date()),
            "reference": check.clean_text("reference", reference),
            "note": check.clean_text("note", note),
        }
        recorder = check.clean_recorder(recorder)
        with self._tx():
            self.chain.append(incident_id, "action", recorder, body)
        return self.get(incident_id)

    def add_evidence(self, incident_id: int, recorder: str, *sources: Path) -> Incident:
        """Copy files into the store's evidence folder (0600), all or none; the originals are left as they are."""
        self._live(incident_id)
        recorder = check.clean_recorder(recorder)
        originals = read_originals(sources)
        written: list[Path] = []
        try:
            with self._tx():
                self.chain.keep_evidence(incident_id, recorder, originals, written)
        except BaseException:
            self.chain.take_back(written)
            raise
        return self.get(incident_id)

    def dismiss(self, incident_id: int, recorder: str, prompt: str) -> Incident:
        """Mark a to-do (a report not yet made) as dismissed; it leaves Today."""
        self._live(incident_id)
        recorder = check.clean_recorder(recorder)
        with self._tx():
            self.chain.append(incident_id, "dismissed", recorder, {"prompt": check.clean_text("prompt", prompt)})
        return self.get(incident_id)

    def delete(self, incident_id: int, recorder: str) -> None:
        """Delete one incident on purpose: its texts and evidence copies go, the chain still checks."""
        incident = self._live(incident_id)
        recorder = check.clean_recorder(recorder)
        with self._tx() as c:
            c.execute("UPDATE incident_entries SET body = NULL WHERE incident_id = ?", (incident_id,))
            c.execute("UPDATE incidents SET deleted_utc = ? WHERE id = ?", (self._now().isoformat(), incident_id))
            c.execute(
                "DELETE FROM incident_drafts WHERE key = ? OR key LIKE ?", (f"amend-{incident_id}", f"%-{incident_id}")
            )
            self.chain.append(incident_id, "deleted", recorder, {})
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

    def verify(self, head: str | None = None, *, council: bool = False) -> Verification:
        """The hash chain, the people, every kept evidence file; with ``head``, that the log still
        holds it; with ``council``, the anchors on the council server (see :mod:`.integrity`)."""
        from safety_tui.incidents.integrity import verify_log

        return verify_log(self, head, council=council)
