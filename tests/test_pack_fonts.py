"""Every name readable in the PDF evidence pack: read back by pypdf and pdftotext, seen on the rendered page."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import datetime, timedelta, timezone
from html import unescape
from pathlib import Path

import pypdf
import pytest

from safety_tui.common.clock import FixedClock
from safety_tui.incidents import IncidentLog
from safety_tui.incidents.pack import PackInfo, pdf_pack
from safety_tui.incidents.pack_pdf import pdf_safe
from safety_tui.wiring import open_store

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
LONDON = "Europe/London"
NAMES = {
    "Latin with diacritics": "Zoë Łukasiewicz",
    "Chinese": "王小明",
    "Greek": "Ψυχή",
    "Cyrillic": "Пётр",
    "Arabic": "محمد علی",
    "Urdu": "عمران خان",
    "Bengali": "রবীন্দ্রনাথ",
    "Gurmukhi": "ਗੁਰਮੀਤ",
    "Gujarati": "ગાંધી",
    "Devanagari": "नरेन्द्र",
    "Japanese kana": "さくら",
    "Korean": "김민준",
}
RTL = {"Arabic", "Urdu"}
FONT_OF = {
    "Chinese": "NotoSansSC",
    "Japanese kana": "NotoSansSC",
    "Korean": "NotoSansKR",
    "Arabic": "NotoSansArabic",
    "Urdu": "NotoSansArabic",
    "Bengali": "NotoSansBengali",
    "Gurmukhi": "NotoSansGurmukhi",
    "Gujarati": "NotoSansGujarati",
    "Devanagari": "NotoSansDevanagari",
}
# What a PDF reader adds around right-to-left runs (pdftotext: U+202B ... U+202C).
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _pack(tmp_path: Path, names: list[str]) -> Path:
    """The PDF pack of one incident per name, as the export writes it."""
    with open_store(tmp_path / "data", FixedClock(NOW)) as store:
        log = IncidentLog.of(store)
        for n, name in enumerate(names):
            log.record(
                what=f"Shouted at me: {name}",
                recorder="Cllr Doe",
                tz=LONDON,
                people=[name],
                happened_at=NOW - timedelta(hours=len(names) - n),
            )
        info = PackInfo("all", "Cllr Doe", NOW, LONDON, log.verify())
        data = pdf_pack(log.incidents(), info)
    out = tmp_path / "pack.pdf"
    out.write_bytes(data)
    return out


def _fonts(pdf: Path) -> set[str]:
    """The base names of the fonts embedded in the PDF, without the subset prefix (ABCDEF+)."""
    found = set()
    for page in pypdf.PdfReader(str(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            found.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return found


def _plain(text: str) -> str:
    return unicodedata.normalize("NFC", _BIDI_MARKS.sub("", text))


@pytest.fixture(scope="module")
def every_script(tmp_path_factory) -> Path:
    return _pack(tmp_path_factory.mktemp("scripts"), list(NAMES.values()))


@pytest.mark.slow
@pytest.mark.parametrize("script", NAMES)
def test_pypdf_reads_back_every_name(every_script, script):
    name = NAMES[script]
    text = _plain("\n".join(page.extract_text() for page in pypdf.PdfReader(str(every_script)).pages))
    assert "<U+" not in text  # no character fell back to its code point
    if script in RTL:  # pypdf gives right-to-left words in the order they are drawn: each word must be there, whole
        assert all(f"{word}" in text for word in name.split()), name
        assert f"Shouted at me: {name}" in text or f"Shouted at me: {' '.join(reversed(name.split()))}" in text
    else:
        assert f"Shouted at me: {name}" in text
        assert f", {name}\n" in text  # the incident's title ends with who it was


@pytest.mark.slow
@pytest.mark.parametrize("script", NAMES)
def test_pdftotext_reads_back_every_name_in_reading_order(every_script, script):
    text = _plain(
        subprocess.run(
            ["pdftotext", "-layout", str(every_script), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert f"Shouted at me: {NAMES[script]}" in text


@pytest.mark.slow
def test_each_script_is_drawn_with_its_own_embedded_font(every_script):
    fonts = _fonts(every_script)
    assert {"NotoSans", "NotoSansBold"} <= fonts
    for script, family in FONT_OF.items():
        assert any(f.startswith(family) for f in fonts), (script, fonts)
    assert not any("Helvetica" in f for f in fonts)


@pytest.mark.slow
def test_the_rendered_page_shows_ink_where_each_name_is(every_script, tmp_path):
    """pdftoppm renders the pages; where pdftotext says each name is, the picture has ink across its width."""
    from PIL import Image

    dpi = 100
    scale = dpi / 72
    seen: set[str] = set()
    pages = len(pypdf.PdfReader(str(every_script)).pages)
    for page in range(1, pages + 1):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(dpi),
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                str(page),
                "-l",
                str(page),
                str(every_script),
                str(tmp_path / f"p{page}"),
            ],
            check=True,
        )
        image = Image.open(tmp_path / f"p{page}.png").convert("L")
        xml = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(every_script), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        words = [(float(a), float(b), float(c), float(d), _plain(unescape(w))) for a, b, c, d, w in _WORD.findall(xml)]
        for script, name in NAMES.items():
            parts = name.split()
            if script in RTL:  # pdftotext -bbox spells a right-to-left word in drawing order
                parts += [part[::-1] for part in parts]
            boxes = [w for w in words if w[4].strip(",:") in parts]
            if script in seen or len({w[4].strip(",:") for w in boxes}) < len(name.split()):
                continue
            x0, y0 = min(w[0] for w in boxes), min(w[1] for w in boxes)
            x1, y1 = max(w[2] for w in boxes), max(w[3] for w in boxes)
            area = image.crop((int(x0 * scale), int(y0 * scale), int(x1 * scale) + 1, int(y1 * scale) + 1))
            dark_columns = sum(
                1 for x in range(area.width) if any(area.getpixel((x, y)) < 128 for y in range(area.height))
            )
            ink = sum(1 for px in area.tobytes() if px < 128) / (area.width * area.height)
            assert dark_columns >= area.width * 0.4 and 0.02 < ink < 0.7, (script, dark_columns, area.size, ink)
            seen.add(script)
    assert seen == set(NAMES)


def test_a_latin_only_pack_stays_small_and_embeds_only_noto_sans(tmp_path):
    # Measured: one Latin incident is about 15 KB (subsets of Noto Sans Regular and Bold); the whole
    # Noto Sans Regular file alone is 300 KB, and the CJK font 7.5 MB.
    pack = _pack(tmp_path, ["Zoë Łukasiewicz", "John O'Neill"])
    assert pack.stat().st_size < 40_000
    assert _fonts(pack) == {"NotoSans", "NotoSansBold"}


@pytest.mark.slow
def test_a_chinese_name_adds_only_its_own_glyphs(tmp_path):
    pack = _pack(tmp_path, ["王小明"])
    assert pack.stat().st_size < 60_000  # the CJK font is subset to the few glyphs used
    assert any(f.startswith("NotoSansSC") for f in _fonts(pack))


def test_a_character_no_font_has_stays_visible_as_its_code_point():
    assert pdf_safe("Zoë Łódź Ψ Пётр 王 ☎ 𠀀") == "Zoë Łódź Ψ Пётр 王 <U+260E> <U+20000>"
    assert pdf_safe("x\u202ey\x1b") == "x\\u202ey\\x1b"  # controls and bidi overrides shown as text, never acted on


@pytest.mark.slow
def test_a_missing_glyph_is_said_on_the_first_page(tmp_path):
    pack = _pack(tmp_path, ["Ann ☎ Lee"])
    first = pypdf.PdfReader(str(pack)).pages[0].extract_text()
    assert "Ann <U+260E> Lee" in first and "written as <U+XXXX>" in first
    assert "written as <U+XXXX>" not in pypdf.PdfReader(str(_pack(tmp_path / "b", ["Ann Lee"]))).pages[0].extract_text()


def test_missing_fonts_are_a_plain_error_not_a_crash(tmp_path, monkeypatch, capsys):
    from safety_tui.cli.main import main
    from safety_tui.incidents import pack_pdf

    assert main(["incident", "add", "--by", "Cllr Doe", "--person", "Jo", "--what", "Shouted"]) == 0
    monkeypatch.setattr(pack_pdf, "FONT_DIR", tmp_path / "no-fonts")
    pack_pdf.font_chars.cache_clear()
    try:
        assert main(["incident", "export", "Jo", "-f", "pdf", "-o", str(tmp_path / "p.pdf")]) == 1
    finally:
        pack_pdf.font_chars.cache_clear()
    err = capsys.readouterr().err
    assert "cannot read the PDF font" in err and "-f markdown" in err and "Traceback" not in err
    assert not (tmp_path / "p.pdf").exists()
