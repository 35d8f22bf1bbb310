"""Visit plans: the model and its rules. Core module: no Textual import.

A plan records where and when, who was told, the code word and what it means,
the expected finish, and every checklist answer. Times are held as aware UTC
datetimes; ``tz`` is the zone used to show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from safety_tui import kinds
from safety_tui.checklist import Checklist, ItemType, TravelMode, VisitType, visible_items
from safety_tui.kinds import (  # noqa: F401 - re-exported for callers of the plan model
    MODE_LABELS,
    TRANSITIONS,
    VISIT_LABELS,
    format_duration,
    UTC,
    Answer,
    Clock,
    FixedClock,
    PlanError,
    Status,
    SystemClock,
    check_transition,
)

DEFAULT_GRACE_MINUTES = 15
DEFAULT_ESCALATION = "Ring me. No answer? Ring 999 and give them this address."
PLAN_VISIT_TYPES = [
    VisitType.SURGERY,
    VisitType.HOME_VISIT,
    VisitType.MEETING,
    VisitType.DEMONSTRATION,
    VisitType.CALLER_AT_HOME,
    VisitType.OTHER,
]
CODE_WORD_SUGGESTIONS = [
    "the blue folder",
    "Aunt Mary's birthday",
    "the parking permit",
    "the ward newsletter",
    "the green file",
    "my dentist appointment",
    "the recycling rota",
]


CHECK_ANSWERS = (Answer.DONE, Answer.NOT_DONE, Answer.NOT_APPLICABLE)
QUESTION_ANSWERS = (Answer.YES, Answer.NO)
ANSWER_LABELS = {
    Answer.DONE: "done",
    Answer.NOT_DONE: "not done",
    Answer.NOT_APPLICABLE: "not applicable",
    Answer.YES: "yes",
    Answer.NO: "no",
}


def _aware_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("time must include a timezone")
    return value.astimezone(UTC)


AwareUTC = Annotated[datetime, AfterValidator(_aware_utc)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    phone: ShortText = ""
    told_at: AwareUTC | None = None

    @property
    def told(self) -> bool:
        return self.told_at is not None


class ItemAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    checklist_id: str
    item_id: str
    value: Answer
    note: LongText = ""
    answered_at: AwareUTC


class ChecklistSnapshot(BaseModel):
    """The checklist as it was when the plan used it, so old plans still read right."""

    model_config = ConfigDict(defer_build=True)

    checklist_id: str
    content_hash: str
    body: dict

    @classmethod
    def of(cls, checklist: Checklist) -> "ChecklistSnapshot":
        return cls(checklist_id=checklist.id, content_hash=checklist.content_hash(), body=checklist.model_dump(mode="json"))

    def checklist(self) -> Checklist:
        return Checklist.model_validate(self.body)


class AuditEntry(BaseModel):
    model_config = ConfigDict(defer_build=True)

    at: AwareUTC
    event: str
    detail: str = ""


START_AHEAD_LIMIT = timedelta(hours=12)


@dataclass(frozen=True)
class StartCheck:
    """Whether a plan may start now: ``refusal`` says why not; ``questions`` are asked first."""

    refusal: str | None = None
    questions: list[str] = field(default_factory=list)


def answer_key(checklist_id: str, item_id: str) -> str:
    return f"{checklist_id}/{item_id}"


class Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    id: int | None = None
    ref: str = ""
    status: Status = Status.DRAFT
    visit_type: VisitType = VisitType.HOME_VISIT
    travel_modes: list[TravelMode] = Field(default_factory=list)
    owner_name: ShortText = ""
    title: ShortText = ""
    location: LongText = ""
    start: AwareUTC | None = None
    finish: AwareUTC | None = None
    tz: str = "UTC"
    grace_minutes: int = Field(default=DEFAULT_GRACE_MINUTES, ge=0, le=24 * 60)
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
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            # The value is not echoed: error texts never repeat what the user typed.
            raise ValueError("unknown time zone; use a name like Europe/London") from None
        return value

    @model_validator(mode="after")
    def _finish_after_start(self) -> "Plan":
        if self.start is not None and self.finish is not None and self.finish <= self.start:
            raise ValueError("the expected finish must be after the start")
        return self

    # -- derived ------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def local(self, when: datetime | None) -> datetime | None:
        return when.astimezone(self.zone) if when is not None else None

    @property
    def due_at(self) -> datetime | None:
        """When the people told should start to worry: finish + grace."""
        return kinds.due_at(self.finish, self.grace_minutes)

    def is_overdue(self, now: datetime) -> bool:
        return kinds.is_overdue(self.status, self.due_at, now)

    def state(self, now: datetime) -> str:
        return kinds.state(self.status, self.due_at, now)

    def checklist(self, checklist_id: str) -> Checklist | None:
        for snap in self.checklists:
            if snap.checklist_id == checklist_id:
                return snap.checklist()
        return None

    def answer(self, checklist_id: str, item_id: str) -> ItemAnswer | None:
        return self.answers.get(answer_key(checklist_id, item_id))

    def answers_for(self, checklist_id: str) -> dict[str, str]:
        prefix = checklist_id + "/"
        return {k[len(prefix):]: a.value.value for k, a in self.answers.items() if k.startswith(prefix)}

    def risks(self, now: datetime) -> list[str]:
        """What should worry the councillor before they go, most serious first."""
        out: list[str] = []
        for snap in self.checklists:
            checklist = snap.checklist()
            for item in checklist.items():
                answer = self.answer(checklist.id, item.id)
                if item.critical and answer is not None and answer.value is Answer.NOT_DONE:
                    reason = f" (reason: {answer.note})" if answer.note else ""
                    out.append(f"Not done: {item.text}{reason}")
        open_items = open_critical = 0
        for snap in self.checklists:
            checklist = snap.checklist()
            given = self.answers_for(checklist.id)
            for item in visible_items(checklist, given):
                if item.id not in given:
                    open_items += 1
                    open_critical += item.critical
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

    def start_check(self, now: datetime) -> StartCheck:
        """The one rule for starting a plan (app Today ``s``, Review ``g``, plan detail, CLI)."""
        if self.start is None or self.finish is None:
            return StartCheck(refusal="Set the start and expected finish times first.")
        if self.finish <= now:
            return StartCheck(refusal="The expected finish time has already passed: set the times before starting.")
        questions: list[str] = []
        if self.start - now > START_AHEAD_LIMIT:
            questions.append("The start is more than 12 hours away. Start the plan now anyway?")
        critical_open = any(
            item.critical and item.id not in self.answers_for(snap.checklist_id)
            for snap in self.checklists
            for item in visible_items(snap.checklist(), self.answers_for(snap.checklist_id))
        )
        if critical_open and not any(c.told for c in self.contacts):
            questions.append("Critical checklist items are unanswered and nobody has been told. Start anyway?")
        return StartCheck(questions=questions)

    def progress(self) -> tuple[int, int]:
        """(answered, visible) over all checklists, counting conditional items only when shown."""
        answered = total = 0
        for snap in self.checklists:
            checklist = snap.checklist()
            given = self.answers_for(checklist.id)
            for item in visible_items(checklist, given):
                total += 1
                answered += item.id in given
        return answered, total


def valid_answers(item_type: ItemType) -> tuple[Answer, ...]:
    return QUESTION_ANSWERS if item_type is ItemType.QUESTION else CHECK_ANSWERS
