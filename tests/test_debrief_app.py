"""The debrief at check-in, through the real app: c (I'm safe), then three quick questions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from safety_tui.incidents import IncidentLog
from safety_tui.plans.lifecycle import Status
from safety_tui.ui.dialogs.debrief import DebriefDialog, SupportDialog
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
from safety_tui.ui.screens.incidents_saved import IncidentSavedScreen
from safety_tui.ui.screens.today import TodayScreen
from tests.helpers import T0, fill, flat_text, full_plan, running_plan, settle


@pytest.mark.slow  # a journey through several screens
async def test_a_debrief_opens_an_incident_filled_in_from_the_plan(app, store, clock):
    plan = full_plan(store, clock)  # home visit by car: 12 Acacia Avenue, 13:30 to 14:30 (London = UTC in Nov)
    store.start(plan.ref)
    clock.set(T0 + timedelta(minutes=80))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, DebriefDialog)
        assert "Did anything worrying happen?" in flat_text(app)
        await pilot.press("y")  # something worrying happened
        await pilot.press("y")  # I am okay
        await settle(pilot)
        form = app.screen
        assert isinstance(form, IncidentFormScreen)
        values = form.values()
        assert values["where"] == "12 Acacia Avenue, Ward End"
        assert values["when"] == "2026-11-25 13:30"
        assert values["plan"] == plan.ref
        assert values["what"] == "At the visit (Mrs Smith re damp): "
        assert "After this visit (your checklists):" in flat_text(app)  # the plan's own 'after' items
        await fill(pilot, "he blocked the door")
        await pilot.press("tab", "tab")
        await fill(pilot, "Mr Smith")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IncidentSavedScreen)
    assert store.get_plan(plan.ref).status is Status.FINISHED
    [incident] = IncidentLog.of(store).incidents()
    assert incident.what == "At the visit (Mrs Smith re damp): he blocked the door"
    assert incident.where == "12 Acacia Avenue, Ward End" and incident.plan == plan.ref
    assert incident.who == "Mr Smith"
    assert incident.happened_at == T0 + timedelta(minutes=30)


async def test_not_okay_shows_the_support_routes_and_enter_skips_the_rest(app, store):
    plan = running_plan(store, "Surgery")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter")  # skip: anything worrying?
        await pilot.press("n")  # not okay
        await settle(pilot)
        assert isinstance(app.screen, SupportDialog)
        text = flat_text(app)
        assert "nominated officer" in text and "Your GP" in text and "political group" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)  # no incident asked for: none opened
    assert IncidentLog.of(store).incidents() == []
    assert not any(e.event.startswith("debrief") for e in store.get_plan(plan.ref).audit)


async def test_enter_skips_every_question(app, store):
    plan = running_plan(store, "Surgery")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, DebriefDialog)
        await pilot.press("enter", "enter")  # not overdue: two questions only
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "Nothing in progress." in flat_text(app)
    assert store.get_plan(plan.ref).status is Status.FINISHED
    assert IncidentLog.of(store).incidents() == []


async def test_after_an_overdue_plan_did_your_contact_act_goes_to_the_audit_trail(app, store, clock):
    plan = running_plan(store, "Late visit")
    clock.set(T0 + timedelta(hours=1, minutes=20))  # past finish + grace
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("n", "y")  # nothing worrying, okay
        await settle(pilot)
        assert "Did your contact act?" in flat_text(app)
        await pilot.press("d")  # don't know
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
    entries = [(e.event, e.detail) for e in store.get_plan(plan.ref).audit]
    assert ("debrief: did your contact act?", "don't know") in entries


async def test_the_debriefs_incident_names_a_known_person_from_the_plans_title(app, store, clock):
    IncidentLog.of(store).record(
        what="rude on the phone",
        recorder="Jo",
        tz="Europe/London",
        happened_at=T0 - timedelta(days=9),
        people=["Mrs Smith"],
        channel="phone",
        category="abusive",
    )
    plan = full_plan(store, clock)  # "Mrs Smith re damp"
    store.start(plan.ref)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y", "enter")
        await settle(pilot)
        assert isinstance(app.screen, IncidentFormScreen)
        assert app.screen.values()["people"] == "Mrs Smith"
