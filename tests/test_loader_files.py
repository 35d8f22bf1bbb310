"""The loader and the file system: never blocks, never skips quietly, stays linear."""

from __future__ import annotations

import difflib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from safety_tui.checklists.loader.catalog import load_catalog, load_paths
from safety_tui.checklists.loader.problems import ChecklistFileError
from safety_tui.checklists.loader.validate import parse_checklist
from safety_tui.checklists.loader.wording import MAX_CANDIDATES, MAX_SUGGESTIONS
from safety_tui.cli.main import main
from tests.conftest import valid_yaml, write_yaml

AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def messages(errors) -> dict[str, str]:
    return {Path(e.path).name: e.message for e in errors}


# -- what is not a regular file -------------------------------------------------------


@pytest.mark.slow
def test_fifo_given_as_a_path_is_refused_at_once(tmp_path):
    """Opening a FIFO for reading blocks until a writer comes: validate must never do it."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "safety_tui", "validate", str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert f"{fifo}:1:1: skipped: it is a named pipe (FIFO), not a checklist file" in result.stdout.splitlines()


def test_device_given_as_a_path_is_refused():
    _, errors = load_paths([Path("/dev/zero")])
    assert [str(e) for e in errors] == ["/dev/zero:1:1: skipped: it is a character device, not a checklist file"]


def test_odd_entries_in_a_folder_are_reported_as_skipped_and_the_rest_load(tmp_path):
    write_yaml(tmp_path, "good.yaml", valid_yaml())
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "loop-a.yaml").symlink_to(tmp_path / "loop-b.yaml")
    (tmp_path / "loop-b.yaml").symlink_to(tmp_path / "loop-a.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "deleted.yaml")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "linked.yaml").symlink_to(write_yaml(tmp_path / "elsewhere", "x.yaml", valid_yaml(id="linked")))
    short = Path(tempfile.mkdtemp(prefix="st-"))  # a socket path must be short
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(short / "sock.yaml"))
            (tmp_path / "sock.yaml").symlink_to(short / "sock.yaml")
            loaded, errors = load_paths([tmp_path])
    finally:
        shutil.rmtree(short)
    assert sorted(lc.checklist.id for lc in loaded) == ["linked", "test-list"]
    assert messages(errors) == {
        "pipe.yaml": "skipped: it is a named pipe (FIFO), not a checklist file",
        "loop-a.yaml": "skipped: it is a symbolic link loop",
        "loop-b.yaml": "skipped: it is a symbolic link loop",
        "gone.yaml": f"skipped: it is a broken symbolic link (to {tmp_path / 'deleted.yaml'}, which does not exist)",
        "folder.yaml": "skipped: it is a folder, not a checklist file",
        "sock.yaml": "skipped: it is a socket, not a checklist file",
    }
    assert all((e.line, e.column) == (1, 1) for e in errors)


def test_validate_reports_skipped_entries_and_fails(tmp_path, capsys):
    write_yaml(tmp_path, "good.yaml", valid_yaml())
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nothing-here.yaml")
    assert main(["validate", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert f"{tmp_path / 'gone.yaml'}:1:1: skipped: it is a broken symbolic link" in out
    assert "1 error(s) in 1 file(s); 1 checklist(s) valid" in err


# -- a folder that cannot be read -------------------------------------------------------


def test_unreadable_folder_is_an_error_not_zero_checklists(tmp_path, capsys, monkeypatch):
    """Behaviour when listing fails (root cannot be denied, so listing is made to fail)."""
    folder = tmp_path / "council"
    write_yaml(folder, "good.yaml", valid_yaml())
    real_scandir = os.scandir

    def denied(path):
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    assert main(["validate", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert f"{folder}:1:1: cannot read folder: Permission denied" in out.splitlines()
    assert "all 0 checklist(s) valid" not in err + out
    catalog = load_catalog([("organisation", folder)])
    assert [str(e) for e in catalog.errors] == [f"{folder}:1:1: cannot read folder: Permission denied"]


@pytest.mark.slow
def test_unreadable_folder_as_a_normal_user_exits_1():
    """The same through the file system, as an unprivileged user (skipped where that is impossible)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root to drop to the user nobody")
    base = Path(tempfile.mkdtemp(prefix="safety-unreadable-"))
    try:
        os.chmod(base, 0o755)
        folder = base / "council"
        folder.mkdir()
        write_yaml(folder, "good.yaml", valid_yaml())
        os.chmod(folder, 0o300)  # nobody may enter but not list it
        env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(base / "data"), "SAFETY_TUI_CONFIG_DIR": str(base / "cfg")}
        result = subprocess.run(
            AS_NOBODY + [sys.executable, "-m", "safety_tui", "validate", str(folder)],
            capture_output=True,
            text=True,
            env=env,
            cwd=base,
            timeout=60,
        )
        if "safety_tui" in result.stderr and "No module" in result.stderr:
            pytest.skip("the package is not readable by nobody here")
        assert result.returncode == 1, result.stderr
        assert f"{folder}:1:1: cannot read folder: Permission denied" in result.stdout
        assert "all 0" not in result.stderr
    finally:
        os.chmod(base / "council", 0o700)
        shutil.rmtree(base)


# -- linear time: every suggestion and check is bounded -----------------------------------


def many_items(count: int) -> bytes:
    lines = [
        "format: 1",
        "id: big",
        "title: Big",
        "description: Many items.",
        "visit_types: [meeting]",
        "sections:",
        "  - title: All",
        "    items:",
    ]
    for i in range(count):
        lines += [
            f"      - id: item-{i}",
            f"        text: Item number {i} of a long list.",
            f"        show_if: {{item: itme-{i}, answer: yes}}",
        ]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.slow
def test_unknown_show_if_targets_cost_a_bounded_number_of_comparisons(monkeypatch):
    """2,000 items took 10 s and a 960 KB file 190 s: every unknown target was compared with every id.

    Counts the candidates difflib compares: the same for 2,000 and 8,000 unknown targets.
    """
    compared: list[str] = []
    original = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        compared.append(a)
        return original(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    work = {}
    for count in (2_000, 8_000):
        data = many_items(count)
        assert count == 2_000 or len(data) > 900_000
        compared.clear()
        with pytest.raises(ChecklistFileError) as info:
            parse_checklist(data, "big.yaml")
        assert len(info.value.errors) == count  # every unknown target is still reported
        work[count] = len(compared)
    # Each get_close_matches call also sets its matcher up once: hence the + 1.
    assert 0 < work[8_000] == work[2_000] <= MAX_SUGGESTIONS * (MAX_CANDIDATES + 1)


def test_small_files_still_get_the_suggestion():
    with pytest.raises(ChecklistFileError) as info:
        parse_checklist(many_items(3), "small.yaml")
    assert [e.message for e in info.value.errors] == [
        f"show_if: no item 'itme-{i}' in this checklist, did you mean 'item-{i}'?" for i in range(3)
    ]


def test_a_file_edited_in_place_is_read_afresh_even_with_its_size_and_time_kept(tmp_path):
    """The loader keeps what it parsed by the file's bytes: an edit of the same length, its
    modification time put back, is still seen; and a file fixed after an error loads."""
    path = write_yaml(tmp_path, "list.yaml", valid_yaml(title="First title"))
    before = os.stat(path)
    assert load_paths([tmp_path])[0][0].checklist.title == "First title"
    path.write_text(path.read_text().replace("First title", "Other title"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert load_paths([tmp_path])[0][0].checklist.title == "Other title"
    path.write_text(path.read_text().replace("format: 1", "format: 99"))
    assert load_paths([tmp_path])[1]  # refused
    path.write_text(path.read_text().replace("format: 99", "format: 1"))
    loaded, errors = load_paths([tmp_path])
    assert [entry.checklist.title for entry in loaded] == ["Other title"] and not errors


def test_the_same_bytes_in_two_places_each_keep_their_own_path(tmp_path):
    one = write_yaml(tmp_path / "a", "list.yaml", valid_yaml(id="same"))
    two = write_yaml(tmp_path / "b", "list.yaml", valid_yaml(id="same"))
    loaded, _ = load_paths([tmp_path / "a"])
    assert loaded[0].path == one
    loaded, _ = load_paths([tmp_path / "b"])
    assert loaded[0].path == two
