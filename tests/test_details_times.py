"""The Details step as a first-time councillor meets it, through the real app."""

from __future__ import annotations

from textual.widgets import Input

from safety_tui.plans import settings
from safety_tui.ui.screens.details import DetailsStep
from tests.helpers import screen_text, seen, settle, wizard_step


async def _details(pilot, app) -> DetailsStep:
    await pilot.press("n", "ctrl+n")  # new plan, then on from the visit step
    assert isinstance(wizard_step(app), DetailsStep)
    return app.screen


async def _set(pilot, screen: DetailsStep, box: str, text: str) -> None:
    screen.query_one(f"#{box}", Input).value = text
    await settle(pilot)


async def test_a_finish_before_the_start_is_asked_about_not_moved_silently(app):
    """Start 22:30, finish 22:00: never 23h 30m without a word. It says so, and Ctrl+Y makes it the next day."""
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _details(pilot, app)
        await _set(pilot, screen, "start", "22:30")
        await _set(pilot, screen, "finish", "22:00")
        shown = screen_text(app)
        assert "Ctrl+Y" in shown and "next day" in shown
        ref = app.store.resolve("last")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "Wed 25 Nov 22:30 to Thu 26 Nov 22:00" in screen_text(app)  # the date whenever it is another day
        assert screen.flush()
        plan = app.store.get_plan(ref)
        assert plan.finish is not None and plan.start is not None
        assert (plan.finish - plan.start).total_seconds() == 23.5 * 3600


async def test_changing_the_start_keeps_the_length_of_the_visit(app):
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _details(pilot, app)
        await _set(pilot, screen, "start", "14:00")
        await _set(pilot, screen, "finish", "15:30")
        await _set(pilot, screen, "start", "16:00")
        assert screen.query_one("#finish", Input).value.endswith("17:30")
        assert "16:00 to 17:30 (1h 30m)" in screen_text(app)


async def test_the_phone_typed_once_is_kept_for_the_contacts_message(app):
    """'Ring me' needs a number: typed in Details, kept in settings by the settings' own rule."""
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await _details(pilot, app)
        await _set(pilot, screen, "phone", "07700 900123")
        await _set(pilot, screen, "owner_name", "Cllr Jo Bloggs")
        assert screen.flush()
        assert settings.owner_phone(app.store) == "07700 900123"
        assert settings.owner_name(app.store) == "Cllr Jo Bloggs"
        await _set(pilot, screen, "phone", "0770\x1b]0;x\x07")
        screen.flush()  # now, or already done by the save timer: either way refused by the rule
        assert "character U+001B (terminal escape sequences and direction overrides are refused)" in await seen(pilot)
        assert settings.owner_phone(app.store) == "07700 900123"


async def test_the_contacts_message_has_your_phone_and_the_code_word_only_when_you_choose(app, store):
    """Review's message (and c, which copies it) carries your number; w adds the code word, masked on screen."""
    from datetime import timedelta

    from safety_tui.ui.screens.review import ReviewStep
    from tests.helpers import T0

    settings.set_owner_phone(store, "07700 900123")
    plan = store.create_plan("home-visit", tz="Europe/London", title="Mrs Smith")
    store.update(
        plan.ref,
        start=T0 + timedelta(hours=1),
        finish=T0 + timedelta(hours=2),
        code_word="blue folder",
        code_meaning="call the police",
        wizard_step="review",
    )
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(wizard_step(app), ReviewStep)
        assert "Ring me on 07700 900123" in screen_text(app).replace("\n", " ")
        await pilot.press("c")
        assert "07700 900123" in app.clipboard and 'says "blue folder"' in app.clipboard  # in by default
        assert "blue folder" not in screen_text(app)  # masked on screen until r
        await pilot.press("w", "c")
        assert "blue folder" not in app.clipboard  # the councillor chose to leave it out


async def test_review_and_today_show_the_finish_date_when_it_is_on_another_day(app, store, clock, data_dir):
    """22:30 to 02:00: Review and Today's banner never show a bare '02:00' that reads as before the start."""
    from datetime import datetime, timezone

    from safety_tui.ui.screens.review import ReviewStep

    start = datetime(2026, 11, 25, 22, 30, tzinfo=timezone.utc)  # London is on UTC in November
    plan = store.create_plan("home-visit", tz="Europe/London", title="Late surgery")
    store.update(plan.ref, start=start, finish=start.replace(day=26, hour=2, minute=0), wizard_step="review")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("enter")
        assert isinstance(wizard_step(app), ReviewStep)
        assert "Wed 25 Nov 22:30 to Thu 26 Nov 02:00, worry from Thu 26 Nov 02:15" in screen_text(app)
    clock.set(start)
    store.start(plan.ref)
    from tests.helpers import build_app

    today = build_app(data_dir, clock)  # a second start of the app, on Today
    async with today.run_test(size=(100, 40)):
        assert "Expected finish Thu 26 Nov 02:00" in screen_text(today)
