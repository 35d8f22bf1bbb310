"""Visit plans: the model and its rules. Core module: no Textual import.

A plan records where and when, who was told, the code word and what it means,
the expected finish, and every checklist answer. Times are held as aware UTC
datetimes; ``tz`` is the zone used to show them. Time and status rules live in
:mod:`safety_tui.plans.lifecycle`, text rules in :mod:`safety_tui.common.textrules`; this
module applies them to the model.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from safety_tui.checklists.compose import Composition, WalkItem, compose_plan
from safety_tui.checklists.model import Checklist
from safety_tui.checklists.vocabulary import (
    ANSWER_LABELS,
    CHECK_ANSWERS,
    MODE_LABELS,
    PLAN_VISIT_TYPES,
    QUESTION_ANSWERS,
    VISIT_LABELS,
    Answer,
    ItemType,
    TravelMode,
    VisitType,
    valid_answers,
)
from safety_tui.common import textrules
from safety_tui.common.clock import UTC, Clock, FixedClock, SystemClock, to_utc, zone
from safety_tui.common.errors import PlanError
from safety_tui.common.timefmt import format_duration
from safety_tui.plans.codewords import PHRASES
from safety_tui.plans.lifecycle import (
    MAX_GRACE_MINUTES,
    TRANSITIONS,
    Schedule,
    Scheduled,
    StartCheck,
    Status,
    check_transition,
    reschedule_start,
    start_check_times,
)

# Names other modules still import from here; new code imports them from their own module.
__all__ = [
    "ANSWER_LABELS",
    "CHECK_ANSWERS",
    "CODE_WORD_SUGGESTIONS",
    "DEFAULT_ESCALATION",
    "DEFAULT_GRACE_MINUTES",
    "FIELD_LABELS",
    "MODE_LABELS",
    "PLAN_VISIT_TYPES",
    "QUESTION_ANSWERS",
    "TRANSITIONS",
    "UTC",
    "VISIT_LABELS",
    "Answer",
    "AuditEntry",
    "ChecklistSnapshot",
    "Clock",
    "Contact",
    "FixedClock",
    "ItemAnswer",
    "ItemType",
    "Plan",
    "PlanError",
    "StartCheck",
    "Status",
    "SystemClock",
    "TravelMode",
    "VisitType",
    "answer_key",
    "check_transition",
    "format_duration",
    "valid_answers",
    "validated",
    "validation_message",
]

DEFAULT_GRACE_MINUTES = 15
DEFAULT_ESCALATION = "Ring me. No answer? Ring 999 and give them this address."

CODE_WORD_SUGGESTIONS = list(PHRASES)  # the whole list; screens draw from it at random (codewords.suggestions)
# How a field is named in a message for a person.
FIELD_LABELS = {
    "title": "title",
    "location": "where",
    "owner_name": "your name",
    "escalation": "what your contact should do",
    "code_word": "code word",
    "code_meaning": "what the code word means",
    "name": "contact name",
    "phone": "contact phone",
    "note": "note",
    "start": "start",
    "finish": "expected finish",
    "grace_minutes": "grace",
    "tz": "time zone",
}


def _aware_utc(value: datetime) -> datetime:
    return to_utc(value)


def _line(max_length: int, required: bool = False) -> AfterValidator:
    return AfterValidator(lambda value: textrules.one_line(value, max_length=max_length, required=required))


AwareUTC = Annotated[datetime, AfterValidator(_aware_utc)]
NameText = Annotated[str, _line(textrules.NAME_MAX)]
ShortText = Annotated[str, _line(textrules.SHORT_MAX)]
LongText = Annotated[str, _line(textrules.LONG_MAX)]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True, hide_input_in_errors=True)

    id: int | None = None  # stable, given by the store; never a list position
    name: Annotated[str, _line(textrules.NAME_MAX, required=True)]
    phone: ShortText = ""
    told_at: AwareUTC | None = None

    @property
    def told(self) -> bool:
        return self.told_at is not None


class ItemAnswer(BaseModel):
    """One answer as stored. The note is checked where it is written (``ItemAnswer.clean_note``,
    called by the store), not when a stored row is read back, so an old row never makes a plan unreadable."""

    model_config = ConfigDict(extra="forbid", defer_build=True, hide_input_in_errors=True)

    checklist_id: str
    item_id: str
    value: Answer
    note: str = ""
    answered_at: AwareUTC

    @staticmethod
    def clean_note(note: str) -> str:
        """The note as it may be stored: lines kept, no control characters, at most 2000 characters."""
        return textrules.note(note)


class ChecklistSnapshot(BaseModel):
    """The checklist as it was when the plan used it, so old plans still read right."""

    model_config = ConfigDict(defer_build=True, hide_input_in_errors=True)

    checklist_id: str
    content_hash: str
    body: dict[str, Any]

    @classmethod
    def of(cls, checklist: Checklist) -> "ChecklistSnapshot":
        return cls(
            checklist_id=checklist.id, content_hash=checklist.content_hash(), body=checklist.model_dump(mode="json")
        )

    def checklist(self) -> Checklist:
        return Checklist.model_validate(self.body)


class AuditEntry(BaseModel):
    model_config = ConfigDict(defer_build=True, hide_input_in_errors=True)

    at: AwareUTC
    event: str
    detail: str = ""


def answer_key(checklist_id: str, item_id: str) -> str:
    return f"{checklist_id}/{item_id}"


class Plan(Scheduled, BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True, hide_input_in_errors=True)

    id: int | None = None
    ref: str = ""
    uid: str = Field(default_factory=lambda: str(uuid.uuid4()))  # random per plan: the calendar UID
    sequence: int = Field(default=0, ge=0)  # +1 each time the schedule changes: the calendar SEQUENCE
    status: Status = Status.DRAFT
    visit_type: VisitType = VisitType.HOME_VISIT
    travel_modes: list[TravelMode] = Field(default_factory=list)
    owner_name: NameText = ""
    title: ShortText = ""
    location: LongText = ""
    start: AwareUTC | None = None
    finish: AwareUTC | None = None
    tz: str = "UTC"
    grace_minutes: int = Field(default=DEFAULT_GRACE_MINUTES, ge=0, le=MAX_GRACE_MINUTES)
    contacts: list[Contact] = Field(default_factory=list)
    escalation: LongText = DEFAULT_ESCALATION
    code_word: ShortText = ""
    code_meaning: LongText = ""
    checklists: list[ChecklistSnapshot] = Field(default_factory=list)
    answers: dict[str, ItemAnswer] = Field(default_factory=dict)
    wizard_step: str = "type"
    cursor: str | None = None
    created_at: AwareUTC | None = None
    updated_at: AwareUTC | None = None
    started_at: AwareUTC | None = None
    checked_in_at: AwareUTC | None = None
    ended_at: AwareUTC | None = None
    audit: list[AuditEntry] = Field(default_factory=list)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone(value)  # PlanError (a ValueError) if unknown; the value is not echoed
        return value

    @model_validator(mode="after")
    def _finish_after_start(self) -> "Plan":
        if self.start is not None and self.finish is not None and self.finish <= self.start:
            raise ValueError("the expected finish must be after the start")
        return self

    # -- derived (due_at, zone, local, is_overdue, state come from Scheduled) --
    def checklist(self, checklist_id: str) -> Checklist | None:
        for snap in self.checklists:
            if snap.checklist_id == checklist_id:
                return snap.checklist()
        return None

    def answer(self, checklist_id: str, item_id: str) -> ItemAnswer | None:
        return self.answers.get(answer_key(checklist_id, item_id))

    def answers_for(self, checklist_id: str) -> dict[str, str]:
        prefix = checklist_id + "/"
        return {k[len(prefix) :]: a.value.value for k, a in self.answers.items() if k.startswith(prefix)}

    def composition(self) -> Composition:
        """The walk, briefing and debrief of this plan, from its checklist snapshots (compose rules)."""
        return compose_plan(self)[0]

    def walk_items(self) -> list[WalkItem]:
        """The before items the walk asks now: what progress, open items and risks count."""
        composition, answers = compose_plan(self)
        return composition.walk(answers)

    def open_items(self) -> tuple[int, int]:
        """(unanswered, of which critical) over the items the walk asks (conditional ones only when shown)."""
        open_items = open_critical = 0
        for entry in self.walk_items():
            if self.answer(entry.checklist_id, entry.id) is None:
                open_items += 1
                open_critical += entry.critical
        return open_items, open_critical

    def risks(self, now: datetime) -> list[str]:
        """What should worry the councillor before they go, most serious first."""
        out: list[str] = []
        for entry in self.walk_items():
            answer = self.answer(entry.checklist_id, entry.id)
            if entry.critical and answer is not None and answer.value is Answer.NOT_DONE:
                reason = f" (reason: {answer.note})" if answer.note else ""
                out.append(f"Not done: {entry.text}{reason}")
        open_items, open_critical = self.open_items()
        if open_items:
            critical = f", {open_critical} of them critical" if open_critical else ""
            out.append(f"{open_items} checklist item(s) not answered yet{critical}.")
        if not self.contacts:
            out.append("Nobody has been told where you are going.")
        elif not any(c.told for c in self.contacts):
            out.append("Nobody has been marked as told yet.")
        if not self.code_word:
            out.append("No code word agreed.")
        if self.finish is not None and self.finish <= now and self.status in (Status.DRAFT, Status.READY):
            out.append("The expected finish time has already passed.")
        if self.start is None or self.finish is None:
            out.append("No start or expected finish time set.")
        if not self.location:
            out.append("No location given.")
        return out

    def is_blank(self) -> bool:
        """A draft nothing was typed into: no title, place, times, answers, contacts or code word.
        Closing the wizard on one leaves nothing behind (no "(untitled)" draft on Today)."""
        return (
            self.status is Status.DRAFT
            and not (self.title or self.location or self.code_word)
            and self.start is None
            and not self.answers
            and not self.contacts
        )

    def start_check(self, now: datetime) -> StartCheck:
        """May this plan start at ``now``? Every start path asks this (the store refuses a refusal).

        Refused: not a draft or ready plan, no times, or the finish has passed.
        Ask first: the start is more than 12 hours ahead; critical items are
        unanswered; nobody has been told.
        """
        check = start_check_times(self.status, self.start, self.finish, self.tz, now)
        if not check.allowed:
            return check
        questions = list(check.questions)
        _, open_critical = self.open_items()
        if open_critical:
            questions.append(f"{open_critical} critical checklist item(s) not answered yet. Start anyway?")
        if not any(c.told for c in self.contacts):
            questions.append("Nobody has been told where you are going. Start anyway?")
        return StartCheck(questions=questions)

    def reschedule_start(self, new_start: datetime) -> Schedule:
        """The start moved to ``new_start`` and the finish with it, keeping the visit's length."""
        return reschedule_start(self.start, self.finish, new_start)

    def progress(self) -> tuple[int, int]:
        """(answered, asked) over the items the walk asks, counting conditional items only when shown."""
        asked = self.walk_items()
        return sum(self.answer(e.checklist_id, e.id) is not None for e in asked), len(asked)


def validation_message(exc: ValidationError) -> str:
    """The first problem in ``exc``, for a person: ``contact name: control character U+001B is not allowed``."""
    err = exc.errors(include_url=False)[0]
    message = str(err["msg"]).removeprefix("Value error, ")
    names = [str(part) for part in err["loc"] if isinstance(part, str)]
    if not names:
        return message
    return f"{FIELD_LABELS.get(names[-1], names[-1])}: {message}"


Model = TypeVar("Model", bound=BaseModel)


def validated(model: type[Model], **fields: Any) -> Model:
    """``model(**fields)``, or a ``PlanError`` with :func:`validation_message` (never a ValidationError)."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise PlanError(validation_message(exc)) from None
