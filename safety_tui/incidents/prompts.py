"""What to do after an incident is recorded: plain words, each with its guidance section. Core.

``prompts_for`` is a pure function of the incident, the other incidents and the
council's routes. A prompt that names a report to make (``todo``) stays on
Today until an action of that kind is recorded or the prompt is dismissed.
"""

from __future__ import annotations

from dataclasses import dataclass

from safety_tui.incidents.model import PATTERN_THRESHOLD, ActionKind, Category, Channel, Incident
from safety_tui.incidents.routes import Routes

POLICE_NOW = {Category.THREAT, Category.ASSAULT, Category.DAMAGE}
WRITTEN = {Channel.LETTER, Channel.EMAIL}
ONLINE = {Channel.SOCIAL_MEDIA, Channel.EMAIL}


@dataclass(frozen=True)
class Prompt:
    key: str  # stable: used to dismiss it
    text: str
    section: str  # the guidance section it comes from
    todo: ActionKind | None = None  # the report that clears it, if it is a to-do

    def line(self) -> str:
        return f"{self.text} (guidance {self.section})"


def _ordinal(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")


def _count_words(incident: Incident, items: list[Incident], name: str) -> str:
    if items[-1].id == incident.id:
        return f"This is the {_ordinal(len(items))} incident with {name}."
    return f"{len(items)} incidents with {name} are recorded."


def repeats(incident: Incident, others: list[Incident]) -> dict[str, list[Incident]]:
    """For each person in ``incident``: every incident with them (this one included), oldest first."""
    out: dict[str, list[Incident]] = {}
    for person in incident.people:
        same = [i for i in others if i.id != incident.id and i.deleted_at is None and any(p.id == person.id for p in i.people)]
        out[person.label] = sorted(same + [incident], key=lambda i: (i.happened_at, i.id))
    return out


def _protocol(routes: Routes) -> str:
    """The local police protocol (5.6.3), where the council's routes give one."""
    return f" {routes.police_protocol} (5.6.3)" if routes.police_protocol else ""


def _support(routes: Routes) -> str:
    """Party support and support lines with their numbers, where the council's routes give them."""
    contacts = [c.line() for c in routes.party_support] + [c.line() for c in routes.support_lines]
    return f" Support: {'; '.join(contacts)}." if contacts else ""


def prompts_for(incident: Incident, others: list[Incident], routes: Routes) -> list[Prompt]:
    """Every prompt for this incident, most urgent first."""
    prompts: list[Prompt] = []
    if incident.category in POLICE_NOW:
        prompts.append(Prompt(
            "police",
            f"Report this to the police now: ring {routes.emergency} if you are in danger, otherwise "
            f"{routes.police_non_emergency}. Review your own safety and your family's.{_protocol(routes)}",
            "5.4.2", ActionKind.POLICE,
        ))
    if incident.category is Category.HATE:
        prompts.append(Prompt(
            "hate", "A hate incident: you have a duty to report it (to the police, or through the council).",
            "2.10.2", ActionKind.POLICE,
        ))
    police_asked = any(p.todo is ActionKind.POLICE for p in prompts)
    for name, items in repeats(incident, others).items():
        if len(items) >= PATTERN_THRESHOLD:
            prompts.append(Prompt(
                "pattern",
                f"{_count_words(incident, items, name)} Conduct on at least two occasions "
                "may be harassment, and the police should be involved.",
                "5.5.5, 5.4.3", None if police_asked else ActionKind.POLICE,
            ))
            break
    if incident.category is Category.HARASSMENT and not any(p.key == "pattern" for p in prompts):
        prompts.append(Prompt(
            "pattern", "Harassment and stalking need the police, especially when it has happened more than once.",
            "5.4.3", None if police_asked else ActionKind.POLICE,
        ))
    officer = routes.nominated_officer.line()
    services = f" (or member services: {routes.member_services.line()})" if routes.member_services else ""
    prompts.append(Prompt(
        "council", f"Report it to the council, even if it is not serious enough for the police: {officer}{services}.",
        "2.10.1", ActionKind.COUNCIL,
    ))
    if incident.channel in WRITTEN and any(
        len([i for i in items if i.channel in WRITTEN]) >= 2 for items in repeats(incident, others).values()
    ):
        prompts.append(Prompt(
            "letters",
            "The letters or e-mails are continuing: you may tell the sender that further abuse will be referred to "
            "the police and that correspondence will stop.",
            "1.2.1",
        ))
    if incident.channel in ONLINE or incident.platform:
        where = routes.platform(incident.platform)
        report = f" Report it to {where.name}: {where.report_url}." if where and where.report_url else ""
        prompts.append(Prompt(
            "evidence-first",
            "Before you mute or block them, save the evidence (screenshots, links, the sender's address): "
            f"a blocked account's messages can be harder to find.{report}",
            "4.2.1, 4.4.1",
        ))
    if incident.category in POLICE_NOW or incident.category is Category.HARASSMENT:
        prompts.append(Prompt(
            "register",
            "Ask the council whether they are on its violent-persons register, and to add them if not.",
            "1.2.1",
        ))
    if incident.effect.strip():
        prompts.append(Prompt(
            "support",
            "If this is affecting your sleep, eating or daily routine, or worrying you, speak to your GP; "
            f"the council ({routes.nominated_officer.line()}) and your party can support you too.{_support(routes)}",
            "1.4.1",
        ))
    return prompts


def is_done(incident: Incident, prompt: Prompt) -> bool:
    """A to-do is done once an action of its kind is recorded, or it was dismissed."""
    return prompt.todo is not None and (incident.has_action(prompt.todo) or prompt.key in incident.dismissed)


def todos(incident: Incident, others: list[Incident], routes: Routes) -> list[Prompt]:
    """The reports not yet made for this incident (neither done nor dismissed)."""
    if incident.deleted_at is not None:
        return []
    return [
        p for p in prompts_for(incident, others, routes) if p.todo is not None and not is_done(incident, p)
    ]


def outstanding(incidents: list[Incident], routes: Routes) -> list[tuple[Incident, Prompt]]:
    """Every report still to make, across the log, oldest incident first: for Today."""
    return [(i, p) for i in incidents for p in todos(i, incidents, routes)]
