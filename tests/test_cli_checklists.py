"""Officer commands: validate, checklists, schema. No Textual on these paths."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from safety_tui.cli.main import main
from tests.conftest import REPO, valid_yaml, write_yaml


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


def test_validate_default_search_path_is_clean_and_says_so_on_stdout(capsys):
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("all ") and out.endswith(" checklist(s) valid\n") and err == ""


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
    result = subprocess.run(
        [sys.executable, "-m", "safety_tui", "validate", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "x.yaml:1:1:" in result.stdout


def test_core_and_cli_commands_never_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from safety_tui.cli import main as cli; from safety_tui.checklists import loader; from safety_tui.checklists import model as checklist; from safety_tui.plans import model as plan; from safety_tui import store; from safety_tui.plans import export\n"
        "cli.main(['validate']); cli.main(['status'])\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_status_does_not_load_the_pydantic_models():
    """`safety-tui status` runs in shell prompts: it must stay light."""
    code = (
        "import sys\n"
        "from safety_tui.cli import main as cli\n"
        "cli.main(['status'])\n"
        "heavy = [m for m in ('pydantic.main', 'safety_tui.plans.model', 'safety_tui.checklists.model', 'textual') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- the editor modeline ----------------------------------------------------------------

MODELINE = "# yaml-language-server: $schema=../schema/checklist.schema.json"


def test_schema_path_prints_the_shipped_schema(capsys):
    from safety_tui.checklists.model import json_schema_text

    assert main(["schema", "--path"]) == 0
    printed = Path(capsys.readouterr().out.strip())
    assert printed.is_absolute() and printed.is_file()
    assert printed.read_text(encoding="utf-8") == json_schema_text()


def test_every_bundled_file_starts_with_the_documented_modeline():
    files = sorted((REPO / "checklists").glob("*.yaml"))
    assert files and all(f.read_text(encoding="utf-8").splitlines()[0] == MODELINE for f in files)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert MODELINE in readme
    assert "# yaml-language-server: $schema=/" in readme  # the absolute form for copied files


def _installed_copy(site: Path) -> None:
    """Lay the package out as the wheel does: the package plus pyproject's force-include mapping."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shutil.copytree(REPO / "safety_tui", site / "safety_tui", ignore=shutil.ignore_patterns("__pycache__"))
    for source, target in config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"].items():
        if (REPO / source).is_dir():
            shutil.copytree(REPO / source, site / target, dirs_exist_ok=True)
        else:
            shutil.copyfile(REPO / source, site / target)


def test_modeline_finds_the_schema_in_the_source_tree_and_once_installed(tmp_path):
    site = tmp_path / "site"
    _installed_copy(site)
    relative = MODELINE.split("$schema=", 1)[1]
    schema = (REPO / "schema" / "checklist.schema.json").read_text(encoding="utf-8")
    for folder in (REPO / "checklists", site / "safety_tui" / "bundled" / "checklists"):
        files = sorted(folder.glob("*.yaml"))
        assert files
        for file in files:
            assert (file.parent / relative).read_text(encoding="utf-8") == schema, file
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); from safety_tui.cli.main import main; main(['schema', '--path'])",
            str(site),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    printed = Path(result.stdout.strip())
    assert printed.is_relative_to(site), result.stdout + result.stderr
    assert printed.read_text(encoding="utf-8") == schema


def test_validate_names_a_terminal_escape_in_an_enum_value(tmp_path, capsys):
    """`visit_types: ["\\e]0;PWNED\\a"]` set the terminal title; now it is refused by name."""
    path = write_yaml(tmp_path, "x.yaml", valid_yaml().replace("[home-visit]", '["\\e]0;PWNED\\a"]'))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:5:15: visit_types, entry 1: control character U+001B (ESC)" in out
    assert "\x1b" not in out and "\x07" not in out


def test_loader_messages_never_carry_raw_control_characters(tmp_path, capsys):
    path = write_yaml(
        tmp_path, "dup.yaml", valid_yaml().replace("format: 1", 'format: 1\n"a\\e]0;x\\a": 1\n"a\\e]0;x\\a": 2')
    )
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "duplicate key 'a\\x1b]0;x\\x07'" in out
    assert "\x1b" not in out and "\x07" not in out


def test_home_visit_by_car_starts_with_the_decision_and_the_surgery_asks_if_it_is_safe(capsys):
    """`checklists --visit home-visit --travel car --json`: the 2.4.2 decision first, critical;
    a ward surgery asks before the day whether it is safe to hold it (2.2.3)."""
    assert main(["checklists", "--visit", "home-visit", "--travel", "car", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    first = data["before"][0]
    assert (first["checklist"], first["id"], first["ref"], first["critical"]) == (
        "home-visit",
        "decide-to-go",
        "2.4.2",
        True,
    )
    assert first["text"].startswith("Decide whether this visit should be made")
    assert main(["checklists", "--visit", "surgery", "--json"]) == 0
    surgery = json.loads(capsys.readouterr().out)["before"]
    assert [(e["id"], e["ref"], e["critical"]) for e in surgery if e["ref"] == "2.2.3"][0] == (
        "safe-to-hold",
        "2.2.3",
        True,
    )
