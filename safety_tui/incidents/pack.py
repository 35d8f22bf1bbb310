"""The evidence pack: the incidents in the order they happened, for the police or the council.

Core: no Textual. Markdown (exact text) and PDF (fpdf2). Each entry shows when it
happened and when it was recorded, its revisions, the evidence files with their
SHA-256, and the actions with their references; the pack ends with the result
of the hash-chain check and the chain head. Pages are numbered.

The PDF is drawn by :mod:`safety_tui.incidents.pack_pdf` with the Noto fonts
shipped in the package, so every name prints in its own script on any machine;
a character none of them can show is written as ``<U+XXXX>`` (said on the
first page), so nothing is silently changed. The Markdown pack keeps every
character exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from safety_tui.common.text import printable
from safety_tui.incidents import wording
from safety_tui.incidents.chain import Verification
from safety_tui.incidents.model import Incident
from safety_tui.incidents.pack_pdf import PAGE_COUNT, Block, Document, draw

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class PackInfo:
    subject: str  # "John Smith" or "incident 3"
    prepared_by: str
    generated_at: datetime
    tz: str
    verification: Verification


def _intro(info: PackInfo, incidents: list[Incident]) -> list[str]:
    span = ""
    if incidents:
        span = (
            f" from {wording.short_when(incidents[0].happened_at, incidents[0].tz)}"
            f" to {wording.short_when(incidents[-1].happened_at, incidents[-1].tz)}"
        )
    return [
        f"Subject: {info.subject}",
        f"Prepared by: {info.prepared_by}",
        f"Generated: {wording.when_text(info.generated_at, info.tz)}",
        f"Incidents: {len(incidents)}{span}, in the order they happened.",
        "Times: 'Happened' is local time with its zone; 'Recorded' is when the entry was written (UTC), "
        "fixed when it was made. Amendments are added as revisions; nothing is rewritten.",
    ]


def pin_line(info: PackInfo) -> str:
    """Printed on every page: the log this pack was made from, so a pack once sent pins the log."""
    v = info.verification
    return f"Log: {v.entries} entries, chain head {v.head}"


def _integrity(info: PackInfo) -> list[str]:
    v = info.verification
    if v.ok:
        state = f"Verified: the hash chain over all {v.entries} entries of the incident log is intact."
    else:
        state = "WARNING: the incident log FAILED its hash-chain check: " + "; ".join(v.problems)
    return [
        state,
        f"Entries: {v.entries}. Chain head (SHA-256): {v.head}",
        "Anyone holding this chain head can later check that no entry up to it was changed or removed: "
        f"safety-tui incidents verify --head {v.head}",
        *v.notes,
    ]


# -- Markdown ---------------------------------------------------------------------


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", printable(text))


def _md_block(text: str) -> str:
    return "\n".join("> " + _md(line) if line else ">" for line in text.splitlines() or [""])


def markdown_pack(incidents: list[Incident], info: PackInfo) -> str:
    out = [f"# Incident log: evidence pack ({_md(info.subject)})", "", f"*{_md(pin_line(info))}*", ""]
    out += [f"- {_md(line)}" for line in _intro(info, incidents)] + [""]
    for incident in incidents:
        out += [f"## {_md(wording.title(incident))}", ""]
        for label, value in wording.fields(incident):
            if "\n" in value:
                out += [f"**{label}:**", "", _md_block(value), ""]
            else:
                out.append(f"- **{label}:** {_md(value)}")
        for heading, lines in (
            ("Evidence", wording.evidence_lines(incident)),
            ("Actions", wording.action_lines(incident)),
        ):
            out += ["", f"### {heading}", ""]
            out += [f"- {_md(line)}" for line in lines] or ["- none"]
        out += ["", "### Revisions", ""]
        for revision in incident.revisions:  # each amendment with what it replaced: the original stays
            out.append(f"- {_md(wording.revision_line(revision))}")
            for head, text in wording.replaced_lines(revision):
                out += [f"  - {_md(head)}:", ""] + ["    " + line for line in _md_block(text).splitlines()] + [""]
        out.append("")
    out += ["## Integrity", ""] + [f"- {_md(line)}" for line in _integrity(info)]
    out += ["", f"*{_md(pin_line(info))}*"]
    return "\n".join(out) + "\n"


# -- PDF (what it says; safety_tui.incidents.pack_pdf draws it) --------------------


def pdf_footer(info: PackInfo, page: int) -> str:
    v = info.verification
    return (
        f"Incident log: {printable(info.subject)}. Page {page} of {PAGE_COUNT}. {v.entries} entries, head {v.head[:16]}"
    )


def pdf_blocks(incidents: list[Incident], info: PackInfo) -> list[Block]:
    """The PDF pack's paragraphs, in order: the same content as the Markdown pack."""
    out = [Block(f"Incident log: evidence pack ({info.subject})", size=16, bold=True, gap=3)]
    out += [Block(line, size=9) for line in _intro(info, incidents)]
    for incident in incidents:
        out.append(Block(wording.title(incident), size=13, bold=True, gap=2, space_before=3))
        for label, value in wording.fields(incident):
            out += [Block(f"{label}:", size=9, bold=True, gap=0), Block(value)]
        for heading, lines in (
            ("Evidence", wording.evidence_lines(incident)),
            ("Actions", wording.action_lines(incident)),
            ("Revisions", wording.revision_lines(incident)),
        ):
            out.append(Block(heading, bold=True, gap=0))
            out += [Block(f"- {line}", size=9, gap=0.5) for line in lines or ["none"]]
    out.append(Block("Integrity", size=13, bold=True, gap=2, space_before=4))
    out += [Block(line, size=9) for line in _integrity(info)]
    return out


def pdf_pack(incidents: list[Incident], info: PackInfo) -> bytes:
    """The PDF evidence pack, with every name in its own script (embedded Noto fonts)."""
    return draw(
        Document(
            title=f"Incident log: evidence pack ({info.subject})",
            author=info.prepared_by,
            created=info.generated_at,
            blocks=pdf_blocks(incidents, info),
            footer=lambda page: pdf_footer(info, page),
            header=pin_line(info),
        )
    )
