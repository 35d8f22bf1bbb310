"""Reading checklist files and folders without ever blocking or silently skipping.

- Files are read through the one safe reader (:mod:`safety_tui.common.saferead`): a FIFO, socket or
  device is refused from ``os.stat`` alone and never opened for a blocking read; a file
  swapped for a FIFO between the checks is still refused at once.
- In a folder, a ``.yaml`` entry that is a broken symbolic link, a symbolic link loop or
  not a regular file is reported as skipped, not quietly left out.
- A folder that cannot be listed is an error, never "0 checklists".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from safety_tui.checklists.loader.characters import MAX_FILE_BYTES, too_big
from safety_tui.checklists.loader.problems import ChecklistFileError, LoadError
from safety_tui.common import saferead

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class FolderScan:
    """The checklist files of one folder, and the entries that look like one but were skipped."""

    files: list[Path] = field(default_factory=list)
    skipped: list[LoadError] = field(default_factory=list)


def _message(reason: str) -> str:
    """The shared reader's reason, in the loader's words."""
    if reason.startswith("it is "):
        return "skipped: " + reason.replace(", not a regular file", ", not a checklist file")
    return reason


def refusal(path: Path) -> str | None:
    """Why ``path`` cannot be read as a checklist file, from ``os.stat`` alone, or None."""
    why = saferead.refusal(path)
    return None if why is None else _message(why)


def read_file(path: Path) -> bytes:
    """At most the size limit of a regular file, through the one safe reader; anything else is refused at once."""
    try:
        return saferead.read_bounded(path, MAX_FILE_BYTES)
    except saferead.ReadRefused as exc:
        message = too_big(exc.size) if exc.size is not None else _message(exc.reason)
        raise ChecklistFileError([LoadError(str(path), 1, 1, message)]) from None


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


# File names, sizes and modification times of every checklist file in the layers' folders.
Signature = tuple[tuple[str, int, int], ...]


def layers_signature(layers: list[tuple[str, Path]]) -> Signature:
    """Changes whenever an officer saves, adds, renames or removes a checklist file in a layer."""
    out = []
    for _, directory in layers:
        for path in checklist_files(directory) if directory.is_dir() else []:
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)
