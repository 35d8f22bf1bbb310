"""Evidence files: copied into the store's folder, private, named by their SHA-256. Core: no Textual.

The original is only read, never moved or changed. The copy is written with
``paths.write_private`` (0600, atomic), inside a 0700 folder; neither the folder
nor the file may be a symbolic link. The name a file is kept under is its hash, so a hostile original
name can never choose where it is written; the original name is kept as data.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from safety_tui.common import paths
from safety_tui.common.saferead import ReadRefused, read_bounded
from safety_tui.incidents.model import EvidenceError

EVIDENCE_DIR = "evidence"
MAX_EVIDENCE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int
    stored: str


def evidence_folder(data_dir: Path) -> Path:
    """The private evidence folder; created 0700, refused if it is a link."""
    folder = data_dir / EVIDENCE_DIR
    try:
        info = folder.lstat()
    except FileNotFoundError:
        try:
            folder.mkdir(mode=0o700)
        except OSError as exc:
            raise EvidenceError(f"cannot create the evidence folder {folder}: {exc.strerror or exc}") from None
        info = folder.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise EvidenceError(f"{folder} is not a plain folder (a link?); safety-tui will not write evidence there")
    if stat.S_IMODE(info.st_mode) & 0o077:
        folder.chmod(0o700)
    return folder


@dataclass(frozen=True)
class Original:
    """An evidence file read whole and checked, not yet kept: nothing has been written."""

    name: str
    data: bytes
    sha256: str


def read_original(source: Path, name: str) -> Original:
    """Read ``source`` through the one safe reader: a regular file, readable, at most the limit.

    A FIFO, socket, device or folder is refused at once, never opened for a blocking read.
    """
    try:
        data = read_bounded(source, MAX_EVIDENCE_BYTES)
    except ReadRefused as exc:
        if exc.size is not None:
            raise EvidenceError(f"{source} is too big ({exc.reason} for an evidence file)") from None
        raise EvidenceError(f"cannot read {source} as evidence: {exc.reason}") from None
    return Original(name=name, data=data, sha256=hashlib.sha256(data).hexdigest())


def keep_original(original: Original, data_dir: Path) -> tuple[StoredFile, Path | None]:
    """Copy an original into the evidence folder; also the path written, if this call wrote it
    (so a transaction that fails afterwards can take it back), or None when the same bytes were kept already."""
    folder = evidence_folder(data_dir)
    stored = original.sha256
    target = folder / stored
    written: Path | None = None
    try:
        info = target.lstat()
    except FileNotFoundError:
        try:
            paths.write_private(target, original.data)  # the one private writer: 0600, atomic, never through a link
        except OSError as exc:
            raise EvidenceError(f"cannot write evidence into {folder}: {exc.strerror or exc}") from None
        written = target
    else:
        if not stat.S_ISREG(info.st_mode) or file_sha256(target) != original.sha256:
            raise EvidenceError(f"{target} is in the way (a link, or a changed file); move it, then try again")
    kept = StoredFile(name=original.name, sha256=original.sha256, size=len(original.data), stored=stored)
    return kept, written


def file_sha256(path: Path) -> str:
    """The SHA-256 of a kept copy; a link, or anything not a regular file (a named pipe would block), is refused."""
    digest = hashlib.sha256()
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise EvidenceError(f"cannot read {path}: it is not a regular file")
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evidence_problem(data_dir: Path, stored: str, sha256: str) -> str:
    """'' when the kept copy is there and unchanged; otherwise what is wrong with it."""
    path = data_dir / EVIDENCE_DIR / stored
    try:
        actual = file_sha256(path)
    except EvidenceError:
        return "the kept copy is missing or unreadable"
    return "" if actual == sha256 else "the kept copy was changed after it was recorded"


def forget_evidence(data_dir: Path, stored: str) -> None:
    """Remove a kept copy (when its incident is deleted); a missing file is fine."""
    folder = data_dir / EVIDENCE_DIR
    try:
        (folder / stored).unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise EvidenceError(f"cannot delete {folder / stored}: {exc.strerror or exc}") from None
