"""The catalog: every usable checklist by id, from the layers of the search path."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from safety_tui.checklists.loader.files import read_file, scan_folder
from safety_tui.checklists.loader.problems import ChecklistFileError, LoadError
from safety_tui.checklists.loader.validate import parse_checklist
from safety_tui.checklists.model import Checklist
from safety_tui.checklists.ordering import walk_order
from safety_tui.checklists.vocabulary import TravelMode
from safety_tui.common import paths


@dataclass(frozen=True)
class LoadedChecklist:
    checklist: Checklist
    path: Path
    layer: str  # "bundled", "organisation" or "user"
    id_position: tuple[int, int] = (1, 1)  # where the file gives its id, for messages


# How a councillor is told whose version of a checklist they get.
LAYER_VERSIONS = {"bundled": "the bundled version", "organisation": "the council's version", "user": "your own version"}


@dataclass(frozen=True)
class Override:
    """A checklist of a later layer replacing one of the same id from an earlier layer."""

    checklist_id: str
    winner: Path
    loser: Path
    winner_layer: str = "organisation"
    loser_layer: str = "bundled"
    dropped_critical: tuple[str, ...] = ()  # critical before items of the replaced one that the winner leaves out
    position: tuple[int, int] = (1, 1)  # the winner's id

    def warning(self) -> LoadError | None:
        """For ``validate``: a replacement that drops critical items is worth a second look."""
        if not self.dropped_critical:
            return None
        names = ", ".join(self.dropped_critical)
        message = (
            f"warning: this checklist replaces {LAYER_VERSIONS.get(self.loser_layer, self.loser_layer)} of "
            f"'{self.checklist_id}' ({self.loser.name}) but leaves out its critical item(s) {names}; councillors "
            "will no longer be asked them: copy them in, or give this file an id of its own"
        )
        return LoadError(str(self.winner), *self.position, message)


def dropped_critical(winner: Checklist, loser: Checklist) -> tuple[str, ...]:
    """The critical before items of ``loser`` whose id ``winner`` does not have."""
    kept = {item.id for item in winner.items()}
    return tuple(item.id for item in loser.items() if item.critical and item.id not in kept)


@dataclass
class Catalog:
    """Every usable checklist by id, plus every error found on the way."""

    checklists: dict[str, LoadedChecklist] = field(default_factory=dict)
    errors: list[LoadError] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)

    @property
    def warnings(self) -> list[LoadError]:
        """What ``validate`` points out without refusing: overrides that drop critical items."""
        return sorted(w for w in (o.warning() for o in self.overrides) if w is not None)

    def version_note(self, checklist_id: str) -> str | None:
        """``Home visit: the council's version, 14 items``, for a checklist that replaces another; else None."""
        loaded = self.checklists.get(checklist_id)
        if loaded is None or not self.overridden_by(checklist_id):
            return None
        version = LAYER_VERSIONS.get(loaded.layer, f"the {loaded.layer} version")
        return f"{loaded.checklist.title}: {version}, {len(loaded.checklist.items())} items"

    def version_notes(self, checklist_ids: Iterable[str] | None = None) -> list[str]:
        """The version notes of these checklists (default: every replaced one), in the order given."""
        ids = list(checklist_ids) if checklist_ids is not None else [lc.checklist.id for lc in self.sorted()]
        return [note for note in (self.version_note(i) for i in ids) if note is not None]

    def get(self, checklist_id: str) -> Checklist | None:
        loaded = self.checklists.get(checklist_id)
        return loaded.checklist if loaded else None

    def sorted(self) -> list[LoadedChecklist]:
        return sorted(self.checklists.values(), key=lambda lc: (lc.checklist.title.lower(), lc.checklist.id))

    def matching(self, visit_type: str, modes: list[str]) -> list[str]:
        """Ids of the checklists a plan of this kind should use, in walk order (see ordering.walk_order)."""
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


KEPT_FILES = 256
KEPT_FILE_BYTES = 64_000  # a bigger file is parsed each time: at most 16 MB of bytes are kept
_kept: dict[str, tuple[bytes, tuple[Checklist, tuple[int, int]]]] = {}


def _checklist_and_id_position(data: bytes, path: str) -> tuple[Checklist, tuple[int, int]]:
    """One file's checklist (frozen) and where it gives its id, kept with the file's exact bytes:
    a reload after an officer saves one file parses that file again, not every file of every layer
    (up to KEPT_FILES files in all; beyond that the oldest kept go first, and a reload reads every
    file afresh). A file that fails raises each time (failures are not kept)."""
    kept = _kept.get(path)
    if kept is not None and kept[0] == data:
        return kept[1]
    checklist, positions = parse_checklist(data, path)
    parsed = (checklist, positions.value(("id",)))
    if len(data) <= KEPT_FILE_BYTES:
        _kept.pop(path, None)
        _kept[path] = (data, parsed)
        while len(_kept) > KEPT_FILES:  # the oldest goes; a reload thread may be here too, and may win
            try:
                oldest = next(iter(_kept))
            except (StopIteration, RuntimeError):
                break
            _kept.pop(oldest, None)
    return parsed


def load_paths(paths: Iterable[Path], layer: str = "organisation") -> tuple[list[LoadedChecklist], list[LoadError]]:
    """Load files and folders. Two files with one id are both refused, each naming the other:
    which of them was meant cannot be guessed, so neither silently replaces anything."""
    loaded: list[LoadedChecklist] = []
    errors: list[LoadError] = []
    for path in paths:
        for file in _files_of(path, errors):
            try:
                checklist, id_position = _checklist_and_id_position(read_file(file), str(file))
            except ChecklistFileError as exc:
                errors.extend(exc.errors)
                continue
            loaded.append(LoadedChecklist(checklist, file, layer, id_position))
    files_by_id: dict[str, list[Path]] = {}
    for entry in loaded:
        files_by_id.setdefault(entry.checklist.id, []).append(entry.path)
    clashes = {checklist_id for checklist_id, files in files_by_id.items() if len(files) > 1}
    for entry in loaded:
        if entry.checklist.id in clashes:
            others = ", ".join(p.name for p in files_by_id[entry.checklist.id] if p != entry.path)
            message = (
                f"checklist id '{entry.checklist.id}' is also used by {others} in the same folder, so neither file "
                "is used (an earlier layer's checklist of that id stays in force); give each file its own id"
            )
            errors.append(LoadError(str(entry.path), *entry.id_position, message))
    return [entry for entry in loaded if entry.checklist.id not in clashes], errors


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
                catalog.overrides.append(replacing(item, previous))
            catalog.checklists[item.checklist.id] = item
    return catalog


def replacing(winner: LoadedChecklist, loser: LoadedChecklist) -> Override:
    """The override of ``loser`` by ``winner`` (same id), with the critical items it drops."""
    return Override(
        winner.checklist.id,
        winner.path,
        loser.path,
        winner.layer,
        loser.layer,
        dropped_critical(winner.checklist, loser.checklist),
        winner.id_position,
    )


def changed_checklists(before: Catalog, after: Catalog) -> list[str]:
    """Ids of the checklists added, removed or changed in content between two loads of the catalog."""
    ids = set(before.checklists) | set(after.checklists)

    def content(catalog: Catalog, checklist_id: str) -> str | None:
        checklist = catalog.get(checklist_id)
        return checklist.content_hash() if checklist is not None else None

    return sorted(i for i in ids if content(before, i) != content(after, i))
