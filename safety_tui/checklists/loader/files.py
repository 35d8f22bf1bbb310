"""Reading checklist files and folders without ever blocking or silently skipping.

- A FIFO, socket or device is refused from ``os.stat`` alone and never opened for a
  blocking read: files are opened with ``O_NONBLOCK`` (and ``O_NOFOLLOW`` unless the path is
  a link) and checked again with ``fstat``, so a file swapped for a FIFO between the two
  checks is still refused at once.
- In a folder, a ``.yaml`` entry that is a broken symbolic link, a symbolic link loop or
  not a regular file is reported as skipped, not quietly left out.
- A folder that cannot be listed is an error, never "0 checklists".
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from safety_tui.checklists.loader.characters import MAX_FILE_BYTES, too_big
from safety_tui.checklists.loader.problems import ChecklistFileError, LoadError

YAML_SUFFIXES = (".yaml", ".yml")
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass
class FolderScan:
    """The checklist files of one folder, and the entries that look like one but were skipped."""

    files: list[Path] = field(default_factory=list)
    skipped: list[LoadError] = field(default_factory=list)


def _kind(mode: int) -> str:
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


def _why_not_readable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "skipped: it is a symbolic link loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"skipped: it is a broken symbolic link (to {target}, which does not exist)"
    if exc.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot read file: {exc.strerror or exc}"


def refusal(path: Path) -> str | None:
    """Why ``path`` cannot be read as a checklist file, from ``os.stat`` alone, or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return _why_not_readable(path, exc)
    if stat.S_ISREG(mode):
        return None
    return f"skipped: it is {_kind(mode)}, not a checklist file"


def read_file(path: Path) -> bytes:
    """At most the size limit plus one byte of a regular file; anything else is refused at once."""
    name = str(path)
    why = refusal(path)
    if why is not None:
        raise ChecklistFileError([LoadError(name, 1, 1, why)])
    # A path that is not a link is opened with O_NOFOLLOW, so it cannot become one in between;
    # a link an officer made on purpose is followed, and fstat below checks what it reached.
    try:
        flags = _OPEN_FLAGS if os.path.islink(path) else _OPEN_FLAGS | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        raise ChecklistFileError([LoadError(name, 1, 1, _why_not_readable(path, exc))]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ChecklistFileError([LoadError(name, 1, 1, f"skipped: it is {_kind(info.st_mode)}, not a checklist file")])
        if info.st_size > MAX_FILE_BYTES:
            raise ChecklistFileError([LoadError(name, 1, 1, too_big(info.st_size))])
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise ChecklistFileError([LoadError(name, 1, 1, too_big(max(size, os.fstat(fd).st_size)))])
        return b"".join(chunks)
    except OSError as exc:
        raise ChecklistFileError([LoadError(name, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    finally:
        os.close(fd)


def scan_folder(directory: Path) -> FolderScan:
    """The ``.yaml``/``.yml`` files directly in ``directory``, by name; hidden names ignored.

    Raises ``ChecklistFileError`` when the folder itself cannot be listed.
    """
    try:
        with os.scandir(directory) as entries:
            names = sorted(entry.name for entry in entries)
    except OSError as exc:
        message = f"cannot read folder: {exc.strerror or exc}"
        raise ChecklistFileError([LoadError(str(directory), 1, 1, message)]) from None
    found = FolderScan()
    for name in names:
        if name.startswith(".") or not name.lower().endswith(YAML_SUFFIXES):
            continue
        path = directory / name
        why = refusal(path)
        if why is None:
            found.files.append(path)
        else:
            found.skipped.append(LoadError(str(path), 1, 1, why))
    return found


def checklist_files(directory: Path) -> list[Path]:
    """The loadable checklist files in ``directory`` (empty when it cannot be read)."""
    try:
        return scan_folder(directory).files
    except ChecklistFileError:
        return []
