"""The evidence bundle: a zip a recipient checks with unzip and sha256sum alone; hostile names never choose a path."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.incidents.bundle import safe_name


def add(*extra: str) -> int:
    return main(["incident", "add", "--by", "Cllr Doe", "--tz", "Europe/London", *extra])


def evidence(tmp_path: Path, incident: int, name: str, data: bytes) -> None:
    folder = tmp_path / f"src{incident}-{len(list(tmp_path.glob('src*')))}"
    folder.mkdir()
    (folder / name).write_bytes(data)
    assert main(["incident", "evidence", str(incident), str(folder / name), "--by", "Cllr Doe"]) == 0


def rename_evidence(old: str, new: str) -> None:
    """What a hostile hand edit of the store can do: any text as an evidence file's original name."""
    db = sqlite3.connect(paths.data_dir() / "plans.sqlite3")
    with db:
        db.execute("UPDATE incident_entries SET body = replace(body, ?, ?)", (f'"{old}"', f'"{new}"'))
    db.close()


def unzip(bundle: Path, into: Path) -> Path:
    """Unpacked with the standard tool, as the recipient would."""
    into.mkdir()
    subprocess.run(["unzip", "-q", str(bundle), "-d", str(into)], check=True, capture_output=True)
    assert [p.name for p in into.iterdir()] == [bundle.stem]  # one folder, named after the zip: nothing outside it
    return into / bundle.stem


def sha256sum_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)


@pytest.fixture
def john(tmp_path, capsys):
    assert add("--person", "John Smith", "--category", "threat", "--what", "Threatened me", "--when", "2h ago") == 0
    assert add("--person", "John Smith", "--what", "Letter", "--when", "1h ago") == 0
    evidence(tmp_path, 1, "photo.jpg", b"\xff\xd8 photo of the car")
    evidence(tmp_path, 2, "photo.jpg", b"\xff\xd8 a different photo")  # same name, other bytes
    evidence(tmp_path, 2, "Letter scan.pdf", b"%PDF-1.4 the letter")
    capsys.readouterr()


@pytest.mark.slow
def test_the_bundle_unzips_and_checks_with_standard_tools(john, tmp_path, capsys):
    out = tmp_path / "out" / "pack.zip"
    out.parent.mkdir()
    assert main(["incident", "export", "John Smith", "-f", "bundle", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    folder = unzip(out, tmp_path / "recipient")
    check = sha256sum_check(folder)
    assert check.returncode == 0, check.stdout + check.stderr
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.txt",
        "SHA256SUMS",
        "evidence-pack.md",
        "evidence-pack.pdf",
        "evidence/Letter scan.pdf",
        "evidence/photo (2).jpg",
        "evidence/photo.jpg",
    ]
    assert (folder / "evidence" / "photo.jpg").read_bytes() == b"\xff\xd8 photo of the car"
    assert (folder / "evidence" / "photo (2).jpg").read_bytes() == b"\xff\xd8 a different photo"
    assert check.stdout.count(": OK") == 6  # every file but SHA256SUMS itself
    readme = (folder / "README.txt").read_text()
    assert "incident 2: photo.jpg" in readme and "-> evidence/photo (2).jpg" in readme
    assert (folder / "evidence-pack.pdf").read_bytes().startswith(b"%PDF")
    assert "Incident 1:" in (folder / "evidence-pack.md").read_text()


@pytest.mark.slow
def test_a_tampered_file_fails_the_check(john, tmp_path):
    out = tmp_path / "pack.zip"
    assert main(["incident", "export", "John Smith", "-f", "bundle", "-o", str(out)]) == 0
    folder = unzip(out, tmp_path / "recipient")
    (folder / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 a doctored photo")
    check = sha256sum_check(folder)
    assert check.returncode != 0
    assert "evidence/photo.jpg: FAILED" in check.stdout and "evidence/Letter scan.pdf: OK" in check.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "hostile",
    [
        "../../../.bashrc",
        "/etc/passwd",
        "..",
        "evil\x1b]0;owned\x07.txt",
        "a\nb.txt",
        "x\u202egpj.exe",
        "C:\\\\win.ini",
        "-rf",
        "con.txt",
    ],
)
def test_a_hostile_evidence_name_never_chooses_a_path(tmp_path, capsys, hostile):
    assert add("--person", "John Smith", "--what", "Post") == 0
    evidence(tmp_path, 1, "innocent.txt", b"the message")
    rename_evidence(
        "innocent.txt",
        hostile.replace("\\", "\\\\")
        .replace("\x1b", "\\u001b")
        .replace("\x07", "\\u0007")
        .replace("\n", "\\n")
        .replace("\u202e", "\\u202e"),
    )
    capsys.readouterr()
    assert main(["incident", "show", "1"]) == 0
    assert "innocent.txt" not in capsys.readouterr().out  # the edit took
    out = tmp_path / "pack.zip"
    assert main(["incident", "export", "John Smith", "-f", "bundle", "-o", str(out)]) == 0
    names = zipfile.ZipFile(out).namelist()
    evidence_names = [n for n in names if n.startswith("pack/evidence/")]
    assert len(evidence_names) == 1
    name = evidence_names[0].removeprefix("pack/evidence/")
    assert name and "/" not in name and "\\" not in name and name not in (".", "..") and not name.startswith(("-", "."))
    assert not any(ord(c) < 32 or c == "\u202e" for c in name)
    folder = unzip(out, tmp_path / "recipient")
    assert sha256sum_check(folder).returncode == 0
    assert (folder / "evidence" / name).read_bytes() == b"the message"


@pytest.mark.slow
def test_a_changed_kept_copy_is_left_out_and_said(john, tmp_path, capsys):
    kept = [p for p in (paths.data_dir() / "evidence").iterdir() if p.read_bytes() == b"%PDF-1.4 the letter"]
    kept[0].write_bytes(b"%PDF-1.4 a forged letter")
    out = tmp_path / "pack.zip"
    assert main(["incident", "export", "John Smith", "-f", "bundle", "-o", str(out)]) == 1
    assert "Letter scan.pdf not included: the kept copy was changed after it was recorded" in capsys.readouterr().err
    folder = unzip(out, tmp_path / "recipient")
    assert not (folder / "evidence" / "Letter scan.pdf").exists()
    assert "NOT INCLUDED: the kept copy was changed" in (folder / "README.txt").read_text()
    assert sha256sum_check(folder).returncode == 0  # what is there is what was recorded


@pytest.mark.slow
def test_a_bundle_over_the_size_limit_is_refused_before_anything_is_written(john, tmp_path, monkeypatch, capsys):
    from safety_tui.incidents import bundle

    monkeypatch.setattr(bundle, "MAX_BUNDLE_BYTES", 40)  # the three evidence files come to 58 bytes
    out = tmp_path / "pack.zip"
    assert main(["incident", "export", "John Smith", "-f", "bundle", "-o", str(out)]) == 1
    assert "export one incident at a time" in capsys.readouterr().err and not out.exists()
    assert main(["incident", "export", "1", "-f", "bundle", "-o", str(out)]) == 0  # one incident's 19 bytes fit


def test_a_bundle_needs_an_output_file(john, capsys):
    assert main(["incident", "export", "John Smith", "-f", "bundle"]) == 2
    assert "needs -o FILE" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, expected",
    [
        ("photo.jpg", "photo.jpg"),
        ("../../x.txt", "_.._x.txt"),
        ("/etc/passwd", "_etc_passwd"),
        ("..", "evidence"),
        (".hidden", "hidden"),
        ("-rf", "_rf"),
        ("NUL", "evidence-NUL"),
        ("a:b?.txt", "a_b_.txt"),
        ("e\u0301", "é"),
        ("x" * 300 + ".jpeg", "x" * 115 + ".jpeg"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected
