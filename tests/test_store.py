"""The store: private, crash-safe, never overwrites what it does not understand."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from safety_tui.plan import Answer
from safety_tui.store import DB_NAME, StoreError, open_store
from tests.helpers import full_plan, make_store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_folder_0700_and_files_0600(tmp_path):
    store, clock = make_store(tmp_path)
    full_plan(store, clock)
    folder = tmp_path / "data"
    assert mode(folder) == 0o700
    for name in os.listdir(folder):
        assert mode(folder / name) == 0o600, name


def test_existing_loose_folder_is_tightened(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    open_store(folder).close()
    assert mode(folder) == 0o700


def test_corrupt_database_is_reported_and_left_untouched(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / DB_NAME
    garbage = b"this is not a database\x00\xff" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as info:
        open_store(folder)
    assert str(path) in str(info.value)
    assert "will not touch it" in str(info.value)
    assert path.read_bytes() == garbage
    assert sorted(os.listdir(folder)) == [DB_NAME]


def test_damaged_sqlite_file_is_left_untouched(tmp_path):
    store, clock = make_store(tmp_path)
    full_plan(store, clock)
    store.close()
    path = tmp_path / "data" / DB_NAME
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xde\xad\xbe\xef" * ((4096 - 100) // 4)
    path.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        (tmp_path / "data" / (DB_NAME + side)).unlink(missing_ok=True)
    before = path.read_bytes()
    with pytest.raises(StoreError):
        open_store(tmp_path / "data")
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE other(x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not one of safety-tui's"):
        open_store(folder)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path):
    store, _ = make_store(tmp_path)
    store.conn.execute("PRAGMA user_version = 99")
    store.close()
    with pytest.raises(StoreError, match="newer safety-tui"):
        open_store(tmp_path / "data")


def test_data_folder_that_is_a_file_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot use the data folder"):
        open_store(blocker / "inner")


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from safety_tui.store import open_store
    store = open_store(Path(sys.argv[1]))
    ref, prefix, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
    for i in range(count):
        store.set_answer(ref, "bulk", f"{prefix}-{i}", "done", cursor=f"bulk/{prefix}-{i}")
        print(i, flush=True)
    """
)


def test_sigkill_mid_plan_keeps_every_committed_answer(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path / "data"), plan.ref, "a", "100000"],
        stdout=subprocess.PIPE, text=True,
    )
    committed = -1
    for line in proc.stdout:
        committed = int(line)
        if committed >= 40:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert committed >= 40
    reopened = open_store(tmp_path / "data")
    assert reopened.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    answers = reopened.get_plan(plan.ref).answers
    for i in range(committed + 1):  # everything acknowledged before the kill
        assert answers[f"bulk/a-{i}"].value is Answer.DONE
    assert answers["home-visit/tell-someone"].value is Answer.DONE
    assert reopened.get_plan(plan.ref).cursor.startswith("bulk/a-")


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.close()
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "data"), plan.ref, prefix, "150"], stdout=subprocess.DEVNULL)
        for prefix in ("x", "y")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    answers = open_store(tmp_path / "data").get_plan(plan.ref).answers
    assert sum(1 for k in answers if k.startswith("bulk/x-")) == 150
    assert sum(1 for k in answers if k.startswith("bulk/y-")) == 150


def _all_bytes(folder) -> bytes:
    return b"".join((folder / name).read_bytes() for name in os.listdir(folder))


def test_forget_leaves_no_trace(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock, code_word="zebra-crossing-77")
    keep = store.create_plan("surgery", title="Keep me")
    assert b"zebra-crossing-77" in _all_bytes(tmp_path / "data")
    store.forget(plan.ref)
    data = _all_bytes(tmp_path / "data")
    # Saved contacts are the user's address book, kept across plans on purpose;
    # everything that belonged to the plan itself must be gone.
    for secret in (b"zebra-crossing-77", b"Acacia Avenue", b"Mrs Smith re damp", plan.ref.encode()):
        assert secret not in data
    assert [p.ref for p in store.list_plans()] == [keep.ref]


def test_purge_removes_old_finished_plans_only(tmp_path):
    store, clock = make_store(tmp_path)
    old = full_plan(store, clock, code_word="old-secret-word")
    store.start(old.ref)
    store.check_in(old.ref)
    active = full_plan(store, clock, code_word="active-word")
    clock.advance(days=31)
    assert store.purgeable() == [old.ref]
    assert store.purge() == [old.ref]
    data = _all_bytes(tmp_path / "data")
    assert b"old-secret-word" not in data
    assert b"active-word" in data
    assert [p.ref for p in store.list_plans()] == [active.ref]


def test_retention_is_configurable(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.create_plan("surgery")
    store.cancel(plan.ref)
    store.set_setting("retention_days", "7")
    clock.advance(days=8)
    assert store.purgeable() == [plan.ref]


def test_list_plans_newest_first_and_filters(tmp_path):
    store, clock = make_store(tmp_path)
    a = store.create_plan("surgery")
    clock.advance(minutes=1)
    b = store.create_plan("home-visit")
    store.cancel(a.ref)
    assert [p.ref for p in store.list_plans()] == [b.ref, a.ref]
    assert [p.ref for p in store.list_plans(include_closed=False)] == [b.ref]


def test_saved_contacts_are_reused(tmp_path):
    store, clock = make_store(tmp_path)
    full_plan(store, clock)
    assert [(c.name, c.phone) for c in store.saved_contacts()] == [("Sam Partner", "07700 900123")]


def _old_store(folder, version: int):
    """A database as an older safety-tui left it, built from the migrations themselves."""
    from safety_tui.store import APPLICATION_ID, MIGRATIONS

    folder.mkdir(mode=0o700)
    path = folder / DB_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for step in range(version):
        for statement in MIGRATIONS[step]:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO plans(ref, status, visit_type, tz, grace_minutes, created_utc, updated_utc)"
        " VALUES ('2025-01-01-1', 'draft', 'surgery', 'UTC', 15, '2025-01-01T10:00:00+00:00', '2025-01-01T10:00:00+00:00')"
    )
    for position, name in enumerate(["Ann", "Bob", "Cy"]):
        conn.execute("INSERT INTO plan_contacts(plan_id, position, name) VALUES (1, ?, ?)", (position, name))
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_store_is_migrated_forward_keeping_its_plans(tmp_path, version):
    from safety_tui.store import SCHEMA_VERSION

    folder = tmp_path / "data"
    _old_store(folder, version)
    store = open_store(folder)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert [p.ref for p in store.list_plans()] == ["2025-01-01-1"]
    plan = store.get_plan("2025-01-01-1")
    assert [c.name for c in plan.contacts] == ["Ann", "Bob", "Cy"]
    assert len({c.id for c in plan.contacts}) == 3  # each contact got its own stable id
    assert len(plan.uid) == 36 and plan.uid[14] == "4" and plan.sequence == 0  # a random (v4) uid
    plan_sql = "EXPLAIN QUERY PLAN SELECT ref FROM plans WHERE status NOT IN ('finished', 'cancelled') ORDER BY created_utc DESC, id DESC"
    assert "plans_open" in " ".join(str(r[-1]) for r in store.conn.execute(plan_sql))
