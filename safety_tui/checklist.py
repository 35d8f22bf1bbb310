"""Checklist format, version 1. Core module: no Textual import.

One YAML file holds one checklist. The models here are the single definition
of the format: the loader validates with them and ``safety-tui schema`` prints
their JSON Schema for officers' editors.
"""

from __future__ import annotations

import hashlib
import json
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from safety_tui.kinds import ItemType, TravelMode, VisitType
from safety_tui.text import has_control_chars


def _no_control_chars(value: str) -> str:
    bad = has_control_chars(value)
    if bad is not None:
        raise ValueError(
            f"control character U+{ord(bad):04X} is not allowed in text "
            "(terminal escape sequences could hijack the screen)"
        )
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=1, max_length=64),
    Field(description="Lower-case letters, digits and single - or _ between them, e.g. 'tell-someone'."),
]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_no_control_chars),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_no_control_chars),
]
Ref = Annotated[
    str,
    StringConstraints(pattern=r"^\d+(?:\.\d+)*$", max_length=20),
    Field(description="Section of the council's guidance this comes from, e.g. '2.4.3'."),
]


class _Strict(BaseModel):
    # defer_build: commands that never validate a checklist (status, plans) skip the schema build.
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_enum_values=False, defer_build=True,
        coerce_numbers_to_str=True,  # `title: 2024` or `version: 3` are text to an officer
    )


class When(str, Enum):
    """When an item applies: ticked before the visit, advice during it, or the debrief after it."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class Step(str, Enum):
    """A step of the New plan wizard that carries an item out (so the walk does not ask it)."""

    CONTACTS = "contacts"  # Who's told: the people told, with where, when and the expected finish
    CODE_WORD = "code-word"  # Code word: agreed with the people told


STEP_LABELS = {Step.CONTACTS: "Who's told", Step.CODE_WORD: "Code word"}
WHEN_LABELS = {When.BEFORE: "before the visit", When.DURING: "during the visit", When.AFTER: "afterwards"}


class ShowIf(_Strict):
    """Show an item only when a question in the same checklist got this answer."""

    item: Slug = Field(description="id of a question item in the same checklist")
    answer: Literal["yes", "no"]


class Item(_Strict):
    id: Slug = Field(description="Unique within the checklist; answers are stored against it.")
    text: Text = Field(description="One clear action or question in plain English.")
    help: LongText | None = Field(default=None, description="Why or how, a sentence or two.")
    ref: Ref | None = None
    critical: bool = Field(default=False, description="True for the items that matter most.")
    type: ItemType = Field(
        default=ItemType.CHECK,
        description="'check': done / not done / not applicable. 'question': yes / no.",
    )
    show_if: ShowIf | None = None
    when: When = Field(
        default=When.BEFORE,
        description=(
            "'before': ticked or answered when planning (the default). 'during': advice for the visit, "
            "shown as a briefing, never ticked. 'after': part of the debrief. Only 'before' items may be "
            "critical."
        ),
    )
    derived: bool = Field(
        default=False,
        description="True when the item is not from the guidance itself (the app's or the council's own advice).",
    )
    step: Step | None = Field(
        default=None,
        description=(
            "The wizard step that carries this item out ('contacts': Who's told; 'code-word': Code word). "
            "The walk does not ask it; the step satisfies it. For checks; a question is always asked."
        ),
    )
    same_as: Slug | None = Field(
        default=None,
        description=(
            "A key naming this piece of advice. Items with the same key and the same 'when' in checklists "
            "chosen for one visit are the same advice: asked (or shown) once, in the first checklist of the walk. "
            "For checks; a question is always asked."
        ),
    )


class Section(_Strict):
    title: Text
    items: list[Item] = Field(min_length=1)


class Checklist(_Strict):
    format: Literal[1] = Field(description="Checklist format version; always 1 for now.")
    id: Slug = Field(description="Unique across all loaded checklists; a later folder overrides by id.")
    title: Text
    description: LongText
    version: Annotated[str, StringConstraints(max_length=40)] | None = None
    visit_types: list[VisitType] = Field(min_length=1)
    mode: TravelMode | None = Field(
        default=None, description="For travel checklists: how the councillor travels."
    )
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _travel_needs_mode(self) -> "Checklist":
        # A list only for travel needs its mode; one also for visits (the basics) applies to travel-only plans.
        if set(self.visit_types) == {VisitType.TRAVEL} and self.mode is None:
            raise ValueError("'visit_types' includes travel, so a 'mode' is needed (car, public-transport, taxi, cycling, walking)")
        if self.mode is not None and VisitType.TRAVEL not in self.visit_types:
            raise ValueError("'mode' is only for travel checklists: add 'travel' to visit_types")
        return self

    # -- convenience -------------------------------------------------------
    def items(self, when: When | None = None) -> list[Item]:
        """Every item in order; only those of one ``when`` if given."""
        return [
            item for section in self.sections for item in section.items if when is None or item.when is when
        ]

    def section_of(self, item_id: str) -> Section | None:
        for section in self.sections:
            if any(item.id == item_id for item in section.items):
                return section
        return None

    @property
    def critical_count(self) -> int:
        return sum(1 for item in self.items(When.BEFORE) if item.critical)

    def content_hash(self) -> str:
        """Stable hash of the checklist's content, stored in plans that used it."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def applies_to(self, visit_type: VisitType | str, modes: list[TravelMode] | list[str]) -> bool:
        """True when this checklist should be chosen for a plan of this kind."""
        vt = VisitType(visit_type)
        wanted_modes = {TravelMode(m) for m in modes}
        if self.mode is not None:
            return self.mode in wanted_modes
        return vt in self.visit_types


def visible_items(checklist: Checklist, answers: dict[str, str], when: When | None = None) -> list[Item]:
    """Items to walk through, given answers so far (``item id -> answer``).

    An item with ``show_if`` appears only when its question is itself shown and
    has that answer (so a chain of questions hides everything below a hidden
    one, whatever answers were given earlier). With ``when``, only those items.
    """
    shown: set[str] = set()
    out: list[Item] = []
    for item in checklist.items():
        condition = item.show_if
        if condition is None or (condition.item in shown and answers.get(condition.item) == condition.answer):
            shown.add(item.id)
            if when is None or item.when is when:
                out.append(item)
    return out


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft-07) of the checklist format, for YAML editors."""
    schema = Checklist.model_json_schema()
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://safety-tui.invalid/checklist.schema.json",
        **schema,
    }
    # draft-07 spells local definitions "definitions"; pydantic emits "$defs".
    text = json.dumps(schema, sort_keys=True).replace('"$defs"', '"definitions"').replace(
        "#/$defs/", "#/definitions/"
    )
    result: dict[str, Any] = json.loads(text)
    return result


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
