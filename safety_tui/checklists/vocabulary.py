"""The words safety-tui stores: visit and travel kinds, item types, answers. Core: no Textual, no pydantic.

Enum values are written to databases and YAML files: never change a value,
only add new ones (labels may change freely).
"""

from __future__ import annotations

from enum import Enum


class VisitType(str, Enum):
    """What a checklist applies to. A plan has exactly one of the visit kinds."""

    SURGERY = "surgery"
    HOME_VISIT = "home-visit"
    MEETING = "meeting"
    DEMONSTRATION = "demonstration"
    TRAVEL = "travel"
    CALLER_AT_HOME = "caller-at-home"
    HOME_SECURITY = "home-security"
    PHONE_CALL = "phone-call"
    OTHER = "other"
    REVIEW = "review"  # a periodic review (home security, online footprint), not a visit
    CARD = "card"  # a quick-reference card for what cannot be planned, not a visit


# The kinds of visit a plan can have, in the order the wizard offers them. Reviews and cards are
# not visits; home-security and phone-call stay only so that stored data keeps loading.
PLAN_VISIT_TYPES = [
    VisitType.SURGERY,
    VisitType.HOME_VISIT,
    VisitType.MEETING,
    VisitType.DEMONSTRATION,
    VisitType.CALLER_AT_HOME,
    VisitType.TRAVEL,
    VisitType.OTHER,
]


class TravelMode(str, Enum):
    CAR = "car"
    PUBLIC_TRANSPORT = "public-transport"
    TAXI = "taxi"
    CYCLING = "cycling"
    WALKING = "walking"


class ItemType(str, Enum):
    CHECK = "check"
    QUESTION = "question"


class Answer(str, Enum):
    DONE = "done"
    NOT_DONE = "not-done"
    NOT_APPLICABLE = "n/a"
    YES = "yes"
    NO = "no"


VISIT_LABELS: dict[VisitType, str] = {
    VisitType.SURGERY: "Ward surgery",
    VisitType.HOME_VISIT: "Home visit",
    VisitType.MEETING: "Meeting",
    VisitType.DEMONSTRATION: "Protest expected",
    VisitType.CALLER_AT_HOME: "Caller at my home",
    VisitType.OTHER: "Other",
    VisitType.TRAVEL: "Travel only",
    VisitType.HOME_SECURITY: "Home security",
    VisitType.PHONE_CALL: "Phone call",
    VisitType.REVIEW: "Periodic review",
    VisitType.CARD: "Quick-reference card",
}
MODE_LABELS: dict[TravelMode, str] = {
    TravelMode.CAR: "Car",
    TravelMode.PUBLIC_TRANSPORT: "Bus or train",
    TravelMode.TAXI: "Taxi",
    TravelMode.CYCLING: "Bike",
    TravelMode.WALKING: "On foot",
}

CHECK_ANSWERS = (Answer.DONE, Answer.NOT_DONE, Answer.NOT_APPLICABLE)
QUESTION_ANSWERS = (Answer.YES, Answer.NO)
ANSWER_LABELS: dict[Answer, str] = {
    Answer.DONE: "done",
    Answer.NOT_DONE: "not done",
    Answer.NOT_APPLICABLE: "not applicable",
    Answer.YES: "yes",
    Answer.NO: "no",
}


def valid_answers(item_type: ItemType) -> tuple[Answer, ...]:
    """The answers an item of this type takes: yes/no for a question, done/not done/n/a for a check."""
    return QUESTION_ANSWERS if item_type is ItemType.QUESTION else CHECK_ANSWERS
