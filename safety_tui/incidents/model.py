"""What an incident record holds, in plain words. Core: no Textual, no pydantic.

The words and the guidance sections come from the council's intimidation
guidance (sections 1.2, 2.2.2, 2.10, 4 and 5); each category carries one line
that says what it means and where the guidance says so
(:mod:`safety_tui.incidents.guidance_words`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from safety_tui.common.errors import SafetyError
from safety_tui.incidents.guidance_words import CATEGORY_WORDS


class IncidentError(SafetyError, ValueError):
    """A rule of the incident log was broken; the message says which, for a person."""


class IncidentNotFound(IncidentError, LookupError):
    """No incident (or person) by that id or name."""


class EvidenceError(IncidentError):
    """An evidence file could not be read or kept; the message says which and why."""


class Channel(str, Enum):
    IN_PERSON = "in-person"
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    SOCIAL_MEDIA = "social-media"
    AT_HOME = "at-home"
    PROPERTY_DAMAGE = "property-damage"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "In person",
    Channel.PHONE: "Phone call",
    Channel.LETTER: "Letter",
    Channel.EMAIL: "E-mail",
    Channel.SOCIAL_MEDIA: "Social media",
    Channel.AT_HOME: "At your home",
    Channel.PROPERTY_DAMAGE: "Damage to property",
    Channel.OTHER: "Other or not yet said",
}


class Category(str, Enum):
    THREAT = "threat"
    THREATENING = "threatening"
    ASSAULT = "assault"
    DAMAGE = "damage"
    HARASSMENT = "harassment"
    HATE = "hate"
    MALICIOUS = "malicious-communication"
    ABUSIVE = "abusive"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_WORDS[self.value][0]

    @property
    def explanation(self) -> str:
        return CATEGORY_WORDS[self.value][1]

    @property
    def section(self) -> str:
        return CATEGORY_WORDS[self.value][2]


class ActionKind(str, Enum):
    COUNCIL = "council"
    POLICE = "police"
    PLATFORM = "platform"
    REGISTER = "register"
    WARNING = "warning"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[ActionKind, str] = {
    ActionKind.COUNCIL: "Reported to the council or its nominated officer",
    ActionKind.POLICE: "Reported to the police",
    ActionKind.PLATFORM: "Reported to the platform",
    ActionKind.REGISTER: "Violent-persons register checked or added",
    ActionKind.WARNING: "Warning given",
    ActionKind.BLOCKED: "Muted or blocked",
}

# Fields an incident holds (besides people), all plain text; "what" is the only one needed.
TEXT_FIELDS = (
    "what",
    "where",
    "exact_words",
    "witnesses",
    "effect",
    "platform",
    "link",
    "description",
    "vehicle",
    "plate",
    "calling_number",
    "plan",
)
MAX_TEXT = 20_000
PATTERN_THRESHOLD = 2  # "conduct which occurs on at least two occasions" (guidance 5.5.5): defined once
# Only these count towards the pattern question: "other" (anything that caused concern) and
# "abusive" (none of the above) are not conduct the guidance's tests are about.
PATTERN_CATEGORIES = frozenset(set(Category) - {Category.OTHER, Category.ABUSIVE})
MAX_PEOPLE = 50

# A person given by a description, not a name, starts with one of these words ("a man", "woman in a
# red coat", "unknown caller"): two such people are never taken to be the same person.
DESCRIPTION_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "some",
        "someone",
        "somebody",
        "unknown",
        "anonymous",
        "unnamed",
        "man",
        "woman",
        "men",
        "women",
        "person",
        "people",
        "boy",
        "girl",
        "youth",
        "youths",
        "group",
        "caller",
        "driver",
        "cyclist",
        "resident",
        "neighbour",
        "member",
        "two",
        "three",
        "several",
    }
)


def normalise(text: str) -> str:
    """The key that groups repeats: case, punctuation and spacing do not matter."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@dataclass(frozen=True)
class Person:
    id: int
    label: str
    described: bool = False  # True: a description ("man in a red cap"), not a name

    @property
    def key(self) -> str:
        return normalise(self.label)

    @property
    def named(self) -> bool:
        """A name, not a description: only named people are grouped across incidents."""
        return not self.described and not looks_like_description(self.label)


def looks_like_description(label: str) -> bool:
    """'a man', 'Woman in a red coat', 'unknown caller': a description, whatever box it was typed in."""
    words = normalise(label).split()
    return not words or words[0] in DESCRIPTION_WORDS


@dataclass(frozen=True)
class Evidence:
    name: str  # the original file name, as given
    sha256: str
    size: int
    stored: str  # the file's name in the store's evidence folder
    added_at: datetime
    recorder: str


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    on: date
    reference: str
    note: str
    recorded_at: datetime
    recorder: str

    @property
    def label(self) -> str:
        return self.kind.label


@dataclass(frozen=True)
class Revision:
    """One entry of the record, as appended: never rewritten."""

    seq: int
    kind: str  # created, amended, action, evidence, dismissed, deleted
    recorded_at: datetime
    recorder: str
    summary: str
    hash: str
    replaced: tuple[tuple[str, str, str], ...] = ()  # an amendment's (field, what it was, what it became)


@dataclass
class Incident:
    id: int
    happened_at: datetime  # aware, UTC
    tz: str
    recorded_at: datetime  # when it was first recorded: fixed
    recorder: str
    channel: Channel = Channel.OTHER
    category: Category = Category.OTHER
    people: list[Person] = field(default_factory=list)
    what: str = ""
    where: str = ""
    exact_words: str = ""
    witnesses: str = ""
    effect: str = ""
    platform: str = ""
    link: str = ""
    description: str = ""
    vehicle: str = ""
    plate: str = ""
    calling_number: str = ""
    plan: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    dismissed: set[str] = field(default_factory=set)
    revisions: list[Revision] = field(default_factory=list)
    deleted_at: datetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def happened_local(self) -> datetime:
        return self.happened_at.astimezone(self.zone)

    @property
    def who(self) -> str:
        return ", ".join(p.label for p in self.people) or "unknown"

    def has_action(self, kind: ActionKind) -> bool:
        return any(a.kind is kind for a in self.actions)

    @property
    def counts_towards_pattern(self) -> bool:
        return self.deleted_at is None and self.category in PATTERN_CATEGORIES


@dataclass(frozen=True)
class PersonSummary:
    person: Person
    count: int
    last: datetime | None
    categories: list[Category]
    counting: int = 0  # incidents whose category counts towards the pattern question (PATTERN_CATEGORIES)

    @property
    def pattern(self) -> bool:
        """A named person with at least two incidents that count: the 5.5.5 question is worth asking.
        Never a police to-do by itself: a count is only the first of 5.5.5's conditions."""
        return self.person.named and self.counting >= PATTERN_THRESHOLD
