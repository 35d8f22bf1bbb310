"""Privacy: after a full plan is made and exported, the code word is only where it must be."""

from __future__ import annotations

import logging
import os
import stat
from datetime import timedelta

import pytest

from safety_tui.cli.main import main
from safety_tui.common.errors import PlanError
from safety_tui.wiring import open_store
from tests.helpers import fill
from tests.test_app import answer_all, make_app

CODE_WORD = "quokka-umbrella-42"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.mark.slow  # a journey through several screens
async def test_code_word_appears_only_in_the_store_and_asked_for_exports(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SAFETY_TUI_EXPORT_DIR", str(home / "Downloads"))
    collector = Collect()
    root = logging.getLogger()
    root.addHandler(collector)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        app = make_app(tmp_path)
        titles: set[str] = set()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n", "ctrl+n")
            await fill(pilot, "Visit")
            await pilot.press("ctrl+n")
            await answer_all(pilot, app)
            await pilot.press("ctrl+n")
            await fill(pilot, CODE_WORD)  # the Code word step comes before Who's told
            titles |= {app.title, app.sub_title, app.screen.sub_title, app.screen.title or ""}
            await pilot.press("ctrl+n")
            await fill(pilot, "Sam")
            await pilot.press("enter")
            await fill(pilot, "07700900123")
            await pilot.press("enter", "ctrl+n")
            await pilot.press("i", "c", "r", "g")  # export .ics, copy message, reveal, start
            titles |= {app.title, app.sub_title, app.screen.sub_title, app.screen.title or ""}
            await pilot.press("h", "enter")
            titles |= {app.title, app.sub_title, app.screen.sub_title, app.screen.title or ""}
        # The CLI export the user explicitly asked to include the code word in.
        asked = home / "for-sam.txt"
        assert main(["export", "last", "-f", "sms", "-o", str(asked)]) == 0  # the contact's: in by default
        assert main(["export", "last", "-f", "sms", "--no-code-word", "-o", str(home / "left-out.txt")]) == 0
        assert main(["export", "last", "-f", "ics", "-o", str(home / "mine.ics")]) == 0  # the councillor's own
        assert main(["export", "last", "-f", "ics-contact", "-o", str(home / "sam.ics")]) == 0
        assert main(["show", "last"]) == 0
        assert main(["plans", "--all"]) == 0
    finally:
        root.removeHandler(collector)
        root.setLevel(old_level)

    secret = CODE_WORD.encode()
    holders = sorted(
        str(path.relative_to(tmp_path))
        for path in tmp_path.rglob("*")
        if path.is_file() and secret in path.read_bytes()
    )
    data_files = [h for h in holders if h.startswith("data/")]
    assert data_files, "the store must hold the code word"
    # Only what goes to the contact carries it: the message, their calendar file (the CLI's and Review's i).
    contact_files = {h for h in holders if not h.startswith("data/")}
    allowed = {"home/for-sam.txt", "home/sam.ics"} | {
        f"home/Downloads/{p.name}" for p in (home / "Downloads").glob("*-contact.ics")
    }
    assert "home/for-sam.txt" in contact_files and contact_files <= allowed
    unfolded = {p: p.read_text().replace("\n ", "") for p in [home / "sam.ics", home / "mine.ics"]}
    assert CODE_WORD in unfolded[home / "sam.ics"]  # calendar lines are folded: read them unfolded
    assert CODE_WORD not in unfolded[home / "mine.ics"]
    assert (home / "Downloads").is_dir() and list((home / "Downloads").glob("*.ics"))
    assert not any(CODE_WORD in line for line in collector.lines)
    assert not any(CODE_WORD in t for t in titles if t)
    for path in (tmp_path / "data").iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert stat.S_IMODE(os.stat(tmp_path / "data").st_mode) == 0o700
    for path in list((home / "Downloads").iterdir()) + [
        asked,
        home / "sam.ics",
        home / "left-out.txt",
        home / "mine.ics",
    ]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_error_messages_never_echo_the_code_word(tmp_path):
    store = open_store(tmp_path / "data")
    plan = store.create_plan("home-visit", tz="Europe/London")
    store.update(plan.ref, code_word=CODE_WORD)
    for bad in ({"code_word": CODE_WORD * 20}, {"code_meaning": CODE_WORD * 200}, {"tz": CODE_WORD}):
        with pytest.raises(PlanError) as info:
            store.update(plan.ref, **bad)
        assert CODE_WORD not in str(info.value)
    current = store.get_plan(plan.ref)
    with pytest.raises(PlanError) as info:
        store.update(plan.ref, start=current.created_at, finish=current.created_at - timedelta(hours=1))
    assert CODE_WORD not in str(info.value)
    audit = " ".join(f"{a.event} {a.detail}" for a in store.get_plan(plan.ref).audit)
    assert CODE_WORD not in audit
