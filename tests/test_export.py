"""Exports: a buddy can act on them; calendars parse and alarm at the right instant."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import vobject

from safety_tui.plans.export import contact_message, contact_sms, ics_for_contact, ics_for_councillor
from safety_tui.plans.qr import qr_image, qr_text
from safety_tui.plans.summary import markdown_summary
from tests.helpers import full_plan, make_store

LONDON = ZoneInfo("Europe/London")


MY_PHONE = "07700 900999"


def test_sms_says_which_number_to_ring_and_hides_code_word_unless_asked(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    text = contact_sms(plan, include_code_word=False, phone=MY_PHONE)
    assert len(text) <= 2 * 153, len(text)  # at most two joined text messages
    assert "12 Acacia Avenue" in text and "13:30-14:30" in text and "No word by 14:45?" in text
    assert f"Ring me on {MY_PHONE}. No answer? Ring 999" in text
    assert "blue folder" not in text
    with_word = contact_sms(plan, include_code_word=True, phone=MY_PHONE)
    assert '"blue folder" = call the police to this address' in with_word


def test_without_a_phone_number_the_message_says_so_instead_of_ring_me(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    sms = contact_sms(plan, include_code_word=False, phone="")
    assert "Ring me (number not given). No answer?" in sms and "Ring me." not in sms
    long = contact_message(plan, include_code_word=False, phone="")
    assert "Phone:  number not given: ask Cllr Jo Bloggs for it before the visit" in long
    assert "Ring me (number not given)." in long and "Ring me." not in long


def test_custom_what_to_do_still_carries_the_number(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.update(full_plan(store, clock).ref, escalation="Call Sam, then the police.")
    assert f"Call Sam, then the police. My number: {MY_PHONE}." in contact_sms(
        plan, include_code_word=False, phone=MY_PHONE
    )
    assert f"Phone:  {MY_PHONE}" in contact_message(plan, include_code_word=False, phone=MY_PHONE)


def test_long_message_has_who_where_when_and_what_to_do(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    text = contact_message(plan, include_code_word=True, phone=MY_PHONE)
    for needle in (
        "Cllr Jo Bloggs",
        f"Phone:  {MY_PHONE}",
        "12 Acacia Avenue, Ward End",
        "Wed 25 Nov 13:30",
        "Wed 25 Nov 14:30",
        "If you have not heard from Cllr Jo Bloggs by Wed 25 Nov 14:45",
        f"Ring me on {MY_PHONE}. No answer? Ring 999",
        'says "blue folder"',
    ):
        assert needle in text
    assert "blue folder" not in contact_message(plan, include_code_word=False, phone=MY_PHONE)


def _parse(ics: bytes):
    return vobject.readOne(ics.decode("utf-8"))


def test_ics_parses_with_an_independent_parser(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    cal = _parse(ics_for_councillor(plan))
    event = cal.vevent
    assert event.dtstart.value == plan.start
    assert event.dtend.value == plan.finish
    assert event.valarm.trigger.value == plan.finish
    assert "Check in with Sam Partner" in event.valarm.description.value
    assert "blue folder" not in ics_for_councillor(plan).decode()
    contact = _parse(ics_for_contact(plan, phone=MY_PHONE)).vevent
    assert contact.valarm.trigger.value == plan.finish + timedelta(minutes=15)
    assert contact.valarm.description.value.startswith(f"No word from Cllr Jo Bloggs? Ring me on {MY_PHONE}.")
    assert f"Phone:  {MY_PHONE}" in contact.description.value


def test_ics_alarms_are_right_across_the_dst_change(tmp_path):
    # Clocks go back at 02:00 BST on 25 October 2026: 01:30 happens twice.
    store, clock = make_store(tmp_path, at=datetime(2026, 10, 24, 20, 0, tzinfo=timezone.utc))
    plan = store.create_plan("meeting", tz="Europe/London", owner_name="Jo")
    start = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)  # BST, 23:30Z on the 24th
    finish = datetime(2026, 10, 25, 2, 30, tzinfo=LONDON)  # GMT, 02:30Z
    plan = store.update(plan.ref, start=start, finish=finish)
    assert plan.finish - plan.start == timedelta(hours=3)
    councillor = _parse(ics_for_councillor(plan)).vevent
    assert councillor.valarm.trigger.value == datetime(2026, 10, 25, 2, 30, tzinfo=timezone.utc)
    contact = _parse(ics_for_contact(plan)).vevent
    assert contact.valarm.trigger.value == datetime(2026, 10, 25, 2, 45, tzinfo=timezone.utc)
    assert contact.dtstart.value == datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc)


def test_markdown_masks_code_word_and_lists_answers(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    text = markdown_summary(plan)
    assert "blue folder" not in text and "**Code word:** •••••" in text
    assert "- [done] Tell someone who you are visiting, with the address, date and time. **(critical)**" in text
    assert "[skipped: not needed] Arrange for the meeting to take place at a neutral venue" in text
    assert "blue folder" in markdown_summary(plan, reveal=True)


def test_qr_drawing_has_exactly_the_modules_of_the_code(tmp_path):
    import segno

    text = qr_text("SMSTO:07700900123:hello")
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert set("".join(lines)) <= set("█▀▄ ")
    # Each character cell is two modules: light (1 in segno's matrix) drawn as block.
    matrix = [list(row) for row in segno.make("SMSTO:07700900123:hello", error="l", micro=False).matrix_iter(border=2)]
    matrix.append([0] * len(matrix[0]))
    for y, line in enumerate(lines):
        for x, ch in enumerate(line):
            top, bottom = not matrix[2 * y][x], not matrix[2 * y + 1][x]
            assert ch == {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}[(top, bottom)]


def test_a_plan_too_long_for_a_qr_code_is_refused_clearly(tmp_path):
    from safety_tui.common.errors import ExportError

    with pytest.raises(ExportError, match="too long for a QR code"):
        qr_text("SMSTO:1:" + "x" * 3000)
    with pytest.raises(ExportError, match="too long for a QR code"):
        qr_image("SMSTO:1:" + "x" * 3000, "png")


def test_text_summary_is_plain_and_complete(tmp_path):
    from safety_tui.plans.summary import text_summary

    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    text = text_summary(plan)
    assert "**" not in text and not any(line.startswith("#") for line in text.splitlines())
    assert "Code word:        •••••" in text and "blue folder" not in text
    assert "  [done] Tell someone who you are visiting, with the address, date and time. (critical)" in text
    assert "blue folder" in text_summary(plan, reveal=True)


def _terminal_image(text: str, path) -> None:
    """The QR code as a terminal shows it (light blocks on a dark background), as a PGM file."""
    rows = []
    for line in text.splitlines():
        pairs = [{"█": (255, 255), "▀": (255, 0), "▄": (0, 255), " ": (0, 0)}[ch] for ch in line]
        rows += [[t for t, _ in pairs], [b for _, b in pairs]]
    scale = 6
    pixels = bytearray()
    for row in rows:
        line = b"".join(bytes([v]) * scale for v in row)
        pixels += line * scale
    path.write_bytes(f"P5 {len(rows[0]) * scale} {len(rows) * scale} 255\n".encode() + bytes(pixels))


def test_qr_code_scans_back_to_the_sms_payload(tmp_path):
    import shutil
    import subprocess

    from safety_tui.plans.export import sms_payload

    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is not installed")
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    payload = sms_payload(plan, phone=MY_PHONE)
    assert payload.startswith("SMSTO:07700900123:Cllr Jo Bloggs is at 12 Acacia Avenue")
    assert f"Ring me on {MY_PHONE}" in payload
    image = tmp_path / "qr.pgm"
    _terminal_image(qr_text(payload), image)
    result = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    assert result.stdout.strip() == payload


def _png_modules(data: bytes) -> list[list[int]]:
    """Decode a 1-bit greyscale PNG with the standard library: 1 = light pixel."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour = header[:4]
    assert (depth, colour) == (1, 0), header
    raw = zlib.decompress(idat)
    stride = (width + 7) // 8
    rows, previous = [], bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, body = line[0], line[1:]
        if kind == 2:  # "up": add the row above
            body = bytes((a + b) & 0xFF for a, b in zip(body, previous))
        assert kind in (0, 2), kind
        previous = body
        rows.append([(body[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
    return rows


def test_qr_png_is_a_real_png_of_the_same_code(tmp_path):
    import segno

    payload = "SMSTO:07700900123:Cllr Jo Bloggs is at 12 Acacia Avenue"
    data = qr_image(payload, "png", scale=8)
    pixels = _png_modules(data)
    matrix = [list(row) for row in segno.make(payload, error="l", micro=False).matrix_iter(border=4)]
    assert len(pixels) == 8 * len(matrix)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            assert pixels[8 * y + 4][8 * x + 4] == (0 if dark else 1)


def test_qr_png_scans_back_with_zbar(tmp_path):
    import shutil
    import subprocess

    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is not installed")
    payload = "SMSTO:07700900123:Cllr Jo Bloggs is at 12 Acacia Avenue. Ring me on 07700 900999."
    image = tmp_path / "qr.png"
    image.write_bytes(qr_image(payload, "png"))
    result = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    assert result.stdout.strip() == payload


# -- dates shown one way: a finish on another day always carries its date --------------------------


def test_a_visit_past_midnight_shows_the_finish_date_in_every_export(tmp_path):
    from safety_tui.plans.export import export
    from safety_tui.plans.summary import text_summary

    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    plan = store.update(
        plan.ref,
        start=datetime(2026, 11, 25, 22, 30, tzinfo=LONDON),
        finish=datetime(2026, 11, 26, 2, 0, tzinfo=LONDON),
    )
    sms = contact_sms(plan, include_code_word=False, phone=MY_PHONE)
    assert "Wed 25 Nov 22:30-Thu 26 Nov 02:00." in sms and "22:30-02:00" not in sms
    assert "No word by Thu 26 Nov 02:15?" in sms  # the time to act is on the finish's day too
    assert export(plan, "sms", phone=MY_PHONE) == sms + "\n"
    message = contact_message(plan, include_code_word=False, phone=MY_PHONE)
    assert "From:   Wed 25 Nov 22:30" in message and "Until:  Thu 26 Nov 02:00 (expected finish)" in message
    assert "by Thu 26 Nov 02:15:" in message
    for summary in (markdown_summary(plan), text_summary(plan)):
        assert "Wed 25 Nov 22:30" in summary and "Thu 26 Nov 02:00" in summary and "Thu 26 Nov 02:15" in summary
    # A same-day visit keeps the short form: the date once.
    same_day = store.update(
        plan.ref,
        start=datetime(2026, 11, 25, 20, 0, tzinfo=LONDON),
        finish=datetime(2026, 11, 25, 21, 0, tzinfo=LONDON),
    )
    short = contact_sms(same_day, include_code_word=False, phone=MY_PHONE)
    assert "Wed 25 Nov 20:00-21:00. No word by 21:15?" in short
