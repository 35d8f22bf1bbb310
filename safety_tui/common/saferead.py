"""The one safe way to read a file someone handed us: never blocks, never reads unbounded. Core: no Textual.

- A FIFO, socket, device or folder is refused from ``os.stat`` alone and never opened
  for a blocking read: the file is opened with ``O_NONBLOCK`` (and ``O_NOFOLLOW``
  unless the path is itself a link the user made) and checked again with ``fstat``,
  so a file swapped for a FIFO between the two checks is still refused at once.
- At most ``limit`` bytes are read; a bigger file (or one that grows while it is
  read, like ``/dev/zero`` behind a link) is refused, never loaded whole.

Used by the checklist loader, ``routes.yaml`` and incident evidence.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


class ReadRefused(ValueError):
    """The file cannot be read safely; ``str(err)`` says why, without the path (the caller adds it)."""

    def __init__(self, reason: str, *, too_big: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.size = too_big  # the size seen, when the file was refused for being too big


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def why_not_readable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"it is a broken symbolic link (to {target}, which does not exist)"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot read file: {exc.strerror or exc}"


def refusal(path: Path) -> str | None:
    """Why ``path`` is not a regular file we can read, from ``os.stat`` alone, or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return why_not_readable(path, exc)
    return None if stat.S_ISREG(mode) else f"it is {kind_of(mode)}, not a regular file"


def read_bounded(path: Path, limit: int) -> bytes:
    """The whole of a regular file of at most ``limit`` bytes; anything else raises :class:`ReadRefused`."""
    why = refusal(path)
    if why is not None:
        raise ReadRefused(why)
    try:
        flags = _OPEN_FLAGS if os.path.islink(path) else _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadRefused(why_not_readable(path, exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(f"it is {kind_of(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise ReadRefused(f"it is {info.st_size:,} bytes; at most {limit:,}", too_big=info.st_size)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            seen = max(size, os.fstat(fd).st_size)
            raise ReadRefused(f"it is {seen:,} bytes or more; at most {limit:,}", too_big=seen)
        return b"".join(chunks)
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
