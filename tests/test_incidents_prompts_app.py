"""What the app says after an incident is saved, through the real app: the guidance's words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Select, Static

from safety_tui.incidents import IncidentLog
from safety_tui.incidents.prompts import outstanding, todos
from safety_tui.incidents.routes import load_routes
from safety_tui.ui.screens.incidents import IncidentsScreen, open_quick_capture
from safety_tui.ui.screens.incidents_saved import IncidentSavedScreen
from safety_tui.ui.screens.incidents_timeline import IncidentTimelineScreen
from tests.helpers import T0, fill, seen, settle

CATEGORY_ORDER = [
    "threat",
    "threatening",
    "assault",
    "damage",
    "harassment",
    "hate",
    "malicious-communication",
    "abusive",
    "other",
]
CHANNEL_ORDER = ["in-person", "phone", "letter", "email", "social-media", "at-home", "property-damage", "other"]


async def tab_to(pilot, field: str) -> None:
    for _ in range(20):
        if pilot.app.focused is not None and pilot.app.focused.id == f"f-{field}":
            return
        await pilot.press("tab")
    raise AssertionError(f"never reached {field}")


async def choose(pilot, field: str, value: str) -> None:
    """Open a drop-down with Enter, go to the top, then down to the value, and Enter."""
    order = CATEGORY_ORDER if field == "category" else CHANNEL_ORDER
    await tab_to(pilot, field)
    await pilot.press("enter", "home", *["down"] * order.index(value), "enter")
    await pilot.pause()
    assert pilot.app.screen.query_one(f"#f-{field}", Select).value == value


async def pick(pilot, field: str, value: str) -> None:
    """A value chosen in a drop-down, as ``fill`` pastes a text (``choose`` goes through its keys)."""
    select = pilot.app.screen.query_one(f"#f-{field}", Select)
    select.focus()
    select.value = value
    await settle(pilot)


async def record(pilot, what: str, who: str, category: str, channel: str = "", *, keys: bool = False) -> str:
    """Quick capture with a category (and a channel): the saved screen's text. ``keys``: move between
    the fields and open the drop-downs with the keyboard, as a person does (one test does)."""
    open_quick_capture(pilot.app)
    await pilot.pause()
    await fill(pilot, what)
    if keys:
        await tab_to(pilot, "people")
    else:
        pilot.app.screen.query_one("#f-people").focus()
    await fill(pilot, who)
    chosen = choose if keys else pick
    if channel:
        await chosen(pilot, "channel", channel)
    await chosen(pilot, "category", category)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, IncidentSavedScreen)
    return saved_text(pilot.app)


def saved_text(app) -> str:
    """Everything the saved dialog says (some of it is below the fold: ↑/↓ scroll), as one line."""
    return " ".join(" ".join(str(w.render()) for w in app.screen.query(Static)).split())


def earlier(store, category: str, who: str = "John Smith", channel: str = "in-person"):
    return IncidentLog.of(store).record(
        what="Earlier",
        recorder="Me",
        tz="Europe/London",
        people=[who],
        category=category,
        channel=channel,
        happened_at=T0 - timedelta(days=3),
    )


async def incidents_flags(pilot) -> list[str]:
    pilot.app.push_screen(IncidentsScreen())
    await pilot.pause()
    table = pilot.app.screen.query_one(DataTable)
    return [str(table.get_row_at(n)[2]) for n in range(table.row_count)]


@pytest.mark.slow  # a journey through several screens; the rule itself is tested every day in test_incidents_prompts.py
async def test_other_then_abusive_with_one_person_is_no_pattern(app, store):
    earlier(store, "other", channel="email")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = await record(pilot, "Curt email about potholes", "John Smith", "abusive")
        assert "Report it to the council" in text and "harassment" not in text
        assert "police" not in text.split("What to do next:")[1].split("Report it to the council")[0]
        await pilot.press("enter")
        assert await incidents_flags(pilot) == ["", ""]
    assert [p.key for _, p in outstanding(IncidentLog.of(store).incidents(), load_routes().routes)] == [
        "council",
        "council",
    ]


@pytest.mark.slow  # a journey through several screens; the rule itself is tested every day in test_incidents_prompts.py
async def test_two_threats_ask_the_5_5_5_question_without_a_police_todo(app, store):
    earlier(store, "threatening")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = await record(pilot, "Said I would regret it", "john smith", "threatening")
        assert "Could this be harassment?" in text
        for condition in (
            "on at least two occasions",
            "targeted at the individual",
            "calculated in an objective sense to cause alarm or distress",
            "objectively judged to be oppressive and unacceptable",
        ):
            assert condition in text
        assert "should be involved" not in text and "not legal advice" in text
        await pilot.press("enter")
        assert await incidents_flags(pilot) == ["pattern", "pattern"]
    latest = IncidentLog.of(store).incidents()[-1]
    assert [p.key for p in todos(latest, load_routes().routes)] == ["council"]


@pytest.mark.slow  # a journey through several screens; the rule itself is tested every day in test_incidents_prompts.py
async def test_a_man_twice_is_never_grouped(app, store):
    earlier(store, "threatening", who="a man")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = await record(pilot, "Shouted at me", "A man.", "threatening")
        assert "Could this be harassment" not in text and "second incident" not in text
        await pilot.press("enter")
        assert await incidents_flags(pilot) == ["", ""]


@pytest.mark.slow  # a journey through several screens; the rule itself is tested every day in test_incidents_prompts.py
async def test_a_council_report_clears_the_hate_todo(app, store):
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = await record(pilot, "Racist abuse at the surgery", "John Smith", "hate")
        assert "you have a duty to report it, to the council or to the police" in text
        assert "you can decide if you want to inform the police" in text and "2.10.2, 2.3.2" in text
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.push_screen(IncidentsScreen())
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, IncidentTimelineScreen)
        await pilot.press("c")  # reported to the council: no police report needed to clear it
        text = await seen(pilot)
        assert "[done] A hate incident or crime" in text and "[done] Report it to the council" in text
    assert outstanding(IncidentLog.of(store).incidents(), load_routes().routes) == []


async def test_online_abuse_offers_the_platform_route_and_the_police(app, store):
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        text = await record(
            pilot, "Abusive replies to my post", "John Smith", "abusive", channel="social-media", keys=True
        )
        assert "report it to the social media platform and to the police (101)" in text
        assert "report option on the post, message or profile" in text  # the bundled generic platform line
        assert "o opens the quick-reference card on abuse online" in text
    [incident] = IncidentLog.of(store).incidents()
    assert [p.key for p in todos(incident, load_routes().routes)] == ["council", "online"]
