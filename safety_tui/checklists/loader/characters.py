"""Bytes to text, and the characters a checklist may not contain, named and located.

Everything here runs before the YAML parser sees the file, so the message can
point at the character itself ("line 12, column 9: no-break space") instead of
at whatever the parser tripped over later.
"""

from __future__ import annotations

import re
import unicodedata

from safety_tui.checklists.loader.problems import Fail, Fails, Problem
from safety_tui.checklists.model import INVISIBLE_CHARS
from safety_tui.common.text import has_control_chars

MAX_FILE_BYTES = 1_000_000
MAX_REPORTED = 20  # per kind of problem and file: the rest are counted, not listed

EMPTY_FILE = "file is empty: a checklist needs format, id, title, description, visit_types and sections"

# Spaces that look like a space but are not one, and characters that take no room at all.
# Word, Outlook and web pages paste them; YAML reads them as letters.
ZERO_WIDTH = "\u00ad\u180e\u200b\u2060\ufeff"
LINE_BREAKS = "\u2028\u2029"
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
# Characters refused anywhere in a file as typed: C0 controls (tab, newline and carriage return
# are YAML's own), DEL, C1 controls, bidi overrides, non-characters, and the invisible ones above.
_RAW_BAD = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff" + INVISIBLE_CHARS + "]"
)
# Candidates in a text value: the invisible ones and everything has_control_chars may refuse.
_VALUE_BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069" + INVISIBLE_CHARS + "]")
_LEADING_WS = re.compile(r"[ \t]*")

_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BS",
    0x0B: "VT",
    0x0C: "FF",
    0x0D: "CR",
    0x09: "TAB",
    0x1B: "ESC",
    0x7F: "DEL",
    0x85: "NEL",
    0x90: "DCS",
    0x9B: "CSI",
    0x9D: "OSC",
    0x9C: "ST",
}


def char_name(char: str) -> str:
    """``U+00A0 (no-break space)``: the code point and its Unicode name, in lower case."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "").lower()
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def describe(char: str) -> str:
    """What is wrong with one character and how to fix it, in an officer's words."""
    if INVISIBLE.fullmatch(char):
        if char in LINE_BREAKS:
            fix = "replace it with an ordinary line break"
        elif char in ZERO_WIDTH:
            fix = "delete it (it takes no room, so put the cursor just after the letter before it)"
        else:
            fix = "replace it with an ordinary space"
        return f"invisible character {char_name(char)} (often pasted from Word or a web page): {fix}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"bidirectional control {char_name(char)} is not allowed (it can make text read backwards); delete it"
    if char == "\t":
        return "a tab is not allowed in text; use spaces"
    if char in "\ufffe\uffff":
        return f"{char_name(char)} is not a character; save the file as plain UTF-8 text"
    return f"control character {char_name(char)} is not allowed (terminal escape sequences could hijack the screen)"


def bad_char(text: str) -> str | None:
    """The first character a text value may not hold: a control, bidi or invisible one."""
    for match in _VALUE_BAD.finditer(text):
        char = match.group()
        if INVISIBLE.fullmatch(char) or has_control_chars(char):
            return char
    return None


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(data: bytes) -> str:
    """Decode file bytes as UTF-8 (an optional BOM is fine) or raise ``Fail``."""
    if len(data) > MAX_FILE_BYTES:
        raise Fail(1, 1, too_big(len(data)))
    for bom, name in ((b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"), (b"\x00\x00\xfe\xff", "UTF-32")):
        if data.startswith(bom):
            raise Fail(1, 1, f"file is encoded as {name}; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise Fail(line, nul - (data.rfind(b"\n", 0, nul) + 1) + 1, "NUL byte: is this a binary file?")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        message = f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        raise Fail(line, column, message) from None


def scan(text: str) -> None:
    """Raise ``Fails`` naming every refused character and every tab used for indentation."""
    problems: list[Problem] = []
    found = 0
    first_unlisted = 0
    for match in _RAW_BAD.finditer(text):
        found += 1
        if found <= MAX_REPORTED:
            problems.append((*_line_column(text, match.start()), describe(match.group())))
        elif found == MAX_REPORTED + 1:
            first_unlisted = match.start()
    if found > MAX_REPORTED:
        more = found - MAX_REPORTED
        problems.append((*_line_column(text, first_unlisted), f"{more} more refused characters from here on"))
    if problems:
        raise Fails(problems)
    tabs = _tab_problems(text)
    if tabs:
        raise Fails(tabs)


def _tab_problems(text: str) -> list[Problem]:
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LEADING_WS.match(line)
        indent = match.group() if match else ""
        if "\t" in indent and line.strip():
            problems.append((number, indent.index("\t") + 1, "tab used for indentation; YAML needs spaces"))
    return problems


def too_big(size: int) -> str:
    return f"file is {size:,} bytes; a checklist may be at most {MAX_FILE_BYTES:,} bytes"
