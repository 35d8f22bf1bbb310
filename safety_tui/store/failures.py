"""Every SQLite failure becomes one clear :class:`StoreError`, by what actually went wrong.

A full disk is said to be a full disk, a damaged file a damaged file, a busy file
busy: never the other way round. Core: no Textual.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from safety_tui.common import paths
from safety_tui.common.errors import StoreError

# Primary result codes (the low byte of sqlite_errorcode).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

DAMAGED_CODES = frozenset({SQLITE_CORRUPT, SQLITE_NOTADB})


def primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def damaged(path: Path, what: str) -> StoreError:
    return StoreError(
        f"{path} is damaged ({what}). safety-tui will not write to it. Keep a copy somewhere safe; "
        f"'sqlite3 {path.name} .recover' may rescue the plans. Then move it away and start safety-tui again."
    )


def disk_full(path: Path) -> StoreError:
    return StoreError(
        f"cannot save to {path}: disk full. Free some space, then try again; "
        "everything saved before is safe (the database is not damaged)."
    )


LOW_SPACE_BYTES = 1 << 20


def _disk_nearly_full(path: Path) -> bool:
    """SQLite reports some write failures as plain I/O errors; the free space tells a full disk apart."""
    try:
        info = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < LOW_SPACE_BYTES


def translate(exc: sqlite3.Error, path: Path, doing: str = "use") -> StoreError:
    """The one place a ``sqlite3.Error`` becomes a message for a person."""
    code = primary_code(exc)
    if code == SQLITE_FULL or (code == SQLITE_IOERR and _disk_nearly_full(path)):
        return disk_full(path)
    if code in DAMAGED_CODES:
        return damaged(path, str(exc))
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreError(
            f"cannot {doing} {path}: another safety-tui (app or command) is busy with it. Try again in a moment."
        )
    if code == SQLITE_READONLY:
        return StoreError(
            f"cannot {doing} {path}: it is read-only. Make it and its folder writable, "
            f"or set {paths.ENV_DATA_DIR} to a folder you own."
        )
    if code in (SQLITE_PERM, SQLITE_CANTOPEN):
        return StoreError(
            f"cannot {doing} {path}: permission denied or the file cannot be opened. Check the file and "
            f"folder permissions, or set {paths.ENV_DATA_DIR} to a folder you own."
        )
    if code == SQLITE_IOERR:
        return StoreError(
            f"cannot {doing} {path}: the disk reported an error ({exc}). Check that the disk has room "
            "and is working, then try again."
        )
    if code == SQLITE_NOMEM:
        return StoreError(f"cannot {doing} {path}: out of memory. Close other programs and try again.")
    return StoreError(f"cannot {doing} {path}: {exc}.")


def unreadable_value(path: Path, ref: str, field: str) -> StoreError:
    """A stored value the code cannot read back (edited by hand, or damaged)."""
    return StoreError(
        f"plan {ref} in {path} has a value safety-tui cannot read ({field}). The file may have been "
        "edited by another program. Keep a copy of it before changing anything."
    )
