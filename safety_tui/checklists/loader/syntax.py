"""YAML syntax errors in plain words, with a hint an officer can act on."""

from __future__ import annotations

import re

import yaml

from safety_tui.checklists.loader.problems import Problem

INDENT_HINT = (
    "check the indentation: the keys of one item, and the '-' of each list entry, must line up "
    "exactly under each other (use spaces, two per level)"
)
COLON_HINT = (
    "a ': ' inside a value starts a new key; if the text contains a colon, put the whole text "
    'in quotes, e.g. text: "Note: bring ID"'
)
START_HINT = "a value cannot start with this character; put the whole text in quotes"
_DEEP_PHRASE = "nesting depth"
MAX_DEPTH = 16
DEEP = f"nested more than {MAX_DEPTH} levels deep; a checklist needs far fewer"


_KEY_LINE = re.compile(r"( *)(- +)?([A-Za-z_][A-Za-z0-9_-]*):(?: |$)")


class SyntaxContext:
    """What the parser read last, to explain an error that shows up later than its cause."""

    def __init__(self, text: str = "") -> None:
        self.open_quote: tuple[int, int, int] | None = None  # start line, start column, end line (0-based)
        self.lines = text.splitlines()

    def saw_scalar(self, event: yaml.ScalarEvent) -> None:
        if event.start_mark is None or event.end_mark is None:
            return
        if event.style in ('"', "'") and event.end_mark.line > event.start_mark.line:
            self.open_quote = (event.start_mark.line, event.start_mark.column, event.end_mark.line)


def _hint(problem: str, context: str) -> str:
    if "mapping values are not allowed" in problem:
        return COLON_HINT
    if "cannot start any token" in problem:
        return START_HINT
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        opener = "[" if "]" in problem else "{"
        return f"a '{opener}' is not closed, or a ',' is missing between entries"
    if "could not find expected ':'" in problem:
        return "a line has no ':' after its key, or a text running over several lines needs quotes"
    if "unknown escape" in problem or "escape" in context:
        return "a '\\' in double quotes starts an escape; use single quotes or write '\\\\'"
    if "block" in context or "indentation" in problem or "expected key" in problem or "'-'" in problem:
        return INDENT_HINT
    return "check this line and the one before it"


def _key_column(line: str) -> tuple[str, int, bool] | None:
    """A ``key:`` line's key, the 0-based column it starts at, and whether a value follows on the line."""
    match = _KEY_LINE.match(line)
    if match is None:
        return None
    return match.group(3), match.start(3), bool(line[match.end() :].strip())


def _indented_too_far(context: SyntaxContext, line_index: int) -> Problem | None:
    """'show_if' one space further in than the key above it reads to YAML as the text going on."""
    if not 0 < line_index < len(context.lines):
        return None
    here = _key_column(context.lines[line_index])
    above_index = next(
        (
            i
            for i in range(line_index - 1, -1, -1)
            if context.lines[i].strip() and not context.lines[i].lstrip().startswith("#")
        ),
        None,
    )
    above = _key_column(context.lines[above_index]) if above_index is not None else None
    if here is None or above is None or not above[2] or here[1] <= above[1]:
        return None
    key, column, _ = here
    extra = column - above[1]
    return (
        line_index + 1,
        column + 1,
        f"'{key}' is indented {extra} space{'s' if extra > 1 else ''} further than '{above[0]}' on the line above, "
        f"so YAML reads it as part of that value; keys of one item must line up exactly: start '{key}' in column "
        f"{above[1] + 1}, under '{above[0]}'",
    )


def syntax_message(exc: yaml.MarkedYAMLError, context: SyntaxContext) -> Problem:
    """``(line, column, message)`` for a parser error, placed where the officer should look."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    where = exc.context or ""
    if _DEEP_PHRASE in problem:
        return line, column, DEEP
    opened = exc.context_mark
    if "quoted scalar" in where and opened is not None and "end of stream" in problem:
        return (
            opened.line + 1,
            opened.column + 1,
            f"YAML syntax error: the quote opened here (line {opened.line + 1}) is never closed; "
            "add the closing quote at the end of the text",
        )
    quote = context.open_quote
    if quote is not None and mark is not None and mark.line == quote[2]:
        start_line, start_column, _ = quote
        return (
            start_line + 1,
            start_column + 1,
            f"YAML syntax error: the quoted text opened here (line {start_line + 1}) runs on to line "
            f"{mark.line + 1}, where YAML then fails ({problem}); is its closing quote missing?",
        )
    if "mapping values are not allowed" in problem and mark is not None:
        indented = _indented_too_far(context, mark.line)
        if indented is not None:
            return indented
    what = f"{problem} ({where})" if where else problem
    return line, column, f"YAML syntax error: {what}; {_hint(problem, where)}"
