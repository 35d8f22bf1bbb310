"""Start-up: the first frame imports neither pydantic nor the checklist loader on the UI thread.

Checked in a fresh interpreter (so nothing is imported already) with an import hook that notes
which thread first imports each watched module. The app then runs headless until it has loaded
the checklists and `n` opens the wizard: the watched modules must all have been imported, and
never first by the UI thread.
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

    WATCHED = ("pydantic", "safety_tui.checklists.model", "safety_tui.checklists.loader")
    first = {}

    class Watch:
        def find_spec(self, name, path=None, target=None):
            for watched in WATCHED:
                if (name == watched or name.startswith(watched + ".")) and watched not in first:
                    first[watched] = threading.current_thread().name
            return None

    sys.meta_path.insert(0, Watch())

    from safety_tui.ui.app import create_app

    async def main():
        app = create_app(data_dir=__import__("pathlib").Path(sys.argv[1]), tz="Europe/London")
        async with app.run_test(size=(80, 24)) as pilot:
            await app.wait_for_catalog()
            await pilot.press("n")
            for _ in range(100):
                await pilot.pause(0.05)
                if app.screen.__class__.__name__ != "TodayScreen":
                    break
            on_screen = app.screen.__class__.__name__
        print(json.dumps({"first": first, "main": threading.main_thread().name, "screen": on_screen}))

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
    assert set(report["first"]) == {"pydantic", "safety_tui.checklists.model", "safety_tui.checklists.loader"}
    on_ui_thread = {module for module, thread in report["first"].items() if thread == report["main"]}
    assert on_ui_thread == set(), f"imported by the UI thread before the checklists loaded: {on_ui_thread}"
