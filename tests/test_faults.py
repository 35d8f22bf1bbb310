"""Fault tests: kill -9 of the real app, a full disk, a read-only folder, a DST jump."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.common.errors import StoreError
from safety_tui.plans.timeparse import parse_finish, parse_when
from safety_tui.store.opening import DB_NAME
from safety_tui.ui.app import create_app
from safety_tui.wiring import open_store
from tests.helpers import wizard_step


def _query(db: Path, sql: str):
    """Read the store from outside the app, read-only, as another process would."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql).fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return None


def _wait_for(predicate, what: str, limit: float = 60.0) -> None:
    """Poll a condition (never asserts on time; the limit only stops a hung test)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


class PtyApp:
    """The real `safety-tui` process on a pseudo-terminal, 100x30."""

    def __init__(self, data_dir: Path):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = dict(os.environ, SAFETY_TUI_DATA_DIR=str(data_dir), TERM="xterm-256color", TZ="Europe/London")
        env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "safety_tui"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output += chunk

    def press(self, data: bytes) -> None:
        os.write(self.master, data)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        os.close(self.master)


@pytest.mark.slow  # a real process
def test_sigkill_during_the_walk_then_restart_resumes_at_the_same_item(tmp_path):
    data = tmp_path / "data"
    db = data / DB_NAME
    app = PtyApp(data)
    try:
        _wait_for(lambda: db.exists() and b"Nothing in progress" in app.output, "the Today screen")
        app.press(b"n")
        _wait_for(lambda: _query(db, "SELECT COUNT(*) FROM plans") == (1,), "a draft plan")
        app.press(b"\x0e")  # ctrl+n
        _wait_for(lambda: _query(db, "SELECT wizard_step FROM plans") == ("details",), "the details step")
        app.press(b"\x0e")
        _wait_for(lambda: _query(db, "SELECT wizard_step FROM plans") == ("walk",), "the walk")
        # decide to go: done; doubts about the premises: yes; is the visit about the premises: no;
        # so meet at a neutral venue: done; daylight hours: done.
        for count, key in enumerate((b"d", b"y", b"n", b"d", b"d"), start=1):
            app.press(key)
            _wait_for(lambda count=count: _query(db, "SELECT COUNT(*) FROM answers") == (count,), f"answer {count}")
    finally:
        app.kill()
    assert app.proc.returncode == -signal.SIGKILL

    store = open_store(data)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    plan = store.get_plan("last")
    assert {k: a.value.value for k, a in plan.answers.items()} == {
        "home-visit/decide-to-go": "done",
        "home-visit/doubts-about-premises": "yes",
        "home-visit/about-the-premises": "no",
        "home-visit/neutral-venue": "done",
        "home-visit/daylight-hours": "done",
    }
    assert plan.cursor == "home-visit/call-ahead"
    store.close()

    async def resume() -> str:
        restarted = create_app(data_dir=data, layers=[("bundled", paths.bundled_checklists_dir())])
        async with restarted.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter")
            assert type(wizard_step(restarted)).__name__ == "WalkStep"
            return wizard_step(restarted).current()[1].id

    import asyncio

    assert asyncio.run(resume()) == "call-ahead"


def test_full_disk_gives_a_clear_error_and_no_partial_plan(tmp_path):
    store = open_store(tmp_path / "data", FixedClock(datetime(2026, 11, 25, 13, tzinfo=timezone.utc)))
    plan = store.create_plan("home-visit", tz="Europe/London", title="Before the disk filled")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    with pytest.raises(StoreError, match="disk full") as info:
        store.update(plan.ref, location="x" * 1900, escalation="y" * 1900, code_meaning="z" * 1900)
        for n in range(200):
            store.set_answer(plan.ref, "c", f"item-{n}", "done", note="n" * 1900)
    assert "damaged" not in str(info.value).replace("not damaged", "")  # a full disk is not a damaged file
    with pytest.raises(StoreError, match="disk full"):
        for _ in range(200):
            store.create_plan("surgery", tz="Europe/London", title="t" * 200)
    refs = [p.ref for p in store.list_plans()]
    for ref in refs:  # every plan that exists is whole: it reads back
        store.get_plan(ref)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
    reopened = open_store(tmp_path / "data")  # and it opens again as it was: not refused as damaged
    assert [p.ref for p in reopened.list_plans()] == refs


def _can_run_as_nobody() -> bool:
    if os.geteuid() != 0:
        return False
    probe = subprocess.run(
        AS_NOBODY + [sys.executable, "-c", "import safety_tui.store"],
        capture_output=True,
    )
    return probe.returncode == 0


OPEN_STORE = (
    "import sys\nfrom pathlib import Path\nfrom safety_tui.store import StoreError\nfrom safety_tui.wiring import open_store\n"
    "try:\n    open_store(Path(sys.argv[1]))\nexcept StoreError as e:\n    print(e); sys.exit(4)\n"
)
AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def _open_store_unprivileged(folder: Path) -> subprocess.CompletedProcess:
    """Open the store in a child process as a normal user (root ignores permissions)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not _can_run_as_nobody():
            pytest.skip("cannot drop to an unprivileged user here (root ignores permissions)")
        prefix = AS_NOBODY
    return subprocess.run(prefix + [sys.executable, "-c", OPEN_STORE, str(folder)], capture_output=True, text=True)


def test_read_only_data_folder_gives_a_clear_error(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="safety-ro-"))
    try:
        os.chmod(folder, 0o755)
        locked = folder / "data"
        locked.mkdir(mode=0o700)
        os.chmod(locked, 0o555)  # read-only, and not ours to change when we are another user
        result = _open_store_unprivileged(locked)
        assert result.returncode == 4, result.stderr
        assert str(locked) in result.stdout
        assert "SAFETY_TUI_DATA_DIR" in result.stdout
        assert "Traceback" not in result.stdout + result.stderr
        assert list(locked.iterdir()) == []  # nothing half-created
    finally:
        os.chmod(folder / "data", 0o700)
        import shutil

        shutil.rmtree(folder)


def test_clock_jump_at_dst_keeps_correct_times(tmp_path):
    london = ZoneInfo("Europe/London")
    # 00:50 GMT on 29 March 2026; at 01:00 GMT the clocks jump to 02:00 BST.
    clock = FixedClock(datetime(2026, 3, 29, 0, 50, tzinfo=timezone.utc))
    store = open_store(tmp_path / "data", clock)
    plan = store.create_plan("home-visit", tz="Europe/London")
    start = parse_when("00:55", clock.now(), "Europe/London")
    finish = parse_finish("+2h", start, clock.now(), "Europe/London")
    store.update(plan.ref, start=start, finish=finish)
    store.start(plan.ref)
    clock.advance(minutes=20)  # across the jump, while the plan is being written
    store.set_answer(plan.ref, "c", "i", "done")
    plan = store.get_plan(plan.ref)
    assert plan.start == datetime(2026, 3, 29, 0, 55, tzinfo=timezone.utc)
    assert plan.finish - plan.start == timedelta(hours=2)  # two real hours
    assert plan.local(plan.finish).strftime("%H:%M %Z") == "03:55 BST"  # wall clock shows the jump
    assert plan.answer("c", "i").answered_at == datetime(2026, 3, 29, 1, 10, tzinfo=timezone.utc)
    clock.set(plan.due_at + timedelta(seconds=1))
    assert store.get_plan(plan.ref).is_overdue(clock.now())
    # A wall-clock finish typed after the jump means BST.
    late = parse_finish("04:00", start, clock.now(), "Europe/London")
    assert late == datetime(2026, 3, 29, 4, 0, tzinfo=london)
    assert late.astimezone(timezone.utc).hour == 3


def test_finish_in_the_autumn_repeated_hour_is_after_the_start():
    """25 Oct 2026: 01:00-02:00 BST is followed by 01:00-02:00 GMT."""
    now = datetime(2026, 10, 24, 20, 0, tzinfo=timezone.utc)  # 21:00 BST on the 24th
    start = parse_when("tomorrow 01:30", now, "Europe/London")  # the first 01:30 (BST)
    finish = parse_finish("+1h", start, now, "Europe/London")
    assert finish.astimezone(timezone.utc) - start.astimezone(timezone.utc) == timedelta(hours=1)
    assert finish.astimezone(timezone.utc) == datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)


def test_owner_read_only_folder_is_not_made_writable(tmp_path):
    """A folder its owner made read-only stays read-only: we only take access away."""
    folder = Path(tempfile.mkdtemp(prefix="safety-own-"))
    try:
        os.chmod(folder, 0o755)
        data = folder / "data"
        data.mkdir()
        os.chmod(data, 0o555)
        if os.geteuid() == 0:
            os.chown(data, 65534, 65534)  # the folder belongs to the user who opens it
        result = _open_store_unprivileged(data)
        assert result.returncode == 4, result.stdout + result.stderr
        assert "read-only" in result.stdout
        assert stat.S_IMODE(os.stat(data).st_mode) == 0o500  # group/other bits gone, write not added
    finally:
        os.chmod(folder / "data", 0o700)
        import shutil

        shutil.rmtree(folder)


def _private_folder_for_nobody() -> Path:
    """A folder under /tmp that the unprivileged user can reach, with a data folder it owns."""
    base = Path(tempfile.mkdtemp(prefix="safety-owner-"))
    os.chmod(base, 0o755)
    data = base / "data"
    data.mkdir(mode=0o700)
    return data


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder.parent, ignore_errors=True)


@pytest.mark.parametrize("case", ["owned by another user", "unreadable", "read-only"])
def test_a_database_that_is_not_ours_to_use_is_refused_clearly(tmp_path, case):
    """Run as a normal user (setpriv), since root ignores permissions: each case is exit 4, no traceback,
    the file byte-for-byte unchanged and no -wal/-shm created beside it."""
    if os.geteuid() != 0:
        pytest.skip("needs root to give files to another user (and setpriv to drop to one)")
    data = _private_folder_for_nobody()
    try:
        store = open_store(data, FixedClock(datetime(2026, 11, 25, 13, tzinfo=timezone.utc)))
        store.create_plan("surgery", title="Someone's plan")
        store.close()
        db = data / DB_NAME
        os.chown(data, 65534, 65534)
        if case != "owned by another user":
            os.chown(db, 65534, 65534)
            db.chmod(0o000 if case == "unreadable" else 0o400)
        before = db.read_bytes()
        result = _open_store_unprivileged(data)
        assert result.returncode == 4, result.stdout + result.stderr
        assert str(db) in result.stdout and "Traceback" not in result.stdout + result.stderr
        expected = {
            "owned by another user": "belongs to another user",
            "unreadable": "cannot read",
            "read-only": "read-only",
        }
        assert expected[case] in result.stdout
        assert db.read_bytes() == before
        assert sorted(os.listdir(data)) == [DB_NAME]
    finally:
        _remove(data)


def test_a_read_only_database_can_still_be_listed_by_its_owner():
    """`safety-tui plans` only reads: a file its owner made read-only (0400) is listed, not refused."""
    if os.geteuid() != 0:
        pytest.skip("needs root to give files to another user (and setpriv to drop to one)")
    data = _private_folder_for_nobody()
    try:
        store = open_store(data, FixedClock(datetime(2026, 11, 25, 13, tzinfo=timezone.utc)))
        plan = store.create_plan("surgery", title="Listed anyway")
        store.close()
        db = data / DB_NAME
        os.chown(data, 65534, 65534)
        os.chown(db, 65534, 65534)
        db.chmod(0o400)
        if not _can_run_as_nobody():
            pytest.skip("cannot drop to an unprivileged user here")
        env = dict(os.environ, SAFETY_TUI_DATA_DIR=str(data))
        result = subprocess.run(
            AS_NOBODY + [sys.executable, "-m", "safety_tui", "plans"], capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
        assert plan.ref in result.stdout
        assert sorted(os.listdir(data)) == [DB_NAME]
    finally:
        _remove(data)


def test_a_full_disk_while_opening_is_not_reported_as_damage(tmp_path):
    """Creating the store on a disk with no room left: said to be a full disk, never a damaged file.
    The disk is made "full" with RLIMIT_FSIZE in a child process (no other user's disk is touched)."""
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from safety_tui.store import StoreError\nfrom safety_tui.wiring import open_store\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))\n"
        "try:\n    open_store(Path(sys.argv[1]))\nexcept StoreError as e:\n    print(e); sys.exit(4)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], capture_output=True, text=True)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    message = result.stdout.replace("not damaged", "")
    assert "damaged" not in message and "not a SQLite database" not in message
    assert "disk" in message
    assert open_store(tmp_path / "data").list_plans() == []  # with room again, it opens (and is not refused)
