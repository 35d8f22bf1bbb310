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


def _read_original(source: Path) -> bytes:
    try:
        with open(source, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise EvidenceError(f"{source} is not a regular file")
            if info.st_size > MAX_EVIDENCE_BYTES:
                raise EvidenceError(f"{source} is {info.st_size:,} bytes; evidence files may be at most {MAX_EVIDENCE_BYTES:,}")
            data = handle.read(MAX_EVIDENCE_BYTES + 1)
    except OSError as exc:
        raise EvidenceError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceError(f"{source} is too big; evidence files may be at most {MAX_EVIDENCE_BYTES:,} bytes")
    return data


def keep_evidence(source: Path, data_dir: Path) -> StoredFile:
    """Copy ``source`` into the evidence folder; return its name, hash and size."""
    data = _read_original(source)
    digest = hashlib.sha256(data).hexdigest()
    folder = evidence_folder(data_dir)
    stored = digest
    target = folder / stored
    try:
        info = target.lstat()
    except FileNotFoundError:
        try:
            paths.write_private(target, data)  # the one private writer: 0600, atomic, never through a link
        except OSError as exc:
            raise EvidenceError(f"cannot write evidence into {folder}: {exc.strerror or exc}") from None
    else:
        if not stat.S_ISREG(info.st_mode) or file_sha256(target) != digest:
            raise EvidenceError(f"{target} is in the way (a link, or a changed file); move it, then try again")
    return StoredFile(name=source.name, sha256=digest, size=len(data), stored=stored)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
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
