"""What the incident screens show, computed in one go by a worker thread. Core: no Textual.

:func:`read_list` gives the Incidents screen everything it shows (the integrity line, every
incident's row, the pattern lines, the reports still to make), read once; the screen filters it in
memory as a person types (:meth:`IncidentList.matching`), never reading the log again per key.
:func:`read_timeline` gives one incident's timeline with its prompts. Both results are immutable:
the worker hands them to the UI thread, which only renders them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from safety_tui.common.errors import SafetyError
from safety_tui.incidents.model import Incident, normalise
from safety_tui.incidents.prompts import Prompt, is_done, outstanding, pattern_line, prompts_for
from safety_tui.incidents.reading import summarise_people
from safety_tui.incidents.wording import short_when

if TYPE_CHECKING:
    from safety_tui.incidents.log import IncidentLog
    from safety_tui.incidents.routes import Routes


@dataclass(frozen=True)
class ListRow:
    """One incident's row on the Incidents screen (the texts as typed: the screen shows them literally)."""

    id: int
    happened: str
    flag: str
    """'pattern' when one of its people raises the harassment question, else ''."""
    who: str
    category: str
    keys: tuple[str, ...]
    """Each person's name as the filter compares it (normalised)."""

    def matches(self, wanted: str) -> bool:
        return not wanted or any(wanted in key for key in self.keys)


PATTERNS_SHOWN = 2  # pattern lines over the list (three screen lines each); more are counted in one line
TODO_IDS_NAMED = 8  # incident numbers the to-do line names; more are counted

# However long the log, the lines over the list stay a few: the filter and the list keep their room
# on an 80x24 terminal (a thousand reports to make once pushed both off the screen).


@dataclass(frozen=True)
class PatternLine:
    """One person's pattern question, with their name as the filter compares it."""

    key: str
    text: str


@dataclass(frozen=True)
class IncidentList:
    """Everything the Incidents screen shows, as read at one moment."""

    integrity: str
    """'' when the log passes its check, else the one-line warning (shown even when nothing else can be read)."""
    rows: tuple[ListRow, ...] = ()
    """Newest first, as on screen."""
    patterns: tuple[PatternLine, ...] = ()
    todo: str = ""
    unreadable: SafetyError | None = field(default=None, compare=False)
    """The core's refusal when the incidents could not be read (the screen's error boundary shows it)."""

    def matching(self, text: str) -> tuple[ListRow, ...]:
        """The rows whose people match ``text`` as typed in the filter (all of them for '')."""
        wanted = normalise(text)
        return self.rows if not wanted else tuple(row for row in self.rows if row.matches(wanted))

    def summary(self, text: str) -> str:
        """The lines over the list: how many (with that person), the patterns of the people matching
        (at most PATTERNS_SHOWN, then how many more), the reports still to make."""
        wanted = normalise(text)
        lines = [
            f"{len(self.matching(text))} incident(s)" + (" with that person" if wanted else "") + ". n records one."
        ]
        patterns = [p.text for p in self.patterns if not wanted or wanted in p.key]
        lines += patterns[:PATTERNS_SHOWN]
        if len(patterns) > PATTERNS_SHOWN:
            lines.append(
                f"And {len(patterns) - PATTERNS_SHOWN} more people with a pattern: their incidents are flagged "
                "'pattern' below; type a name to see theirs."
            )
        if self.todo:
            lines.append(self.todo)
        return "\n".join(lines)


def read_list(log: IncidentLog, routes: Routes) -> IncidentList:
    """The integrity check (the chain, times and names; not the evidence files), then every incident."""
    from safety_tui.incidents.integrity import log_status

    integrity = log_status(log, files=False)[1]
    try:
        incidents = log.incidents()
    except SafetyError as error:  # a log edited by hand: the integrity line still shows
        return IncidentList(integrity, unreadable=error)
    people = summarise_people(incidents)
    pattern_ids = {s.person.id for s in people if s.pattern}
    rows = tuple(
        ListRow(
            incident.id,
            short_when(incident.happened_at, incident.tz),
            "pattern" if any(p.id in pattern_ids for p in incident.people) else "",
            incident.who[:30],
            incident.category.label,
            tuple(p.key for p in incident.people),
        )
        for incident in reversed(incidents)  # newest first on screen
    )
    patterns = tuple(
        PatternLine(s.person.key, f"Pattern: {pattern_line(s.person.label, s.counting)}.") for s in people if s.pattern
    )
    todo = outstanding(incidents, routes)
    line = ""
    if todo:
        ids = list(dict.fromkeys(str(i.id) for i, _ in todo))
        named = ", ".join(ids[:TODO_IDS_NAMED])
        if len(ids) > TODO_IDS_NAMED:
            named += f" and {len(ids) - TODO_IDS_NAMED} more"
        line = f"To do: {len(todo)} report(s) not yet made, for incident(s) {named}. Enter shows what."
    return IncidentList(integrity, rows, patterns, line)


@dataclass(frozen=True)
class Timeline:
    """One incident as its timeline shows it."""

    incident: Incident
    prompts: tuple[tuple[Prompt, bool], ...]
    """What to do, most urgent first, each with whether it is done (none for a deleted incident)."""
    data_dir: Path
    """Where the store keeps its evidence copies."""

    @property
    def card(self) -> str:
        """The quick-reference card a prompt points to, or ''."""
        return next((prompt.card for prompt, _ in self.prompts if prompt.card), "")


def read_timeline(log: IncidentLog, incident_id: int, routes: Routes) -> Timeline:
    incident = log.get(incident_id)
    prompts: tuple[tuple[Prompt, bool], ...] = ()
    if incident.deleted_at is None:
        prompts = tuple((p, is_done(incident, p)) for p in prompts_for(incident, log.incidents(), routes))
    return Timeline(incident, prompts, log.data_dir)
