"""Drawing the evidence pack as a PDF, with embedded Unicode fonts. Core: no Textual.

:mod:`safety_tui.incidents.pack` decides what the pack says; this module only
draws it. The fonts are OFL Noto fonts shipped in ``safety_tui/fonts`` (see its
README.txt), never the machine's own: Noto Sans for Latin, Greek and Cyrillic,
then, only when the text needs them, Arabic script (Arabic, Urdu, Persian),
Bengali, Gurmukhi, Gujarati, Devanagari, CJK and Hangul. Text is shaped with
HarfBuzz (joined Arabic letters, right to left; Indic conjuncts and vowel
signs). fpdf2 embeds only the glyphs used, so a Latin-only pack stays small.

A character that no shipped font can show is written as ``<U+XXXX>`` and the
first page says so: nothing is dropped or changed silently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from safety_tui.common.text import printable
from safety_tui.incidents.model import IncidentError

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
MAIN_FAMILY = "NotoSans"
MAIN_FILES = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"}
# Tried in this order for a character Noto Sans lacks; each is loaded only when the text needs it.
FALLBACK_FILES = (
    ("NotoSansArabic", "NotoSansArabic-Regular.ttf"),
    ("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf"),
    ("NotoSansBengali", "NotoSansBengali-Regular.ttf"),
    ("NotoSansGurmukhi", "NotoSansGurmukhi-Regular.ttf"),
    ("NotoSansGujarati", "NotoSansGujarati-Regular.ttf"),
    ("NotoSansSC", "NotoSansSC-Regular-subset.ttf"),
    ("NotoSansKR", "NotoSansKR-Regular-subset.ttf"),
)
# fpdf2 replaces this with the number of pages wherever it is on a page. It holds control characters, which
# recorded text never reaches the page with (printable() shows them escaped), so a quoted "{nb}" stays as written.
PAGE_COUNT = "\x02nb\x03"
MISSING_NOTE = (
    "Characters none of the embedded fonts can show are written as <U+XXXX>; the Markdown export keeps the exact text."
)


@dataclass(frozen=True)
class Block:
    """One paragraph of the pack: its text and how it is set."""

    text: str
    size: float = 10
    bold: bool = False
    gap: float = 1.0  # space after, in mm
    space_before: float = 0.0


@dataclass(frozen=True)
class Document:
    title: str
    author: str
    created: datetime
    blocks: Sequence[Block]
    footer: Callable[[int], str]  # page number -> footer line (may contain PAGE_COUNT)
    header: str = ""  # the same line at the top of every page


@lru_cache(maxsize=None)
def font_chars(file: str) -> frozenset[int]:
    """The code points a shipped font has a glyph for (its cmap; read once per process)."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    try:
        with TTFont(FONT_DIR / file, lazy=True) as font:
            return frozenset(font.getBestCmap())
    except OSError as exc:
        raise IncidentError(
            f"cannot read the PDF font {FONT_DIR / file} ({exc.strerror or exc}); "
            "reinstall safety-tui, or export with -f markdown"
        ) from None


def _font_for(code: int) -> str | None:
    """The family that shows ``code``: the main font, a fallback, or None when no font can."""
    if code in font_chars(MAIN_FILES[""]):
        return MAIN_FAMILY
    for family, file in FALLBACK_FILES:
        if code in font_chars(file):
            return family
    return None


@dataclass(frozen=True)
class Shown:
    text: str
    families: frozenset[str]  # the fallback families it needs
    missing: bool  # some character was written as <U+XXXX>


def shown(text: str) -> Shown:
    """``text`` as the PDF prints it: every character a shipped font can show kept, others as ``<U+XXXX>``."""
    out: list[str] = []
    families: set[str] = set()
    missing = False
    for char in printable(text):
        family = MAIN_FAMILY if char == "\n" else _font_for(ord(char))
        if family is None:
            out.append(f"<U+{ord(char):04X}>")
            missing = True
            continue
        out.append(char)
        if family != MAIN_FAMILY:
            families.add(family)
    return Shown("".join(out), frozenset(families), missing)


def pdf_safe(text: str) -> str:
    """``text`` with every character no embedded font can show written as ``<U+XXXX>``."""
    return shown(text).text


def draw(document: Document) -> bytes:
    """The PDF of ``document``: A4, numbered pages, fonts embedded and subset."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    texts = [shown(block.text) for block in document.blocks]
    # a subject in another script is in every page's footer too
    families = set(shown(document.footer(1)).families).union(*(item.families for item in texts))
    blocks = list(zip(document.blocks, (item.text for item in texts)))
    if any(item.missing for item in texts):
        blocks.insert(min(1, len(blocks)), (Block(MISSING_NOTE, size=8), MISSING_NOTE))

    class Pack(FPDF):
        def header(self) -> None:
            if document.header:
                self.set_font(MAIN_FAMILY, size=7)
                self.cell(0, 4, pdf_safe(document.header), align="C")
                self.ln(6)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(MAIN_FAMILY, size=8)
            parts = document.footer(self.page_no()).split(PAGE_COUNT)
            self.cell(0, 5, PAGE_COUNT.join(pdf_safe(part) for part in parts), align="C")

    pdf = Pack(format="A4")
    for style, file in MAIN_FILES.items():
        pdf.add_font(MAIN_FAMILY, style, FONT_DIR / file)
    for family, file in FALLBACK_FILES:
        if family in families:
            pdf.add_font(family, "", FONT_DIR / file)
    pdf.set_fallback_fonts([family for family, _ in FALLBACK_FILES if family in families], exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_title(printable(document.title))
    pdf.set_author(printable(document.author))
    pdf.set_creator("safety-tui")
    pdf.set_creation_date(document.created)
    pdf.set_auto_page_break(True, margin=18)
    pdf.alias_nb_pages(PAGE_COUNT)
    pdf.add_page()
    for block, text in blocks:
        if block.space_before:
            pdf.ln(block.space_before)
        pdf.set_font(MAIN_FAMILY, style="B" if block.bold else "", size=block.size)
        pdf.multi_cell(0, block.size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(block.gap)
    return bytes(pdf.output())
