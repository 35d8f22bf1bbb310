"""The catalog: every usable checklist by id, from the layers of the search path."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from safety_tui.common import paths
from safety_tui.checklists.model import Checklist
from safety_tui.checklists.vocabulary import TravelMode
from safety_tui.checklists.loader.files import read_file, scan_folder
from safety_tui.checklists.loader.problems import ChecklistFileError, LoadError
from safety_tui.checklists.loader.validate import parse_checklist


@dataclass(frozen=True)
class LoadedChecklist:
    checklist: Checklist
    path: Path
    layer: str  # "bundled", "organisation" or "user"


@dataclass(frozen=True)
class Override:
    checklist_id: str
    winner: Path
    loser: Path


@dataclass
class Catalog:
    """Every usable checklist by id, plus every error found on the way."""

    checklists: dict[str, LoadedChecklist] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)

    def get(self, checklist_id: str) -> Checklist | None:
        loaded = self.checklists.get(checklist_id)
        return loaded.checklist if loaded else None

    def sorted(self) -> list[LoadedChecklist]:
        return sorted(self.checklists.values(), key=lambda lc: (lc.checklist.title.lower(), lc.checklist.id))

    def matching(self, visit_type: str, modes: list[str]) -> list[str]:
        """Ids of the checklists a plan of this kind should use, in walk order (see compose.walk_order)."""
        from safety_tui.checklists.compose import walk_order

        chosen = [lc.checklist for lc in self.sorted() if lc.checklist.applies_to(visit_type, modes)]
        return [c.id for c in walk_order(chosen, [TravelMode(m) for m in modes])]

    def overridden_by(self, checklist_id: str) -> list[Override]:
        return [o for o in self.overrides if o.checklist_id == checklist_id]


def load_checklist_file(path: Path) -> Checklist:
    """Read and validate one file. Raises ``ChecklistFileError`` for any problem."""
    return parse_checklist(read_file(path), str(path))[0]


def _files_of(path: Path, errors: list[LoadError]) -> list[Path]:
    """The files a path stands for: itself, or a folder's checklist files (skips reported)."""
    try:
        is_folder = stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        is_folder = False
    if not is_folder:
        return [path]  # read_file says why a missing path, broken link, FIFO or device is refused
    try:
        found = scan_folder(path)
    except ChecklistFileError as exc:
        errors.extend(exc.errors)
        return []
    errors.extend(found.skipped)
    return found.files


def load_paths(paths: Iterable[Path], layer: str = "organisation") -> tuple[list[LoadedChecklist], list[LoadError]]:
    """Load files and folders; the same id twice among them is an error."""
    loaded: list[LoadedChecklist] = []
    errors: list[LoadError] = []
    first_seen: dict[str, Path] = {}
    for path in paths:
        for file in _files_of(path, errors):
            try:
                checklist, positions = parse_checklist(read_file(file), str(file))
            except ChecklistFileError as exc:
                errors.extend(exc.errors)
                continue
            if checklist.id in first_seen:
                line, column = positions.value(("id",))
                other = first_seen[checklist.id].name
                message = f"checklist id '{checklist.id}' is already used by {other} in the same folder; give each file its own id"
                errors.append(LoadError(str(file), line, column, message))
                continue
            first_seen[checklist.id] = file
            loaded.append(LoadedChecklist(checklist, file, layer))
    return loaded, errors


search_path = paths.search_path  # kept here too: the loader is where officers look for it


def load_catalog(layers: list[tuple[str, Path]]) -> Catalog:
    """Load every layer; a later layer overrides an earlier one by checklist id.

    A broken file never hides the good ones: its errors are collected and the rest load.
    A layer folder that does not exist is skipped quietly, except an organisation folder
    that was asked for explicitly; one that exists but cannot be read is an error.
    """
    catalog = Catalog()
    for layer, directory in layers:
        try:
            os.stat(directory)
        except OSError as exc:
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                catalog.errors.append(LoadError(str(directory), 1, 1, f"cannot read folder: {exc.strerror or exc}"))
            elif layer == "organisation":
                catalog.errors.append(LoadError(str(directory), 1, 1, "checklist folder does not exist"))
            continue
        loaded, errors = load_paths([directory], layer)
        catalog.errors.extend(errors)
        for item in loaded:
            previous = catalog.checklists.get(item.checklist.id)
            if previous is not None:
                catalog.overrides.append(Override(item.checklist.id, item.path, previous.path))
            catalog.checklists[item.checklist.id] = item
    return catalog
