"""YAML syntax errors in plain words, with a hint an officer can act on."""

from __future__ import annotations

import yaml

from safety_tui.checklists.loader.problems import Problem

INDENT_HINT = (
    "check the indentation: the keys of one item, and the '-' of each list entry, must line up "
    "exactly under each other (use spaces, two per level)"
)
COLON_HINT = (
    "a ': ' inside a value starts a new key; if the text contains a colon, put the whole text "
    "in quotes, e.g. text: \"Note: bring ID\""
)
START_HINT = "a value cannot start with this character; put the whole text in quotes"
_DEEP_PHRASE = "nesting depth"
MAX_DEPTH = 16
DEEP = f"nested more than {MAX_DEPTH} levels deep; a checklist needs far fewer"


class SyntaxContext:
    """What the parser read last, to explain an error that shows up later than its cause."""

    def __init__(self) -> None:
        self.open_quote: tuple[int, int, int] | None = None  # start line, start column, end line (0-based)

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
            opened.line + 1, opened.column + 1,
            f"YAML syntax error: the quote opened here (line {opened.line + 1}) is never closed; "
            "add the closing quote at the end of the text",
        )
    quote = context.open_quote
    if quote is not None and mark is not None and mark.line == quote[2]:
        start_line, start_column, _ = quote
        return (
            start_line + 1, start_column + 1,
            f"YAML syntax error: the quoted text opened here (line {start_line + 1}) runs on to line "
            f"{mark.line + 1}, where YAML then fails ({problem}); is its closing quote missing?",
        )
    what = f"{problem} ({where})" if where else problem
    return line, column, f"YAML syntax error: {what}; {_hint(problem, where)}"
