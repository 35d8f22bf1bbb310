"""Load checklist YAML files safely and report every problem precisely.

Core module: no Textual import.

Why not ``yaml.safe_load``?
- PyYAML silently keeps the last of two duplicate keys; officers would never know.
- YAML 1.1 turns ``no`` into ``False`` and ``16:30`` into 990; checklists must keep
  what the officer wrote.
- Anchors and aliases allow "billion laughs" expansion bombs, and libyaml's
  composer recurses per nesting level, so a file of 50,000 ``[`` can crash the
  interpreter.
- Errors must say ``file:line:column: message``, also for schema errors found by
  pydantic, so positions of every node are needed.

So the event stream from the C parser is consumed here, iteratively, building
plain Python values and a map from each value's path to its position. Anchors,
aliases, explicit tags, extra documents and deep nesting are refused as soon as
their event arrives, before any expansion or recursion can happen.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from safety_tui import paths
from safety_tui.errors import ChecklistError
from safety_tui.checklist import Checklist, Item, ItemType, Section, ShowIf, TravelMode, When

try:  # libyaml is much faster; fall back to the pure-Python parser if absent.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 16
YAML_SUFFIXES = (".yaml", ".yml")

_ALLOWED_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_INT = re.compile(r"[-+]?[0-9]{1,18}")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
# Characters YAML itself refuses, found up front so the message can be plain.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LEADING_WS = re.compile(r"^[ \t]*")


@dataclass(frozen=True, order=True)
class LoadError:
    """One problem in one file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ChecklistFileError(ChecklistError):
    """A checklist file could not be loaded. ``errors`` holds every problem found."""

    def __init__(self, errors: list[LoadError]):
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


Path_ = tuple[str | int, ...]


@dataclass
class _Positions:
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def value(self, path: Path_) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest ancestor."""
        path = tuple(path)
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key(self, path: Path_) -> tuple[int, int]:
        return self.keys.get(tuple(path)) or self.value(path)


class _Fail(Exception):
    def __init__(self, line: int, column: int, message: str):
        self.line, self.column, self.message = line, column, message


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Resolve a scalar the way an officer reads it (a small YAML 1.2 core subset).

    Only plain (unquoted) scalars are resolved; ``yes``/``no``/``on``/``off``,
    times like ``16:30`` and everything else stay text.
    """
    value = event.value
    if event.style not in (None, "") or not event.implicit[0]:
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value) and str(int(value)) == value:
        return int(value)  # only canonical numbers: '0755' or '+3' stay as written
    return value


def _describe_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def parse_yaml(text: str) -> tuple[Any, _Positions, list[tuple[int, int, str]]]:
    """Parse one YAML document into plain values plus positions.

    Returns ``(value, positions, problems)``; problems that make the value
    meaningless (syntax errors, aliases, tags, depth) raise ``_Fail`` instead.
    """
    positions = _Positions()
    problems: list[tuple[int, int, str]] = []
    # Each frame: [container, path, pending_key, pending_key_pos, seen_keys]
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    documents = 0

    def attach(value: Any, pos: tuple[int, int]) -> Path_ | None:
        nonlocal root, have_root
        if not stack:
            root, have_root = value, True
            positions.values[()] = pos
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            child = path + (len(container),)
            container.append(value)
            positions.values[child] = pos
            return child
        if frame[2] is _NO_KEY:  # this value is a key
            if isinstance(value, (dict, list)):
                raise _Fail(*pos, "a key must be plain text, not a list or mapping")
            key = value if isinstance(value, str) else ("null" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
            frame[2], frame[3] = key, pos
            return None
        key, key_pos = frame[2], frame[3]
        frame[2] = _NO_KEY
        child = path + (key,)
        seen = frame[4]
        if key in seen:
            first = seen[key]
            problems.append((*key_pos, f"duplicate key '{key}' (first given at line {first[0]}); remove one of them"))
            return child
        seen[key] = key_pos
        container[key] = value
        positions.values[child] = pos
        positions.keys[child] = key_pos
        return child

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Fail(*_pos(event.start_mark), "only one YAML document per file: remove the second '---'")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.AliasEvent):
                raise _Fail(*_pos(event.start_mark), f"aliases ('*{event.anchor}') are not allowed in checklists; write the text out in full")
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            # A node event: scalar, mapping start or sequence start.
            pos = _pos(event.start_mark)
            if event.anchor is not None:
                raise _Fail(*pos, f"anchors ('&{event.anchor}') are not allowed in checklists; write the text out in full")
            if event.tag not in _ALLOWED_TAGS:
                raise _Fail(*pos, f"YAML tag '{_describe_tag(event.tag)}' is not allowed in checklists; remove it")
            if isinstance(event, yaml.ScalarEvent):
                attach(_scalar(event), pos)
                continue
            if len(stack) >= MAX_DEPTH:
                raise _Fail(*pos, f"nested more than {MAX_DEPTH} levels deep; a checklist needs far fewer")
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            path = attach(container, pos)
            if path is None:  # used as a key: attach raised already for containers
                raise _Fail(*pos, "a key must be plain text")
            stack.append([container, path, _NO_KEY, None, {}])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = _pos(mark) if mark else (1, 1)
        what = exc.problem or "invalid YAML"
        if "nesting depth" in what:
            raise _Fail(line, column, f"nested more than {MAX_DEPTH} levels deep; a checklist needs far fewer") from None
        if exc.context:
            what = f"{what} ({exc.context})"
        raise _Fail(line, column, f"YAML syntax error: {what}") from None
    except yaml.YAMLError as exc:  # reader errors without a mark
        raise _Fail(1, 1, f"YAML error: {exc}") from None
    if not have_root:
        raise _Fail(1, 1, "file is empty: a checklist needs format, id, title, description, visit_types and sections")
    return root, positions, problems


class _NoKey:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<no key>"


_NO_KEY = _NoKey()


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-8 (an optional BOM is fine) or raise ``_Fail``."""
    if len(data) > MAX_FILE_BYTES:
        raise _Fail(1, 1, _too_big(len(data)))
    for bom, name in ((b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"), (b"\x00\x00\xfe\xff", "UTF-32")):
        if data.startswith(bom):
            raise _Fail(1, 1, f"file is encoded as {name}; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise _Fail(line, column, "NUL byte: is this a binary file?")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        raise _Fail(line, column, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    bad = _BAD_CHAR.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        what = "NUL byte: is this a binary file?" if bad.group() == "\x00" else f"control character U+{ord(bad.group()):04X} is not allowed"
        raise _Fail(line, column, what)
    return text


def _tab_problems(text: str) -> list[tuple[int, int, str]]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = _LEADING_WS.match(line).group()  # type: ignore[union-attr]
        if "\t" in indent and line.strip():
            problems.append((number, indent.index("\t") + 1, "tab used for indentation; YAML needs spaces"))
    return problems


# -- mapping pydantic errors onto the YAML --------------------------------

_MODEL_AT: dict[type[BaseModel], dict[str, type[BaseModel]]] = {
    Checklist: {"sections": Section},
    Section: {"items": Item},
    Item: {"show_if": ShowIf},
}


def _model_for(loc: Path_) -> type[BaseModel]:
    model: type[BaseModel] = Checklist
    for part in loc:
        if isinstance(part, int):
            continue
        nested = _MODEL_AT.get(model, {}).get(part)
        if nested is None:
            break
        model = nested
    return model


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f", did you mean '{close[0]}'?" if close else ""


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, int):
        return f"the number {value}"
    return f"'{value}'"


def _message(err: dict[str, Any]) -> str:
    loc: Path_ = tuple(err["loc"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    where = _dotted(loc)
    prefix = f"{where}: " if where else ""
    if kind == "missing":
        parent = _dotted(loc[:-1])
        return f"{parent + ': ' if parent else ''}missing required key '{loc[-1]}'"
    if kind == "extra_forbidden":
        model = _model_for(loc[:-1])
        allowed = list(model.model_fields)
        hint = _suggest(loc[-1], allowed) or f" (allowed: {', '.join(allowed)})"
        parent = _dotted(loc[:-1])
        return f"{parent + ': ' if parent else ''}unknown key '{loc[-1]}'{hint}"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        options = re.findall(r"'([^']*)'|(\d+)", expected)
        words = [a or b for a, b in options]
        return f"{prefix}expected {expected}, got {_type_name(value)}{_suggest(str(value), words)}"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "ref":
            return f"{prefix}{_type_name(value)} is not a guidance reference like '2.4.3'"
        return f"{prefix}{_type_name(value)} is not a valid id: use lower-case letters, digits and single '-' or '_' between them"
    if kind == "string_too_short":
        return f"{prefix}must not be empty"
    if kind == "string_too_long":
        return f"{prefix}is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_type":
        return f"{prefix}expected text, got {_type_name(value)}"
    if kind == "too_short":
        return f"{prefix}needs at least one entry"
    if kind == "list_type":
        return f"{prefix}expected a list ('- ...' lines), got {_type_name(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{prefix}expected a mapping of keys, got {_type_name(value)}"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"{prefix}expected true or false, got {_type_name(value)}"
    if kind == "value_error":
        return f"{prefix}{str(err['msg']).removeprefix('Value error, ')}"
    return f"{prefix}{err['msg']}"


def _position(err: dict[str, Any], positions: _Positions, raw: Any) -> tuple[int, int]:
    loc: Path_ = tuple(err["loc"])
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


def _semantic_problems(checklist: Checklist, positions: _Positions) -> list[tuple[int, int, str]]:
    problems: list[tuple[int, int, str]] = []
    seen: dict[str, tuple[int, int]] = {}
    order: dict[str, int] = {}
    for s_index, section in enumerate(checklist.sections):
        for i_index, item in enumerate(section.items):
            path = ("sections", s_index, "items", i_index)
            if item.id in seen:
                line, col = positions.value(path + ("id",))
                problems.append((line, col, f"duplicate item id '{item.id}' (first used at line {seen[item.id][0]})"))
            else:
                seen[item.id] = positions.value(path + ("id",))
                order[item.id] = len(order)
    for s_index, section in enumerate(checklist.sections):
        for i_index, item in enumerate(section.items):
            problems += _when_problems(item, ("sections", s_index, "items", i_index), positions)
    items: dict[str, Item] = {}
    for item in checklist.items():
        items.setdefault(item.id, item)
    position = -1
    for s_index, section in enumerate(checklist.sections):
        for i_index, item in enumerate(section.items):
            position += 1
            if item.show_if is None:
                continue
            target = item.show_if.item
            line, col = positions.value(("sections", s_index, "items", i_index, "show_if", "item"))
            if target == item.id:
                problems.append((line, col, f"show_if: item '{item.id}' cannot depend on itself"))
            elif target not in items:
                problems.append((line, col, f"show_if: no item '{target}' in this checklist{_suggest(target, items)}"))
            elif items[target].type is not ItemType.QUESTION:
                problems.append((line, col, f"show_if: '{target}' is a check, not a question; only yes/no questions can show other items"))
            elif order[target] > position:
                problems.append((line, col, f"show_if: question '{target}' must come before '{item.id}'"))
    return problems


def _when_problems(item: Item, path: Path_, positions: _Positions) -> list[tuple[int, int, str]]:
    """Only 'before' items are ticked in the walk, so only they may be critical, questions or a step's."""
    if item.when is When.BEFORE:
        return []
    when = item.when.value
    article = "an" if when == "after" else "a"
    rules = (
        ("critical", item.critical, f"critical is only for 'before' items; {article} '{when}' item is advice, never a risk: remove 'critical: true' or make it 'when: before'"),
        ("type", item.type is ItemType.QUESTION, f"a question is answered when planning, so it must be 'when: before', not '{when}'"),
        ("step", item.step is not None, f"'step' is only for 'before' items (a wizard step carries them out), not '{when}'"),
    )
    return [(*positions.key(path + (key,)), message) for key, broken, message in rules if broken]


def parse_checklist(data: bytes, path: str) -> tuple[Checklist, _Positions]:
    """Parse and validate one checklist file's bytes. Raises ``ChecklistFileError``."""

    def fail(problems: list[tuple[int, int, str]]) -> ChecklistFileError:
        return ChecklistFileError([LoadError(path, line, col, msg) for line, col, msg in problems])

    try:
        text = decode(data)
        if not text.strip():
            raise _Fail(1, 1, "file is empty: a checklist needs format, id, title, description, visit_types and sections")
        tabs = _tab_problems(text)
        if tabs:
            raise fail(tabs)
        raw, positions, problems = parse_yaml(text)
    except _Fail as exc:
        raise fail([(exc.line, exc.column, exc.message)]) from None
    if not isinstance(raw, dict):
        raise fail([(*positions.value(()), f"a checklist file must be a mapping of keys (format, id, title, ...), found {_type_name(raw)}")])
    try:
        checklist = Checklist.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            problems.append((*_position(err, positions, raw), _message(err)))
        raise fail(problems) from None
    problems += _semantic_problems(checklist, positions)
    if problems:
        raise fail(problems)
    return checklist, positions


def load_checklist_file(path: Path) -> Checklist:
    """Read and validate one file. Raises ``ChecklistFileError`` for any problem."""
    return parse_checklist(_read(path), str(path))[0]


# -- directories and the search path --------------------------------------


@dataclass(frozen=True)
class LoadedChecklist:
    checklist: Checklist
    path: Path
    layer: str  # "bundled", "organisation" or "user"


@dataclass(frozen=True)
class Override:
    checklist_id: str
    winner: Path
    loser: Path


@dataclass
class Catalog:
    """Every usable checklist by id, plus every error found on the way."""

    checklists: dict[str, LoadedChecklist] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)

    def get(self, checklist_id: str) -> Checklist | None:
        loaded = self.checklists.get(checklist_id)
        return loaded.checklist if loaded else None

    def sorted(self) -> list[LoadedChecklist]:
        return sorted(self.checklists.values(), key=lambda lc: (lc.checklist.title.lower(), lc.checklist.id))

    def matching(self, visit_type: str, modes: list[str]) -> list[str]:
        """Ids of the checklists a plan of this kind should use, in walk order (see compose.walk_order)."""
        from safety_tui.compose import walk_order

        chosen = [lc.checklist for lc in self.sorted() if lc.checklist.applies_to(visit_type, modes)]
        return [c.id for c in walk_order(chosen, [TravelMode(m) for m in modes])]

    def overridden_by(self, checklist_id: str) -> list[Override]:
        return [o for o in self.overrides if o.checklist_id == checklist_id]


def checklist_files(directory: Path) -> list[Path]:
    """YAML files directly inside ``directory``, in a stable order; hidden files skipped."""
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return []
    return [p for p in entries if p.suffix.lower() in YAML_SUFFIXES and not p.name.startswith(".") and p.is_file()]


def load_paths(paths: Iterable[Path], layer: str = "organisation") -> tuple[list[LoadedChecklist], list[LoadError]]:
    """Load files and directories; the same id twice among them is an error."""
    loaded: list[LoadedChecklist] = []
    errors: list[LoadError] = []
    first_seen: dict[str, Path] = {}
    for path in paths:
        files = checklist_files(path) if path.is_dir() else [path]
        if not path.exists():
            errors.append(LoadError(str(path), 1, 1, "no such file or directory"))
            continue
        for file in files:
            try:
                checklist, positions = parse_checklist(_read(file), str(file))
            except ChecklistFileError as exc:
                errors.extend(exc.errors)
                continue
            if checklist.id in first_seen:
                line, col = positions.value(("id",))
                errors.append(
                    LoadError(str(file), line, col, f"checklist id '{checklist.id}' is already used by {first_seen[checklist.id].name} in the same folder; give each file its own id")
                )
                continue
            first_seen[checklist.id] = file
            loaded.append(LoadedChecklist(checklist, file, layer))
    return loaded, errors


def _read(path: Path) -> bytes:
    """At most the size limit plus one byte: a huge file is never read whole."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                size = os.fstat(handle.fileno()).st_size
                raise ChecklistFileError([LoadError(str(path), 1, 1, _too_big(size))])
            return data
    except OSError as exc:
        raise ChecklistFileError([LoadError(str(path), 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None


def _too_big(size: int) -> str:
    return f"file is {size:,} bytes; a checklist may be at most {MAX_FILE_BYTES:,} bytes"


search_path = paths.search_path  # kept here too: the loader is where officers look for it


def load_catalog(layers: list[tuple[str, Path]]) -> Catalog:
    """Load every layer; a later layer overrides an earlier one by checklist id.

    A broken file never hides the good ones: its errors are collected and the
    rest load. A layer directory that does not exist is skipped quietly, except
    an organisation folder that was asked for explicitly.
    """
    catalog = Catalog()
    for layer, directory in layers:
        if not directory.exists():
            if layer == "organisation":
                catalog.errors.append(LoadError(str(directory), 1, 1, "checklist folder does not exist"))
            continue
        loaded, errors = load_paths([directory], layer)
        catalog.errors.extend(errors)
        for item in loaded:
            previous = catalog.checklists.get(item.checklist.id)
            if previous is not None:
                catalog.overrides.append(Override(item.checklist.id, item.path, previous.path))
            catalog.checklists[item.checklist.id] = item
    return catalog
