"""The council commands: serve refuses to go beyond localhost, URLs keep their passwords out of sight,
libpq's password file works, the councillor reads back the desk's actions, the CSV action log."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.cli.main import main
from safety_tui.common.clock import FixedClock
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from safety_tui.council import desk_data, hook
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect
from safety_tui.wiring import open_store

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures


def test_serve_refuses_an_address_beyond_this_machine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--desk", "--host", "0.0.0.0", "--port", "9"]) == EXIT_USAGE
    assert "refusing to serve on 0.0.0.0" in capsys.readouterr().err


def test_council_status_is_a_plain_command_without_textual() -> None:
    code = (
        "import sys; from safety_tui.cli.main import main; main(['council', 'status']); "
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)"
    )
    env = {k: v for k, v in os.environ.items() if k != ENV_URL}
    assert subprocess.run([sys.executable, "-c", code], env=env, capture_output=True).returncode == 0


def test_connect_refuses_to_store_a_password_and_never_prints_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    assert main(["council", "connect", "postgresql://alice:hunter2@db.example/council"]) == EXIT_USAGE
    out = capsys.readouterr()
    assert "hunter2" not in out.out + out.err and "alice:***@" in out.err
    assert main(["council", "connect", "postgresql://alice@db.example/council?sslmode=verify-full"]) == EXIT_OK
    assert "cannot reach the council database now" in capsys.readouterr().out  # tested, and kept (offline is normal)
    assert main(["council", "status"]) == EXIT_OK  # nothing waits: everything is shared
    assert "postgresql://alice@db.example/council?sslmode=verify-full" in capsys.readouterr().out


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://alice@db.example/council?%70assword=hunter2",  # libpq decodes the key
        "host=db.example user=alice password=hunter2://x",  # key=value holding '://'
        "postgresql://alice@db.example/council?sslmode=require&password=hunter2",
        "host=db.example user=alice PASSWORD=hunter2",
    ],
)
def test_a_password_in_any_spelling_libpq_reads_is_refused_and_never_printed(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    from psycopg import conninfo

    from safety_tui.council.db import has_password, masked

    if "PASSWORD=" in url:  # libpq's keys are lower case: not a password to libpq, and refused as unreadable
        with pytest.raises(psycopg.ProgrammingError):
            conninfo.conninfo_to_dict(url)
        return
    assert has_password(url) and "hunter2" not in masked(url)
    assert main(["council", "connect", url]) == EXIT_USAGE
    assert main(["council", "status", "--url", url]) == EXIT_USAGE  # argv is in /proc/PID/cmdline
    assert main(["council", "sync", "--url", url]) == EXIT_USAGE
    out = capsys.readouterr()
    assert "hunter2" not in out.out + out.err
    assert "PGPASSFILE" in out.err
    from safety_tui.wiring import open_store

    with open_store() as store:
        assert store.setting("council_url") == ""


def test_the_councillor_reads_back_the_desks_actions_using_the_password_file(
    council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{council.server.port}:{council.dbname}:alice:test-secret-pw\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    url = f"postgresql://alice@127.0.0.1:{council.server.port}/{council.dbname}"
    assert main(["council", "connect", url]) == EXIT_OK
    now = datetime.now(timezone.utc)
    # Started three hours ago (a plan cannot be started after its finish), so the server now sees it overdue.
    with open_store(clock=FixedClock(now - timedelta(hours=3))) as store:
        plan = store.create_plan(
            "home-visit", title="Visit", start=now - timedelta(hours=2), finish=now - timedelta(hours=1)
        )
        store.start(plan.ref)
    hook.wait_for_sends()
    with connect(council.url("duty1")) as duty:
        (plan_id,) = duty.execute("SELECT id FROM council.plans").fetchone() or (0,)
        desk_data.acknowledge(duty, plan_id)
        desk_data.record(duty, plan_id, "called-councillor")
        desk_data.close(duty, plan_id, "safe", "she rang back: home safe")
    capsys.readouterr()
    assert main(["council", "actions", plan.ref]) == EXIT_OK
    out = capsys.readouterr().out
    assert "duty1  acknowledged (claimed)" in out and "duty1  called the councillor" in out
    assert f"  {plan.ref}  duty1" in out  # the plan's own id, not its council key
    with open_store() as store:
        key = str(store.get_plan(plan.ref).uid)
    assert key not in out
    assert main(["show", plan.ref]) == EXIT_OK  # the close, with its reason, in the plan's audit trail
    assert "duty desk: closed: safe" in (shown := capsys.readouterr().out) and "she rang back: home safe" in shown


def test_the_administrator_adds_one_role_per_login_and_removes_a_person(
    council: Council, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, council.admin)
    assert main(["council", "add-councillor", "dave"]) == EXIT_OK
    assert main(["council", "add-duty", "dave"]) == EXIT_ERROR
    assert "dave is already a councillor; a login is one or the other" in capsys.readouterr().err
    assert main(["council", "add-duty", "dave", "--both"]) == EXIT_OK
    assert main(["council", "remove", "dave"]) == EXIT_OK
    assert "dave (a councillor and a duty officer) can no longer log in" in capsys.readouterr().out
    assert main(["council", "remove", "dave"]) == EXIT_ERROR


def test_without_the_council_extra_the_commands_say_what_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None; from safety_tui.cli.main import main; "
        "sys.exit(main(['council', 'status', '--url', 'postgresql://alice@db.example/council']))"
    )
    env = {k: v for k, v in os.environ.items() if k != ENV_URL}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == EXIT_ERROR
    assert "safety-tui[council]" in done.stderr and "Traceback" not in done.stderr


def test_the_action_log_exports_as_csv_with_monthly_figures(
    council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finish = datetime.now(timezone.utc) - timedelta(hours=1)
    view = {
        "status": "in-progress",
        "name": "A",
        "phone": "",
        "title": "t",
        "place": "p",
        "start": None,
        "finish": finish.isoformat(),
        "grace_minutes": 0,
        "contacts": [],
        "escalation": "",
        "code_word": "",
        "code_meaning": "",
        "ended": None,
    }
    from safety_tui.council.publication import Publication, send

    with connect(council.url("alice")) as conn:
        send(conn, Publication(plan_key="k", sequence=1, view=view))
    with connect(council.url("duty1")) as duty:
        (plan_id,) = duty.execute("SELECT id FROM council.plans").fetchone() or (0,)
        desk_data.raise_alert(duty, plan_id)
        desk_data.acknowledge(duty, plan_id)
        desk_data.record(duty, plan_id, "note", '=HYPERLINK("http://evil")')
        desk_data.close(duty, plan_id, "false-alarm", "rang her: she forgot to check in")
    monkeypatch.setenv(ENV_URL, council.url("duty1"))
    target = tmp_path / "log.csv"
    assert main(["council", "export", "-o", str(target)]) == EXIT_OK
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    log, monthly = target.read_text().split("\n\n")
    actions = list(csv.DictReader(io.StringIO(log)))
    assert [a["action"] for a in actions] == ["alert", "acknowledged", "note", "closed"]
    assert {a["by"] for a in actions} == {"duty1"}
    assert actions[2]["detail"].startswith("'=HYPERLINK")
    (month,) = list(csv.DictReader(io.StringIO(monthly)))
    assert month["month"] == finish.strftime("%Y-%m")
    assert (month["alerts"], month["acknowledged"], month["false_alarm"], month["still_open"]) == ("1", "1", "1", "0")
    assert float(month["avg_minutes_to_first_ack"]) >= 60
    with psycopg.connect(council.admin) as admin:  # the export wrote nothing
        assert admin.execute("SELECT count(*) FROM council.actions").fetchone() == (4,)
