"""Incidents joined to plans: the risk before a visit and the debrief after (core and the app hooks)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from safety_tui.common.clock import FixedClock
from safety_tui.incidents import IncidentLog
from safety_tui.incidents.visits import NEUTRAL_VENUE_ADVICE, earlier_incidents, form_from_plan
from safety_tui.wiring import open_store
from tests.helpers import fill, settle
from tests.test_incidents_app import make_app

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


@pytest.fixture
def log(tmp_path):
    with open_store(tmp_path / "data", FixedClock(T0)) as store:
        yield IncidentLog.of(store)


def test_a_plans_person_or_place_matching_earlier_incidents_is_a_risk(log):
    log.record(
        what="Threatened me",
        recorder="Me",
        tz="Europe/London",
        category="threat",
        people=["John Smith"],
        happened_at=datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc),
        where="12 Acacia Avenue, Ward End",
    )
    log.record(
        what="Letter",
        recorder="Me",
        tz="Europe/London",
        category="abusive",
        people=["john smith"],
        happened_at=datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc),
    )
    log.record(what="Other person", recorder="Me", tz="Europe/London", people=["Jane Doe"])
    notes = earlier_incidents(
        log.incidents(),
        location="12 acacia avenue ward end",
        title="John Smith, damp complaint",
        visit_type="home-visit",
    )
    lines = [n.line() for n in notes]
    assert lines[0] == (
        "2 incidents with this person (John Smith), last 3 Nov 2026: threat to kill, rape or serious "
        "violence, abusive (none of the above). " + NEUTRAL_VENUE_ADVICE
    )
    assert (
        "go accompanied" not in NEUTRAL_VENUE_ADVICE
        and "the purpose of the visit is not about the premises" in NEUTRAL_VENUE_ADVICE
    )
    assert lines[1].startswith("1 incident with this place, last 3 Nov 2026")
    surgery = earlier_incidents(
        log.incidents(), location="12 acacia avenue ward end", title="John Smith, damp complaint", visit_type="surgery"
    )
    assert [n.line() for n in surgery][0].endswith("abusive (none of the above).")  # 2.4.2 is about home visits only
    assert not any("neutral venue" in n.line() for n in surgery)
    assert earlier_incidents(log.incidents(), location="Town Hall", title="Johnsmithson visit") == []


def test_the_debrief_form_is_filled_in_from_the_plan():
    start = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)
    values = form_from_plan(
        ref="2026-11-25-1",
        location="12 Acacia Avenue",
        start=start,
        finish=start + timedelta(hours=1),
        tz="Europe/London",
        now=T0,
    )
    assert (
        values["when"] == "2026-11-25 10:00"
        and values["where"] == "12 Acacia Avenue"
        and values["plan"] == "2026-11-25-1"
    )


async def test_a_debrief_opens_an_incident_filled_in_from_the_plan(tmp_path):
    from safety_tui.incidents.visits import earlier_incident_lines
    from safety_tui.ui.screens.incidents import open_debrief_incident

    with open_store(tmp_path / "data", FixedClock(T0)) as store:
        plan = store.create_plan("home-visit", tz="Europe/London", title="Mr Jones, parking", location="3 Mill Lane")
        store.update(plan.ref, start=T0 - timedelta(hours=2), finish=T0 - timedelta(hours=1))
        plan = store.get_plan(plan.ref)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_debrief_incident(app, plan)
        await settle(pilot)
        assert app.screen.query_one("#f-where").value == "3 Mill Lane"
        assert app.screen.query_one("#f-when").value == "2026-11-25 11:00"
        await fill(pilot, "Shouted at me on the doorstep")
        await pilot.press("tab", "tab")
        await fill(pilot, "Mr Jones")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Incident 1 saved" in app.screen.query_one("Label").render().plain
        await pilot.press("enter")
        lines = earlier_incident_lines(
            IncidentLog.of(app.store).incidents(), location=plan.location, title=plan.title, visit_type=plan.visit_type
        )
        assert lines[0].startswith("1 incident with this person (Mr Jones), last 25 Nov 2026")
    with open_store(tmp_path / "data") as store:
        [saved] = IncidentLog.of(store).incidents()
    assert (saved.where, saved.plan, saved.happened_at) == ("3 Mill Lane", plan.ref, T0 - timedelta(hours=2))
