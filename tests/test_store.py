"""The store: private, crash-safe, never overwrites what it does not understand."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest

from safety_tui.checklists.vocabulary import Answer
from safety_tui.common.errors import PlanError, StoreError
from safety_tui.store.opening import DB_NAME
from safety_tui.wiring import open_store
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
    from safety_tui.wiring import open_store
    store = open_store(Path(sys.argv[1]))
    ref, prefix, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
    for i in range(count):
        store.set_answer(ref, "bulk", f"{prefix}-{i}", "done", cursor=f"bulk/{prefix}-{i}")
        print(i, flush=True)
    """
)


@pytest.mark.slow  # a real process
def test_sigkill_mid_plan_keeps_every_committed_answer(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path / "data"), plan.ref, "a", "100000"],
        stdout=subprocess.PIPE,
        text=True,
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


@pytest.mark.slow  # a real process
def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path / "data"), plan.ref, prefix, "150"], stdout=subprocess.DEVNULL
        )
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
    result = store.purge()
    assert (result.refs, result.wiped, result.message) == ((old.ref,), True, "Deleted 1 old plan(s).")
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
    from safety_tui.store.schema import APPLICATION_ID, MIGRATIONS

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
    from safety_tui.store.schema import SCHEMA_VERSION

    folder = tmp_path / "data"
    _old_store(folder, version)
    store = open_store(folder)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [p.ref for p in store.list_plans()] == ["2025-01-01-1"]
    plan = store.get_plan("2025-01-01-1")
    assert [c.name for c in plan.contacts] == ["Ann", "Bob", "Cy"]
    assert len({c.id for c in plan.contacts}) == 3  # each contact got its own stable id
    assert len(plan.uid) == 36 and plan.uid[14] == "4" and plan.sequence == 0  # a random (v4) uid
    plan_sql = "EXPLAIN QUERY PLAN SELECT ref FROM plans WHERE status NOT IN ('finished', 'cancelled') ORDER BY created_utc DESC, id DESC"
    assert "plans_open" in " ".join(str(r[-1]) for r in store.conn.execute(plan_sql))


# -- the store opens, or says exactly why (exit 4, never a traceback) ------------


def _digest(path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _saved_store(tmp_path, monkeypatch):
    """A closed store with one full plan, and the CLI pointed at it."""
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock, code_word="zebra-crossing-77")
    store.close()
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(tmp_path / "data"))
    return plan, tmp_path / "data" / DB_NAME


def test_relative_data_dir_is_resolved_once_and_works_every_time(tmp_path, monkeypatch, capsys):
    from safety_tui.cli.main import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", "relative/data")
    for _ in range(3):  # the first run creates the file, the later ones must open it
        store = open_store()
        assert store.path == tmp_path / "relative" / "data" / DB_NAME and store.path.is_absolute()
        store.create_plan("surgery")
        store.close()
        assert main(["plans"]) == 0
    assert len(open_store().list_plans()) == 3
    assert "Traceback" not in capsys.readouterr().err


def _index_corrupted(path) -> None:
    """Change one key inside an index page: the pages stay well formed (quick_check passes),
    but the index no longer matches its table (integrity_check fails)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'plans_by_created'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    page = data[(root - 1) * page_size : root * page_size]
    at = bytes(page).index(b"2026-11-25T13:00:00")
    start = (root - 1) * page_size + at
    data[start : start + 4] = b"2025"
    path.write_bytes(bytes(data))


def _break(kind: str, tmp_path, path) -> None:
    """Make the store unusable in one of the ways a store can be broken."""
    if kind == "dangling symlink":
        path.unlink()
        path.symlink_to(tmp_path / "gone" / DB_NAME)
    elif kind == "a folder":
        path.unlink()
        path.mkdir()
    elif kind == "changed schema":
        conn = sqlite3.connect(path)
        conn.execute("DROP INDEX plans_by_status")
        conn.commit()
        conn.close()
    elif kind == "newer schema":
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA user_version = 99")
        conn.close()
    elif kind == "index corruption":
        _index_corrupted(path)
    elif kind == "not a database":
        path.write_bytes(b"\x00garbage" * 1000)
    elif kind == "shared folder":
        path.parent.chmod(0o1777)


BREAKAGES = [
    "dangling symlink",
    "a folder",
    "changed schema",
    "newer schema",
    "index corruption",
    "not a database",
    "shared folder",
]


@pytest.mark.parametrize("kind", BREAKAGES)
@pytest.mark.parametrize("command", [["plans"], ["status"], ["show", "last"], ["checkin"]])
def test_every_store_open_failure_is_exit_4_and_leaves_the_file_alone(tmp_path, monkeypatch, capsys, kind, command):
    from safety_tui.cli.main import main

    _, path = _saved_store(tmp_path, monkeypatch)
    _break(kind, tmp_path, path)
    folder = path.parent
    before = sorted(os.listdir(folder))
    content = _digest(path) if path.is_file() and not path.is_symlink() else None
    assert main(command) == 4
    err = capsys.readouterr().err
    assert str(folder) in err and "Traceback" not in err
    assert sorted(os.listdir(folder)) == before  # no -wal / -shm beside a file it refused
    if content is not None:
        assert _digest(path) == content
    if kind == "index corruption":
        assert "integrity check" in err and "damaged" in err
    if kind == "shared folder":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o1777  # refused, not "fixed"


def test_index_corruption_passes_quick_check_but_is_refused(tmp_path, monkeypatch):
    _, path = _saved_store(tmp_path, monkeypatch)
    _index_corrupted(path)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()
    before = path.read_bytes()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="damaged"):
            open_store(path.parent, read_only=read_only)
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == [DB_NAME]


@pytest.mark.parametrize(
    "command",
    [
        ["plans"],
        ["plans", "--all", "--json"],
        ["status"],
        ["show", "last"],
        ["show", "last", "--reveal"],
        ["export", "last"],
        ["export", "last", "-f", "ics"],
        ["export", "last", "-f", "markdown"],
    ],
)
def test_read_only_commands_never_change_the_database(tmp_path, monkeypatch, capsys, command):
    from safety_tui.cli.main import main

    _, path = _saved_store(tmp_path, monkeypatch)
    before, files = _digest(path), sorted(os.listdir(path.parent))
    assert main(command) == 0
    assert _digest(path) == before
    assert sorted(os.listdir(path.parent)) == files == [DB_NAME]


def test_read_only_commands_create_nothing_when_there_is_no_store(tmp_path, monkeypatch, capsys):
    from safety_tui.cli.main import main

    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(tmp_path / "data"))
    assert main(["plans"]) == 0 and main(["status"]) == 0
    assert main(["show", "last"]) == 1
    assert not (tmp_path / "data").exists()


def test_read_only_open_of_an_older_store_reads_it_without_migrating(tmp_path, monkeypatch, capsys):
    from safety_tui.cli.main import main

    path = _old_store(tmp_path / "data", 2)
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(tmp_path / "data"))
    before = _digest(path)
    assert main(["plans", "--json"]) == 0
    assert "2025-01-01-1" in capsys.readouterr().out
    assert _digest(path) == before and sorted(os.listdir(path.parent)) == [DB_NAME]


def test_a_read_only_store_refuses_to_write(tmp_path, monkeypatch):
    plan, path = _saved_store(tmp_path, monkeypatch)
    before = _digest(path)
    store = open_store(path.parent, read_only=True)
    assert store.get_plan(plan.ref).code_word == "zebra-crossing-77"
    with pytest.raises(StoreError, match="read-only"):
        store.extend(plan.ref, 10)
    store.close()
    assert _digest(path) == before


def test_a_stored_value_that_cannot_be_read_is_a_store_error(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.conn.execute("UPDATE plans SET status = 'bogus', tz = 'Mars/Olympus' WHERE ref = ?", (plan.ref,))
    for read in (lambda: store.get_plan(plan.ref), store.list_plans):
        with pytest.raises(StoreError, match="cannot read"):
            read()


# -- the data folder -----------------------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o277])
def test_folders_created_are_0700_whatever_the_umask_and_parents_are_left_alone(tmp_path, umask):
    parent = tmp_path / "home"
    parent.mkdir()
    parent.chmod(0o755)
    old = os.umask(umask)
    try:
        store = open_store(parent / "a" / "b" / "data")
        store.create_plan("surgery")
        store.close()
    finally:
        os.umask(old)
    assert mode(parent) == 0o755  # not ours: never chmod-ed
    for folder in (parent / "a", parent / "a" / "b", parent / "a" / "b" / "data"):
        assert mode(folder) == 0o700, folder
    assert mode(parent / "a" / "b" / "data" / DB_NAME) == 0o600


@pytest.mark.parametrize("folder_mode", [0o1777, 0o777, 0o1700])
def test_a_shared_or_sticky_data_folder_is_refused(tmp_path, folder_mode):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(folder_mode)
    with pytest.raises(StoreError, match="shared") as info:
        open_store(folder)
    assert "SAFETY_TUI_DATA_DIR" in str(info.value)
    assert mode(folder) == folder_mode and list(folder.iterdir()) == []


# -- forget is only "deleted" when it is true ---------------------------------------------------------


def test_forget_while_another_reader_holds_a_snapshot_is_not_reported_deleted(tmp_path, monkeypatch, capsys):
    from safety_tui.cli.main import main

    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock, code_word="zebra-crossing-77")
    other = full_plan(store, clock, code_word="second-secret-88")
    store.close()
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "data"
    reader = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM plans").fetchone()  # holds a snapshot with the plan in it
    try:
        assert main(["forget", plan.ref, "--yes"]) == 4
        err = capsys.readouterr().err
        assert "not yet wiped" in err and f"{plan.ref}: deleted" not in err
        assert b"zebra-crossing-77" in _all_bytes(folder)  # which is why it was not called deleted
        assert plan.ref not in [p.ref for p in open_store(folder, read_only=True).list_plans()]
    finally:
        reader.execute("COMMIT")
        reader.close()
    reopened = open_store(folder)  # nothing holds the old snapshot now: the wipe completes
    assert not reopened.wipe_pending
    assert b"zebra-crossing-77" not in _all_bytes(folder)
    assert reopened.forget(other.ref) is True
    reopened.close()
    assert main(["forget", "last", "--yes"]) == 1  # there are no plans left to forget
    assert b"second-secret-88" not in _all_bytes(folder)


# -- contacts have stable ids ---------------------------------------------------------------------


def test_contacts_are_named_by_id_not_by_position(tmp_path):
    store, _ = make_store(tmp_path)
    plan = store.create_plan("home-visit")
    ann, bob, cy = (store.add_contact(plan.ref, name, told=False) for name in ("Ann", "Bob", "Cy"))
    store.remove_contact(plan.ref, bob)
    store.set_told(plan.ref, cy)
    contacts = {c.name: c for c in store.get_plan(plan.ref).contacts}
    assert set(contacts) == {"Ann", "Cy"}
    assert contacts["Cy"].told and not contacts["Ann"].told
    assert (contacts["Ann"].id, contacts["Cy"].id) == (ann, cy)
    audit = [(a.event, a.detail) for a in store.get_plan(plan.ref).audit]
    assert ("told", f"contact {cy}") in audit and ("contact removed", f"contact {bob}") in audit


def test_two_windows_editing_one_drafts_contacts_never_crash(tmp_path):
    first, _ = make_store(tmp_path)
    second = open_store(tmp_path / "data", first.clock)
    plan = first.create_plan("home-visit")
    ann = first.add_contact(plan.ref, "Ann")
    bob = second.add_contact(plan.ref, "Bob")
    second.remove_contact(plan.ref, ann)
    with pytest.raises(PlanError, match="no longer on this plan"):
        first.set_told(plan.ref, ann)
    first.remove_contact(plan.ref, ann)  # already gone: nothing to do, no error
    first.set_told(plan.ref, bob)
    dan = first.add_contact(plan.ref, "Dan")
    assert dan not in (ann, bob)  # ids are never reused, even after a removal
    for store in (first, second):
        assert [(c.name, c.told) for c in store.get_plan(plan.ref).contacts] == [("Bob", True), ("Dan", False)]


# -- calendar UID and SEQUENCE ----------------------------------------------------------------------


def _ics_event(plan):
    from icalendar import Calendar

    from safety_tui.plans.export import ics_for_councillor

    return next(c for c in Calendar.from_ical(ics_for_councillor(plan)).walk() if c.name == "VEVENT")


def test_a_reexported_ics_after_extend_keeps_its_uid_and_raises_its_sequence(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    first = _ics_event(store.get_plan(plan.ref))
    extended = store.extend(plan.ref, 30)
    second = _ics_event(extended)
    assert str(second["UID"]) == str(first["UID"]) == plan.uid
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    edited = store.update(plan.ref, finish=extended.finish + timedelta(minutes=5))
    assert int(_ics_event(edited)["SEQUENCE"]) == int(second["SEQUENCE"]) + 1
    assert store.update(plan.ref, title="Other title").sequence == edited.sequence  # not a schedule change


def test_uids_are_random_per_plan_across_stores_and_after_forget(tmp_path):
    one, clock = make_store(tmp_path / "one")
    two, _ = make_store(tmp_path / "two")
    a, b, c = full_plan(one, clock), full_plan(one, clock), full_plan(two, clock)
    one.forget(b.ref)
    again = one.create_plan("home-visit")
    assert again.ref == b.ref  # the short ref comes back after forget ...
    uids = [a.uid, b.uid, c.uid, again.uid]
    assert len(set(uids)) == 4 and all(len(u) == 36 for u in uids)  # ... the uid never does


# -- audit: one entry per edited field, never per keystroke, never a length -------------------------


def test_audit_has_one_entry_per_edited_field_not_per_keystroke(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.create_plan("home-visit")
    for typed in ("M", "Mr", "Mrs", "Mrs S"):
        store.update(plan.ref, title=typed)
        clock.advance(seconds=1)
    for typed in ("p", "pi", "pin", "pine"):
        store.update(plan.ref, code_word=typed)
        clock.advance(minutes=30)  # however slowly the code word is typed
    store.update(plan.ref, location="1 High St")
    clock.advance(minutes=30)
    store.update(plan.ref, title="Mrs Smith")  # a later, separate edit
    edits = [a.detail for a in store.get_plan(plan.ref).audit if a.event == "edited"]
    assert edits == ["title", "code_word", "location", "title"]
    text = " ".join(f"{a.event} {a.detail}" for a in store.get_plan(plan.ref).audit)
    assert "pine" not in text and "4" not in text and "1 High" not in text


def test_purge_with_a_huge_or_negative_number_of_days_is_no_crash(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.create_plan("surgery")
    store.cancel(plan.ref)
    clock.advance(days=2)
    for days in (99999999, -1, 3651):  # the rule is lifecycle's: 0 to 3650 days, never an overflow
        with pytest.raises(PlanError, match="^keep finished plans 0 to 3650 days$"):
            store.purgeable(days)
        with pytest.raises(PlanError, match="^keep finished plans 0 to 3650 days$"):
            store.purge(days)
    assert store.purge(1).refs == (plan.ref,)


@pytest.mark.parametrize(("stored", "kept"), [("99999999", 3650), ("0", 30), ("-4", 30), ("soon", 30), ("7", 7)])
def test_a_retention_period_stored_outside_the_rule_never_deletes_early(tmp_path, stored, kept):
    store, _ = make_store(tmp_path)
    store.set_setting("retention_days", stored)
    assert store.retention_days == kept
    assert store.purgeable() == []  # and never a crash


def test_a_log_left_without_its_database_is_not_replayed_into_a_new_one(tmp_path):
    store, clock = make_store(tmp_path)
    full_plan(store, clock, code_word="zebra-crossing-77")
    folder = tmp_path / "data"
    store.close()
    (folder / DB_NAME).rename(tmp_path / "moved-away.sqlite3")  # the database moved, its log not
    (folder / (DB_NAME + "-wal")).write_bytes(b"left over")
    with pytest.raises(StoreError, match="left over"):
        open_store(folder)
    assert sorted(os.listdir(folder)) == [DB_NAME + "-wal"]


def test_an_empty_file_left_by_an_interrupted_first_start_is_a_new_store(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / DB_NAME).touch(mode=0o600)
    store = open_store(folder)
    assert store.create_plan("surgery").ref.endswith("-1")


# -- the plan's rules, applied by the store ----------------------------------


def test_set_note_keeps_lines_and_refuses_control_characters_changing_nothing(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.set_note(plan.ref, "home-visit", "tell-someone", "  line one\r\nline two\rline three  ")
    assert store.get_plan(plan.ref).answer("home-visit", "tell-someone").note == "line one\nline two\nline three"
    for bad in ("\x1b]52;c;aGk=\x07", "a\u202eb", "\x9b2J"):
        with pytest.raises(PlanError, match="^note: control character U\\+"):
            store.set_note(plan.ref, "home-visit", "tell-someone", bad)
        with pytest.raises(PlanError, match="^note: control character U\\+"):
            store.set_answer(plan.ref, "home-visit", "call-ahead", "done", note=bad)
    after = store.get_plan(plan.ref)
    assert after.answer("home-visit", "tell-someone").note == "line one\nline two\nline three"
    assert after.answer("home-visit", "call-ahead") is None


def test_start_refuses_what_the_plans_start_check_refuses(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.mark_ready(full_plan(store, clock).ref)
    clock.set(plan.finish)  # exactly at the finish: already passed
    with pytest.raises(PlanError, match="already passed"):
        store.start(plan.ref)
    assert store.get_plan(plan.ref).status.value == "ready"
    assert "started" not in [a.event for a in store.get_plan(plan.ref).audit]
    clock.set(plan.finish - timedelta(minutes=1))
    assert store.start(plan.ref).status.value == "in-progress"
    with pytest.raises(PlanError, match="^the plan has already started$"):
        store.start(plan.ref)


def test_extend_follows_the_lifecycle_rules(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.start(full_plan(store, clock).ref)
    for minutes in (0, 1441, 10**12):
        with pytest.raises(PlanError, match="^extend by 1 to 1440 minutes$"):
            store.extend(plan.ref, minutes)
    assert store.extend(plan.ref, 1440).finish == plan.finish + timedelta(days=1)
    store.check_in(plan.ref)
    with pytest.raises(PlanError, match="^a finished plan cannot be extended$"):
        store.extend(plan.ref, 10)


def test_add_contact_refusals_are_plan_errors_naming_the_field(tmp_path):
    from pydantic import ValidationError

    store, _ = make_store(tmp_path)
    plan = store.create_plan("home-visit")
    for name, phone, message in (
        ("Sam\x1b[2J", "", "^contact name: control character U\\+001B is not allowed$"),
        ("", "", "^contact name: this cannot be empty$"),
        ("Sam", "0770\u202e0", "^contact phone: control character U\\+202E is not allowed$"),
    ):
        with pytest.raises(PlanError, match=message) as caught:
            store.add_contact(plan.ref, name, phone)
        assert not isinstance(caught.value, ValidationError)
    assert store.get_plan(plan.ref).contacts == []


# -- rows stored before today's rules still load, and are shown escaped ----------------------------


def _legacy_rows(store, ref: str) -> None:
    """A contact, a note and a settings name as an older safety-tui could store them (ESC, BEL, bidi)."""
    plan_id = store.plan_id(ref)
    store.conn.execute(
        "INSERT INTO plan_contacts(plan_id, position, name, phone) VALUES (?, 9, ?, ?)",
        (plan_id, "Eve\x1b]0;PWNED\x07", "0770\u202e0"),
    )
    store.conn.execute(
        "UPDATE answers SET note = ? WHERE plan_id = ? AND item_id = 'tell-someone'", ("told\x1b[2J Sam", plan_id)
    )
    store.conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES ('name', ?)", ("Jo\x1b]52;c;aGk=\x07",))


def test_a_contact_or_note_stored_before_the_rules_still_loads_and_edits(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    _legacy_rows(store, plan.ref)
    loaded = store.get_plan(plan.ref)
    assert [c.name for c in loaded.contacts] == ["Sam Partner", "Eve\x1b]0;PWNED\x07"]
    assert loaded.answer("home-visit", "tell-someone").note == "told\x1b[2J Sam"
    assert store.update(plan.ref, title="Damp, again").title == "Damp, again"  # editing is not blocked
    assert store.extend(plan.ref, 10).finish == plan.finish + timedelta(minutes=10)
    assert store.start(plan.ref).status.value == "in-progress"
    # An invalid stored settings name is treated as empty, never copied into a new plan.
    assert store.create_plan("surgery").owner_name == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "last"],
        ["export", "last", "-f", "markdown"],
        ["export", "last", "-f", "text"],
        ["export", "last", "-f", "ics"],
        ["export", "last", "-f", "ics-contact"],
        ["settings"],
    ],
)
def test_stored_control_characters_are_shown_escaped_by_every_output(tmp_path, monkeypatch, capsys, argv):
    from safety_tui.cli.main import main

    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    _legacy_rows(store, plan.ref)
    store.close()
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(tmp_path / "data"))
    assert main(argv) == 0
    out = capsys.readouterr().out
    if argv[0] == "settings":
        assert "name: (not used: your name cannot contain the control character U+001B" in out
        return
    texts = [out]
    if argv[0] == "export":  # the same text written to a file is escaped too
        target = tmp_path / "out.txt"
        assert main([*argv, "-o", str(target)]) == 0
        texts.append(target.read_text(encoding="utf-8"))
    for text in texts:
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        if argv[-1].startswith("ics"):  # a calendar file folds lines and escapes \\ and ;
            text = text.replace("\r\n ", "").replace("\\\\", "\\").replace("\\;", ";")
        if argv[-1] != "ics-contact":  # the contact's own calendar file names no contacts
            assert "Eve\\x1b]0;PWNED\\x07" in text


# -- one settings key for the name ----------------------------------------------------------------


def test_the_name_is_kept_under_one_key_and_an_older_owner_name_key_moves_there(tmp_path):
    from safety_tui.plans import settings

    folder = tmp_path / "data"
    path = _old_store(folder, 4)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO settings(key, value) VALUES ('owner_name', 'Cllr Jo Bloggs')")
    conn.close()
    reader = open_store(folder, read_only=True)  # read-only: migrated in memory, the file untouched
    assert settings.owner_name(reader) == "Cllr Jo Bloggs"
    reader.close()
    store = open_store(folder)
    keys = [r[0] for r in store.rows("SELECT key FROM settings ORDER BY key")]
    assert "owner_name" not in keys and "name" in keys
    assert store.create_plan("surgery").owner_name == "Cllr Jo Bloggs"
    settings.set_owner_name(store, "Cllr Ann Other")
    assert [r[0] for r in store.rows("SELECT key FROM settings WHERE value = 'Cllr Ann Other'")] == ["name"]
    assert store.create_plan("surgery").owner_name == "Cllr Ann Other"


# -- purge says "deleted" only when it is true --------------------------------------------------


def test_purge_while_another_reader_holds_a_snapshot_says_it_is_not_wiped(tmp_path):
    store, clock = make_store(tmp_path)
    old = full_plan(store, clock, code_word="old-secret-word")
    store.cancel(old.ref)
    clock.advance(days=31)
    reader = sqlite3.connect(tmp_path / "data" / DB_NAME, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM plans").fetchone()  # holds a snapshot with the old plan in it
    try:
        result = store.purge()
        assert result.refs == (old.ref,) and len(result) == 1 and bool(result) and not result.wiped
        assert "Deleted" not in result.message and "not yet wiped" in result.message
        assert b"old-secret-word" in _all_bytes(tmp_path / "data")  # which is why it is not called deleted
        assert not store.purge().wiped  # nothing more to purge, but the earlier wipe is still pending
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert store.wipe() and store.purge().wiped  # nothing holds the snapshot now: the wipe completes
    assert store.purge().message == "Nothing old enough to purge."
    assert b"old-secret-word" not in _all_bytes(tmp_path / "data")
    store.close()


def test_cli_purge_is_exit_4_while_the_wipe_is_not_done(tmp_path, monkeypatch, capsys):
    from safety_tui.cli.main import main

    store, clock = make_store(tmp_path)
    store.cancel(store.create_plan("surgery").ref)
    store.close()
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(tmp_path / "data"))
    reader = sqlite3.connect(tmp_path / "data" / DB_NAME, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM plans").fetchone()
    try:
        assert main(["purge", "--days", "0"]) == 4
        captured = capsys.readouterr()
        assert "purged 1 plan(s)" in captured.out and "not yet wiped" in captured.err
    finally:
        reader.execute("COMMIT")
        reader.close()
