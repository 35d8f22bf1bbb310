"""Nothing slow on the UI thread: Today reads in a worker, only while shown, and updates rows in place;
a plan's composition is made once per version of its checklists and shared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable

from safety_tui.checklists import compose
from safety_tui.checklists.compose import compose_plan
from safety_tui.incidents import IncidentLog
from safety_tui.incidents.model import PATTERN_THRESHOLD
from safety_tui.incidents.prompts import is_done, prompts_for
from safety_tui.incidents.routes import Routes
from safety_tui.incidents.tally import tally
from safety_tui.today import snapshot
from safety_tui.ui.screens import today, wizard
from safety_tui.ui.screens.history import HistoryScreen
from safety_tui.ui.screens.review import ReviewStep
from safety_tui.ui.screens.today import TodayScreen
from tests.helpers import T0, full_plan, screen_text, today_settled, wait_for, wizard_step


def selected_ref(app) -> str:
    table = app.screen.query_one(DataTable)
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


async def next_snapshot(pilot) -> None:
    """Ask Today to read again (what its poll does) and wait until the result is shown."""
    screen = pilot.app.screen
    shown = screen.snapshots_shown
    screen.refresh_snapshot()
    await wait_for(pilot, lambda: screen.snapshots_shown > shown)
    await pilot.pause()


async def test_today_shows_plans_and_to_dos_another_window_added(app, store):
    async with app.run_test(size=(100, 24)) as pilot:
        await today_settled(pilot)
        assert "No plans yet" in screen_text(app)
        assert "not yet made" not in screen_text(app)
        store.create_plan("surgery", tz="Europe/London", title="Saturday surgery")  # another window
        IncidentLog.of(store).record(
            what="threatened me",
            recorder="Jo",
            tz="Europe/London",
            happened_at=store.clock.now(),
            people=["A Person"],
            category="threat",
        )
        await next_snapshot(pilot)
        text = screen_text(app)
        assert "Saturday surgery" in text
        assert "No plans yet" not in text
        assert "not yet made for 1 incident: press I to see them" in text
        assert app.screen.query_one(DataTable).row_count == 1


async def test_today_reads_nothing_while_another_screen_is_on_top(app, store, monkeypatch):
    monkeypatch.setattr(today, "POLL_SECONDS", 0.05)
    reads: list[object] = []
    real = snapshot.today_snapshot

    def counted(*args, **kwargs):
        reads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshot, "today_snapshot", counted)
    async with app.run_test(size=(100, 24)) as pilot:
        await today_settled(pilot)
        await wait_for(pilot, lambda: len(reads) >= 3)  # the poll runs while Today is shown
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await app.workers.wait_for_complete()
        behind = len(reads)
        store.create_plan("surgery", tz="Europe/London", title="Made elsewhere")
        app.plans_changed()  # a change while History is on top
        await pilot.pause(0.5)  # ten poll periods
        assert len(reads) == behind
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen) and len(reads) > behind)
        await wait_for(pilot, lambda: "Made elsewhere" in screen_text(app))


async def test_the_cursor_stays_on_its_plan_when_rows_change(app, store):
    refs = [store.create_plan("surgery", tz="Europe/London", title=f"Surgery {n}").ref for n in range(3)]
    async with app.run_test(size=(100, 24)) as pilot:
        await today_settled(pilot)
        table = app.screen.query_one(DataTable)
        assert [row.key.value for row in table.ordered_rows] == refs[::-1]  # newest first
        await pilot.press("down")
        assert selected_ref(app) == refs[1]
        store.update(refs[1], title="Renamed elsewhere")
        store.forget(refs[2])  # the row above the cursor goes
        newest = store.create_plan("home-visit", tz="Europe/London", title="Newest").ref
        await next_snapshot(pilot)
        assert [row.key.value for row in table.ordered_rows] == [newest, refs[1], refs[0]]
        assert selected_ref(app) == refs[1]
        assert "Renamed elsewhere" in screen_text(app)
        assert "Surgery 2" not in screen_text(app)


async def test_review_composes_once_however_often_it_redraws(app, store, clock, monkeypatch):
    plan = full_plan(store, clock)
    composed: list[object] = []
    real = compose.compose_checklists

    def counted(*args, **kwargs):
        composed.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(compose, "compose_checklists", counted)
    async with app.run_test(size=(100, 40)) as pilot:
        await today_settled(pilot)
        wizard.resume(app, plan.ref, "review")
        await wait_for(pilot, lambda: isinstance(wizard_step(app), ReviewStep))
        await pilot.pause()
        assert "Mrs Smith re damp" in screen_text(app)
        for key in ("r", "r", "w", "w"):  # four redraws
            await pilot.press(key)
            await pilot.pause()
    assert len(composed) == 1


def test_a_snapshot_with_other_content_is_composed_anew(store, clock):
    plan = full_plan(store, clock)
    first, _ = compose_plan(plan)
    again, _ = compose_plan(store.get_plan(plan.ref))
    assert again is first  # read again from the store: the same content, the same composition
    changed = plan.model_copy(deep=True)
    body = changed.checklists[0].body
    item = body["sections"][0]["items"][0]
    item["text"] = "Changed in the store by hand"  # content_hash left as it was: the key is the content
    other, _ = compose_plan(changed)
    assert other is not first
    assert "Changed in the store by hand" in [e.text for e in other.before + other.satisfied]


@pytest.mark.parametrize("people_per_incident", [1, 2])
def test_the_linear_tally_agrees_with_the_rule(store, people_per_incident):
    """Today's count (incidents.tally, linear) against the rule applied to each incident with the
    whole log beside it (quadratic): the same reports, incidents and people to ask about."""
    log = IncidentLog.of(store)
    kinds = [
        ("threat", "in-person"),
        ("abusive", "letter"),
        ("abusive", "email"),
        ("harassment", "phone"),
        ("hate", "social-media"),
    ]
    for n in range(40):
        category, channel = kinds[n % len(kinds)]
        people = [f"Person {(n + k) % 7}" for k in range(people_per_incident)]
        incident = log.record(
            what=f"occasion {n}",
            recorder="Jo",
            tz="Europe/London",
            happened_at=T0 - timedelta(days=60 - n),
            people=people,
            category=category,
            channel=channel,
        )
        if n % 6 == 0:
            log.add_action(incident.id, "Jo", "police")
    incidents = log.incidents()
    live = [i for i in incidents if i.deleted_at is None]
    expected = [
        (i, p)
        for i in live
        for p in prompts_for(i, [o for o in live if o.id != i.id], Routes())
        if p.todo is not None and not is_done(i, p)
    ]
    assert expected  # the case is not empty
    people = {person.id for i in live for person in i.people if person.named}
    asked = [
        pid
        for pid in people
        if sum(1 for i in live if i.counts_towards_pattern and any(p.id == pid for p in i.people)) >= PATTERN_THRESHOLD
    ]
    got = tally(incidents, Routes())
    assert (got.reports, got.incidents, got.people) == (len(expected), len({i.id for i, _ in expected}), len(asked))


async def test_an_answer_in_the_walk_reads_the_plan_once(app, store, clock, monkeypatch):
    from safety_tui.store.repository import Store
    from safety_tui.ui.screens.step import WizardStep
    from safety_tui.ui.screens.walk import WalkStep

    plan = full_plan(store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await today_settled(pilot)
        wizard.resume(app, plan.ref, "walk")
        await wait_for(pilot, lambda: isinstance(wizard_step(app), WalkStep))

        def next_step_composed() -> bool:  # the next step is composed ahead, out of sight
            steps = list(app.screen.query(WizardStep))
            return len(steps) == 2 and all(step.is_mounted for step in steps)

        await wait_for(pilot, next_step_composed)
        await pilot.pause()
        reads: list[str] = []
        real = Store.get_plan
        monkeypatch.setattr(Store, "get_plan", lambda self, ref: reads.append(ref) or real(self, ref))
        before = len(store.get_plan(plan.ref).answers)
        _, item = wizard_step(app).current()
        key = "n" if item.type.value == "question" else "a"  # no / not applicable
        reads.clear()
        await pilot.press(key)
        await pilot.pause()
        assert reads == [plan.ref]
        monkeypatch.undo()
        assert len(store.get_plan(plan.ref).answers) == before + 1  # it was saved
        assert wizard_step(app).current()[1] is not item  # and the walk moved on
