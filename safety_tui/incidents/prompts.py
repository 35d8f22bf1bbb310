"""What to do after an incident is recorded: the guidance's words, each with its section. Core.

``prompts_for`` is a pure function of the incident, the other incidents and the
council's routes. A prompt that names a report to make (``todo``) stays on
Today until an action that clears it is recorded or the prompt is dismissed.
Reports come only from what the incident is (its category, its channel), never
from a count: a repeat is a question to consider (guidance 5.5.5), not a to-do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safety_tui.incidents.model import PATTERN_THRESHOLD, ActionKind, Category, Channel, Incident, Person
from safety_tui.incidents.routes import Routes

POLICE_NOW = {Category.THREAT, Category.ASSAULT, Category.DAMAGE}
WRITTEN = {Channel.LETTER, Channel.EMAIL}
ONLINE = {Channel.SOCIAL_MEDIA, Channel.EMAIL}
ONLINE_CARD = "online-attack"  # the quick-reference card for abuse online
GENERIC_PLATFORM = "any other platform"  # the bundled routes.yaml's line for a platform it does not list

PATTERN_QUESTION = (
    "Could this be harassment? The courts ask whether there is conduct which occurs on at least two occasions, "
    "which is targeted at the individual, which is calculated in an objective sense to cause alarm or distress, and "
    "which is objectively judged to be oppressive and unacceptable (which may depend on the social or working "
    'context in which it occurs); "a line is to be drawn between conduct which '
    'is unattractive and unreasonable" and the "torment" of the victim (5.5.5). Action "will depend upon the '
    'circumstances" (5.4.4), and it is for you to decide upon the action which is taken (5.5.6). If you think it '
    'is harassment or stalking, that "would also require police involvement" (5.4.3).'
)


def pattern_line(name: str, count: int) -> str:
    """One line for the lists (the Incidents screen, ``safety-tui incidents``): a question, not a to-do."""
    return (
        f"{count} incidents with {name} (threats, assault, damage, harassment, hate or malicious messages): "
        "could this be harassment? Consider 5.5.5's conditions (open an incident to read them); "
        "the action is yours to decide (guidance 5.5.5, 5.5.6)"
    )


@dataclass(frozen=True)
class Prompt:
    key: str  # stable: used to dismiss it
    text: str
    section: str  # the guidance section it comes from
    todo: ActionKind | None = None  # the report that clears it, if it is a to-do
    also_cleared_by: tuple[ActionKind, ...] = ()  # other reports that clear it too
    card: str = ""  # the id of a quick-reference card that says more

    @property
    def cleared_by(self) -> tuple[ActionKind, ...]:
        return ((self.todo,) if self.todo is not None else ()) + self.also_cleared_by

    def line(self) -> str:
        return f"{self.text} (guidance {self.section})"


@dataclass
class PersonIndex:
    """Live incidents by named person, built once for a whole log (linear): people recorded only by a
    description ("a man") are never grouped, so they are not in it."""

    by_person: dict[int, list[Incident]] = field(default_factory=dict)
    persons: dict[int, Person] = field(default_factory=dict)

    @classmethod
    def of(cls, incidents: list[Incident]) -> PersonIndex:
        index = cls()
        for incident in incidents:
            if incident.deleted_at is None:
                for person in incident.people:
                    if person.named:
                        index.by_person.setdefault(person.id, []).append(incident)
                        index.persons[person.id] = person
        for items in index.by_person.values():
            items.sort(key=lambda i: (i.happened_at, i.id))
        return index

    def with_person(self, incident: Incident, person: Person) -> list[Incident]:
        """Every incident with this person, ``incident`` included, oldest first."""
        items = self.by_person.get(person.id, [])
        if any(i.id == incident.id for i in items):
            return items
        return sorted(items + [incident], key=lambda i: (i.happened_at, i.id))

    def pattern_people(self) -> list[tuple[Person, int]]:
        """Named people with at least two incidents that count towards the 5.5.5 question, most first."""
        out = []
        for person_id, items in self.by_person.items():
            counting = sum(1 for i in items if i.counts_towards_pattern)
            if counting >= PATTERN_THRESHOLD:
                out.append((self.persons[person_id], counting))
        return sorted(out, key=lambda pair: (-pair[1], pair[0].key))


def _ordinal(n: int) -> str:
    return {2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")


def _count_words(incident: Incident, items: list[Incident], name: str) -> str:
    if items[-1].id == incident.id:
        return f"This is the {_ordinal(len(items))} incident with {name} of a kind that counts."
    return f"{len(items)} incidents with {name} of a kind that counts are recorded."


def repeats(incident: Incident, others: list[Incident], index: PersonIndex | None = None) -> dict[str, list[Incident]]:
    """For each named person in ``incident``: every incident with them (this one included), oldest first."""
    index = index or PersonIndex.of(others)
    return {p.label: index.with_person(incident, p) for p in incident.people if p.named}


def _protocol(routes: Routes) -> str:
    """The local police protocol (5.6.3), where the council's routes give one."""
    return f" {routes.police_protocol} (5.6.3)" if routes.police_protocol else ""


def _support(routes: Routes) -> str:
    """Party support and support lines with their numbers, where the council's routes give them."""
    contacts = [c.line() for c in routes.party_support] + [c.line() for c in routes.support_lines]
    return f" Support: {'; '.join(contacts)}." if contacts else ""


def _platform_route(incident: Incident, routes: Routes) -> str:
    where = routes.platform(incident.platform) if incident.platform else None
    where = where or routes.platform(GENERIC_PLATFORM)
    if where is not None and where.report_url:
        return f" Report it to {where.name}: {where.report_url}."
    if where is not None and where.note:
        return f" {where.note}"
    return " Use the report option on the post, message or profile."


def _reports(incident: Incident, routes: Routes) -> list[Prompt]:
    """The prompts that come from what this incident is (its category and channel): every to-do is here."""
    prompts: list[Prompt] = []
    if incident.category in POLICE_NOW:
        prompts.append(
            Prompt(
                "police",
                f"Report this to the police now: ring {routes.emergency} if you are in danger, otherwise "
                f"{routes.police_non_emergency}. Review your own safety and your family's.{_protocol(routes)}",
                "5.4.2",
                ActionKind.POLICE,
            )
        )
    if incident.category is Category.HATE:
        prompts.append(
            Prompt(
                "hate",
                "A hate incident or crime: you have a duty to report it, to the council or to the police; you can "
                "decide if you want to inform the police.",
                "2.10.2, 2.3.2",
                ActionKind.COUNCIL,
                (ActionKind.POLICE,),
            )
        )
    if incident.category is Category.THREATENING:
        prompts.append(
            Prompt(
                "threatening",
                "You can decide if you want to inform the police. If you think there are threats to your personal "
                f"safety or security, you can ask the police for advice: {routes.police_non_emergency}, or "
                f"{routes.emergency} if you are in danger.",
                "2.3.2, 4.3.3",
            )
        )
    if incident.category is Category.HARASSMENT:
        prompts.append(
            Prompt(
                "harassment",
                'You recorded this as harassment or stalking: that "would also require police involvement, '
                f'particularly if there were a number of occurrences". Police: {routes.police_non_emergency}, or '
                f"{routes.emergency} if you are in danger.{_protocol(routes)}",
                "5.4.3",
                ActionKind.POLICE,
            )
        )
    officer = routes.nominated_officer.line()
    services = f" (or member services: {routes.member_services.line()})" if routes.member_services else ""
    prompts.append(
        Prompt(
            "council",
            f"Report it to the council, even if it is not serious enough for the police: {officer}{services}.",
            "2.10.1",
            ActionKind.COUNCIL,
        )
    )
    if incident.channel is Channel.SOCIAL_MEDIA or incident.platform:
        abusive = incident.category is not Category.OTHER
        prompts.append(
            Prompt(
                "online",
                "If it is abusive, intimidatory or threatening, keep a record (a screenshot) and report it to the social "
                f"media platform and to the police ({routes.police_non_emergency}).{_platform_route(incident, routes)} "
                "You can also post that you find it abusive, if you want to highlight it.",
                "4.3.3",
                ActionKind.PLATFORM if abusive else None,
                (ActionKind.POLICE,) if abusive else (),
                ONLINE_CARD,
            )
        )
    elif incident.channel in ONLINE:
        prompts.append(
            Prompt(
                "online",
                "Copy or save the e-mail. A message that is indecent, grossly offensive, obscene or threatening or "
                f"menacing can be an offence on its own: you can report it to the police ({routes.police_non_emergency}).",
                "1.2.1, 4.5.5",
                card=ONLINE_CARD,
            )
        )
    return prompts


def prompts_for(
    incident: Incident, others: list[Incident], routes: Routes, *, index: PersonIndex | None = None
) -> list[Prompt]:
    """Every prompt for this incident, most urgent first. ``index`` (built once for the whole log)
    saves regrouping ``others`` for each incident."""
    prompts = _reports(incident, routes)
    people = repeats(incident, others, index)
    if incident.counts_towards_pattern:
        for name, items in people.items():
            counting = [i for i in items if i.counts_towards_pattern]
            if len(counting) >= PATTERN_THRESHOLD:
                at = next((n for n, p in enumerate(prompts) if p.key == "council"), len(prompts))
                prompts.insert(
                    at,
                    Prompt(
                        "pattern",
                        f"{_count_words(incident, counting, name)} {PATTERN_QUESTION}",
                        "5.5.5, 5.4.4, 5.5.6, 5.4.3",
                    ),
                )
                break
    if (
        incident.channel in WRITTEN
        and incident.category is not Category.OTHER
        and any(
            len([i for i in items if i.channel in WRITTEN and i.category is not Category.OTHER]) >= 2
            for items in people.values()
        )
    ):
        prompts.append(
            Prompt(
                "letters",
                "If the letters or emails continue, further steps may need to be considered, such as advising the "
                "individual that such abuse will result in a referral to the police and the stopping of further "
                "correspondence.",
                "1.2.1",
            )
        )
    if incident.channel in ONLINE or incident.platform:
        prompts.append(
            Prompt(
                "evidence-first",
                "Before you mute or block them, save the evidence (screenshots, links, the sender's address): "
                "a blocked account's messages can be harder to find.",
                "4.2.1, 4.3.3",
            )
        )
    if incident.category in POLICE_NOW or incident.category is Category.HARASSMENT:
        prompts.append(
            Prompt(
                "register",
                "Ask the council whether they are on its violent-persons register, and to add them if not.",
                "1.2.1",
            )
        )
    if incident.effect.strip():
        prompts.append(
            Prompt(
                "support",
                "If this is affecting your sleep, eating or daily routine, or worrying you, speak to your GP; "
                f"the council ({routes.nominated_officer.line()}) and your party can support you too.{_support(routes)}",
                "1.4.1",
            )
        )
    return prompts


def is_done(incident: Incident, prompt: Prompt) -> bool:
    """A to-do is done once an action that clears it is recorded, or it was dismissed."""
    return prompt.todo is not None and (
        any(incident.has_action(kind) for kind in prompt.cleared_by) or prompt.key in incident.dismissed
    )


def todos(incident: Incident, routes: Routes) -> list[Prompt]:
    """The reports not yet made for this incident (neither done nor dismissed). They depend on the
    incident alone, never on how many others there are."""
    if incident.deleted_at is not None:
        return []
    return [p for p in _reports(incident, routes) if p.todo is not None and not is_done(incident, p)]


def outstanding(incidents: list[Incident], routes: Routes) -> list[tuple[Incident, Prompt]]:
    """Every report still to make, across the log, oldest incident first: for Today. Linear."""
    return [(i, p) for i in incidents for p in todos(i, routes)]
