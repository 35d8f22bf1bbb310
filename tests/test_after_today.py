"""Today after a visit: i records an incident, I lists them, and the reports still to make stay on Today."""

from __future__ import annotations

import pytest

from safety_tui.incidents import IncidentLog
from safety_tui.ui.screens.incidents import IncidentsScreen
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
from safety_tui.ui.screens.incidents_saved import IncidentSavedScreen
from safety_tui.ui.screens.today import TodayScreen
from tests.helpers import fill, screen_text, settle


async def shown(pilot, text: str, present: bool = True) -> bool:
    """Today's incident line is counted in a worker: wait for its message to land."""
    for _ in range(200):
        if (text in screen_text(pilot.app)) == present:
            return True
        await pilot.pause(0.02)
    return False


@pytest.mark.slow  # a journey through several screens
async def test_i_on_today_records_an_incident_and_the_reports_to_make_stay_on_today(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "not yet made" not in screen_text(app)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IncidentFormScreen)
        await fill(pilot, "shouted at me in the car park")
        await pilot.press("tab", "tab")
        await fill(pilot, "John Smith")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IncidentSavedScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert await shown(pilot, "1 report not yet made for 1 incident: press I")
        await pilot.press("I")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
        assert app.screen.query_one("DataTable").row_count == 1
    recorded = IncidentLog.of(store).incidents()
    assert [(i.what, i.who) for i in recorded] == [("shouted at me in the car park", "John Smith")]


async def test_the_to_do_line_goes_once_the_report_is_made(app, store):
    log = IncidentLog.of(store)
    incident = log.record(
        what="abusive e-mail",
        recorder="Jo",
        tz="Europe/London",
        happened_at=store.clock.now(),
        people=["A Person"],
        channel="email",
        category="abusive",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown(pilot, "1 report not yet made")
        log.add_action(incident.id, "Jo", "council")
        app.plans_changed()
        assert await shown(pilot, "report not yet made", present=False)


@pytest.mark.slow  # a journey through several screens
async def test_the_palette_offers_recording_an_incident_and_the_list(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await fill(pilot, "record an incident")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncidentFormScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await fill(pilot, "incidents")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
