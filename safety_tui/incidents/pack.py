"""The evidence pack: the incidents in the order they happened, for the police or the council.

Core: no Textual. Markdown (exact text) and PDF (fpdf2). Each entry shows when it
happened and when it was recorded, its revisions, the evidence files with their
SHA-256, and the actions with their references; the pack ends with the result
of the hash-chain check and the chain head. Pages are numbered.

The PDF uses fpdf2's built-in Helvetica so it renders the same on every
machine without a font file; a character that font cannot show is written as
``<U+XXXX>`` (said on the first page), so nothing is silently changed. The
Markdown pack keeps every character exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from safety_tui.incidents import report
from safety_tui.incidents.chain import Verification
from safety_tui.incidents.model import Incident
from safety_tui.common.text import printable

PDF_ENCODING = "cp1252"
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
        span = (f" from {report.short_when(incidents[0].happened_at, incidents[0].tz)}"
                f" to {report.short_when(incidents[-1].happened_at, incidents[-1].tz)}")
    return [
        f"Subject: {info.subject}",
        f"Prepared by: {info.prepared_by}",
        f"Generated: {report.when_text(info.generated_at, info.tz)}",
        f"Incidents: {len(incidents)}{span}, in the order they happened.",
        "Times: 'Happened' is local time with its zone; 'Recorded' is when the entry was written (UTC), "
        "fixed when it was made. Amendments are added as revisions; nothing is rewritten.",
    ]


def _integrity(info: PackInfo) -> list[str]:
    v = info.verification
    if v.ok:
        state = f"Verified: the hash chain over all {v.entries} entries of the incident log is intact."
    else:
        state = "WARNING: the incident log FAILED its hash-chain check: " + "; ".join(v.problems)
    return [state, f"Chain head (SHA-256): {v.head}",
            "Anyone holding this chain head can later check that no entry before it was changed or removed."]


# -- Markdown ---------------------------------------------------------------------


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", printable(text))


def _md_block(text: str) -> str:
    return "\n".join("> " + _md(line) if line else ">" for line in text.splitlines() or [""])


def markdown_pack(incidents: list[Incident], info: PackInfo) -> str:
    out = [f"# Incident log: evidence pack ({_md(info.subject)})", ""]
    out += [f"- {_md(line)}" for line in _intro(info, incidents)] + [""]
    for incident in incidents:
        out += [f"## {_md(report.title(incident))}", ""]
        for label, value in report.fields(incident):
            if "\n" in value:
                out += [f"**{label}:**", "", _md_block(value), ""]
            else:
                out.append(f"- **{label}:** {_md(value)}")
        for heading, lines in (("Evidence", report.evidence_lines(incident)), ("Actions", report.action_lines(incident)),
                               ("Revisions", report.revision_lines(incident))):
            out += ["", f"### {heading}", ""]
            out += [f"- {_md(line)}" for line in lines] or ["- none"]
        out.append("")
    out += ["## Integrity", ""] + [f"- {_md(line)}" for line in _integrity(info)]
    return "\n".join(out) + "\n"


# -- PDF --------------------------------------------------------------------------


def pdf_safe(text: str) -> str:
    """``text`` with every character the PDF's font cannot show written as ``<U+XXXX>``."""
    out = []
    for char in printable(text):
        try:
            char.encode(PDF_ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            out.append(f"<U+{ord(char):04X}>")
    return "".join(out)


def pdf_pack(incidents: list[Incident], info: PackInfo) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class Pack(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 5, pdf_safe(f"Incident log: {info.subject}. Page {self.page_no()} of {{nb}}"), align="C")

    pdf = Pack(format="A4")
    pdf.core_fonts_encoding = PDF_ENCODING
    pdf.set_title(pdf_safe(f"Incident log: evidence pack ({info.subject})"))
    pdf.set_author(pdf_safe(info.prepared_by))
    pdf.set_creator("safety-tui")
    pdf.set_creation_date(info.generated_at)
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages()
    pdf.add_page()

    def para(text: str, size: float = 10, style: str = "", gap: float = 1.0) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(0, size * 0.5, pdf_safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    para(f"Incident log: evidence pack ({info.subject})", size=16, style="B", gap=3)
    for line in _intro(info, incidents):
        para(line, size=9)
    para("Characters the PDF font cannot show are written as <U+XXXX>; the Markdown export keeps the exact text.", size=8)
    for incident in incidents:
        pdf.ln(3)
        para(report.title(incident), size=13, style="B", gap=2)
        for label, value in report.fields(incident):
            para(f"{label}:", size=9, style="B", gap=0)
            para(value, size=10)
        for heading, lines in (("Evidence", report.evidence_lines(incident)), ("Actions", report.action_lines(incident)),
                               ("Revisions", report.revision_lines(incident))):
            para(heading, size=10, style="B", gap=0)
            for line in lines or ["none"]:
                para(f"- {line}", size=9, gap=0.5)
    pdf.ln(4)
    para("Integrity", size=13, style="B", gap=2)
    for line in _integrity(info):
        para(line, size=9)
    return bytes(pdf.output())
