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
def test_a_read_only_command_reads_a_log_without_its_index_and_creates_nothing(tmp_path, monkeypatch, capsys, command):
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


def test_a_log_whose_commit_claims_a_huge_database_is_read_without_building_it(tmp_path):
    """A log edited by hand (its checksums made good) whose last commit says the database has 2**31 pages:
    read up to the commit before it, never a copy of that size in memory."""
    import struct

    from safety_tui.store.walreplay import committed_pages

    folder = log_without_its_index(tmp_path, ["One", "Two"])
    wal = bytearray((folder / (DB_NAME + "-wal")).read_bytes())
    page_size = struct.unpack(">I", wal[8:12])[0]
    frames = (len(wal) - 32) // (24 + page_size)
    big = ">" if wal[3] & 1 else "<"  # the checksums' byte order is in the magic's low bit
    last = 32 + (frames - 1) * (24 + page_size)
    assert struct.unpack(">I", wal[last + 4 : last + 8])[0] != 0  # the last frame is a commit
    wal[last + 4 : last + 8] = struct.pack(">I", 2**31)
    s0, s1 = struct.unpack(">II", wal[24:32])  # the running checksum, from the header through each frame
    for n in range(frames):
        at = 32 + n * (24 + page_size)
        data = bytes(wal[at : at + 8]) + bytes(wal[at + 24 : at + 24 + page_size])
        words = struct.unpack(big + f"{len(data) // 4}I", data)
        for i in range(0, len(words), 2):
            s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
            s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
        wal[at + 16 : at + 24] = struct.pack(">II", s0, s1)
    (folder / (DB_NAME + "-wal")).write_bytes(bytes(wal))
    pages, size, _ = committed_pages(bytes(wal), (folder / DB_NAME).stat().st_size)
    assert 0 < size < 2**31
    before = folder_bytes(folder)
    with open_store(folder, read_only=True) as reader:
        assert [p.title for p in reader.list_plans()]  # the commits before it are read
    assert folder_bytes(folder) == before
