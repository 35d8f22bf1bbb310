"""The CLI's one way to the terminal: everything printed goes through :func:`printable`.

:func:`safe_output` replaces ``sys.stdout`` and ``sys.stderr`` for the length of a
command, so every ``print`` (commands, argparse's own usage errors, warnings,
tracebacks) is filtered without the command having to remember. There is no
``buffer`` attribute: raw bytes cannot bypass the filter. Core: no Textual import.
"""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO, cast

from safety_tui.common.text import printable

PROG = "safety-tui"


class SafeStream(io.TextIOBase):
    """A text stream that writes :func:`printable` text to the stream it wraps."""

    def __init__(self, raw: TextIO) -> None:
        super().__init__()
        self.raw = raw

    def write(self, text: str) -> int:
        safe = printable(text)
        try:
            self.raw.write(safe)
        except UnicodeEncodeError:  # e.g. PYTHONIOENCODING=ascii: show what cannot be encoded as escapes
            encoding = getattr(self.raw, "encoding", None) or "ascii"
            self.raw.write(safe.encode(encoding, "backslashreplace").decode(encoding))
        return len(text)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        self.raw.flush()

    def fileno(self) -> int:
        return self.raw.fileno()

    def isatty(self) -> bool:
        return self.raw.isatty()


@contextmanager
def safe_output() -> Iterator[None]:
    """Filter everything written to ``sys.stdout`` and ``sys.stderr`` inside the block."""
    saved = sys.stdout, sys.stderr
    # A closed stream (``safety-tui status >&-``) is None: print() then writes nothing.
    if saved[0] is not None:
        sys.stdout = cast(TextIO, SafeStream(saved[0]))
    if saved[1] is not None:
        sys.stderr = cast(TextIO, SafeStream(saved[1]))
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass
        sys.stdout, sys.stderr = saved


def say(text: str = "") -> None:
    """One line for the person, on stdout."""
    print(text, file=sys.stdout)


def warn(text: str) -> None:
    """One line on stderr, prefixed with the program name."""
    print(f"{PROG}: {text}", file=sys.stderr)
