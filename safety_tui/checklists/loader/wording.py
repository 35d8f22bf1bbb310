"""Error wording: a pydantic error becomes ``where: what is wrong``, with a suggestion.

Positions in lists count from 1 and items are named by their id, because that is how an
officer reads the file ("section 2, item 3 'neutral-venue'"), not ``sections[1].items[2]``.

Every suggestion is bounded: at most ``MAX_SUGGESTIONS`` per file, each compared with at most
``MAX_CANDIDATES`` options, so a file with thousands of mistakes still loads in linear time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from safety_tui.checklists.loader.yamlparse import Positions, Value, YamlPath
from safety_tui.checklists.model import Checklist, Item, Section, ShowIf

MAX_SUGGESTIONS = 20
MAX_CANDIDATES = 500
MAX_WORD = 80  # longer "words" are not typos of an id or a key
ORDER_RANGE = (1, 999)  # the only whole number a checklist holds besides its format
_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")

_MODEL_AT: dict[type[BaseModel], dict[str, type[BaseModel]]] = {
    Checklist: {"sections": Section},
    Section: {"items": Item},
    Item: {"show_if": ShowIf},
}


class Suggester:
    """'did you mean ...?' with a budget, so suggesting never costs more than a constant."""

    def __init__(self, limit: int = MAX_SUGGESTIONS) -> None:
        self.left = limit

    def __call__(self, word: object, options: Sequence[str]) -> str:
        text = str(word)
        if self.left <= 0 or not text or len(text) > MAX_WORD:
            return ""
        self.left -= 1
        close = difflib.get_close_matches(text, list(options[:MAX_CANDIDATES]), n=1, cutoff=0.6)
        return f", did you mean '{close[0]}'?" if close else ""


def _item_id(node: Value) -> str | None:
    if isinstance(node, dict):
        ident = node.get("id")
        if isinstance(ident, str) and len(ident) <= 64 and _SLUG.fullmatch(ident):
            return ident
    return None


def _child(node: Value, key: str | int) -> Value:
    if isinstance(node, dict) and isinstance(key, str):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def where(loc: Sequence[str | int], raw: Value) -> str:
    """``section 1, item 3 'neutral-venue', show_if.answer``: a path as an officer counts."""
    parts: list[str] = []
    dotted = ""
    node = raw
    rest = list(loc)
    if len(rest) >= 2 and rest[0] == "sections" and isinstance(rest[1], int):
        parts.append(f"section {rest[1] + 1}")
        node = _child(_child(node, "sections"), rest[1])
        rest = rest[2:]
        if len(rest) >= 2 and rest[0] == "items" and isinstance(rest[1], int):
            item = _child(_child(node, "items"), rest[1])
            ident = _item_id(item)
            parts.append(f"item {rest[1] + 1}" + (f" '{ident}'" if ident else ""))
            rest = rest[2:]
    for part in rest:
        if isinstance(part, int):
            parts.append(f"{dotted}, entry {part + 1}" if dotted else f"entry {part + 1}")
            dotted = ""
            continue
        dotted = f"{dotted}.{part}" if dotted else str(part)
    if dotted:
        parts.append(dotted)
    return ", ".join(parts)


def type_name(value: Any, written: str | None = None) -> str:
    """How a value reads in a message: ``a list``, ``the number 2.10``, ``'maybe'``."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {written or value}"
    return f"'{value}'"


def _model_for(loc: YamlPath) -> type[BaseModel]:
    model: type[BaseModel] = Checklist
    for part in loc:
        if isinstance(part, int):
            continue
        nested = _MODEL_AT.get(model, {}).get(part)
        if nested is None:
            break
        model = nested
    return model


def _quote_it(loc: YamlPath, written: str) -> str:
    return f'; put it in quotes: {loc[-1]}: "{written}"' if loc and isinstance(loc[-1], str) else "; put it in quotes"


def message(err: ErrorDetails, raw: Value, positions: Positions, suggest: Suggester) -> str:
    """One pydantic error in an officer's words, prefixed with where it is."""
    loc: YamlPath = tuple(err["loc"])
    kind = err["type"]
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    written = positions.numbers.get(loc)
    place = where(loc, raw)
    prefix = f"{place}: " if place else ""
    parent = where(loc[:-1], raw)
    parent_prefix = f"{parent}: " if parent else ""
    if kind == "missing":
        return f"{parent_prefix}missing required key '{loc[-1]}'"
    if kind == "extra_forbidden":
        allowed = list(_model_for(loc[:-1]).model_fields)
        hint = suggest(loc[-1], allowed) or f" (allowed: {', '.join(allowed)})"
        return f"{parent_prefix}unknown key '{loc[-1]}'{hint}"
    if loc == ("format",):
        quoted_number = isinstance(value, str) and value.strip().isascii() and value.strip().isdigit()
        got = f"the text '{value}'; remove the quotes" if quoted_number else type_name(value, written)
        return f"format: expected the number 1 (the checklist format version), got {got}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        words = [a or b for a, b in re.findall(r"'([^']*)'|(\d+)", expected)]
        hint = suggest(value, words) if isinstance(value, str) else ""
        return f"{prefix}expected {expected}, got {type_name(value, written)}{hint}"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "ref":
            return f"{prefix}{type_name(value)} is not a guidance reference like '2.4.3'"
        return f"{prefix}{type_name(value)} is not a valid id: use lower-case letters, digits and single '-' or '_' between them"
    if kind == "string_type" and isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = written or str(value)
        if loc and loc[-1] == "ref":
            return f'{prefix}the number {shown} is not text: YAML reads it as {value!r}; write the reference in quotes: ref: "{shown}"'
        return f"{prefix}expected text, got the number {shown}{_quote_it(loc, shown)}"
    if kind == "string_type" and isinstance(value, bool):
        return f"{prefix}expected text, got {type_name(value)}{_quote_it(loc, str(value).lower())}"
    if kind in ("greater_than_equal", "less_than_equal", "int_type", "int_parsing", "int_from_float"):
        low, high = ctx.get("ge", ORDER_RANGE[0]), ctx.get("le", ORDER_RANGE[1])
        got = f"the text '{value}'; remove the quotes" if isinstance(value, str) else type_name(value, written)
        return f"{prefix}expected a whole number from {low} to {high}, got {got}"
    if kind == "string_too_short":
        return f"{prefix}must not be empty"
    if kind == "string_too_long":
        return f"{prefix}is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_type":
        return f"{prefix}expected text, got {type_name(value, written)}"
    if kind == "too_short":
        return f"{prefix}needs at least one entry"
    if kind == "list_type":
        return f"{prefix}expected a list ('- ...' lines), got {type_name(value, written)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{prefix}expected a mapping of keys, got {type_name(value, written)}"
    if kind in ("bool_parsing", "bool_type"):
        hint = (
            "; write true or false (yes, no, on and off are text)"
            if isinstance(value, str)
            else "; write true or false"
        )
        return f"{prefix}expected true or false, got {type_name(value, written)}{hint}"
    if kind == "value_error":
        return f"{prefix}{str(err['msg']).removeprefix('Value error, ')}"
    return f"{prefix}{err['msg']}"


def position(err: ErrorDetails, positions: Positions, raw: Value) -> tuple[int, int]:
    """Where a pydantic error points in the file: the key for unknown keys, else the value."""
    loc: YamlPath = tuple(err["loc"])
    if err["type"] == "extra_forbidden":
        return positions.key(loc)
    if err["type"] == "missing":
        return positions.value(loc[:-1])
    if not loc and isinstance(raw, dict):
        # A whole-file rule: point at the first key its message names.
        for key in re.findall(r"'([a-z_]+)'", str(err["msg"])):
            if key in raw:
                return positions.key((key,))
    return positions.value(loc)
