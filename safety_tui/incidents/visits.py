"""Incidents joined to visit plans: the risk before a visit, the debrief after. Core: no Textual.

Plain values in, plain values out (no plan model import), so Review, the check-in
debrief and the CLI can all use the same rules:

- :func:`earlier_incidents`: a plan's place or person matches earlier incidents
  (normalised address or name) -> "2 incidents with this person, last 3 Nov: threat",
  with the advice of 2.4.2 for a home visit (the only visit 2.4.2 is about).
- :func:`form_from_plan`: a new incident's form filled in from the plan (time, place, person).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from safety_tui.incidents.model import Incident, normalise

HOME_VISIT = "home-visit"
NEUTRAL_VENUE_ADVICE = (
    "It is for you to decide whether this home visit should be made; if you have any doubts about the safety of "
    "the premises and the purpose of the visit is not about the premises itself, arrange for the meeting to take "
    "place at a neutral venue (guidance 2.4.2)."
)


@dataclass(frozen=True)
class EarlierIncidents:
    matched: str  # "this person (John Smith)" or "this place"
    incidents: list[Incident]
    advice: str = ""  # the neutral-venue advice of 2.4.2, for a home visit only

    def line(self) -> str:
        last = self.incidents[-1]
        when = f"{last.happened_local:%d %b %Y}".lstrip("0")
        kinds = ", ".join(dict.fromkeys(i.category.label.lower() for i in reversed(self.incidents)))
        count = len(self.incidents)
        advice = f" {self.advice}" if self.advice else ""
        return f"{count} incident{'s' if count != 1 else ''} with {self.matched}, last {when}: {kinds}.{advice}"


def _contains_words(haystack: str, needle: str) -> bool:
    return bool(needle) and f" {needle} " in f" {haystack} "


def earlier_incidents(
    incidents: list[Incident],
    *,
    location: str = "",
    title: str = "",
    people: list[str] | None = None,
    visit_type: str = "",
) -> list[EarlierIncidents]:
    """What the log says about this visit's place and people, oldest incident first in each.
    A person recorded only by a description ("a man") is matched only when the plan names them."""
    place = normalise(location)
    named = [normalise(p) for p in people or [] if normalise(p)]
    heading = normalise(title)
    found: list[EarlierIncidents] = []
    advice = NEUTRAL_VENUE_ADVICE if visit_type == HOME_VISIT else ""
    live = [i for i in incidents if i.deleted_at is None]
    by_person: dict[int, list[Incident]] = {}
    labels: dict[int, str] = {}
    for incident in live:
        for person in incident.people:
            if person.key in named or (person.named and _contains_words(heading, person.key)):
                by_person.setdefault(person.id, []).append(incident)
                labels[person.id] = person.label
    for person_id, items in by_person.items():
        found.append(
            EarlierIncidents(f"this person ({labels[person_id]})", sorted(items, key=lambda i: i.happened_at), advice)
        )
    if place:
        at_place = [i for i in live if normalise(i.where) == place]
        if at_place:
            found.append(EarlierIncidents("this place", sorted(at_place, key=lambda i: i.happened_at), advice))
    return found


def people_in_title(incidents: list[Incident], title: str) -> list[str]:
    """Named people of earlier incidents whose name is in a plan's title: who the debrief's incident is probably about."""
    heading = normalise(title)
    labels = {
        p.key: p.label
        for i in incidents
        if i.deleted_at is None
        for p in i.people
        if p.named and _contains_words(heading, p.key)
    }
    return list(labels.values())


def form_from_plan(
    *,
    ref: str,
    location: str,
    start: datetime | None,
    finish: datetime | None,
    tz: str,
    now: datetime,
    people: list[str] | None = None,
) -> dict[str, str]:
    """The debrief's "Did anything worrying happen? Yes": a new incident filled in from the plan."""
    moment = start or finish or now
    moment = min(moment, now)
    local = moment.astimezone(ZoneInfo(tz))
    return {
        "what": "",
        "when": f"{local:%Y-%m-%d %H:%M}",
        "people": "; ".join(people or []),
        "channel": "in-person",
        "category": "other",
        "where": location,
        "plan": ref,
    }


def earlier_incident_lines(incidents: list[Incident], *, location: str, title: str, visit_type: str) -> list[str]:
    """For Review's risks: one line per earlier incident at this place or with this visit's person (2.4.2)."""
    found = earlier_incidents(incidents, location=location, title=title, visit_type=visit_type)
    return [note.line() for note in found]
