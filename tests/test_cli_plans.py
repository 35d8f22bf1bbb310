"""Plan commands of the CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import timedelta

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import SystemClock
from safety_tui.store.rows import iso
from safety_tui.wiring import open_store
from tests.helpers import full_plan


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
    listed = json.loads(out[out.index("[") :])
    assert listed[0]["ref"] == plan.ref and listed[0]["overdue"] is False
    with store.transaction() as c:  # hours have passed (a started plan's times are never edited)
        c.execute(
            "UPDATE plans SET start_utc = ?, finish_utc = ? WHERE ref = ?",
            (iso(clock.now() - timedelta(hours=3)), iso(clock.now() - timedelta(hours=2)), plan.ref),
        )
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
    result = subprocess.run(
        [sys.executable, "-m", "safety_tui", "status"], capture_output=True, text=True, env=os.environ.copy()
    )
    assert result.returncode == 4
    assert "will not touch it" in result.stderr and "Traceback" not in result.stderr


def test_cli_format_list_matches_the_exporters():
    from safety_tui.cli import exports as export_cli
    from safety_tui.plans import export

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


# -- checkin picks the plan in progress -------------------------------------------


def test_checkin_without_plan_checks_in_the_plan_in_progress_not_a_newer_draft(capsys):
    store = _store()
    clock = SystemClock()
    later = full_plan(store, clock)
    first = full_plan(store, clock)
    store.update(first.ref, finish=clock.now() + timedelta(minutes=40))  # due before `later`
    store.start(later.ref)
    store.start(first.ref)
    draft = full_plan(store, clock)  # the newest plan: `last`
    assert main(["checkin"]) == 2  # two in progress: it never guesses which visit is over
    assert first.ref in capsys.readouterr().err
    assert main(["checkin", first.ref]) == 0
    assert f"{first.ref}: checked in safe" in capsys.readouterr().out
    assert store.get_plan(first.ref).status.value == "finished"
    assert store.get_plan(later.ref).status.value == "in-progress"
    assert store.get_plan(draft.ref).status.value == "draft"
    assert main(["checkin"]) == 0
    assert f"{later.ref}: checked in safe" in capsys.readouterr().out
    assert main(["checkin"]) == 1
    err = capsys.readouterr().err
    assert "no plan is in progress" in err and "safety-tui checkin PLAN" in err
    assert store.get_plan(draft.ref).status.value == "draft"


# -- out-of-range numbers and over-long settings are clear errors -----------------


def test_out_of_range_numbers_are_clear_errors_not_tracebacks(capsys):
    store = _store()
    plan = full_plan(store, SystemClock())
    for argv in (
        ["purge", "--days", "99999999"],
        ["purge", "--days", "-1"],
        ["purge", "--days", "99999999", "--dry-run"],
        ["extend", plan.ref, "99999999999"],
        ["extend", plan.ref, "0"],
        ["settings", "--retention-days", "99999999"],
    ):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.startswith("safety-tui: ") and "Traceback" not in err and len(err.splitlines()) == 1, (argv, err)
    assert "--days takes 0 to 3650 days" in (main(["purge", "--days", "4000"]), capsys.readouterr().err)[1]
    store.set_setting("retention_days", "99999999")  # e.g. written by an old or hostile version
    assert main(["purge"]) == 0  # kept as long as allowed: never an early delete, never a crash
    assert "older than 3650 days" in capsys.readouterr().out


def test_settings_refuse_a_long_name_and_control_characters(capsys):
    assert main(["settings", "--name", "Cllr Jo Bloggs"]) == 0
    capsys.readouterr()
    assert main(["settings", "--name", "x" * 250]) == 1
    assert "your name is 250 characters long; at most 100" in capsys.readouterr().err
    assert main(["settings", "--name", "Jo\x1b]0;PWNED\x07"]) == 1
    assert "control character U+001B" in capsys.readouterr().err
    assert main(["settings", "--name", "Jo\u202eevil", "--phone", "07700 900999"]) == 1
    assert main(["settings"]) == 0
    out = capsys.readouterr().out
    assert "name: Cllr Jo Bloggs" in out and "phone: (not set" in out  # a refused change changes nothing


def test_settings_phone_goes_into_the_contacts_message(capsys):
    full_plan(_store(), SystemClock())
    assert main(["export", "last", "-f", "sms"]) == 0
    out, err = capsys.readouterr()
    assert "Ring me (number not given)" in out
    assert "no phone number is set" in err and "safety-tui settings --phone NUMBER" in err
    assert main(["settings", "--phone", "not a number"]) == 1
    assert "a phone number has digits" in capsys.readouterr().err
    assert main(["settings", "--phone", "07700  900999"]) == 0
    assert "phone: 07700 900999" in capsys.readouterr().out
    assert _store().setting("phone") == "07700 900999"
    assert main(["export", "last", "-f", "message"]) == 0
    out, err = capsys.readouterr()
    assert "Phone:  07700 900999" in out and "Ring me on 07700 900999." in out
    assert "no phone number" not in err


# -- QR codes: a real PNG, or a clear refusal --------------------------------------


def test_export_qr_png_is_a_real_png(tmp_path, capsys):
    import shutil

    full_plan(_store(), SystemClock())
    target = tmp_path / "code.png"
    assert main(["export", "last", "-f", "qr", "-o", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and b"IHDR" in data[:16] and data.endswith(b"IEND\xaeB`\x82")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    if shutil.which("zbarimg"):
        decoded = subprocess.run(["zbarimg", "-q", "--raw", str(target)], capture_output=True, text=True).stdout
        assert decoded.startswith("SMSTO:07700900123:Cllr Jo Bloggs is at 12 Acacia Avenue")
    svg = tmp_path / "code.svg"
    assert main(["export", "last", "-f", "qr", "-o", str(svg)]) == 0
    assert b"<svg" in svg.read_bytes()
    capsys.readouterr()
    assert main(["export", "last", "-f", "qr", "-o", str(tmp_path / "code.jpg")]) == 1
    assert "written as .png or .svg" in capsys.readouterr().err
    assert not (tmp_path / "code.jpg").exists()


def test_export_qr_of_a_plan_too_big_for_a_qr_code_says_so(tmp_path, capsys):
    store = _store()
    plan = full_plan(store, SystemClock())
    store.update(plan.ref, location="Flat 1, " + "a" * 1900, escalation="Ring me. " + "b" * 1900)
    for argv in (["export", "last", "-f", "qr"], ["export", "last", "-f", "qr", "-o", str(tmp_path / "big.png")]):
        assert main(argv) == 1
        out, err = capsys.readouterr()
        assert "too long for a QR code" in err and "-f sms" in err and "Traceback" not in err
        assert out == ""
    assert not (tmp_path / "big.png").exists()


# -- one shape: no import circle, one error boundary ------------------------------


def test_cli_modules_import_one_way_only():
    """cli -> command modules -> the shared ones (support, console, council_url); nothing imports cli back."""
    import ast
    import importlib

    from safety_tui.cli.main import COMMAND_MODULES

    shared = ("safety_tui.cli.support", "safety_tui.cli.console", "safety_tui.cli.council_url")
    for name in COMMAND_MODULES + shared:
        tree = ast.parse(open(importlib.util.find_spec(name).origin, encoding="utf-8").read())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert "safety_tui.cli.main" not in imported, name
        assert not imported & (set(COMMAND_MODULES) - {name}), name
        if name in shared:
            assert not imported & set(COMMAND_MODULES), name
        handlers = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)]
        assert not [h for h in handlers if isinstance(h.type, ast.Name) and h.type.id == "KeyError"], name


def test_an_unexpected_error_is_reported_without_its_text_or_locals(monkeypatch, capsys):
    from safety_tui.cli import plans as plan_cli

    def broken(args):
        code_word = "walrus-" + "umbrella"  # a local that must never be shown
        raise RuntimeError(f"{code_word} at 12 " + "Acacia Avenue")

    monkeypatch.setattr(plan_cli, "cmd_plans", broken)
    assert main(["plans"]) == 1
    out, err = capsys.readouterr()
    assert "internal error (RuntimeError)" in err and "in broken" in err
    assert "walrus-umbrella" not in out + err and "12 Acacia" not in out + err


def test_safety_errors_leave_through_one_boundary_with_their_exit_code(monkeypatch, capsys):
    from safety_tui.cli import plans as plan_cli
    from safety_tui.common.errors import ChecklistError, PlanError, StoreError

    for error, code in ((StoreError("the store is damaged"), 4), (PlanError("a rule"), 1), (ChecklistError("bad"), 1)):

        def fail(args, error=error):
            raise error

        monkeypatch.setattr(plan_cli, "cmd_status", fail)
        assert main(["status"]) == code
        assert capsys.readouterr().err == f"safety-tui: {error}\n"
