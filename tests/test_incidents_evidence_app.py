"""Evidence in the app, through the real app: the quick form, the amend form and the timeline."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DirectoryTree

from safety_tui.incidents import IncidentLog
from safety_tui.ui.dialogs.file_picker import FilePicker, completions
from safety_tui.ui.screens.incidents import open_quick_capture
from safety_tui.ui.screens.incidents_form import IncidentFormScreen
from safety_tui.ui.screens.incidents_saved import IncidentSavedScreen
from safety_tui.ui.screens.incidents_timeline import IncidentTimelineScreen
from safety_tui.wiring import open_store
from tests.helpers import T0, fill, seen


@pytest.fixture
def files(tmp_path, monkeypatch) -> Path:
    """A folder with a screenshot and a letter: the picker starts in the home folder, paths typed are relative to here."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "screenshot-of-post.png").write_bytes(b"\x89PNG" + b"x" * 2044)
    (folder / "letter.txt").write_text("You will regret this.\n")
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.chdir(folder)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return folder


def logged(data_dir: Path):
    with open_store(data_dir) as store:
        return IncidentLog.of(store).incidents()


async def until(pilot, predicate, tries: int = 100) -> None:
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never got there")


async def test_the_quick_form_attaches_a_file_typed_with_tab_completion(app, data_dir, files):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        open_quick_capture(app)
        await pilot.pause()
        await fill(pilot, "Abusive post about me")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, FilePicker)
        await fill(pilot, "scr")
        await pilot.press("tab")  # completes, as in a shell
        assert app.screen.query_one("#picker-path").value == "screenshot-of-post.png"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, IncidentFormScreen)
        text = await seen(pilot)
        assert "screenshot-of-post.png (2.0 kB)" in text and "copied in as evidence when you save" in text
        assert logged(data_dir) == []  # nothing recorded before Ctrl+S
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, IncidentSavedScreen)
    [incident] = logged(data_dir)
    [kept] = incident.evidence
    assert (kept.name, kept.size) == ("screenshot-of-post.png", 2048)
    copy = data_dir / "evidence" / kept.stored
    assert copy.read_bytes() == (files / "screenshot-of-post.png").read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600


async def test_a_file_the_core_refuses_is_shown_by_the_error_boundary_and_nothing_is_recorded(app, data_dir, files):
    os.mkfifo(files / "pipe")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        open_quick_capture(app)
        await pilot.pause()
        await fill(pilot, "Rang me")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await fill(pilot, str(files / "pipe"))
        await pilot.press("enter")  # a FIFO would hang a reader: refused without opening it
        text = await seen(pilot)
        assert "Cannot do that" in text and "not a regular file" in text
        assert isinstance(app.screen, IncidentFormScreen) and "Evidence: none yet" in text
        await pilot.press("ctrl+s")
        await pilot.pause()
    [incident] = logged(data_dir)
    assert incident.evidence == []


async def test_the_amend_form_attaches_a_file_picked_in_the_folder_tree(app, data_dir, store, files):
    first = IncidentLog.of(store).record(
        what="Letter", recorder="Me", tz="Europe/London", people=["John Smith"], happened_at=T0 - timedelta(days=1)
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.push_screen(IncidentFormScreen(first.id))
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        tree = app.screen.query_one(DirectoryTree)
        await until(pilot, lambda: len(tree.root.children) == 2)
        await pilot.press("tab")  # nothing typed to complete: on to the folders
        assert tree.has_focus
        await pilot.press("down", "enter")  # the first file: letter.txt
        await pilot.pause()
        assert isinstance(app.screen, IncidentFormScreen)
        assert "letter.txt (22 bytes)" in await seen(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    [incident] = logged(data_dir)
    assert [e.name for e in incident.evidence] == ["letter.txt"]
    assert [r.kind for r in incident.revisions] == ["created", "evidence"]


async def test_the_timeline_attaches_lists_and_shows_where_the_copies_are(app, data_dir, store, files):
    first = IncidentLog.of(store).record(what="Post", recorder="Me", tz="Europe/London", people=["John Smith"])
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.pause()
        app.push_screen(IncidentTimelineScreen(first.id))
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, str(files / "screenshot-of-post.png"))
        await pilot.press("enter")
        text = await seen(pilot)
        assert "screenshot-of-post.png (2.0 kB), kept as" in text
        assert "is kept as evidence" in text
        await pilot.press("o")  # no desktop session: the path is shown instead
        text = await seen(pilot)
        assert f"The evidence files are in {data_dir / 'evidence'}".replace(" ", "") in text.replace(" ", "")
        await pilot.press("a")
        await pilot.pause()
        await fill(pilot, str(files / "missing.png"))
        await pilot.press("enter")
        assert "missing.png" in await seen(pilot) and "Cannot do that" in await seen(pilot)
    [incident] = logged(data_dir)
    assert [e.name for e in incident.evidence] == ["screenshot-of-post.png"]


@pytest.mark.slow
async def test_o_opens_the_folder_with_xdg_open_in_a_desktop_session(
    app, data_dir, store, files, tmp_path, monkeypatch
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > {opened}\n")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    first = IncidentLog.of(store).record(what="Post", recorder="Me", tz="Europe/London")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        app.push_screen(IncidentTimelineScreen(first.id))
        await pilot.pause()
        await pilot.press("o")
        await until(pilot, opened.exists)
    assert opened.read_text() == str(data_dir / "evidence")


async def test_the_picker_shows_hostile_file_names_literally(app, files):
    (files / "[red]x.png").write_bytes(b"x")
    (files / "bell\x07.txt").write_bytes(b"x")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(FilePicker("Pick"))
        await pilot.pause()
        tree = app.screen.query_one(DirectoryTree)
        await until(pilot, lambda: len(tree.root.children) == 4)
        text = await seen(pilot)
        assert "[red]x.png" in text and "\x07" not in text and "bell" in text
    assert completions("[re") == ["[red]x.png"] and completions("bel") == []
