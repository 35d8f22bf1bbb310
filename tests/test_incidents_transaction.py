"""One transaction per incident with its evidence, and files read only through the one safe reader.

Every evidence file is read and checked (regular, readable, not too big, never a
FIFO or a device) before anything is written; a refusal records nothing, so a
retry makes exactly one incident. ``routes.yaml`` is read the same way: a FIFO
never blocks and ``/dev/zero`` is never read whole.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.incidents import EvidenceError, IncidentLog
from safety_tui.incidents.evidence import MAX_EVIDENCE_BYTES
from safety_tui.incidents.routes import MAX_ROUTES_BYTES, load_routes, routes_layers
from safety_tui.wiring import open_store
from tests.helpers import settle

T0 = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)
ME = "Cllr Alex Doe"


def add(*extra: str) -> int:
    return main(["incident", "add", "--by", "Cllr Doe", "--tz", "Europe/London", *extra])


def evidence_folder() -> Path:
    return paths.data_dir() / "evidence"


def kept_files() -> list[str]:
    folder = evidence_folder()
    return sorted(os.listdir(folder)) if folder.exists() else []


@pytest.fixture
def log(tmp_path):
    with open_store(tmp_path / "data", FixedClock(T0 + timedelta(hours=1))) as store:
        yield IncidentLog.of(store)


@pytest.fixture
def ok_file(tmp_path) -> Path:
    path = tmp_path / "ok.txt"
    path.write_bytes(b"the letter, scanned")
    return path


@pytest.fixture
def too_big(tmp_path) -> Path:
    path = tmp_path / "too-big.bin"
    with open(path, "wb") as handle:  # sparse: the size is checked before a byte is read
        handle.truncate(MAX_EVIDENCE_BYTES + 1)
    return path


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.png"
    os.mkfifo(path)
    return path


def incidents_json(capsys) -> dict[str, object]:
    capsys.readouterr()
    assert main(["incidents", "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_a_refused_second_file_records_nothing_and_a_retry_makes_one_incident(ok_file, too_big, capsys):
    assert (
        add("--person", "John Smith", "--what", "Letter", "--evidence", str(ok_file), "--evidence", str(too_big)) == 1
    )
    err = capsys.readouterr().err
    assert "too big" in err and "nothing was recorded" in err
    data = incidents_json(capsys)
    assert data["incidents"] == [] and data["people"] == []
    assert kept_files() == []
    assert add("--person", "John Smith", "--what", "Letter", "--evidence", str(ok_file)) == 0
    data = incidents_json(capsys)
    assert [i["what"] for i in data["incidents"]] == ["Letter"]  # type: ignore[index]
    assert [p["pattern"] for p in data["people"]] == [False]  # type: ignore[index]  # one incident, not two
    assert len(kept_files()) == 1


def test_a_fifo_as_evidence_is_refused_at_once_without_blocking(ok_file, fifo, capsys):
    assert add("--what", "Photo", "--evidence", str(ok_file), "--evidence", str(fifo)) == 1
    err = capsys.readouterr().err
    assert "named pipe (FIFO)" in err and "nothing was recorded" in err
    assert incidents_json(capsys)["incidents"] == []
    assert kept_files() == []


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_as_evidence_is_refused(log, ok_file, device):
    with pytest.raises(EvidenceError, match="character device"):
        log.record(what="x", recorder=ME, tz="UTC", evidence=[ok_file, Path(device)])
    assert log.incidents(include_deleted=True) == []


def test_a_failure_while_keeping_the_copies_takes_back_the_ones_already_written(log, ok_file, tmp_path):
    second = tmp_path / "second.txt"
    second.write_bytes(b"a second file")
    import hashlib

    folder = log.data_dir / "evidence"
    folder.mkdir(mode=0o700)
    (folder / hashlib.sha256(b"a second file").hexdigest()).mkdir()  # in the way of the second copy
    with pytest.raises(EvidenceError, match="in the way"):
        log.record(what="Two files", recorder=ME, tz="UTC", evidence=[ok_file, second])
    assert log.incidents(include_deleted=True) == []
    assert [p.name for p in folder.iterdir()] == [hashlib.sha256(b"a second file").hexdigest()]  # the first went back
    assert log.verify().ok


def test_adding_evidence_to_an_incident_is_all_or_nothing(log, ok_file, fifo):
    incident = log.record(what="Letter", recorder=ME, tz="UTC")
    with pytest.raises(EvidenceError):
        log.add_evidence(incident.id, ME, ok_file, fifo)
    assert log.get(incident.id).evidence == []
    assert len(log.add_evidence(incident.id, ME, ok_file).evidence) == 1


def test_a_fifo_as_routes_yaml_is_refused_without_blocking(tmp_path, monkeypatch, fifo, capsys):
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(fifo))
    user = paths.config_dir() / "routes.yaml"
    user.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(user)
    loaded = load_routes(routes_layers())
    messages = [str(e) for e in loaded.errors]
    assert len(messages) == 2 and all("named pipe (FIFO)" in m for m in messages)
    assert loaded.routes.emergency == "999"  # the bundled routes still load
    assert main(["routes", "--check", str(fifo)]) == 1
    assert "named pipe (FIFO)" in capsys.readouterr().out
    assert add("--what", "Shouted at") == 0  # an incident is still recorded; the prompts use the bundled routes


def test_dev_zero_and_a_huge_routes_file_are_refused_not_read_whole(tmp_path, monkeypatch):
    link = tmp_path / "routes.yaml"
    link.symlink_to("/dev/zero")
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"format: 1\n" + b"#" * MAX_ROUTES_BYTES)
    for path, said in ((link, "character device"), (huge, "at most")):
        monkeypatch.setenv("SAFETY_TUI_ROUTES", str(path))
        errors = [str(e) for e in load_routes(routes_layers()).errors]
        assert len(errors) == 1 and said in errors[0]


async def test_the_app_checks_in_with_a_fifo_as_routes_yaml(app, store, tmp_path, monkeypatch):
    """`c` reads the routes for its support lines: a FIFO there must not freeze the app."""
    from safety_tui.plans.lifecycle import Status
    from safety_tui.ui.dialogs.debrief import SupportDialog
    from tests.helpers import flat_text, running_plan

    pipe = tmp_path / "routes-pipe.yaml"
    os.mkfifo(pipe)
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(pipe))
    plan = running_plan(store, "Surgery")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter", "n")  # nothing worrying; not okay: the support lines (bundled routes)
        await settle(pilot)
        assert isinstance(app.screen, SupportDialog)
        assert "nominated officer" in flat_text(app)
    assert store.get_plan(plan.ref).status is Status.FINISHED


def test_a_copy_another_window_recorded_meanwhile_is_never_taken_back(tmp_path, ok_file):
    """Two windows attach the same file: one's transaction fails after writing the copy, the other
    (which found the copy there) commits before the first takes its copies back. The copy stays."""
    import hashlib

    clock = FixedClock(T0 + timedelta(hours=1))
    with open_store(tmp_path / "data", clock) as first, open_store(tmp_path / "data", clock) as second:
        failing, other = IncidentLog.of(first), IncidentLog.of(second)
        kept = other.record(what="Letter", recorder=ME, tz="UTC", evidence=[ok_file])
        copy = other.data_dir / "evidence" / hashlib.sha256(ok_file.read_bytes()).hexdigest()
        failing.chain.take_back([copy])  # the failed window, after the other's commit
        assert copy.exists()
        assert other.verify().ok and other.get(kept.id).evidence[0].stored == copy.name
        unreferenced = copy.with_name("0" * 64)
        unreferenced.write_bytes(b"left by a failed transaction")
        failing.chain.take_back([unreferenced])
        assert not unreferenced.exists()
