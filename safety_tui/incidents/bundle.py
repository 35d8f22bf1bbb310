"""The evidence bundle: one zip with the PDF and Markdown packs and every evidence file. Core: no Textual.

A recipient checks it with standard tools, nothing of ours::

    unzip jane-doe.zip && cd jane-doe && sha256sum -c SHA256SUMS

Each evidence file is there under its original name, made safe: the name is
stored data, so it never chooses a path (no folder, no ``..``, no absolute
path, no control or bidi character, nothing Windows cannot create); two files
whose names clash (also by case) get ``name (2).ext``. The SHA-256 of each
evidence file in SHA256SUMS is the one recorded in the hash-chained log when
the file was added, so a file changed after that fails the check. A kept copy
that is missing or no longer matches its recorded hash is left out and
README.txt says so; it is never sent as if it were the evidence.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from safety_tui.common.text import printable
from safety_tui.incidents.evidence import EVIDENCE_DIR, MAX_EVIDENCE_BYTES
from safety_tui.incidents.model import Evidence, Incident, IncidentError
from safety_tui.incidents.pack import PackInfo, markdown_pack, pdf_pack

FOLDER = "incident-pack"
PDF_NAME = "evidence-pack.pdf"
MARKDOWN_NAME = "evidence-pack.md"
SUMS_NAME = "SHA256SUMS"
README_NAME = "README.txt"
MAX_BUNDLE_BYTES = 1 << 30  # the evidence of one bundle, read into memory
MAX_NAME = 120  # characters of a file name in the bundle, extension kept
_UNSAFE = re.compile('[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff/\\\\<>:"|?*]')
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
_STORED = re.compile(r"[0-9a-f]{64}")


def safe_name(name: str) -> str:
    """``name`` as a plain file name: never a path, a hidden file, a device or a control character."""
    text = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .")
    if text.startswith("-"):
        text = "_" + text[1:]
    if not text or text.split(".")[0].lower() in _WINDOWS_DEVICES:
        text = "evidence" + (f"-{text}" if text else "")
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        ext = ext if dot and stem and len(ext) <= 16 else ""
        text = text[: MAX_NAME - len(ext) - 1].rstrip(" .") + (f".{ext}" if ext else "")
    return text


def _numbered(name: str, n: int) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"


@dataclass(frozen=True)
class Item:
    """One evidence file in the bundle, or why it is left out."""

    incident: int
    evidence: Evidence
    path: str  # inside the bundle's folder; '' when left out
    problem: str = ""


def _read_kept(data_dir: Path, item: Evidence) -> tuple[bytes | None, str]:
    """The kept copy's bytes when they are the ones recorded; otherwise None and why."""
    if not _STORED.fullmatch(item.stored):
        return None, "its stored name is not a SHA-256 (the log was edited)"
    try:
        fd = os.open(data_dir / EVIDENCE_DIR / item.stored, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None, "the kept copy is missing or unreadable"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None, "the kept copy is not a regular file"
        data = handle.read(MAX_EVIDENCE_BYTES + 1)
    if hashlib.sha256(data).hexdigest() != item.sha256:
        return None, "the kept copy was changed after it was recorded"
    return data, ""


def collect(incidents: list[Incident], data_dir: Path) -> tuple[list[Item], dict[str, bytes]]:
    """Every evidence file of ``incidents`` with its path in the bundle, and the files' contents by path.

    A file kept twice (same name, same bytes) is included once.
    """
    items: list[Item] = []
    files: dict[str, bytes] = {}
    taken: dict[str, str] = {}  # casefolded path -> sha256
    for incident in incidents:
        for evidence in incident.evidence:
            data, problem = _read_kept(data_dir, evidence)
            if data is None:
                items.append(Item(incident.id, evidence, "", problem))
                continue
            base = safe_name(evidence.name)
            path, n = f"evidence/{base}", 1
            while (key := path.casefold()) in taken and taken[key] != evidence.sha256:
                n += 1
                path = f"evidence/{_numbered(base, n)}"
            taken[key] = evidence.sha256
            files[path] = data
            items.append(Item(incident.id, evidence, path))
    return items, files


def readme(info: PackInfo, items: list[Item]) -> str:
    lines = [
        f"Incident log evidence bundle: {info.subject}",
        f"Prepared by {info.prepared_by} with safety-tui.",
        "",
        f"{PDF_NAME}  the evidence pack to read or print",
        f"{MARKDOWN_NAME}  the same pack as text, every character exactly as recorded",
        "evidence/  the evidence files, under the names they had when added (made safe where needed: see below)",
        f"{SUMS_NAME}  the SHA-256 of every other file here",
        "",
        "To check that nothing was changed since the bundle was made, in this folder run:",
        f"    sha256sum -c {SUMS_NAME}",
        f"(macOS: shasum -a 256 -c {SUMS_NAME}). Every line must say OK.",
        "The SHA-256 of each evidence file is also in the pack, recorded in the hash-chained log when the",
        f"file was added; the pack ends with the log's chain head ({info.verification.head}).",
        "",
        "Evidence files:",
    ]
    for item in items:
        where = item.path or f"NOT INCLUDED: {item.problem}"
        lines.append(f"  incident {item.incident}: {item.evidence.name} (SHA-256 {item.evidence.sha256}) -> {where}")
    if not items:
        lines.append("  none")
    return "\n".join(printable(line) for line in lines) + "\n"


def _sums(files: dict[str, bytes], recorded: dict[str, str]) -> str:
    lines = []
    for path, data in files.items():
        digest = recorded.get(path) or hashlib.sha256(data).hexdigest()
        lines.append(f"{digest}  {path}")
    return "\n".join(lines) + "\n"


def bundle_zip(
    incidents: list[Incident], info: PackInfo, data_dir: Path, name: str = FOLDER
) -> tuple[bytes, list[str]]:
    """The zip (in memory), and a line for each evidence file left out (also said in its README.txt).

    Everything is in one folder named after ``name`` (the zip's own name: 'jane-doe.zip' unpacks into 'jane-doe/').
    """
    folder = safe_name(name[:-4] if name.lower().endswith(".zip") else name)
    total = sum(e.size for incident in incidents for e in incident.evidence)
    if total > MAX_BUNDLE_BYTES:
        raise IncidentError(
            f"the evidence files come to {total:,} bytes; a bundle holds at most {MAX_BUNDLE_BYTES:,}: "
            "export one incident at a time (its number instead of the person)"
        )
    items, evidence = collect(incidents, data_dir)
    files: dict[str, bytes] = {
        PDF_NAME: pdf_pack(incidents, info),
        MARKDOWN_NAME: markdown_pack(incidents, info).encode("utf-8"),
        README_NAME: readme(info, items).encode("utf-8"),
        **evidence,
    }
    recorded = {item.path: item.evidence.sha256 for item in items if item.path}
    files[SUMS_NAME] = _sums(files, recorded).encode("utf-8")
    stamp = info.generated_at.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            entry = zipfile.ZipInfo(f"{folder}/{path}", date_time=(max(stamp[0], 1980), *stamp[1:]))
            entry.external_attr = (stat.S_IFREG | 0o600) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    left_out = [
        f"incident {item.incident}: {item.evidence.name} not included: {item.problem}"
        for item in items
        if not item.path
    ]
    return out.getvalue(), left_out
