"""Showing text from files, names, arguments, the store and the environment literally.

Core module: no Textual, no pydantic. :func:`printable` is THE filter every byte
the CLI prints goes through (see :mod:`safety_tui.cli.console`); the app uses it too.
"""

from __future__ import annotations

import re

# Never emitted raw, because a terminal acts on them:
# - C0 controls (ESC starts CSI/OSC sequences, BEL ends OSC ones, CR overwrites a line),
#   except the newline; a CR is kept only as part of CR LF (calendar files), which a
#   terminal shows exactly like LF;
# - DEL and the C1 controls U+0080-U+009F (U+009B is a one-character CSI, U+009D an OSC);
# - the bidi embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069,
#   which make text read differently from what it is ("Trojan Source");
# - lone surrogates (undecodable bytes of a file name), which cannot be encoded at all.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")
_UNPRINTABLE = re.compile(f"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]|\r(?!\n)")


def has_control_chars(text: str) -> str | None:
    """The first control or bidi-override character in ``text``, if any.

    Fields people type (checklist text, plan fields, the settings name) refuse these.
    """
    match = _FORBIDDEN.search(text)
    return match.group(0) if match else None


def describe_char(char: str) -> str:
    """``U+001B`` style name of one character, for error messages."""
    return f"U+{ord(char):04X}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control, bidi-override and unencodable character shown escaped.

    ESC becomes the four characters ``\\x1b``, U+202E becomes ``\\u202e``; newlines (and
    CR LF pairs) stay. Terminal escape sequences (OSC 0 title, OSC 52 clipboard, CSI ...)
    from a checklist, a file name, an argument, a stored field or the environment can
    never reach the terminal: they are shown as text instead.
    """
    return _UNPRINTABLE.sub(_escape, text)
