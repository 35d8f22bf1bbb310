"""When it happened, typed forgivingly; how an incident reads; the pack's literal text."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from safety_tui.common.clock import FixedClock
from safety_tui.incidents import IncidentError, IncidentLog
from safety_tui.incidents.pack import PackInfo, markdown_pack
from safety_tui.incidents.pack_pdf import pdf_safe
from safety_tui.incidents.wording import fields, parse_happened, when_text
from safety_tui.wiring import open_store

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # a Wednesday
LONDON = "Europe/London"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("now", NOW),
        ("", NOW),
        ("10:30", datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)),
        ("yesterday 18:00", datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)),
        ("2h ago", NOW - timedelta(hours=2)),
        ("-30m", NOW - timedelta(minutes=30)),
        ("fri 9pm", datetime(2026, 11, 20, 21, 0, tzinfo=timezone.utc)),  # the last Friday
        ("2026-11-03 18:00", datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)),
    ],
)
def test_when_it_happened(text, expected):
    assert parse_happened(text, NOW, LONDON) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("16:00", "future"),
        ("tomorrow 9:00", "future"),
        ("banana", "not"),
        ("lots ago", "length of time"),
    ],
)
def test_when_it_happened_refuses_the_future_and_nonsense(text, message):
    with pytest.raises(IncidentError, match=message):
        parse_happened(text, NOW, LONDON)


def test_times_show_the_zone_across_summer_time():
    assert (
        when_text(datetime(2026, 7, 1, 17, 0, tzinfo=timezone.utc), LONDON)
        == "Wed 01 Jul 2026 18:00 BST (Europe/London)"
    )
    assert (
        when_text(datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc), LONDON)
        == "Tue 01 Dec 2026 17:00 GMT (Europe/London)"
    )


def test_the_pack_shows_stored_text_literally(tmp_path):
    with open_store(tmp_path / "d", FixedClock(NOW)) as store:
        log = IncidentLog.of(store)
        incident = log.record(
            what="**bold** [link](http://x) <script>",
            recorder="Me",
            tz=LONDON,
            people=["# Heading"],
            exact_words="line one\n- line two",
        )
        store.conn.execute("UPDATE incident_entries SET body = replace(body, 'bold', 'b\\u001b[31mold')")
        incident = log.get(incident.id)
        text = markdown_pack([incident], PackInfo("x", "Me", NOW, LONDON, log.verify()))
    assert "\\*\\*b\\\\x1b\\[31mold\\*\\*" in text  # escaped, and the terminal escape made visible
    assert "\\<script\\>" in text and "\\# Heading" in text
    assert "> line one\n> - line two" in text
    assert "FAILED" in text  # the hand edit is reported in the pack itself


def test_pdf_text_never_loses_a_character_silently():
    assert pdf_safe("café «x» Łódź ☎") == "café «x» Łódź <U+260E>"  # only what no embedded font can show


def test_fields_leave_out_what_was_not_given(tmp_path):
    with open_store(tmp_path / "d", FixedClock(NOW)) as store:
        incident = IncidentLog.of(store).record(what="w", recorder="Me", tz=LONDON, plate="AB12 CDE")
    labels = [label for label, _ in fields(incident)]
    assert "Vehicle" in labels and "Exact words" not in labels and "Witnesses" not in labels
