"""Today's incident line is counted in Today's worker thread, grouped once, and shown with its snapshot."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from safety_tui.incidents import IncidentLog
from safety_tui.incidents import tally as tally_module
from safety_tui.incidents.prompts import PersonIndex
from safety_tui.incidents.routes import Routes
from safety_tui.incidents.tally import IncidentTally, tally
from safety_tui.today.snapshot import TodayReader
from safety_tui.ui.screens.history import HistoryScreen
from safety_tui.ui.screens.today import TodayScreen
from tests.helpers import T0, seen

CATEGORIES = ["threatening", "abusive", "other", "malicious-communication"]


def fill(store, count: int) -> None:
    """``count`` incidents with 20 named people and some described only as 'a man'."""
    log = IncidentLog.of(store)
    for n in range(count):
        people = [f"Pat Jones {n % 20}"] if n % 5 else ["a man"]
        log.record(
            what=f"Incident {n}",
            recorder="Me",
            tz="Europe/London",
            people=people,
            category=CATEGORIES[n % len(CATEGORIES)],
            happened_at=T0 - timedelta(hours=n),
        )


def test_the_tally_counts_reports_and_people_to_consider():
    assert IncidentTally(3, 2, 1).line() == (
        "3 reports not yet made for 2 incidents; a question to consider (harassment?) about 1 person: press I to see them."
    )
    assert IncidentTally(0, 0, 0).line() == ""


def test_the_people_are_grouped_once_per_tally(store, monkeypatch):
    fill(store, 40)
    built = []
    real = PersonIndex.of.__func__

    def counting(cls, incidents):
        built.append(len(incidents))
        return real(cls, incidents)

    monkeypatch.setattr(PersonIndex, "of", classmethod(counting))
    result = tally(IncidentLog.of(store).incidents(), Routes())
    assert built == [40]  # one grouping for the whole log, not one per incident
    assert result.reports == 40 and result.incidents == 40  # every incident: report it to the council
    # 'a man' is never grouped; each named person's incidents are all of one category, and only
    # threatening and malicious messages count: 8 of the 16 named people
    assert result.people == 8


@pytest.mark.slow
async def test_today_counts_in_a_worker_and_stays_responsive(app, store, monkeypatch):
    fill(store, 200)
    release = threading.Event()
    threads: list[str] = []
    real = tally_module.tally

    def held(incidents, routes):
        threads.append(threading.current_thread().name)
        release.wait(timeout=30)
        return real(incidents, routes)

    monkeypatch.setattr(tally_module, "tally", held)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(200):
            if threads:
                break
            await pilot.pause(0.05)
        assert threads and threads[0] != threading.main_thread().name
        # The count is held in its thread: the app still answers keys.
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen) and not release.is_set()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        release.set()
        for _ in range(200):
            if "press I to see them" in await seen(pilot):
                break
        text = await seen(pilot)
        assert "200 reports not yet made for 200 incidents" in text
        assert "a question to consider (harassment?) about 8 people" in text


def test_today_recounts_only_after_the_log_changed(store, monkeypatch):
    fill(store, 10)
    counted = []
    real = tally_module.tally

    def counting(incidents, routes):
        counted.append(1)
        result = real(incidents, routes)
        tallies.append(result)
        return result

    tallies: list[IncidentTally] = []
    monkeypatch.setattr(tally_module, "tally", counting)
    reader = TodayReader(store, store.clock)  # what Today's worker reads with
    try:
        first = reader.read([])
        assert first is not None and first.incident_todo
        again = reader.read([])
        assert again is not None and again.incident_todo == first.incident_todo
        assert len(counted) == 1  # the 5 s poll on a quiet log
        latest = IncidentLog.of(store).incidents()[-1]
        IncidentLog.of(store).add_action(latest.id, "Me", "council")
        reader.read([])
        assert len(counted) == 2 and tallies[1].reports == tallies[0].reports - 1
    finally:
        reader.close()
