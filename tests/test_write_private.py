"""Files are written safely: exports never follow a symlink, never write through a hard link,
never keep an existing file's permissions; folders made are 0700 whatever the umask; in a
shared world-writable folder another user can neither read nor clobber anything.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common.clock import SystemClock
from safety_tui.common.errors import WriteError
from safety_tui.common.paths import export_dir, write_private
from safety_tui.wiring import open_store
from tests.helpers import full_plan

SECRET = "walrus-umbrella-77"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_export_replaces_a_symlink_instead_of_following_it(tmp_path, capsys):
    full_plan(open_store(), SystemClock(), code_word=SECRET)
    victim = tmp_path / "authorized_keys"
    victim.write_text("ssh-ed25519 AAAA me\n")
    link = tmp_path / "plan.txt"
    link.symlink_to(victim)
    dangling = tmp_path / "new.txt"
    dangling.symlink_to(tmp_path / "created-through-the-link")
    for target in (link, dangling):
        assert main(["export", "last", "-f", "sms", "--code-word", "-o", str(target)]) == 0
        assert not target.is_symlink() and SECRET in target.read_text() and _mode(target) == 0o600
    assert victim.read_text() == "ssh-ed25519 AAAA me\n"
    assert not (tmp_path / "created-through-the-link").exists()


def test_export_never_writes_through_a_hard_link_or_keeps_permissions(tmp_path):
    full_plan(open_store(), SystemClock(), code_word=SECRET)
    other = tmp_path / "other.txt"
    other.write_text("someone else's file\n")
    os.chmod(other, 0o644)
    hard = tmp_path / "plan.txt"
    os.link(other, hard)
    assert main(["export", "last", "-f", "sms", "--code-word", "-o", str(hard)]) == 0
    assert other.read_text() == "someone else's file\n" and _mode(other) == 0o644
    assert SECRET in hard.read_text() and _mode(hard) == 0o600 and os.stat(hard).st_nlink == 1
    readable = tmp_path / "readable.txt"
    readable.write_text("old")
    os.chmod(readable, 0o666)
    assert main(["export", "last", "-f", "text", "-o", str(readable)]) == 0
    assert _mode(readable) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_folder_as_target_is_a_clear_error_and_nothing_is_left_behind(tmp_path, capsys):
    full_plan(open_store(), SystemClock())
    (tmp_path / "plan.txt").mkdir()
    assert main(["export", "last", "-f", "sms", "-o", str(tmp_path / "plan.txt")]) == 1
    assert capsys.readouterr().err.startswith(f"safety-tui: cannot write {tmp_path / 'plan.txt'}: Is a directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.txt"]


@pytest.mark.parametrize("umask", [0o022, 0o277, 0o000], ids=["022", "277", "000"])
def test_folders_made_are_0700_and_files_0600_whatever_the_umask(tmp_path, monkeypatch, umask):
    monkeypatch.setenv("SAFETY_TUI_EXPORT_DIR", str(tmp_path / "Downloads" / "safety"))
    old = os.umask(umask)
    try:
        target = export_dir() / "safety-1.ics"
        write_private(target, b"BEGIN:VCALENDAR", make_parents=True)
    finally:
        os.umask(old)
    assert _mode(tmp_path / "Downloads") == 0o700 and _mode(tmp_path / "Downloads" / "safety") == 0o700
    assert _mode(target) == 0o600 and target.read_bytes() == b"BEGIN:VCALENDAR"
    assert _mode(tmp_path) == stat.S_IMODE(os.stat(tmp_path).st_mode)  # an existing folder is not changed


def test_write_private_refuses_with_a_safety_error(tmp_path):
    with pytest.raises(WriteError, match="No such file or directory"):
        write_private(tmp_path / "missing" / "x.ics", b"x")
    assert not (tmp_path / "missing").exists()


# -- a shared world-writable folder, two unprivileged users ------------------------

ATTACKER = 65534  # nobody
VICTIM = 65533
EXPORT = """
import json, os, sys
from datetime import datetime, timedelta, timezone
from safety_tui.wiring import open_store
from safety_tui.cli.main import main
store = open_store()
plan = store.create_plan("home-visit", tz="Europe/London", owner_name="Jo")
now = datetime.now(timezone.utc)
store.update(plan.ref, location="12 Acacia Avenue", code_word=sys.argv[1], start=now, finish=now + timedelta(hours=1))
store.close()
print(json.dumps({t: main(["export", "last", "-f", "sms", "--code-word", "-o", t]) for t in sys.argv[2:]}))
"""


def _as(uid: int) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]


def _can_switch_users() -> bool:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(_as(VICTIM) + [sys.executable, "-c", "import safety_tui.cli.main"], capture_output=True)
    return probe.returncode == 0


def _as_attacker(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_as(ATTACKER) + [sys.executable, "-c", code, *args], capture_output=True, text=True)


@pytest.fixture
def shared():
    """A world-writable folder in /tmp, reachable by every user, and the victim's own data folder."""
    if not _can_switch_users():
        pytest.skip("needs root and setpriv to run as two unprivileged users (root ignores permissions)")
    base = Path(tempfile.mkdtemp(prefix="safety-shared-"))
    os.chmod(base, 0o755)
    data = base / "victim-data"
    data.mkdir(mode=0o700)
    os.chown(data, VICTIM, VICTIM)
    try:
        yield base, data
    finally:
        shutil.rmtree(base)


def _export_as_victim(data: Path, *targets: Path) -> dict[str, int]:
    env = dict(os.environ, SAFETY_TUI_DATA_DIR=str(data), HOME=str(data))
    result = subprocess.run(
        _as(VICTIM) + [sys.executable, "-c", EXPORT, SECRET, *map(str, targets)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout.splitlines()[-1])


PLANT = """
import os, sys
folder = sys.argv[1]
with open(os.path.join(folder, "plan.txt"), "w") as f:
    f.write("planted")
os.chmod(os.path.join(folder, "plan.txt"), 0o666)
os.link(os.path.join(folder, "plan.txt"), os.path.join(folder, "mine", "keep"))
with open(os.path.join(folder, "mine", "loot"), "w") as f:
    f.write("")
os.chmod(os.path.join(folder, "mine", "loot"), 0o666)
os.symlink(os.path.join(folder, "mine", "loot"), os.path.join(folder, "link.txt"))
"""
CLOBBER = """
import os, sys
fake = sys.argv[1]
for path in sys.argv[2:]:
    open(fake, "w").close()
    for attempt in (lambda: os.replace(fake, path), lambda: os.unlink(path)):
        try:
            attempt()
        except OSError:
            pass
"""
STEAL = """
import sys
for path in sys.argv[1:]:
    try:
        print(path, open(path).read())
    except OSError as e:
        print(path, "refused", e.errno)
    try:
        open(path, "a").close()
        print(path, "writable")
    except OSError:
        pass
"""


@pytest.mark.parametrize("sticky", [True, False], ids=["sticky-like-tmp", "world-writable"])
def test_a_file_planted_in_a_shared_folder_cannot_read_or_clobber_anything(shared, sticky):
    base, data = shared
    folder = base / "exports"
    folder.mkdir()
    os.chmod(folder, 0o1777 if sticky else 0o777)
    (folder / "mine").mkdir()
    os.chown(folder / "mine", ATTACKER, ATTACKER)
    planted = _as_attacker(PLANT, str(folder))
    assert planted.returncode == 0, planted.stderr

    codes = _export_as_victim(data, folder / "plan.txt", folder / "link.txt", folder / "fresh.txt")

    # The attacker's own files never receive the victim's data.
    assert (folder / "mine" / "keep").read_text() == "planted"
    assert (folder / "mine" / "loot").read_text() == ""
    # Another user's entries in a sticky folder cannot be replaced: refused, left alone. A
    # world-writable folder without the sticky bit is refused outright: anyone could swap the
    # file after it is written.
    assert codes[str(folder / "plan.txt")] == 1 and codes[str(folder / "link.txt")] == 1
    assert (folder / "plan.txt").read_text() == "planted" and (folder / "link.txt").is_symlink()
    assert codes[str(folder / "fresh.txt")] == (0 if sticky else 1)
    written = [p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and SECRET in p.read_text()]
    assert len(written) == (1 if sticky else 0)
    for path in written:
        assert os.lstat(path).st_uid == VICTIM and _mode(path) == 0o600, path
    stolen = _as_attacker(STEAL, *map(str, written))
    assert SECRET not in stolen.stdout and "writable" not in stolen.stdout, stolen.stdout
    swapped = _as_attacker(CLOBBER, str(folder / "mine" / "fake"), *map(str, written))
    assert swapped.returncode == 0 and all(
        SECRET in p.read_text() for p in written
    )  # sticky: not the attacker's to swap
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left behind


def test_a_folder_anyone_can_change_is_refused_even_for_root(tmp_path, capsys):
    full_plan(open_store(), SystemClock())
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    os.chmod(open_folder, 0o777)
    assert main(["export", "last", "-f", "sms", "-o", str(open_folder / "x.txt")]) == 1
    err = capsys.readouterr().err
    assert "world-writable, not sticky" in err and "choose a folder of your own" in err
    assert list(open_folder.iterdir()) == []
    os.chmod(open_folder, 0o1777)  # like /tmp: fine
    assert main(["export", "last", "-f", "sms", "-o", str(open_folder / "x.txt")]) == 0
