"""Start-up: the first frame imports neither pydantic nor the checklist loader (nor YAML) on the UI
thread, and nothing on the way to a usable app loads what only a council desk needs.

Checked in a fresh interpreter (so nothing is imported already) with an import hook that notes
which thread first imports each watched module. The app then runs headless until it has loaded
the checklists and `n` opens the wizard: the watched modules must all have been imported, and
never first by the UI thread, and the later wizard steps' modules not yet; the PostgreSQL driver and importlib.metadata (pydantic's plugin
search, entry points of every installed package) never at all.

`safety-tui validate` is checked the same way: it builds no other command's parser and loads
neither of those either.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys, threading

    WATCHED = ("pydantic", "safety_tui.checklists.model", "safety_tui.checklists.loader", "yaml")
    NEVER = ("psycopg", "importlib.metadata")
    LATER_STEPS = ("safety_tui.ui.screens.walk", "safety_tui.ui.screens.codeword", "safety_tui.ui.screens.review")
    first = {}

    class Watch:
        def find_spec(self, name, path=None, target=None):
            for watched in WATCHED + NEVER:
                if (name == watched or name.startswith(watched + ".")) and watched not in first:
                    first[watched] = threading.current_thread().name
            return None

    sys.meta_path.insert(0, Watch())

    from safety_tui.ui.app import create_app

    async def main():
        app = create_app(data_dir=__import__("pathlib").Path(sys.argv[1]), tz="Europe/London")
        async with app.run_test(size=(80, 24)) as pilot:
            await app.wait_for_catalog()
            for _ in range(200):  # Today's read with the checklists: reviews, incidents, sharing with a desk
                if app.screen.snapshot is not None and app.screen.snapshot.incident_todo is not None:
                    break
                await pilot.pause(0.05)
            await pilot.press("n")
            for _ in range(100):
                await pilot.pause(0.05)
                if app.screen.__class__.__name__ != "TodayScreen":
                    break
            on_screen = app.screen.__class__.__name__
            later_steps = [m for m in LATER_STEPS if m in sys.modules]  # before the next step is composed ahead
        print(json.dumps({"first": first, "main": threading.main_thread().name, "screen": on_screen,
                          "later_steps": later_steps}))

    asyncio.run(main())
    """
)


@pytest.mark.slow
def test_pydantic_and_the_loader_are_never_first_imported_on_the_ui_thread(tmp_path):
    data = tmp_path / "data"
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(data)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["screen"] != "TodayScreen", "n did not open the wizard once the checklists had loaded"
    # Without a council database: no PostgreSQL driver, and no search of every package's entry points.
    assert set(report["first"]) == {"pydantic", "safety_tui.checklists.model", "safety_tui.checklists.loader", "yaml"}
    on_ui_thread = {module for module, thread in report["first"].items() if thread == report["main"]}
    assert on_ui_thread == set(), f"imported by the UI thread before the checklists loaded: {on_ui_thread}"
    # The wizard opens with its first step's module: the later steps' (and their dialogs') come as they are composed.
    assert report["later_steps"] == []


VALIDATE = textwrap.dedent(
    """
    import json, sys
    from safety_tui.cli.main import main

    code = main(sys.argv[1:])
    print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
    """
)
OTHER_COMMANDS = {
    "safety_tui.cli.plans",
    "safety_tui.cli.exports",
    "safety_tui.cli.settings",
    "safety_tui.cli.incidents",
    "safety_tui.cli.council",
    "safety_tui.cli.desk",
    "safety_tui.cli.checkin",
}


@pytest.mark.slow
@pytest.mark.parametrize(
    "arguments", [["validate"], ["--checklists", "{org}", "validate"], ["--checklists={org}", "validate"]]
)
def test_validate_builds_no_other_command_and_loads_nothing_it_does_not_use(tmp_path, arguments):
    org = tmp_path / "org"
    org.mkdir()
    arguments = [a.format(org=org) for a in arguments]
    result = subprocess.run([sys.executable, "-c", VALIDATE, *arguments], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    assert "all 21 checklist(s) valid" in result.stdout
    loaded = set(report["modules"])
    assert "safety_tui.checklists.model" in loaded  # it did validate
    assert loaded & OTHER_COMMANDS == set()
    assert {m for m in loaded if m.split(".")[0] in ("psycopg", "textual") or m == "importlib.metadata"} == set()


def test_a_command_of_the_main_module_keeps_its_errors_and_positions(tmp_path, capsys):
    """Parsed without the other command modules: a broken file is still placed at line and column,
    the global option still works in both spellings, and a wrong option is still a usage error."""
    from safety_tui.cli.main import main
    from tests.conftest import valid_yaml, write_yaml

    broken = write_yaml(tmp_path, "broken.yaml", valid_yaml(id="broken").replace("title: Test list", "titel: x"))
    write_yaml(tmp_path, "good.yaml", valid_yaml())
    for arguments in (["--checklists", str(tmp_path), "validate"], [f"--checklists={tmp_path}", "validate"]):
        assert main(arguments) == 1
        out, err = capsys.readouterr()
        assert f"{broken}:3:1: unknown key 'titel', did you mean 'title'?" in out.splitlines()
        assert "1 file(s); 22 checklist(s) valid" in err  # the 21 bundled and good.yaml
    assert main(["validate", "--no-such-option"]) == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_help_still_lists_every_command(capsys):
    from safety_tui.cli.main import main

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("validate", "checklists", "status", "incidents", "council", "settings", "export"):
        assert f"    {command} " in out or f"    {command}\n" in out, command
