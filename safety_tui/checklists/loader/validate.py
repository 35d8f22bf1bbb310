"""One file's bytes to a validated ``Checklist``, or every problem in it at its line and column.

Order of checks: bytes and encoding, refused characters and tab indentation (located
exactly, before the YAML parser can trip over them), YAML structure, then the format
(pydantic), then rules across items (unique ids, ``show_if`` targets). Each check is linear
in the size of the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from safety_tui.checklists.loader.characters import EMPTY_FILE, MAX_REPORTED, decode, describe, scan
from safety_tui.checklists.loader.problems import ChecklistFileError, Fail, Problem
from safety_tui.checklists.loader.wording import Suggester, message, position, type_name, where
from safety_tui.checklists.loader.yamlparse import BadText, Positions, Value, YamlPath, parse_yaml
from safety_tui.checklists.model import UNWALKED_VISIT_TYPES, Checklist, Item, When
from safety_tui.checklists.vocabulary import PLAN_VISIT_TYPES, ItemType

WALKED_VISIT_TYPES = (
    ", ".join(v.value for v in PLAN_VISIT_TYPES) + ", review (a periodic review), card (a quick-reference card)"
)
# Top-level keys of a routes.yaml: such a file among the checklists gets one hint, not an error per key.
ROUTES_KEYS = frozenset(
    {
        "emergency",
        "police_non_emergency",
        "nominated_officer",
        "member_services",
        "police_protocol",
        "party_support",
        "platforms",
        "support_lines",
    }
)
ROUTES_HINT = (
    "this is a routes file (emergency numbers, the nominated officer), not a checklist: every YAML file in a "
    "checklists folder is read as a checklist, so move it out of this folder and point SAFETY_TUI_ROUTES at it"
)


@dataclass(frozen=True)
class Document:
    """One YAML file read safely: plain values, where each one is, and the problems that left them usable."""

    value: Value
    positions: Positions
    problems: list[Problem]
    refused: set[YamlPath]  # values already reported for a refused character


def read_document(data: bytes) -> Document:
    """Bytes to a ``Document``; raises ``Fail`` (with ``.problems()``) when the file cannot be read at all.

    Every safety-tui YAML file (checklists, routes) is read through here.
    """
    text = decode(data)
    if not text.strip():
        raise Fail(1, 1, EMPTY_FILE)
    scan(text)
    parsed = parse_yaml(text)
    problems = parsed.problems + _bad_text_problems(parsed.bad_text, parsed.value)
    return Document(parsed.value, parsed.positions, problems, {bad.path for bad in parsed.bad_text} | parsed.curly)


def parse_checklist(data: bytes, path: str) -> tuple[Checklist, Positions]:
    """Parse and validate one checklist file's bytes. Raises ``ChecklistFileError``."""
    try:
        document = read_document(data)
    except Fail as exc:
        raise ChecklistFileError.at(path, exc.problems()) from None
    raw, positions, problems = document.value, document.positions, list(document.problems)
    if not isinstance(raw, dict):
        found = type_name(raw, positions.numbers.get(()))
        problems.append(
            (
                *positions.value(()),
                f"a checklist file must be a mapping of keys (format, id, title, ...), found {found}",
            )
        )
        raise ChecklistFileError.at(path, problems)
    if "sections" not in raw and set(raw) & ROUTES_KEYS:
        problems.append((1, 1, ROUTES_HINT))  # one line, not an error for every key
        raise ChecklistFileError.at(path, problems)
    suggest = Suggester()
    try:
        checklist = Checklist.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if tuple(err["loc"]) not in document.refused:
                problems.append((*position(err, positions, raw), message(err, raw, positions, suggest)))
        raise ChecklistFileError.at(path, problems) from None
    problems += _item_problems(checklist, positions, suggest, raw) + _visit_type_problems(checklist, positions)
    if problems:
        raise ChecklistFileError.at(path, problems)
    return checklist, positions


def _bad_text_problems(found: list[BadText], raw: Value) -> list[Problem]:
    problems: list[Problem] = []
    if len(found) > MAX_REPORTED:
        first_unlisted = found[MAX_REPORTED]
        more = f"{len(found) - MAX_REPORTED} more values with refused characters from here on"
        problems.append((first_unlisted.line, first_unlisted.column, more))
    for bad in found[:MAX_REPORTED]:
        if bad.is_key:
            parent = where(bad.path[:-1], raw)
            place = f"{parent}: key" if parent else "key"
        else:
            place = where(bad.path, raw) or "value"
        problems.append((bad.line, bad.column, f"{place}: {describe(bad.char)}"))
    return problems


def _when_problems(item: Item, path: YamlPath, positions: Positions, raw: Value) -> list[Problem]:
    """Only 'before' items are ticked in the walk, so only they may be critical, questions or a step's."""
    if item.when is When.BEFORE:
        return []
    place = where(path, raw)
    when = item.when.value
    article = "an" if when == "after" else "a"
    rules = (
        (
            "critical",
            item.critical,
            f"critical is only for 'before' items; {article} '{when}' item is advice, "
            "never a risk: remove 'critical: true' or make it 'when: before'",
        ),
        (
            "type",
            item.type is ItemType.QUESTION,
            f"a question is answered when planning, so it must be 'when: before', not '{when}'",
        ),
        (
            "step",
            item.step is not None,
            f"'step' is only for 'before' items (a wizard step carries them out), not '{when}'",
        ),
    )
    return [(*positions.key(path + (key,)), f"{place}, {key}: {text}") for key, broken, text in rules if broken]


def _item_problems(checklist: Checklist, positions: Positions, suggest: Suggester, raw: Value) -> list[Problem]:
    """Duplicate item ids and ``show_if`` targets: one pass each, dictionary look-ups only."""
    problems: list[Problem] = []
    first: dict[str, int] = {}  # item id -> line of its first use
    order: dict[str, int] = {}
    paths: list[YamlPath] = []
    for s_index, section in enumerate(checklist.sections):
        for i_index, item in enumerate(section.items):
            path: YamlPath = ("sections", s_index, "items", i_index)
            paths.append(path)
            problems += _when_problems(item, path, positions, raw)
            line, column = positions.value(path + ("id",))
            if item.id in first:
                problems.append((line, column, f"duplicate item id '{item.id}' (first used at line {first[item.id]})"))
            else:
                first[item.id] = line
                order[item.id] = len(paths) - 1  # walk position of its first use
    by_id: dict[str, Item] = {}
    for item in checklist.items():
        by_id.setdefault(item.id, item)
    ids = list(by_id)
    for index, (item, path) in enumerate(zip(checklist.items(), paths)):
        if item.show_if is None:
            continue
        target = item.show_if.item
        line, column = positions.value(path + ("show_if", "item"))
        if target == item.id:
            problems.append((line, column, f"show_if: item '{item.id}' cannot depend on itself"))
        elif target not in by_id:
            problems.append((line, column, f"show_if: no item '{target}' in this checklist{suggest(target, ids)}"))
        elif by_id[target].type is not ItemType.QUESTION:
            message = f"show_if: '{target}' is a check, not a question; only yes/no questions can show other items"
            problems.append((line, column, message))
        elif order[target] > index:
            problems.append((line, column, f"show_if: question '{target}' must come before '{item.id}'"))
    return problems


def _visit_type_problems(checklist: Checklist, positions: Positions) -> list[Problem]:
    """Visit types the format still reads (for plans stored long ago) but that no plan, card or review uses."""
    problems: list[Problem] = []
    for index, visit in enumerate(checklist.visit_types):
        if visit.value in UNWALKED_VISIT_TYPES:
            message = (
                f"visit_types, entry {index + 1}: '{visit.value}' is not walked by anything, so this checklist would "
                f"never be shown; use one of: {WALKED_VISIT_TYPES}"
            )
            problems.append((*positions.value(("visit_types", index)), message))
    return problems
