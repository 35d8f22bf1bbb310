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
    assert (
        main(
            [
                "incident",
                "add",
                "--by",
                "Cllr Doe",
                "--tz",
                "Europe/London",
                "--what",
                "Letter",
                "--evidence",
                str(original),
            ]
        )
        == 0
    )
    (kept,) = (paths.data_dir() / "evidence").iterdir()
    return kept


@pytest.mark.slow  # a subprocess
def test_verify_does_not_hang_on_a_kept_copy_swapped_for_a_named_pipe(tmp_path: Path) -> None:
    kept = add_with_evidence(tmp_path)
    kept.unlink()
    os.mkfifo(kept, 0o600)  # nobody ever writes to it: a blocking open would wait for ever
    try:
        done = subprocess.run(
            [sys.executable, "-m", "safety_tui", "incidents", "verify"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ),
        )
    except subprocess.TimeoutExpired:
        pytest.fail("'incidents verify' hung on a named pipe in the evidence folder")
    assert done.returncode == 1
    assert "the kept copy is missing or unreadable" in done.stderr or "not a regular file" in done.stderr


@pytest.mark.slow  # pdftotext, a subprocess
def test_the_pdf_pack_prints_recorded_text_that_looks_like_fpdfs_page_count_alias_as_written(tmp_path: Path) -> None:
    """fpdf2 replaces its page-count alias anywhere on a page: a quoted '{nb}' must stay '{nb}', not become '1'."""
    said = "He wrote {nb} times: you have {nb} days"
    assert (
        main(["incident", "add", "--by", "Cllr Doe", "--tz", "Europe/London", "--what", said, "--person", "J {nb} Doe"])
        == 0
    )
    out = tmp_path / "pack.pdf"
    assert main(["incident", "export", "1", "-f", "pdf", "-o", str(out)]) == 0
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert said in text
    assert "J {nb} Doe" in text
    assert "Page 1 of 1" in text  # the footer's own count still works
