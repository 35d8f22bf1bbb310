"""QR codes of a message: drawn with blocks for a terminal, or as a PNG/SVG image (segno).

Core module: no Textual import. A message too long for any QR code raises
:class:`~safety_tui.common.errors.ExportError` saying so.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from safety_tui.common.errors import ExportError

if TYPE_CHECKING:
    import segno

# The image kinds written by -o FILE.png / FILE.svg; anything else is the text drawing.
IMAGE_KINDS = {".png": "png", ".svg": "svg"}
# Image files we cannot write: refused rather than filled with text.
OTHER_IMAGES = (".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".pdf", ".eps", ".heic")


def _make(payload: str) -> "segno.QRCode":
    import segno

    try:
        # Level L gives the smallest code (fits more terminals); segno raises the level
        # whenever that costs no extra size.
        return segno.make(payload, error="l", micro=False, boost_error=True)
    except segno.DataOverflowError:
        raise ExportError(
            f"the message is too long for a QR code ({len(payload.encode('utf-8'))} bytes; "
            "a QR code holds at most 2,953). Shorten the location or what to do, "
            "or send the message as text (-f sms or -f message)."
        ) from None


def qr_text(payload: str, border: int = 2) -> str:
    """A QR code drawn with half blocks: two modules per character cell.

    Light modules are drawn as blocks so the code scans on a dark terminal.
    """
    qr = _make(payload)
    rows = [list(r) for r in qr.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    glyph = {(0, 0): "█", (0, 1): "▀", (1, 0): "▄", (1, 1): " "}
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2]):
        lines.append("".join(glyph[(bool(a), bool(b))] for a, b in zip(top, bottom)))
    return "\n".join(lines) + "\n"


def qr_image(payload: str, kind: str, scale: int = 8) -> bytes:
    """The QR code as an image file's bytes: ``kind`` is ``png`` or ``svg`` (quiet zone of 4)."""
    if kind not in IMAGE_KINDS.values():
        raise ExportError(f"a QR code can be written as PNG or SVG, not {kind}")
    out = io.BytesIO()
    _make(payload).save(out, kind=kind, scale=scale, border=4)
    return out.getvalue()


def image_kind(suffix: str) -> str | None:
    """``png``/``svg`` for an image file name's suffix, ``None`` for the text drawing.

    Raises :class:`ExportError` for image formats that cannot be written.
    """
    suffix = suffix.lower()
    if suffix in OTHER_IMAGES:
        raise ExportError(f"a QR code is written as .png or .svg (or as text), not {suffix}")
    return IMAGE_KINDS.get(suffix)
