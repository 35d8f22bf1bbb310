"""Attack on "read-only commands change nothing and create nothing": a store whose write-ahead log
was left without its index (``-shm``), as a restored backup or a copied data folder leaves it.

The log holds plans not yet copied into the file: a read-only command must show them, and
leave the folder exactly as it was (no ``-shm`` created, no byte of the file or the log changed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common.errors import StoreError
from safety_tui.store.opening import DB_NAME
from safety_tui.wiring import open_store


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def log_without_its_index(tmp_path: Path, titles: list[str]) -> Path:
    """A data folder holding the store and its log (plans only in the log), as copied while the app ran."""
    live = tmp_path / "live"
    store = open_store(live)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")  # what was written stays in the log
    for title in titles:
        store.create_plan("home-visit", tz="Europe/London", title=title)
    copy = tmp_path / "copy"
    copy.mkdir(mode=0o700)
    for suffix in ("", "-wal"):
        shutil.copy2(live / (DB_NAME + suffix), copy / (DB_NAME + suffix))
    store.close()
    assert (copy / (DB_NAME + "-wal")).stat().st_size > 0
    return copy


@pytest.mark.parametrize("command", [["plans", "--all"], ["status"], ["show", "last"]])
def test_a_read_only_command_reads_a_log_without_its_index_and_creates_nothing(tmp_path, monkeypatch, capsys,
                                                                               command):
    folder = log_without_its_index(tmp_path, ["Surgery in the log", "Visit in the log"])
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(folder))
    before = folder_bytes(folder)
    assert main(command) == 0
    out = capsys.readouterr().out
    if command[0] != "status":
        assert "Visit in the log" in out  # the plans only the log holds are read
    assert folder_bytes(folder) == before  # nothing created, nothing changed


def test_a_read_only_store_on_a_log_without_its_index_holds_every_plan(tmp_path):
    folder = log_without_its_index(tmp_path, ["One", "Two", "Three"])
    before = folder_bytes(folder)
    with open_store(folder, read_only=True) as reader:
        assert sorted(p.title for p in reader.list_plans()) == ["One", "Three", "Two"]
        with pytest.raises(StoreError, match="read-only"):
            reader.create_plan("surgery")
    assert folder_bytes(folder) == before


def test_a_damaged_log_without_its_index_is_read_up_to_its_last_whole_commit(tmp_path):
    """The tail of the log torn (a copy cut short): what was committed whole is read, nothing is written."""
    folder = log_without_its_index(tmp_path, ["One", "Two"])
    wal = folder / (DB_NAME + "-wal")
    data = wal.read_bytes()
    wal.write_bytes(data[: len(data) - 100])  # the last frame cut short
    before = folder_bytes(folder)
    with open_store(folder, read_only=True) as reader:
        titles = [p.title for p in reader.list_plans()]
    assert titles and set(titles) <= {"One", "Two"}
    assert folder_bytes(folder) == before


@pytest.mark.parametrize("read_only", [True, False])
def test_a_newer_store_whose_log_has_no_index_is_refused_and_the_folder_left_as_it_was(tmp_path, read_only):
    """The version that refuses it is in the log: the refusal reads it there, creating nothing."""
    live = tmp_path / "live"
    store = open_store(live)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.create_plan("home-visit", tz="Europe/London", title="Visit")
    store.conn.execute("PRAGMA user_version = 99")  # as a newer safety-tui leaves it
    copy = tmp_path / "copy"
    copy.mkdir(mode=0o700)
    for suffix in ("", "-wal"):
        shutil.copy2(live / (DB_NAME + suffix), copy / (DB_NAME + suffix))
    store.close()
    before = folder_bytes(copy)
    with pytest.raises(StoreError, match="newer safety-tui"):
        open_store(copy, read_only=read_only)
    assert folder_bytes(copy) == before


def test_the_app_opening_a_log_without_its_index_keeps_every_plan_it_holds(tmp_path):
    folder = log_without_its_index(tmp_path, ["One", "Two"])
    with open_store(folder) as store:
        assert sorted(p.title for p in store.list_plans()) == ["One", "Two"]
        store.create_plan("surgery", title="Three")
    with open_store(folder, read_only=True) as reader:
        assert sorted(p.title for p in reader.list_plans()) == ["One", "Three", "Two"]
