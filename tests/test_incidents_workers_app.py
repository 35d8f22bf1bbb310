"""The incident screens read and write the log in thread workers: what another window recorded
shows when the list is shown again; the filter works on the list as read (it never reads the log
per key); the form refuses a second save while the first is in flight and saves exactly one
incident; a refusal met in a worker is shown by the app's one error boundary."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from safety_tui.common import paths
from safety_tui.incidents import ActionKind, IncidentLog
from safety_tui.store.repository import Store
from safety_tui.ui.screens.incidents import IncidentsScreen
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
from safety_tui.ui.screens.incidents_saved import IncidentSavedScreen
from safety_tui.ui.screens.incidents_timeline import IncidentTimelineScreen
from tests.helpers import fill, flat_text, seen, settle, wait_until

pytestmark = pytest.mark.slow  # each drives the real app for more than a second


def record(store: Store, what: str, person: str) -> int:
    return IncidentLog.of(store).record(what=what, recorder="Cllr Doe", tz="Europe/London", people=[person]).id


def rows_shown(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(row.key.value) for row in table.ordered_rows]


def created(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "plans.sqlite3") as conn:
        return int(conn.execute("SELECT count(*) FROM incident_entries WHERE kind = 'created'").fetchone()[0])


async def test_the_list_shows_what_another_window_recorded_once_it_is_shown_again(app, store):
    first = record(store, "Shouted at me", "John Smith")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await wait_until(pilot, lambda: rows_shown(app) == [str(first)], "the one incident on the list")
        second = record(store, "Rang three times", "Jane Doe")  # meanwhile, in another window
        await pilot.press("enter")  # the timeline, then back: the list is shown again
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentTimelineScreen), "the timeline")
        await pilot.press("escape")
        await wait_until(pilot, lambda: rows_shown(app) == [str(second), str(first)], "both incidents, newest first")
        assert "2 incident(s)" in str(app.screen.query_one("#incidents-summary", Static).render())


async def test_the_filter_shows_the_matching_rows_from_the_list_as_read(app, store, data_dir):
    ids = {
        name: [record(store, f"Incident {n} with {name}", name) for n in range(3)]
        for name in ("Pat Jones", "Sam Jones", "Alex Brown")
    }
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await wait_until(pilot, lambda: len(rows_shown(app)) == 9, "every incident on the list")
        # Another window damages the log by hand: a filter that read the log again would meet it.
        with sqlite3.connect(data_dir / "plans.sqlite3") as conn:
            conn.execute('UPDATE incident_entries SET body = \'{"happened_utc": "yesterday"}\' WHERE seq = 1')
        await pilot.press("slash")
        await fill(pilot, "jones")
        wanted = sorted(map(str, ids["Pat Jones"] + ids["Sam Jones"]), key=int, reverse=True)
        await wait_until(pilot, lambda: rows_shown(app) == wanted, "the Joneses' incidents")
        await fill(pilot, " s")  # now "jones s": nobody
        await wait_until(pilot, lambda: rows_shown(app) == [], "no rows")
        await pilot.press("ctrl+a", "ctrl+k")
        await fill(pilot, "BROWN")  # as typed: case does not matter
        await wait_until(pilot, lambda: rows_shown(app) == [str(i) for i in reversed(ids["Alex Brown"])], "Brown's")
        text = await seen(pilot)
        assert "3 incident(s) with that person" in text
        assert "cannot be read" not in text  # the filter never read the damaged log
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentTimelineScreen), "the timeline")
        await pilot.press("escape")  # shown again: read again, and the damage is said this time
        text = await seen(pilot)
        assert isinstance(app.screen, IncidentsScreen) and "FAILED its integrity check" in text
        assert "incident 1 cannot be read" in text


async def test_a_second_save_while_the_first_is_in_flight_is_refused_and_one_incident_is_saved(app, data_dir):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, "Followed me to the car")
        # Another window is writing: the save waits for it, in its worker, and the form stays answering.
        other = sqlite3.connect(data_dir / "plans.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            hint = app.screen.query_one("#field-hint", Static)
            await wait_until(pilot, lambda: "Saving..." in str(hint.render()), "the form saying it is saving")
            await pilot.press("ctrl+s")  # pressed again, impatiently
            await pilot.press("escape")  # and Escape: the form waits for the save
            await wait_until(pilot, lambda: "Saving: wait until it is done" in flat_text(app), "the refusal said")
            assert isinstance(app.screen, IncidentFormScreen)
        finally:
            other.execute("COMMIT")
            other.close()
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentSavedScreen), "the saved screen")
        text = await seen(pilot)
        assert "Incident 1 saved" in text
        assert not any(isinstance(screen, IncidentFormScreen) for screen in app.screen_stack)
    assert created(data_dir) == 1


async def test_a_refusal_in_the_timelines_worker_is_shown_by_the_boundary_and_the_screen_goes_on(
    app, store, tmp_path, monkeypatch
):
    incident = record(store, "Shouted at me", "John Smith")
    blocked = tmp_path / "downloads"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv(paths.ENV_EXPORT_DIR, str(blocked))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await wait_until(pilot, lambda: rows_shown(app) == [str(incident)], "the incident on the list")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        text = await seen(pilot)
        assert "Cannot do that" in text and "Could not write the evidence pack" in text
        assert isinstance(app.screen, IncidentTimelineScreen)
        assert not app.screen.query_one("#timeline-busy", Static).display  # no longer busy
        os.remove(blocked)
        await pilot.press("x")  # a second try once the folder can be made: written
        text = await seen(pilot)
        assert "Evidence pack written to" in text and (blocked / f"incident-{incident}.pdf").is_file()


async def test_the_timeline_records_one_action_while_another_window_writes_and_says_it_is_busy(app, store, data_dir):
    incident = record(store, "Threatened me", "John Smith")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await wait_until(pilot, lambda: rows_shown(app) == [str(incident)], "the incident on the list")
        await pilot.press("enter")
        await settle(pilot)
        other = sqlite3.connect(data_dir / "plans.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another window is writing: the action waits in its worker
        try:
            await pilot.press("c")
            busy = app.screen.query_one("#timeline-busy", Static)
            await wait_until(pilot, lambda: busy.display and "Recording" in str(busy.render()), "the busy line")
            await pilot.press("c", "escape")  # again, then Back: both wait for the first
            await wait_until(pilot, lambda: "wait until it is done" in flat_text(app), "the refusal said")
            assert isinstance(app.screen, IncidentTimelineScreen)
        finally:
            other.execute("COMMIT")
            other.close()
        await wait_until(pilot, lambda: not busy.display, "the action recorded")
        timeline = app.screen.query_one("#timeline", Static)
        await wait_until(pilot, lambda: ActionKind.COUNCIL.label in str(timeline.render()), "the timeline read again")
    assert [a.kind for a in IncidentLog.of(store).get(incident).actions] == [ActionKind.COUNCIL]  # once


async def test_a_save_that_lands_under_the_palette_closes_the_form_once_it_is_in_front(app, data_dir):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await fill(pilot, "Shouted at me in the car park")
        other = sqlite3.connect(data_dir / "plans.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another window is writing: the save waits
        try:
            await pilot.press("ctrl+s")
            hint = app.screen.query_one("#field-hint", Static)
            await wait_until(pilot, lambda: "Saving..." in str(hint.render()), "the form saying it is saving")
            form = app.screen
            await pilot.press("ctrl+p")  # the command palette over the form, meanwhile
            await wait_until(pilot, lambda: app.screen is not form, "the palette")
        finally:
            other.execute("COMMIT")
            other.close()
        await wait_until(pilot, lambda: created(data_dir) == 1, "the incident saved")
        await settle(pilot)
        assert form in app.screen_stack  # under the palette, still
        await pilot.press("escape")  # the palette closes: the form, saved, closes too
        await wait_until(pilot, lambda: isinstance(app.screen, IncidentSavedScreen), "the saved screen")
        assert form not in app.screen_stack
    assert created(data_dir) == 1
