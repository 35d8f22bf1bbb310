"""Plan commands of the CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import timedelta

from safety_tui import paths
from safety_tui.cli import main
from safety_tui.store import open_store
from tests.helpers import full_plan
from safety_tui.plan import SystemClock


def _store():
    return open_store(paths.data_dir())


def test_plans_json_and_status_exit_codes(capsys):
    store = _store()
    clock = SystemClock()
    plan = full_plan(store, clock)
    store.start(plan.ref)
    assert main(["status"]) == 0
    assert main(["plans", "--json"]) == 0
    out = capsys.readouterr().out
    listed = json.loads(out[out.index("["):])
    assert listed[0]["ref"] == plan.ref and listed[0]["overdue"] is False
    store.update(plan.ref, start=clock.now() - timedelta(hours=3), finish=clock.now() - timedelta(hours=2))
    assert main(["status"]) == 3
    assert f"OVERDUE {plan.ref}" in capsys.readouterr().out
    assert main(["extend", plan.ref, "180"]) == 0
    assert main(["status"]) == 0
    assert main(["checkin", "last"]) == 0
    assert "checked in safe" in capsys.readouterr().out


def test_show_masks_code_word_unless_revealed(capsys):
    store = _store()
    full_plan(store, SystemClock(), code_word="walrus-umbrella")
    assert main(["show", "last"]) == 0
    assert "walrus-umbrella" not in capsys.readouterr().out
    assert main(["show", "last", "--reveal"]) == 0
    assert "walrus-umbrella" in capsys.readouterr().out


def test_export_to_file_is_private(tmp_path, capsys):
    full_plan(_store(), SystemClock())
    target = tmp_path / "plan.ics"
    assert main(["export", "last", "--format", "ics-contact", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_unknown_plan_is_a_clear_error(capsys):
    _store()
    assert main(["show", "2000-01-01-9"]) == 1
    assert "no plan 2000-01-01-9" in capsys.readouterr().err


def test_forget_and_purge_commands(capsys):
    store = _store()
    plan = full_plan(store, SystemClock())
    assert main(["forget", plan.ref, "--yes"]) == 0
    assert f"{plan.ref}: deleted" in capsys.readouterr().out
    assert main(["plans", "--all"]) == 0
    assert capsys.readouterr().out == "no plans\n"
    assert main(["purge", "--dry-run"]) == 0


def test_corrupt_store_gives_exit_4_without_traceback(tmp_path):
    folder = paths.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plans.sqlite3").write_bytes(b"garbage" * 50)
    result = subprocess.run([sys.executable, "-m", "safety_tui", "status"], capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 4
    assert "will not touch it" in result.stderr and "Traceback" not in result.stderr


def test_cli_format_list_matches_the_exporters():
    from safety_tui import export, export_cli

    assert export_cli.FORMATS == export.FORMATS


def test_settings_change_retention_and_name(capsys):
    assert main(["settings", "--retention-days", "7", "--name", "Cllr Jo Bloggs"]) == 0
    out = capsys.readouterr().out
    assert "retention-days: 7" in out and "name: Cllr Jo Bloggs" in out
    store = _store()
    assert store.retention_days == 7
    assert store.create_plan("surgery").owner_name == "Cllr Jo Bloggs"
    assert main(["settings", "--retention-days", "0"]) == 1
    assert "--retention-days takes 1 to 3650 days" in capsys.readouterr().err


def test_export_to_an_impossible_path_is_a_clear_error(tmp_path, capsys):
    full_plan(_store(), SystemClock())
    target = tmp_path / "no-such-folder" / "plan.txt"
    assert main(["export", "last", "-f", "sms", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("safety-tui: cannot write ") and "No such file or directory" in err
    assert not target.parent.exists()  # a typo in the folder name is not created
