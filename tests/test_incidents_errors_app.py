"""A refusal of the core on each incident screen is shown by the app's one error boundary (the same
toast as everywhere: "Cannot do that" or "Not saved" with the core's words), the screen stays
usable, and nothing is half-written. The store fixture is "another window" that changes the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import DataTable, Static

from safety_tui.incidents import IncidentLog
from safety_tui.store.repository import Store
from safety_tui.ui.screens.incidents import IncidentsScreen
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
from safety_tui.ui.screens.incidents_timeline import IncidentTimelineScreen
from safety_tui.ui.screens.today import TodayScreen
from tests.helpers import fill, seen, settle


def entry_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "plans.sqlite3") as conn:
        return int(conn.execute("SELECT count(*) FROM incident_entries").fetchone()[0])


def record(store: Store, what: str = "Shouted at me", person: str = "John Smith") -> int:
    return IncidentLog.of(store).record(what=what, recorder="Cllr Doe", tz="Europe/London", people=[person]).id


async def test_the_list_shows_an_unreadable_incident_through_the_boundary(app, store, data_dir):
    record(store)
    record(store, "Rang three times")
    store.conn.execute(
        'UPDATE incident_entries SET body = \'{"happened_utc": "yesterday"}\' WHERE seq = 2'
    )  # edited by hand: cannot be folded
    store.conn.commit()
    before = entry_count(data_dir)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("I")
        text = await seen(pilot)
        assert isinstance(app.screen, IncidentsScreen)  # the app did not crash; the list is there
        assert "Not saved" in text and "incident 2 cannot be read: the store was edited by hand" in text
        banner = app.screen.query_one("#incidents-integrity", Static)
        assert banner.display and "FAILED its integrity check" in str(banner.render())
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
    assert entry_count(data_dir) == before  # a damaged log is only read


async def test_the_form_shows_a_refused_save_and_stays_open_with_what_was_typed(app, store, data_dir):
    incident_id = record(store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(IncidentFormScreen(incident_id))
        await settle(pilot)
        await pilot.press("ctrl+a", "ctrl+k")
        await fill(pilot, "Shouted and pushed me")
        IncidentLog.of(store).delete(incident_id, "Cllr Doe")  # meanwhile, in another window
        before = entry_count(data_dir)
        await pilot.press("ctrl+s")
        text = await seen(pilot)
        assert "Cannot do that" in text and f"incident {incident_id} was deleted" in text
        assert isinstance(app.screen, IncidentFormScreen)
        assert app.screen.query_one("#f-what").text == "Shouted and pushed me"
    assert entry_count(data_dir) == before  # no amendment of a deleted incident


async def test_a_saved_incident_closes_its_form_even_when_the_rest_of_the_log_cannot_be_read(app, store, data_dir):
    record(store)
    store.conn.execute('UPDATE incident_entries SET body = \'{"happened_utc": "yesterday"}\' WHERE seq = 1')
    store.conn.commit()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IncidentFormScreen)
        await fill(pilot, "Followed me to the car")
        await pilot.press("ctrl+s")
        text = await seen(pilot)
        assert "Incident 2 saved" in text and "incident 1 cannot be read" in text
        assert not any(isinstance(screen, IncidentFormScreen) for screen in app.screen_stack)  # never saved twice
    assert entry_count(data_dir) == 2
    assert IncidentLog.of(store).get(2).what == "Followed me to the car"


async def test_the_form_for_an_incident_that_is_not_there_says_so_and_closes(app, store):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(IncidentFormScreen(42))
        text = await seen(pilot)
        assert "Cannot do that" in text and "no incident 42" in text
        assert isinstance(app.screen, TodayScreen)  # no empty form that would hide what is stored
    assert IncidentLog.of(store).draft("amend-42") is None


async def test_the_timeline_shows_a_refused_action_and_a_pack_not_written(app, store, data_dir, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("SAFETY_TUI_EXPORT_DIR", str(blocked / "Downloads"))
    incident_id = record(store)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncidentTimelineScreen)
        await pilot.press("x")
        text = await seen(pilot)
        assert "Cannot do that" in text and "Could not write the evidence pack" in text
        assert not (blocked / "Downloads").exists()
        IncidentLog.of(store).delete(incident_id, "Cllr Doe")  # meanwhile, in another window
        before = entry_count(data_dir)
        await pilot.press("c")
        text = await seen(pilot)
        assert f"incident {incident_id} was deleted" in text and "recorded with today's date" not in text
        assert isinstance(app.screen, IncidentTimelineScreen)
    assert entry_count(data_dir) == before  # no action on a deleted incident
