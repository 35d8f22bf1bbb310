"""A safe YAML reader that remembers where every value came from.

Why not ``yaml.safe_load``?
- PyYAML silently keeps the last of two duplicate keys; officers would never know.
- YAML 1.1 turns ``no`` into ``False`` and ``16:30`` into 990. Editors (yaml-language-server)
  read YAML 1.2, so this reader does too: only ``true``/``false`` are booleans, and a plain
  ``2.10`` is a number here exactly as it is in the editor checking the JSON Schema.
- Anchors and aliases allow "billion laughs" expansion bombs, and libyaml's composer recurses
  per nesting level, so a file of 50,000 ``[`` can crash the interpreter.
- Errors must say ``file:line:column: message``, also for schema errors found by pydantic,
  so the position of every node is kept.

So the event stream from the C parser is consumed here, iteratively, building plain Python
values and a map from each value's path to its position. Anchors, aliases, explicit tags,
extra documents and deep nesting are refused as soon as their event arrives, before any
expansion or recursion can happen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Union

import yaml

from safety_tui.checklists.loader.characters import EMPTY_FILE, bad_char
from safety_tui.checklists.loader.problems import Fail, Problem
from safety_tui.checklists.loader.syntax import DEEP, MAX_DEPTH, SyntaxContext, syntax_message

ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
MappingStartEvent, MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
SequenceStartEvent, SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
DocumentStartEvent, StreamEndEvent = yaml.DocumentStartEvent, yaml.StreamEndEvent

# libyaml is much faster; fall back to the pure-Python parser if PyYAML was built without it.
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Keys whose value is free text: a same-line ' #' there most likely cut the text short.
FREE_TEXT_KEYS = frozenset({"title", "description", "text", "help"})
# Where curly quotes around a whole value may be meant as typography; anywhere else (ref, id, when,
# answer, ...) they came from Word and would make the value wrong.
CURLY_QUOTES_KEPT = FREE_TEXT_KEYS | {"version", "name", "note", "police_protocol"}

Key = Union[str, int]
YamlPath = tuple[Key, ...]
Value = Union[None, bool, int, float, str, list["Value"], dict[str, "Value"]]

_ALLOWED_TAGS = {None, "!", "tag:yaml.org,2002:str"}
# The YAML 1.2 core schema, as yaml-language-server reads plain (unquoted) values.
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+")
_INT_OTHER = re.compile(r"0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")  # first letters of null, bool and number
_BREAKS = re.compile(r"\r\n|\r|\n")
_CURLY_OPENERS = "\u201c\u2018\u201e"
_CURLY_QUOTED = re.compile(f"[{_CURLY_OPENERS}].*[\u201d\u2019\u201c]", re.S)  # “...”, ‘...’, „...“


@dataclass
class Positions:
    """Where each value (and each mapping key) of a parsed file starts, by path."""

    values: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    # Plain values read as numbers: the text as written ("2.10", not 2.1), for messages.
    numbers: dict[YamlPath, str] = field(default_factory=dict)

    def value(self, path: YamlPath) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest ancestor."""
        path = tuple(path)
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key(self, path: YamlPath) -> tuple[int, int]:
        return self.keys.get(tuple(path)) or self.value(path)


@dataclass(frozen=True)
class BadText:
    """A text value (or key) holding a character checklists refuse, e.g. from a ``"\\e"`` escape."""

    path: YamlPath
    line: int
    column: int
    char: str
    is_key: bool


@dataclass
class Parsed:
    value: Value
    positions: Positions
    problems: list[Problem]
    bad_text: list[BadText]
    curly: set[YamlPath] = field(default_factory=set)  # values reported for curly quotes


def resolve(value: str, plain: bool) -> Value:
    """A scalar as YAML 1.2 (and so the editor) reads it; only plain scalars can be non-text."""
    if not plain or (value and value[0] not in _MAYBE_NOT_TEXT):
        return value
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.fullmatch(value):
        return int(value) if len(value) <= 30 else float(value)
    if _INT_OTHER.fullmatch(value):
        return int(value, 0)
    if _FLOAT.fullmatch(value):
        special = value.lstrip("+-").lower()  # .inf, -.Inf, .NaN: Python spells them without the dot
        if special in (".inf", ".nan"):
            return float(value.replace(".", "", 1))
        return float(value)
    return value


class Mark(Protocol):
    """A parser position (PyYAML's pure-Python and C marks differ in type, not in shape)."""

    line: int
    column: int


def _pos(mark: Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _key_text(value: Value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    return str(value).lower() if isinstance(value, bool) else str(value)


class _NoKey:
    """Marks a mapping frame that is waiting for its next key."""


_NO_KEY = _NoKey()


@dataclass
class _Frame:
    container: dict[str, Value] | list[Value]
    path: YamlPath
    key: str | _NoKey = _NO_KEY
    key_pos: tuple[int, int] = (1, 1)
    seen: dict[str, tuple[int, int]] = field(default_factory=dict)


class _Builder:
    """Turns events into values, one at a time, with no recursion."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self.positions = Positions()
        self.problems: list[Problem] = []
        self.bad_text: list[BadText] = []
        self.curly: set[YamlPath] = set()  # values wrapped in curly quotes, already reported
        self.stack: list[_Frame] = []
        self.root: Value = None
        self.have_root = False

    def line(self, number: int) -> str:
        if self._lines is None:
            self._lines = _BREAKS.split(self.text)
        return self._lines[number] if number < len(self._lines) else ""

    def attach(self, value: Value, pos: tuple[int, int]) -> YamlPath | None:
        """Place a value; returns its path, or None when it became a mapping key."""
        if not self.stack:
            self.root, self.have_root = value, True
            self.positions.values[()] = pos
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            child: YamlPath = frame.path + (len(frame.container),)
            frame.container.append(value)
            self.positions.values[child] = pos
            return child
        if isinstance(frame.key, _NoKey):  # this value is a key
            if isinstance(value, (dict, list)):
                raise Fail(*pos, "a key must be plain text, not a list or mapping")
            frame.key, frame.key_pos = _key_text(value), pos
            return None
        key, key_pos = frame.key, frame.key_pos
        frame.key = _NO_KEY
        child = frame.path + (key,)
        if key in frame.seen:
            first = frame.seen[key][0]
            self.problems.append((*key_pos, f"duplicate key '{key}' (first given at line {first}); remove one of them"))
            return child
        frame.seen[key] = key_pos
        frame.container[key] = value
        self.positions.values[child] = pos
        self.positions.keys[child] = key_pos
        return child

    def scalar(self, event: yaml.ScalarEvent) -> None:
        pos = _pos(event.start_mark)
        plain = not event.style and event.implicit[0]
        value = resolve(event.value, plain)
        frame = self.stack[-1] if self.stack else None
        is_key = frame is not None and type(frame.container) is dict and frame.key is _NO_KEY
        key = frame.key if frame is not None and type(frame.key) is str else None
        curly = (
            plain
            and not is_key
            and type(value) is str
            and value[:1] in _CURLY_OPENERS
            and key not in CURLY_QUOTES_KEPT
            and _CURLY_QUOTED.fullmatch(value) is not None
        )
        path = self.attach(value, pos)
        if curly and isinstance(value, str) and path is not None:
            # Word's “2.4.2” is no quote to YAML: the marks are part of the value. Said here, once,
            # with the fix; the format's own complaint about the value is then left out.
            name = key or "value"
            self.problems.append(
                (
                    *pos,
                    (
                        f"{name}: curly quotes {value[0]} {value[-1]} (as Word types them) are not YAML quotes, so they "
                        f'would be part of the value; use straight quotes: {name}: "{value[1:-1]}"'
                    ),
                )
            )
            self.curly.add(path)
        if isinstance(value, str):
            char = bad_char(value)
            if char is not None:
                where = path if path is not None else (frame.path + (value,) if frame else ())
                self.bad_text.append(BadText(where, *pos, char, is_key))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and path is not None:
            self.positions.numbers[path] = event.value
        if plain and not is_key and path and path[-1] in FREE_TEXT_KEYS and isinstance(value, str):
            self._check_comment_cut(event, path[-1])

    def _check_comment_cut(self, event: yaml.ScalarEvent, key: Key) -> None:
        end = event.end_mark
        if end is None:
            return
        rest = self.line(end.line)[end.column :]
        comment = rest.lstrip(" \t")
        gap = len(rest) - len(comment)
        # '  # a note' (two spaces, then '# ') is how people write a comment and is kept as one;
        # 'Ring 999 #1 priority' or 'Home visit # note' may be text YAML cut off, so it is flagged.
        looks_like_text = gap == 1 or comment[1:2] not in (" ", "\t", "")
        if comment.startswith("#") and gap >= 1 and looks_like_text:
            column = end.column + gap + 1
            self.problems.append(
                (
                    end.line + 1,
                    column,
                    f"{key}: the text stops here, because YAML reads ' #' and what follows as a comment; "
                    f"if the '#' belongs to the text, put the whole text in quotes ({key}: \"... #...\"); "
                    "if it is a note, move it to a line of its own",
                )
            )


def parse_yaml(text: str) -> Parsed:
    """Parse one YAML document into plain values plus positions.

    Problems that leave a usable value (duplicate keys, text cut by a comment, refused
    characters in text) are returned; problems that make the value meaningless (syntax
    errors, aliases, tags, depth) raise ``Fail`` instead.
    """
    build = _Builder(text)
    context = SyntaxContext(text)
    documents = 0
    parser = Loader(text)
    next_event: Callable[[], Any] = (
        parser.get_event
    )  # the parser's own call, not yaml.parse's generator: one call per event
    stack = build.stack
    try:
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent:  # most events are: checked first
                if event.anchor is not None or event.tag not in _ALLOWED_TAGS:
                    _refuse_node(event)
                context.saw_scalar(event)
                build.scalar(event)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag not in _ALLOWED_TAGS:
                    _refuse_node(event)
                pos = _pos(event.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise Fail(*pos, DEEP)
                container: dict[str, Value] | list[Value] = {} if kind is MappingStartEvent else []
                path = build.attach(container, pos)
                if path is None:  # used as a key: attach raised already for containers
                    raise Fail(*pos, "a key must be plain text")
                stack.append(_Frame(container, path))
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise Fail(*_pos(event.start_mark), "only one YAML document per file: remove the second '---'")
            elif kind is AliasEvent:
                message = f"aliases ('*{event.anchor}') are not allowed in checklists; write the text out in full"
                raise Fail(*_pos(event.start_mark), message)
            elif event is None or kind is StreamEndEvent:
                break
            # StreamStartEvent and DocumentEndEvent: nothing to do
    except yaml.MarkedYAMLError as exc:
        raise Fail(*syntax_message(exc, context)) from None
    except yaml.YAMLError as exc:  # reader errors without a mark
        raise Fail(1, 1, f"YAML error: {exc}") from None
    finally:
        parser.dispose()
    if not build.have_root:
        raise Fail(1, 1, EMPTY_FILE)
    return Parsed(build.root, build.positions, build.problems, build.bad_text, build.curly)


def _refuse_node(event: yaml.NodeEvent) -> None:
    """An anchor or an explicit tag: refused where it is, before anything can expand or be typed by it."""
    pos = _pos(event.start_mark)
    if event.anchor is not None:
        raise Fail(*pos, f"anchors ('&{event.anchor}') are not allowed in checklists; write the text out in full")
    tag = getattr(event, "tag", None)
    raise Fail(
        *pos, f"YAML tag '{str(tag).replace('tag:yaml.org,2002:', '!!')}' is not allowed in checklists; remove it"
    )
