"""The incident screens through the real app: keys in, screen and store checked."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import DataTable, Static

from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.incidents import IncidentLog
from safety_tui.ui.app import create_app
from safety_tui.ui.screens.incidents import IncidentsScreen, open_quick_capture
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
from safety_tui.ui.screens.incidents_saved import IncidentSavedScreen
from safety_tui.ui.screens.incidents_timeline import IncidentTimelineScreen
from safety_tui.wiring import open_store
from tests.helpers import fill, screen_lines, seen, settle, wait_until

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def make_app(tmp_path: Path):
    return create_app(
        data_dir=tmp_path / "data",
        clock=FixedClock(T0),
        tz="Europe/London",
        layers=[("bundled", paths.bundled_checklists_dir())],
    )


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def quick_capture(pilot, app, what: str, who: str, when: str = "") -> None:
    open_quick_capture(app)
    await settle(pilot)
    assert isinstance(app.screen, IncidentFormScreen)
    await fill(pilot, what)
    await pilot.press("tab")
    if when:
        await pilot.press("ctrl+a", "ctrl+k")
        await fill(pilot, when)
    await pilot.press("tab")
    await fill(pilot, who)
    await pilot.press("ctrl+s")
    await settle(pilot)


def incidents(tmp_path: Path):
    with open_store(tmp_path / "data") as store:
        return IncidentLog.of(store).incidents()


async def test_record_an_incident_with_quick_capture(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await quick_capture(pilot, app, "Shouted at me [red]outside[/red]", "John Smith", when="12:30")
        assert isinstance(app.screen, IncidentSavedScreen)
        text = screen_text(app)
        assert "Incident 1 saved" in app.screen.query_one("Label").render().plain
        assert "Report it to the council" in text and "guidance 2.10.1" in text
        await pilot.press("enter")
        await settle(pilot)
    [saved] = incidents(tmp_path)
    assert saved.what == "Shouted at me [red]outside[/red]"
    assert [p.label for p in saved.people] == ["John Smith"]
    assert saved.happened_at == datetime(2026, 11, 25, 12, 30, tzinfo=timezone.utc)
    assert saved.recorded_at == T0


async def test_a_second_incident_from_the_same_person_asks_the_harassment_question(tmp_path):
    with open_store(tmp_path / "data", FixedClock(T0)) as store:
        IncidentLog.of(store).record(
            what="Said I would regret it",
            recorder="Me",
            tz="Europe/London",
            people=["John Smith"],
            category="threatening",
            happened_at=T0 - timedelta(days=2),
        )
        IncidentLog.of(store).record(
            what="Threatening letter",
            recorder="Me",
            tz="Europe/London",
            people=["john smith"],
            category="malicious-communication",
            channel="letter",
        )
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentsScreen())
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2 and "pattern" in [str(c) for c in table.get_row_at(0)]
        assert "2 incidents with John Smith" in screen_text(app) and "could this be harassment?" in screen_text(app)
        assert "police should be involved" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Could this be harassment?" in screen_text(app)


async def test_the_form_saves_as_you_type_and_resumes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_quick_capture(app)
        await settle(pilot)
        await fill(pilot, "Rang three times")
    # The app is gone without saving (as after a kill -9): the draft is in the store.
    with open_store(tmp_path / "data") as store:
        assert IncidentLog.of(store).draft("new")["what"] == "Rang three times"
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        open_quick_capture(app)
        await settle(pilot)
        assert app.screen.query_one("#f-what").text == "Rang three times"


async def test_a_refused_field_shows_the_core_message_and_saves_nothing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await quick_capture(pilot, app, "Something", "Someone", when="tomorrow 9:00")
        text = await seen(pilot)
        assert "Cannot do that" in text and "future" in text  # the app's one error boundary
        assert isinstance(app.screen, IncidentFormScreen)  # still open, with what was typed
        assert app.screen.query_one("#f-what").text == "Something"
        assert app.screen.query_one("#f-when").value == "tomorrow 9:00"
    assert incidents(tmp_path) == []


async def test_the_timeline_shows_revisions_records_a_police_report_and_exports(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFETY_TUI_EXPORT_DIR", str(tmp_path / "Downloads"))
    with open_store(tmp_path / "data", FixedClock(T0)) as store:
        log = IncidentLog.of(store)
        first = log.record(
            what="Threat at surgery", recorder="Cllr Doe", tz="Europe/London", category="threat", people=["John Smith"]
        )
        log.amend(first.id, "Cllr Doe", exact_words="You'll be sorry")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(IncidentsScreen())
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncidentTimelineScreen)
        text = screen_text(app)
        assert "recorded" in text and "amended: exact words" in text and "by Cllr Doe" in text
        assert "Report this to the police now" in text
        await pilot.press("p")
        await settle(pilot)
        await fill(pilot, "CR/55")
        await pilot.press("enter")
        await settle(pilot)
        assert "Reported to the police, reference CR/55" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
    [saved] = incidents(tmp_path)
    assert saved.actions[0].reference == "CR/55"
    pack = paths.export_dir() / "incident-1.pdf"
    assert pack.read_bytes().startswith(b"%PDF") and stat.S_IMODE(pack.stat().st_mode) == 0o600


async def test_a_long_log_leaves_the_filter_and_the_list_on_an_80x24_screen(tmp_path):
    """Two hundred incidents, each with reports still to make, three people with a pattern: the lines over
    the list stay a few, so the filter and the newest rows are on the screen, and a name typed in
    the filter shows that person's incidents."""
    with open_store(tmp_path / "data", FixedClock(T0)) as store:
        log = IncidentLog.of(store)
        for person in ("Pat Jones", "Sam Brown", "Ali Khan"):
            for n in range(2):
                log.record(
                    what=f"Threat {n}", recorder="Cllr Doe", tz="Europe/London", category="threat", people=[person]
                )
        for n in range(194):
            log.record(what=f"Shouted {n}", recorder="Cllr Doe", tz="Europe/London", people=[f"Passer-by {n}"])
    app = make_app(tmp_path)

    def rows() -> int:
        tables = app.screen.query(DataTable)
        return tables.first().row_count if tables else -1

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(IncidentsScreen())
        await wait_until(pilot, lambda: rows() == 200, "the two hundred rows")
        await settle(pilot)
        lines = screen_lines(app)
        assert any("/ filter by person" in line for line in lines)
        assert any(line.lstrip().startswith("200 ") for line in lines)  # the newest incident's row
        await pilot.press("slash", *"jones")
        await wait_until(pilot, lambda: rows() == 2, "Pat Jones's two rows")
        assert "2 incident(s) with that person." in screen_text(app)
