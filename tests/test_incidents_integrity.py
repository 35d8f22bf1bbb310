"""Attacks on the incident log's integrity, each as a hostile tester would try it.

The chain alone catches an edited entry; a head written down earlier (from a pack)
catches entries removed from the end or a rewritten chain; times never go
backwards; the person table is only an index, so renaming a person there changes
no pack and fails verification.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.incidents import Category, Channel, IncidentLog
from safety_tui.incidents.chain import canonical, entry_hash, sha256_text
from safety_tui.incidents.integrity import log_status
from safety_tui.wiring import open_store
from tests.helpers import settle

T0 = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)
ME = "Cllr Alex Doe"
HEAD = re.compile(r"chain head ([0-9a-f]{64})")


def add(*extra: str) -> int:
    return main(["incident", "add", "--by", "Cllr Doe", "--tz", "Europe/London", *extra])


def db() -> Path:
    return paths.data_dir() / "plans.sqlite3"


def sql(statement: str, args: tuple[object, ...] = ()) -> None:
    conn = sqlite3.connect(db())
    conn.execute(statement, args)
    conn.commit()
    conn.close()


@pytest.fixture
def clock():
    return FixedClock(T0 + timedelta(hours=1))


@pytest.fixture
def log(tmp_path, clock):
    with open_store(tmp_path / "data", clock) as store:
        yield IncidentLog.of(store)


def record(log: IncidentLog, **kw):
    values = dict(
        what="Shouted at me after the surgery",
        recorder=ME,
        tz="Europe/London",
        happened_at=T0,
        people=["John Smith"],
        channel=Channel.IN_PERSON,
        category=Category.ABUSIVE,
    )
    values.update(kw)
    return log.record(**values)


def test_entries_removed_from_the_end_are_caught_against_the_head_a_pack_printed(capsys):
    assert add("--person", "John Smith", "--what", "Threatened me", "--category", "threat") == 0
    assert main(["incident", "action", "1", "police", "--ref", "CAD 123", "--by", "Cllr Doe"]) == 0
    capsys.readouterr()
    assert main(["incident", "export", "John Smith"]) == 0
    pack = capsys.readouterr().out
    heads = set(HEAD.findall(pack))
    assert len(heads) == 1  # the same head at the top and at the end
    head = heads.pop()
    assert pack.splitlines()[2].startswith("*Log: 2 entries, chain head") and "2 entries" in pack.splitlines()[-1]

    sql("DELETE FROM incident_entries WHERE seq = 2")  # the police report disappears
    assert main(["incidents", "verify"]) == 0  # the chain alone cannot see a cut at the end (README says so)
    capsys.readouterr()
    assert main(["incidents", "verify", "--head", head]) == 1
    err = capsys.readouterr().err
    assert "not in the log" in err and "FAILED" in err


def test_a_head_still_in_the_log_lists_every_entry_recorded_after_it(capsys):
    assert add("--person", "John Smith", "--what", "Letter") == 0
    capsys.readouterr()
    assert main(["incidents", "verify"]) == 0
    head = HEAD.search(capsys.readouterr().out).group(1)
    assert add("--person", "John Smith", "--what", "Second letter") == 0
    assert main(["incident", "action", "2", "council", "--by", "Cllr Doe"]) == 0
    capsys.readouterr()
    assert main(["incidents", "verify", "--head", head]) == 0
    out = capsys.readouterr().out
    assert "intact" in out and "2 entries recorded after it" in out
    assert "entry 2: created, incident 2" in out and "entry 3: action, incident 2" in out
    assert main(["incidents", "verify", "--head", "not-a-head"]) == 2


def test_a_backdated_forged_append_with_a_correct_hash_is_caught(log):
    record(log, what="December")
    conn = log.conn
    seq, prev = conn.execute("SELECT seq, hash FROM incident_entries ORDER BY seq DESC LIMIT 1").fetchone()
    forged_id = conn.execute("INSERT INTO incidents(created_utc) VALUES ('2026-01-05T10:00:00+00:00')").lastrowid
    body = canonical(
        {
            "what": "Recorded by PC Plod",
            "happened_utc": "2026-01-05T10:00:00+00:00",
            "tz": "UTC",
            "channel": "other",
            "category": "other",
            "people": [],
        }
    )
    recorded = "2026-01-05T10:00:00.000000+00:00"
    digest = entry_hash(seq + 1, forged_id, "created", recorded, "PC Plod", sha256_text(body), prev)
    conn.execute(
        "INSERT INTO incident_entries(seq, incident_id, kind, recorded_utc, recorder, body, body_hash, "
        "prev_hash, hash) VALUES (?, ?, 'created', ?, 'PC Plod', ?, ?, ?, ?)",
        (seq + 1, forged_id, recorded, body, sha256_text(body), prev, digest),
    )
    result = log.verify()
    assert not result.ok
    assert any("entry 2" in p and "backwards" in p for p in result.problems)


def test_a_clock_put_back_never_records_a_time_before_the_last_entry(log, clock):
    first = record(log)
    clock.set(T0 - timedelta(days=30))  # someone sets the machine's clock back a month
    second = record(log, what="After the clock change", happened_at=T0 - timedelta(days=31))
    assert second.recorded_at == first.recorded_at
    assert log.verify().ok


def test_renaming_a_person_by_hand_changes_no_pack_and_fails_verify(capsys):
    assert add("--person", "Jane Doe", "--what", "Jane's letter") == 0
    assert add("--person", "John Smith", "--what", "John's threat", "--category", "threat") == 0
    capsys.readouterr()
    sql("UPDATE incident_persons SET label = 'Someone Else', norm = 'someone else' WHERE label = 'Jane Doe'")
    sql("UPDATE incident_persons SET label = 'Jane Doe', norm = 'jane doe' WHERE label = 'John Smith'")
    assert main(["incident", "export", "Jane Doe"]) == 0
    captured = capsys.readouterr()
    assert "Jane's letter" in captured.out and "John's threat" not in captured.out
    assert "FAILED" in captured.out  # the pack itself says the log failed its check
    assert main(["incidents", "verify"]) == 1
    err = capsys.readouterr().err
    assert "renamed outside the log" in err and "'Jane Doe'" in err and "'John Smith'" in err


def test_an_incident_whose_entries_were_all_removed_is_caught(log):
    record(log)
    gone = record(log, what="Second", happened_at=T0 + timedelta(minutes=5))
    log.conn.execute("DELETE FROM incident_entries WHERE incident_id = ?", (gone.id,))
    result = log.verify()
    assert not result.ok
    assert any(f"incident {gone.id} is in the log's index but its entries are gone" in p for p in result.problems)


def test_the_core_gives_the_screens_one_line_when_the_log_fails(log):
    record(log)
    result, line = log_status(log)
    assert result.ok and line == ""
    log.conn.execute("UPDATE incident_entries SET body = replace(body, 'Shouted', 'Smiled')")
    result, line = log_status(log)
    assert not result.ok
    assert line.startswith("The incident log FAILED its integrity check: entry 1") and "incidents verify" in line


def test_every_pdf_page_prints_the_entry_count_and_the_chain_head(tmp_path, capsys):
    import pypdf

    for n in range(12):
        assert (
            add("--person", "John Smith", "--what", f"Letter {n}\n" + "It said more. " * 40, "--when", f"{n + 1}h ago")
            == 0
        )
    capsys.readouterr()
    assert main(["incidents", "verify"]) == 0
    head = HEAD.search(capsys.readouterr().out).group(1)
    pdf = tmp_path / "pack.pdf"
    assert main(["incident", "export", "John Smith", "-f", "pdf", "-o", str(pdf)]) == 0
    pages = pypdf.PdfReader(str(pdf)).pages
    assert len(pages) >= 2
    for page in pages:
        flat = "".join(page.extract_text().split())
        assert f"Log:12entries,chainhead{head}" in flat


def _immutable(path: Path, on: bool) -> bool:
    """``chattr +i``: not even root can change or add a file there (needs CAP_LINUX_IMMUTABLE)."""
    done = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return done.returncode == 0


def _checked_read_only(capsys) -> None:
    assert main(["incidents", "verify"]) == 0
    assert "intact: 1 entries" in capsys.readouterr().out
    assert main(["incident", "export", "John Smith"]) == 0
    assert "Threatened me" in capsys.readouterr().out
    assert main(["incident", "show", "1"]) == 0
    assert main(["incidents"]) == 0


@pytest.mark.slow
def test_verify_and_export_work_on_a_read_only_copy_of_the_data_folder(tmp_path, monkeypatch, capsys):
    assert add("--person", "John Smith", "--what", "Threatened me") == 0
    copy = tmp_path / "copy"
    shutil.copytree(paths.data_dir(), copy)
    files = sorted(copy.rglob("*"))
    if not all(_immutable(f, True) for f in files) or not _immutable(copy, True):
        for f in files + [copy]:
            _immutable(f, False)
        pytest.skip("chattr +i is not allowed here")
    try:
        before = {f: f.read_bytes() for f in files if f.is_file()}
        monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(copy))
        capsys.readouterr()
        _checked_read_only(capsys)
        assert sorted(copy.rglob("*")) == files  # no -wal, -shm or anything else created
        assert {f: f.read_bytes() for f in files if f.is_file()} == before
    finally:
        for f in files + [copy]:
            _immutable(f, False)


@pytest.mark.slow
def test_verify_and_export_work_on_a_full_disk(tmp_path, monkeypatch, capsys):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(disk / "data"))
        assert add("--person", "John Smith", "--what", "Threatened me") == 0
        with open(disk / "filler", "wb") as filler:  # fill the disk to the last byte
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        capsys.readouterr()
        _checked_read_only(capsys)
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


async def test_the_incident_list_warns_when_the_log_fails_its_check(tmp_path):
    from textual.widgets import Static

    from safety_tui.ui.app import create_app
    from safety_tui.ui.screens.incidents import IncidentsScreen

    with open_store(tmp_path / "data", FixedClock(T0 + timedelta(hours=1))) as store:
        record(IncidentLog.of(store))
    app = create_app(
        data_dir=tmp_path / "data",
        clock=FixedClock(T0 + timedelta(hours=2)),
        tz="Europe/London",
        layers=[("bundled", paths.bundled_checklists_dir())],
    )

    def banner() -> str:
        widget = app.screen.query_one("#incidents-integrity", Static)
        return str(widget.render()) if widget.display else ""

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("I")  # the incident log, from Today
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
        assert banner() == ""
        await pilot.press("escape")
        await settle(pilot)
        sql_at = tmp_path / "data" / "plans.sqlite3"
        conn = sqlite3.connect(sql_at)
        conn.execute("UPDATE incident_entries SET body = replace(body, 'Shouted', 'Smiled')")
        conn.commit()
        conn.close()
        await pilot.press("I")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
        assert banner().startswith("The incident log FAILED its integrity check: entry 1")
