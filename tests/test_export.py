"""Exports: a buddy can act on them; calendars parse and alarm at the right instant."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import vobject

from safety_tui.export import buddy_message, ics_for_contact, ics_for_councillor, markdown_summary, qr_text, sms_message
from tests.helpers import full_plan, make_store

LONDON = ZoneInfo("Europe/London")


def test_sms_fits_one_message_and_hides_code_word_unless_asked(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    text = sms_message(plan)
    assert len(text) <= 160, len(text)
    assert "12 Acacia Avenue" in text and "13:30-14:30" in text and "No word by 14:45?" in text
    assert "blue folder" not in text
    assert '"blue folder" = call the police to this address' in sms_message(plan, include_code_word=True)


def test_long_message_has_who_where_when_and_what_to_do(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    text = buddy_message(plan, include_code_word=True)
    for needle in ("Cllr Jo Bloggs", "12 Acacia Avenue, Ward End", "Wed 25 Nov 13:30", "Wed 25 Nov 14:30",
                   "If you have not heard from Cllr Jo Bloggs by Wed 25 Nov 14:45", "Ring 999", 'says "blue folder"'):
        assert needle in text
    assert "blue folder" not in buddy_message(plan)


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
    contact = _parse(ics_for_contact(plan)).vevent
    assert contact.valarm.trigger.value == plan.finish + timedelta(minutes=15)
    assert contact.valarm.description.value.startswith("No word from Cllr Jo Bloggs? Ring me.")


def test_ics_alarms_are_right_across_the_dst_change(tmp_path):
    # Clocks go back at 02:00 BST on 25 October 2026: 01:30 happens twice.
    store, clock = make_store(tmp_path, at=datetime(2026, 10, 24, 20, 0, tzinfo=timezone.utc))
    plan = store.create_plan("meeting", tz="Europe/London", owner_name="Jo")
    start = datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)      # BST, 23:30Z on the 24th
    finish = datetime(2026, 10, 25, 2, 30, tzinfo=LONDON)     # GMT, 02:30Z
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


def test_qr_code_is_drawn_with_blocks(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    text = qr_text("SMSTO:07700900123:hello")
    lines = text.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert set("".join(lines)) <= set("█▀▄ ")
    import segno

    # Decode check by regeneration: the same payload draws the same code.
    assert text == qr_text("SMSTO:07700900123:hello")
    assert segno.make("SMSTO:07700900123:hello", error="l", micro=False, boost_error=True).symbol_size(border=2)[0] == len(lines[0])


def test_text_summary_is_plain_and_complete(tmp_path):
    from safety_tui.export import text_summary

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

    from safety_tui.export import sms_payload

    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is not installed")
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    payload = sms_payload(plan)
    assert payload.startswith("SMSTO:07700900123:Cllr Jo Bloggs is at 12 Acacia Avenue")
    image = tmp_path / "qr.pgm"
    _terminal_image(qr_text(payload), image)
    result = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
    assert result.stdout.strip() == payload
