"""A hostile pass over the incident log's evidence checks: files in the private folder swapped by an attacker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths

REPO = Path(__file__).resolve().parent.parent


def add_with_evidence(tmp_path: Path) -> Path:
    """An incident with one evidence file, recorded through the CLI; the kept copy's path."""
    original = tmp_path / "letter.png"
    original.write_bytes(b"\x89PNG a threatening letter")
    assert main(["incident", "add", "--by", "Cllr Doe", "--tz", "Europe/London", "--what", "Letter",
                 "--evidence", str(original)]) == 0
    (kept,) = (paths.data_dir() / "evidence").iterdir()
    return kept


@pytest.mark.slow  # a subprocess
def test_verify_does_not_hang_on_a_kept_copy_swapped_for_a_named_pipe(tmp_path: Path) -> None:
    kept = add_with_evidence(tmp_path)
    kept.unlink()
    os.mkfifo(kept, 0o600)  # nobody ever writes to it: a blocking open would wait for ever
    try:
        done = subprocess.run([sys.executable, "-m", "safety_tui", "incidents", "verify"], cwd=REPO,
                              capture_output=True, text=True, timeout=120, env=dict(os.environ))
    except subprocess.TimeoutExpired:
        pytest.fail("'incidents verify' hung on a named pipe in the evidence folder")
    assert done.returncode == 1
    assert "the kept copy is missing or unreadable" in done.stderr or "not a regular file" in done.stderr
