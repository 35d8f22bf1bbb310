"""Before a visit: Review shows earlier incidents with the plan's person or at its place as a risk (2.4.2)."""

from __future__ import annotations

from datetime import timedelta

from safety_tui.incidents import IncidentLog
from safety_tui.ui.screens import wizard
from safety_tui.ui.screens.review import ReviewStep
from tests.helpers import T0, flat_text, full_plan, settle, wizard_step


async def test_review_shows_an_earlier_incident_as_a_risk(app, store, clock):
    IncidentLog.of(store).record(
        what="said he would hurt me",
        recorder="Jo",
        tz="Europe/London",
        happened_at=T0 - timedelta(days=22),
        people=["mrs  SMITH"],
        channel="in-person",
        category="threat",
    )
    IncidentLog.of(store).record(
        what="shouting in the street",
        recorder="Jo",
        tz="Europe/London",
        happened_at=T0 - timedelta(days=5),
        people=["a man in a red cap"],
        channel="in-person",
        category="abusive",
        where="12 acacia avenue,  Ward End",
    )
    plan = full_plan(store, clock)  # "Mrs Smith re damp" at "12 Acacia Avenue, Ward End"
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        wizard.resume(app, plan.ref, "review")
        await settle(pilot)
        assert isinstance(wizard_step(app), ReviewStep)
        text = flat_text(app)
        assert "! 1 incident with this person (mrs SMITH), last 3 Nov 2026: threat to kill" in text
        assert "1 incident with this place, last 20 Nov 2026: abusive" in text
        assert (
            "if you have any doubts about the safety of the premises and the purpose of the visit is not about the "
            "premises itself, arrange for the meeting to take place at a neutral venue (guidance 2.4.2)" in text
        )
        assert "go accompanied" not in text
        assert "No risks found" not in text


async def test_review_without_earlier_incidents_adds_no_such_risk(app, store, clock):
    IncidentLog.of(store).record(
        what="rude letter",
        recorder="Jo",
        tz="Europe/London",
        happened_at=T0 - timedelta(days=3),
        people=["Someone Else"],
        channel="letter",
        category="abusive",
        where="1 Other Road",
    )
    plan = full_plan(store, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        wizard.resume(app, plan.ref, "review")
        await settle(pilot)
        assert "neutral venue" not in flat_text(app)
