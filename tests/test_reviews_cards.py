"""Periodic reviews (when each is due) and quick-reference cards (loaded like checklists)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from safety_tui.checklists.cards import CARD_ORDER, card_text, cards, find_card
from safety_tui.checklists.loader.catalog import load_catalog
from safety_tui.checklists.model import When
from safety_tui.checklists.reviews import add_months, due_reviews, next_due, review_checklists, review_status
from safety_tui.common import paths
from safety_tui.common.errors import ChecklistError
from tests.conftest import valid_yaml, write_yaml
from tests.helpers import bundled_catalog

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)


def loaded(catalog=None):
    return [lc.checklist for lc in (catalog or bundled_catalog()).checklists.values()]


def test_the_bundled_reviews_are_home_security_online_footprint_and_personal_safety():
    assert [c.id for c in review_checklists(loaded())] == [
        "home-security",
        "online-footprint",
        "personal-safety-review",
    ]


def test_a_review_never_done_is_due_now_and_one_done_is_due_six_months_later():
    reviews = review_checklists(loaded())
    done = {"home-security": datetime(2026, 6, 1, 9, 0, tzinfo=UTC), "personal-safety-review": NOW}
    statuses = review_status(reviews, done, NOW)
    assert [(s.review_id, s.due, s.next_due) for s in statuses] == [
        ("online-footprint", True, None),
        ("home-security", False, datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("personal-safety-review", False, datetime(2027, 5, 25, 13, 0, tzinfo=UTC)),
    ]
    done = {"home-security": datetime(2026, 5, 25, 13, 0, tzinfo=UTC), "personal-safety-review": NOW}
    assert [s.review_id for s in due_reviews(reviews, done, NOW)] == [
        "online-footprint",
        "home-security",
    ]  # never done comes first; due exactly at six months


def test_due_reviews_come_first_longest_overdue_first():
    reviews = review_checklists(loaded())
    last = {
        "home-security": datetime(2025, 1, 1, tzinfo=UTC),
        "online-footprint": datetime(2024, 1, 1, tzinfo=UTC),
        "personal-safety-review": datetime(2025, 6, 1, tzinfo=UTC),
    }
    assert [s.review_id for s in review_status(reviews, last, NOW)] == [
        "online-footprint",
        "home-security",
        "personal-safety-review",
    ]
    assert due_reviews(reviews, {k: NOW - timedelta(days=1) for k in last}, NOW) == []


def test_the_interval_is_a_setting_in_whole_months():
    done = datetime(2026, 1, 31, 18, 30, tzinfo=UTC)
    assert next_due(done) == datetime(2026, 7, 31, 18, 30, tzinfo=UTC)
    assert next_due(done, every_months=1) == datetime(2026, 2, 28, 18, 30, tzinfo=UTC)  # no 31 February
    assert next_due(done, every_months=12) == datetime(2027, 1, 31, 18, 30, tzinfo=UTC)
    assert add_months(datetime(2027, 8, 31, tzinfo=UTC), 6) == datetime(2028, 2, 29, tzinfo=UTC)
    assert next_due(None) is None
    for bad in (0, -6, 61, True):
        with pytest.raises(ChecklistError, match="1 to 60 months"):
            next_due(done, every_months=bad)


def test_review_dates_must_be_aware():
    with pytest.raises(ChecklistError, match="time zone"):
        next_due(datetime(2026, 1, 1))
    with pytest.raises(ChecklistError, match="time zone"):
        review_status([], {}, datetime(2026, 1, 1))


def test_the_bundled_cards_in_order_all_advice_none_ticked():
    found = cards(loaded())
    assert [c.id for c in found] == list(CARD_ORDER)
    for card in found:
        assert card.items(When.BEFORE) == [], card.id


def test_card_text_has_the_title_the_advice_and_the_guidance_section():
    text = card_text(find_card(loaded(), "phone-call"))
    assert text.startswith("An intimidating phone call\nHandling an intimidating telephone call")
    assert (
        "\nDuring the call\n  - Continue to be polite and try to stay calm, making sure you are safe. (guidance 1.3)\n"
        in text
    )
    assert "\nAfter the call\n" in text
    markdown = card_text(find_card(loaded(), "serious-situation"), markdown=True)
    assert markdown.startswith("# A serious situation\n\n")
    assert "## If you cannot leave at once\n\n- Place defensive barriers" in markdown


def test_a_council_can_add_a_card_and_an_unknown_card_is_a_clear_error(tmp_path):
    write_yaml(
        tmp_path,
        "card.yaml",
        valid_yaml(id="bomb-threat", title="A bomb threat")
        .replace("visit_types: [home-visit]", "visit_types: [card]")
        .replace("        critical: true\n", "        when: during\n")
        .replace("      - id: doubts\n        type: question\n        text: Any doubts about the premises?\n", "")
        .replace("        show_if: {item: doubts, answer: yes}\n", "        when: during\n"),
    )
    catalog = load_catalog([("bundled", paths.bundled_checklists_dir()), ("organisation", tmp_path)])
    assert catalog.errors == []
    assert [c.id for c in cards(loaded(catalog))][-1] == "bomb-threat"
    with pytest.raises(ChecklistError, match="no quick-reference card 'flood'"):
        find_card(loaded(catalog), "flood")
