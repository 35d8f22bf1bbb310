"""The phone check-in page's text, without a server (the server's own tests use real PostgreSQL)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from safety_tui.council import checkin_page as page


def test_after_im_safe_the_page_says_to_ring_999_with_a_tap():
    text = page.safe_page()
    assert "checked in as safe" in text
    assert re.search(r'<a href="tel:999">ring 999</a>', text)  # a tap on a phone, not a number to copy
    assert "<script" not in text


def test_the_buttons_page_gives_nothing_away_but_the_due_time():
    text = page.checkin_page(datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc), "Europe/London")
    assert re.findall(r'value="([a-z0-9-]+)"', text) == list(page.ACTIONS)
    assert "15:00" in text and "<script" not in text
