"""Reading the incident log: each incident folded from its entries, the people, a person by name. Core: no Textual.

The names come from the chained entries, never from the person table (only an
index for recording), so a name changed in the table by hand changes no pack.
"""

from __future__ import annotations

from typing import Any, Callable

from safety_tui.common.errors import StoreError
from safety_tui.incidents.fold import Entry, fold
from safety_tui.incidents.model import Category, Incident, IncidentNotFound, Person, PersonSummary, normalise

Rows = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]
"""Runs one SELECT with its arguments and returns the rows (the log's guarded read)."""


class LogReader:
    """The read side of :class:`~safety_tui.incidents.log.IncidentLog`: it holds the log's ``rows``
    function (which knows whether the tables exist and turns a SQLite error into a StoreError)."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows

    def entries(self, incident_id: int | None = None) -> list[Entry]:
        sql = "SELECT seq, incident_id, kind, recorded_utc, recorder, body, hash FROM incident_entries"
        args: tuple[Any, ...] = ()
        if incident_id is not None:
            sql += " WHERE incident_id = ?"
            args = (incident_id,)
        return [Entry(*row) for row in self.rows(sql + " ORDER BY seq", args)]

    def get(self, incident_id: int) -> Incident:
        entries = self.entries(incident_id)
        if not entries or entries[0].kind != "created":
            raise IncidentNotFound(f"no incident {incident_id}")
        return _fold(entries)

    def incidents(self, *, include_deleted: bool = False, person: Person | None = None) -> list[Incident]:
        """Every incident, in the order they happened (then recorded)."""
        grouped: dict[int, list[Entry]] = {}
        for entry in self.entries():
            grouped.setdefault(entry.incident_id, []).append(entry)
        found = [_fold(entries) for entries in grouped.values() if entries[0].kind == "created"]
        if not include_deleted:
            found = [i for i in found if i.deleted_at is None]
        if person is not None:
            found = [i for i in found if any(p.id == person.id for p in i.people)]
        return sorted(found, key=lambda i: (i.happened_at, i.recorded_at, i.id))

    def people(self) -> list[PersonSummary]:
        """Each person with their incident count, most incidents first."""
        return summarise_people(self.incidents())

    def find_person(self, text: str) -> Person:
        """A person by name, as the chained entries name them (the person table is only an index)."""
        key = normalise(text)
        for summary in self.people():
            if summary.person.key == key:
                return summary.person
        raise IncidentNotFound("no person by that name in the incident log")


def summarise_people(incidents: list[Incident]) -> list[PersonSummary]:
    """Each person named in ``incidents`` (the log's, not deleted) with their count, most incidents first."""
    by_person: dict[int, list[Incident]] = {}
    persons: dict[int, Person] = {}
    for incident in incidents:
        for person in incident.people:
            by_person.setdefault(person.id, []).append(incident)
            persons[person.id] = person
    summaries = [
        PersonSummary(
            persons[pid],
            len(items),
            max(i.happened_at for i in items),
            _unique([i.category for i in items]),
            sum(1 for i in items if i.counts_towards_pattern),
        )
        for pid, items in by_person.items()
    ]
    return sorted(summaries, key=lambda s: (-s.count, s.person.key))


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
