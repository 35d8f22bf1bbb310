"""Attack on "a stored field is hostile data": an incident entry edited by hand to carry a time zone
that does not exist (or is not a name at all) is refused as unreadable by the one error boundary,
like any other entry edited by hand, never a crash of the app or the CLI; nothing is written."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common.exitcodes import EXIT_OK
from safety_tui.incidents import IncidentLog
from safety_tui.store.repository import Store
from safety_tui.ui.screens.incidents import IncidentsScreen
from tests.helpers import seen, settle

ZONES = ["Mars/Olympus", "", "../../etc/passwd", 7]


def entries(data_dir: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(data_dir / "plans.sqlite3") as conn:
        return [(int(s), str(b)) for s, b in conn.execute("SELECT seq, body FROM incident_entries ORDER BY seq")]


def tampered(store: Store, zone: object) -> None:
    log = IncidentLog.of(store)
    log.record(what="Shouted at me", recorder="Cllr Doe", tz="Europe/London", people=["John Smith"])
    log.record(what="Rang three times", recorder="Cllr Doe", tz="Europe/London", people=["John Smith"])
    body = json.loads(store.row("SELECT body FROM incident_entries WHERE seq = 2")[0])
    store.conn.execute("UPDATE incident_entries SET body = ? WHERE seq = 2", (json.dumps(body | {"tz": zone}),))
    store.conn.commit()


@pytest.mark.parametrize("zone", ZONES)
async def test_an_entry_with_a_zone_that_is_not_one_is_shown_as_unreadable_never_a_crash(app, store, data_dir, zone):
    tampered(store, zone)
    before = entries(data_dir)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("I")
        text = await seen(pilot)
        assert isinstance(app.screen, IncidentsScreen)  # the app did not crash
        assert "incident 2 cannot be read: the store was edited by hand" in text
    assert entries(data_dir) == before


@pytest.mark.parametrize("zone", ZONES[:2])
def test_the_cli_lists_the_log_and_says_which_incident_cannot_be_read(store, data_dir, monkeypatch, capsys, zone):
    tampered(store, zone)
    store.close()
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data_dir))
    code = main(["incidents"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "cannot be read" in captured.err + captured.out
    assert code != EXIT_OK
