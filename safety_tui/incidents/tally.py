"""Today's line about the incident log: reports still to make and people to consider. Core: no Textual.

Linear in the size of the log: every incident's to-dos depend on the incident alone, and the
people are grouped once (:class:`~safety_tui.incidents.prompts.PersonIndex`). Today counts it in
its worker thread, on its own read-only connection, and again only after the log changed
(:class:`safety_tui.today.snapshot.TodayReader`).
"""

from __future__ import annotations

from dataclasses import dataclass

from safety_tui.incidents.model import Incident
from safety_tui.incidents.prompts import PersonIndex, outstanding
from safety_tui.incidents.routes import Routes


@dataclass(frozen=True)
class IncidentTally:
    reports: int  # reports not yet made (to-dos)
    incidents: int  # the incidents they are for
    people: int  # named people with enough incidents that count to ask 5.5.5's question

    def line(self) -> str:
        """One line for Today, or '' when there is nothing to do."""
        parts = []
        if self.reports:
            parts.append(f"{_count(self.reports, 'report')} not yet made for {_count(self.incidents, 'incident')}")
        if self.people:
            parts.append(f"a question to consider (harassment?) about {_count(self.people, 'person', 'people')}")
        text = "; ".join(parts) + ": press I to see them."
        return text[0].upper() + text[1:] if parts else ""


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def tally(incidents: list[Incident], routes: Routes) -> IncidentTally:
    todo = outstanding(incidents, routes)
    people = PersonIndex.of(incidents).pattern_people()
    return IncidentTally(len(todo), len({i.id for i, _ in todo}), len(people))
