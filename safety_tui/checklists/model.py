"""Checklist format, version 1. Core module: no Textual import.

One YAML file holds one checklist. The models here are the single definition
of the format: the loader validates with them and ``safety-tui schema`` prints
their JSON Schema for officers' editors.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import types
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    model_validator,
)

from safety_tui.checklists.vocabulary import ItemType, TravelMode, VisitType
from safety_tui.common.text import has_control_chars


def _skip_plugin_discovery() -> None:
    """No pydantic plugins, and no search for them. The first validator pydantic builds asks
    ``pydantic.plugin._loader.get_plugins()``, which imports importlib.metadata and reads the entry
    points of every installed package: more time than validating all the bundled checklists.
    safety-tui uses no pydantic plugin, so that module is given as pydantic's own answer with
    ``PYDANTIC_DISABLE_PLUGINS`` set: none. Someone who sets that variable to name plugins to
    leave out (so wants the others) gets pydantic's real search."""
    name = "pydantic.plugin._loader"
    if name in sys.modules or os.environ.get("PYDANTIC_DISABLE_PLUGINS", "__all__") not in ("__all__", "1", "true"):
        return
    loader = types.ModuleType(name, "No pydantic plugins: see safety_tui.checklists.model.")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> (): none
    sys.modules[name] = loader


_skip_plugin_discovery()


def _no_control_chars(value: str) -> str:
    bad = has_control_chars(value)
    if bad is not None:
        raise ValueError(
            f"control character U+{ord(bad):04X} is not allowed in text "
            "(terminal escape sequences could hijack the screen)"
        )
    return value


# Spaces that are not U+0020 and characters that take no room: Word pastes them, nobody sees
# them. The loader refuses them in a file, naming each; the schema refuses them for editors.
INVISIBLE_CHARS = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u00ad\u180e\u200b\u2060\ufeff\u2028\u2029"
# What text.has_control_chars refuses: C0 (but newline), DEL, C1, bidi overrides and isolates.
CONTROL_CHARS = "\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"


def _escaped(char_class: str) -> str:
    """A character class written with \\uXXXX escapes, as JSON Schema (ECMA 262) regexes read them."""
    return "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in char_class)


# For editors (JSON Schema): no character the loader refuses, and not blank.
TEXT_PATTERN = f"^(?=[\\s\\S]*\\S)[^{_escaped(CONTROL_CHARS + INVISIBLE_CHARS)}]*$"
ANY_TEXT_PATTERN = f"^[^{_escaped(CONTROL_CHARS + INVISIBLE_CHARS)}]*$"

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=1, max_length=64),
    Field(description="Lower-case letters, digits and single - or _ between them, e.g. 'tell-someone'."),
]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_no_control_chars),
    Field(json_schema_extra={"pattern": TEXT_PATTERN}),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_no_control_chars),
    Field(json_schema_extra={"pattern": TEXT_PATTERN}),
]
VersionText = Annotated[
    str,
    StringConstraints(max_length=40),
    AfterValidator(_no_control_chars),
    Field(json_schema_extra={"pattern": ANY_TEXT_PATTERN}),
]
# One rule for the loader and the schema: a reference is quoted text of digits and dots.
# YAML (and so every editor) reads an unquoted 2.10 as the number 2.1.
Ref = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]+(?:\.[0-9]+)*$", max_length=20),
    Field(description='Section of the council\'s guidance this comes from, in quotes, e.g. "2.4.3".'),
]
# Booleans are true or false only: `critical: yes` is text to YAML 1.2 and to every editor.
Flag = Annotated[bool, Strict()]


def _format_number(value: object) -> object:
    if isinstance(value, bool):  # True == 1 in Python, but not in YAML or JSON
        raise ValueError("expected the number 1")
    return value


class _Strict(BaseModel):
    # defer_build: commands that never validate a checklist (status, plans) skip the schema build.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_enum_values=False,
        defer_build=True,
        # No coercion: `title: 2024` is a number to YAML and to the editor's schema check, so
        # it is refused here too ("put it in quotes"); the loader and the schema follow one rule.
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
    critical: Flag = Field(default=False, description="true for the items that matter most (true or false only).")
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
    derived: Flag = Field(
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


# The travel/mode rule below, written for editors too (draft-07 if/then/else).
_TRAVEL_NEEDS_MODE: dict[str, Any] = {
    "allOf": [
        {  # a list only for travel needs its mode
            "if": {"properties": {"visit_types": {"items": {"const": "travel"}}}, "required": ["visit_types"]},
            "then": {"required": ["mode"], "properties": {"mode": {"not": {"type": "null"}}}},
        },
        {  # a mode only on a list that is (also) for travel
            "if": {
                "properties": {"visit_types": {"not": {"contains": {"const": "travel"}}}},
                "required": ["visit_types"],
            },
            "then": {"properties": {"mode": {"type": "null"}}},
        },
    ]
}


class Checklist(_Strict):
    model_config = ConfigDict(json_schema_extra=_TRAVEL_NEEDS_MODE)

    format: Annotated[Literal[1], BeforeValidator(_format_number)] = Field(
        description="Checklist format version: the number 1, unquoted."
    )
    id: Slug = Field(description="Unique across all loaded checklists; a later folder overrides by id.")
    title: Text
    description: LongText
    version: VersionText | None = None
    visit_types: list[VisitType] = Field(min_length=1)
    mode: TravelMode | None = Field(default=None, description="For travel checklists: how the councillor travels.")
    order: Annotated[int, Strict(), Field(ge=1, le=999)] | None = Field(
        default=None,
        description=(
            "Walk position among the checklists of one visit that are walked together (the visit's own, or "
            "travel, or the basics): lower first, then those without an order. The bundled visit checklists "
            "are 10: give 1 to 9 to walk before them."
        ),
    )
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _travel_needs_mode(self) -> "Checklist":
        # A list only for travel needs its mode; one also for visits (the basics) applies to travel-only plans.
        if set(self.visit_types) == {VisitType.TRAVEL} and self.mode is None:
            raise ValueError(
                "'visit_types' includes travel, so a 'mode' is needed (car, public-transport, taxi, cycling, walking)"
            )
        if self.mode is not None and VisitType.TRAVEL not in self.visit_types:
            raise ValueError("'mode' is only for travel checklists: add 'travel' to visit_types")
        return self

    # -- convenience -------------------------------------------------------
    def items(self, when: When | None = None) -> list[Item]:
        """Every item in order; only those of one ``when`` if given."""
        return [item for section in self.sections for item in section.items if when is None or item.when is when]

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
    # draft-07 keeps local definitions under "definitions"; pydantic's default is "$defs".
    generated = Checklist.model_json_schema(ref_template="#/definitions/{model}")
    definitions = generated.pop("$defs", {})
    schema: dict[str, Any] = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://safety-tui.invalid/checklist.schema.json",
        **generated,
    }
    if definitions:
        # Files may not use the visit types nothing walks; plans stored long ago still read them.
        visit_types = definitions.get("VisitType")
        if isinstance(visit_types, dict) and "enum" in visit_types:
            visit_types["enum"] = [v for v in visit_types["enum"] if v not in UNWALKED_VISIT_TYPES]
        schema["definitions"] = definitions
    return schema


# Kept in the format so that plans stored long ago still read; no walk, card or review uses them,
# so the loader and the schema refuse them in a file.
UNWALKED_VISIT_TYPES = (VisitType.PHONE_CALL.value, VisitType.HOME_SECURITY.value)


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
