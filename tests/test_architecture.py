"""The shape of the code, checked: layers one way (import-linter), every core module under contract, small modules."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import safety_tui

ROOT = Path(__file__).resolve().parent.parent
UI = {"safety_tui.ui"}
ENTRY_POINTS = {"safety_tui.cli.main", "safety_tui.cli.desk", "safety_tui.__main__"}
MAX_LINES = 360  # "no module over about 350 lines"


def _contract(contract_id: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def test_every_module_is_either_ui_an_entry_point_or_under_the_no_textual_contract():
    core = set(_contract("core-without-textual")["source_modules"])
    modules = {m.name for m in pkgutil.walk_packages(safety_tui.__path__, "safety_tui.")}
    covered = core | UI | ENTRY_POINTS
    unaccounted = {m for m in modules if not any(m == c or m.startswith(c + ".") for c in covered)}
    unaccounted -= {"safety_tui.cli"}  # the package itself
    assert unaccounted == set(), f"add these to the core contract in pyproject.toml, or to the UI: {unaccounted}"


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


def test_no_module_is_over_about_350_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in (ROOT / "safety_tui").rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_readme_map_is_made_from_the_code():
    """`make devmap` writes it; a new module, a changed docstring or a new import between packages shows here."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "devmap.py"), "--check"], cwd=ROOT)
    assert result.returncode == 0, "the README's map is out of date: run `make devmap`"
