"""Officer commands: validate, checklists, schema. No Textual on these paths."""

from __future__ import annotations

import json
import subprocess
import sys

from safety_tui.cli import main
from tests.conftest import valid_yaml, write_yaml


def test_validate_one_good_one_broken(tmp_path, capsys):
    write_yaml(tmp_path, "good.yaml", valid_yaml())
    broken = write_yaml(tmp_path, "broken.yaml", valid_yaml(id="broken").replace("title: Test list", "titel: x"))
    assert main(["validate", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert f"{broken}:3:1: unknown key 'titel', did you mean 'title'?" in out.splitlines()
    assert "2 error(s) in 1 file(s); 1 checklist(s) valid" in err
    assert main(["--checklists", str(tmp_path), "checklists"]) == 1
    out, err = capsys.readouterr()
    assert "test-list" in out and "Test list" in out
    assert "broken.yaml:3:1" in err


def test_validate_default_search_path_is_clean(capsys):
    assert main(["validate"]) == 0
    assert "checklist(s) valid" in capsys.readouterr().err


def test_checklists_shows_overrides(tmp_path, capsys, monkeypatch):
    write_yaml(tmp_path, "hv.yaml", valid_yaml(id="home-visit", title="Council home visit"))
    assert main(["--checklists", str(tmp_path), "checklists"]) == 0
    out = capsys.readouterr().out
    assert "Council home visit" in out
    assert f"override: home-visit: {tmp_path / 'hv.yaml'} replaces" in out


def test_schema_command_prints_json(capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Checklist"


def test_validate_garbage_never_tracebacks(tmp_path):
    (tmp_path / "x.yaml").write_bytes(b"\xff\xfe\x00garbage: [")
    result = subprocess.run([sys.executable, "-m", "safety_tui", "validate", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "x.yaml:1:1:" in result.stdout


def test_core_and_cli_commands_never_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from safety_tui import cli, loader, checklist, plan, store, export\n"
        "cli.main(['validate']); cli.main(['status'])\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_status_does_not_load_the_pydantic_models():
    """`safety-tui status` runs in shell prompts: it must stay light."""
    code = (
        "import sys\n"
        "from safety_tui import cli\n"
        "cli.main(['status'])\n"
        "heavy = [m for m in ('pydantic.main', 'safety_tui.plan', 'safety_tui.checklist', 'textual') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
