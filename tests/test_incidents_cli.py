"""The incident commands, through ``safety_tui.cli.main`` and a subprocess."""

from __future__ import annotations

import json
import logging
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths

EXACT = "I know where you live, councillor"


def add(*extra: str) -> int:
    return main(["incident", "add", "--by", "Cllr Doe", "--tz", "Europe/London", *extra])


def db() -> Path:
    return paths.data_dir() / "plans.sqlite3"


@pytest.fixture
def two_from_john(capsys):
    assert (
        add(
            "--person",
            "John Smith",
            "--channel",
            "in-person",
            "--category",
            "threat",
            "--what",
            "Threatened me",
            "--when",
            "2h ago",
            "--where",
            "Ward End library",
            "--exact-words",
            EXACT,
        )
        == 0
    )
    assert (
        add(
            "--person",
            "john smith",
            "--channel",
            "letter",
            "--category",
            "malicious-communication",
            "--what",
            "Abusive letter",
            "--when",
            "now",
        )
        == 0
    )
    capsys.readouterr()


def test_add_prints_the_prompts_with_their_guidance_sections(capsys):
    assert (
        add("--person", "John Smith", "--channel", "in-person", "--category", "threat", "--what", "Threatened me") == 0
    )
    out = capsys.readouterr().out
    assert "recorded incident 1" in out
    assert "999" in out and "(guidance 5.4.2)" in out and "(guidance 2.10.1)" in out


def test_a_third_incident_from_the_same_person_asks_the_harassment_question(two_from_john, capsys):
    assert (
        add(
            "--person",
            "JOHN SMITH",
            "--what",
            "Phoned again",
            "--channel",
            "phone",
            "--category",
            "threatening",
            "--calling-number",
            "07700 900123",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "This is the third incident with John Smith" in out and "Could this be harassment?" in out
    assert "(guidance 5.5.5, 5.4.4, 5.5.6, 5.4.3)" in out
    assert main(["incidents", "--json"]) == 0
    assert [t["prompt"] for t in json.loads(capsys.readouterr().out)["todo"] if t["incident"] == 3] == ["council"]


def test_a_polite_email_and_a_curt_one_are_no_pattern(capsys):
    assert (
        add("--person", "Pat Jones", "--channel", "email", "--category", "other", "--what", "Polite but annoyed") == 0
    )
    assert add("--person", "Pat Jones", "--channel", "email", "--category", "abusive", "--what", "Curt") == 0
    out = capsys.readouterr().out
    assert "Could this be harassment" not in out and "pattern" not in out
    assert main(["incidents", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [t["prompt"] for t in data["todo"]] == ["council", "council"]
    assert data["people"][0]["pattern"] is False


def test_incidents_json_gives_each_persons_count_and_the_pattern(two_from_john, capsys):
    assert main(["incidents", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in data["incidents"]] == [1, 2]
    assert data["people"] == [
        {"person": "John Smith", "incidents": 2, "pattern": True, "last": data["people"][0]["last"]}
    ]
    assert {t["prompt"] for t in data["todo"]} >= {"police", "council"}


def test_incidents_lists_them_with_the_pattern_and_the_todos(two_from_john, capsys):
    assert main(["incidents"]) == 0
    out = capsys.readouterr().out
    assert "pattern: 2 incidents with John Smith" in out and "could this be harassment?" in out
    assert "to do (incident 1)" in out


def test_show_gives_both_times_the_fields_and_the_revisions(two_from_john, capsys):
    assert main(["incident", "action", "1", "police", "--ref", "CR/2026/77", "--by", "Cllr Doe"]) == 0
    assert main(["incident", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "Happened: " in out and "(Europe/London)" in out and "Recorded: " in out and "by Cllr Doe" in out
    assert f"Exact words: {EXACT}" in out
    assert "Reported to the police, reference CR/2026/77" in out
    assert "done: Report this to the police now" in out


def test_hostile_text_is_refused_and_a_missing_incident_is_an_error(capsys):
    assert add("--what", "a \x1b]0;owned\x07 b") == 1
    assert "control character" in capsys.readouterr().err
    assert main(["incident", "show", "42"]) == 1
    assert "no incident 42" in capsys.readouterr().err
    assert add("--what", "x", "--when", "tomorrow 10:00") == 1
    assert "future" in capsys.readouterr().err


def test_verify_passes_then_fails_after_the_database_is_edited_by_hand(two_from_john, capsys):
    assert main(["incidents", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    conn = sqlite3.connect(db())
    conn.execute("UPDATE incident_entries SET body = replace(body, 'Threatened', 'Greeted') WHERE seq = 1")
    conn.commit()
    conn.close()
    assert main(["incidents", "verify"]) == 1
    err = capsys.readouterr().err
    assert "entry 1" in err and "FAILED" in err
    assert main(["incidents"]) == 0
    assert "failed its hash-chain check" in capsys.readouterr().err


def test_a_missing_evidence_file_records_nothing(tmp_path, capsys):
    assert add("--what", "Letter", "--evidence", str(tmp_path / "nope.png")) == 1
    assert "nothing was recorded" in capsys.readouterr().err
    assert main(["incidents", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["incidents"] == []


def test_purge_days_0_leaves_incidents_alone(two_from_john, capsys):
    from safety_tui.wiring import open_store

    with open_store() as store:
        plan = store.create_plan("home-visit", title="Visit where it happened")
        store.cancel(plan.ref)
    assert main(["purge", "--days", "0"]) == 0
    assert "purged 1 plan(s)" in capsys.readouterr().out
    assert main(["incidents", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["incidents"]) == 2
    assert main(["incidents", "verify"]) == 0


def test_delete_asks_unless_yes_and_the_chain_still_verifies(two_from_john, capsys):
    assert main(["incident", "delete", "1"]) == 2  # no terminal to ask on
    assert main(["incident", "delete", "1", "--yes", "--by", "Cllr Doe"]) == 0
    capsys.readouterr()
    assert main(["incidents", "--json"]) == 0
    assert [i["id"] for i in json.loads(capsys.readouterr().out)["incidents"]] == [2]
    assert main(["incidents", "verify"]) == 0


def test_evidence_is_kept_private_and_the_original_untouched(tmp_path, capsys):
    original = tmp_path / "letter scan.pdf"
    original.write_bytes(b"%PDF-1.4 scanned letter")
    original.chmod(0o644)
    assert add("--what", "Letter", "--evidence", str(original)) == 0
    kept = list((paths.data_dir() / "evidence").iterdir())
    assert len(kept) == 1 and stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(kept[0].parent.stat().st_mode) == 0o700
    assert original.read_bytes() == b"%PDF-1.4 scanned letter" and stat.S_IMODE(original.stat().st_mode) == 0o644


def test_markdown_export_keeps_the_exact_words(two_from_john, tmp_path, capsys):
    out = tmp_path / "pack.md"
    assert main(["incident", "export", "John Smith", "-f", "markdown", "-o", str(out)]) == 0
    text = out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert text.index("Incident 1:") < text.index("Incident 2:")
    assert EXACT in text and "Chain head" in text


def test_the_pdf_pack_reads_back_in_order_with_matching_hashes(two_from_john, tmp_path, capsys):
    import hashlib

    import pypdf

    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"\x89PNG screenshot of the post")
    assert main(["incident", "evidence", "2", str(shot), "--by", "Cllr Doe"]) == 0
    assert main(["incident", "action", "2", "platform", "--ref", "FB-123", "--by", "Cllr Doe"]) == 0
    assert add("--person", "John Smith", "--what", "Łukasz saw it: «ça suffit» ☎", "--when", "1h ago") == 0
    pdf = tmp_path / "pack.pdf"
    assert main(["incident", "export", "John Smith", "-f", "pdf", "-o", str(pdf)]) == 0
    reader = pypdf.PdfReader(str(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    assert text.index("Incident 1:") < text.index("Incident 3:") < text.index("Incident 2:")  # by when they happened
    assert hashlib.sha256(b"\x89PNG screenshot of the post").hexdigest() in flat
    assert "FB-123" in text and "Recorded" in text and "Happened" in text
    assert "Łukasz" in text and "«ça suffit»" in text  # every name in its own script (embedded fonts)
    assert "<U+260E>" in text and "written as <U+XXXX>" in text  # no font has ☎: shown as its code point, and said
    head = sqlite3.connect(db()).execute("SELECT hash FROM incident_entries ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert head in flat
    assert f"Page 1 of {len(reader.pages)}" in text


def test_export_of_an_unknown_person_is_an_error(capsys):
    assert main(["incident", "export", "Nobody", "-f", "markdown"]) == 1


def test_routes_check_reports_file_line_column(tmp_path, capsys):
    bad = tmp_path / "routes.yaml"
    bad.write_text("format: 1\nnominated_oficer: {name: Pat}\n")
    assert main(["routes", "--check", str(bad)]) == 1
    assert f"{bad}:2:1: unknown key 'nominated_oficer'" in capsys.readouterr().out
    assert main(["routes"]) == 0
    assert "police (non-emergency): 101" in capsys.readouterr().out


def test_no_incident_text_in_logs(two_from_john, tmp_path, capsys):
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        add("--person", "Secret Person", "--what", "secret what", "--exact-words", "secret words")
        main(["incident", "show", "3"])
        main(["incident", "export", "Secret Person", "-f", "pdf", "-o", str(tmp_path / "p.pdf")])
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert not [r for r in records if "secret" in r.lower()]


def test_incident_commands_never_import_textual():
    code = (
        "import sys\n"
        "from safety_tui.cli import main as cli\n"
        "cli.main(['incident', 'add', '--by', 'X', '--what', 'w', '--person', 'P'])\n"
        "cli.main(['incidents', '--json']); cli.main(['incidents', 'verify']); cli.main(['routes'])\n"
        "assert not [m for m in sys.modules if m.startswith('textual')], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_validate_covers_the_routes_files(tmp_path, monkeypatch, capsys):
    bad = tmp_path / "routes.yaml"
    bad.write_text("format: 1\nemergency: [999]\n")
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(bad))
    assert main(["validate"]) == 1
    assert f"{bad}:2:12: emergency:" in capsys.readouterr().out
    monkeypatch.delenv("SAFETY_TUI_ROUTES")
    assert main(["validate"]) == 0


def test_amend_adds_a_dated_revision_with_only_the_fields_given(two_from_john, capsys):
    assert (
        main(
            [
                "incident",
                "amend",
                "2",
                "--exact-words",
                "You'll pay for this",
                "--category",
                "harassment",
                "--by",
                "Sam Patel",
            ]
        )
        == 0
    )
    assert "amended: category, exact words" in capsys.readouterr().out
    assert main(["incident", "amend", "2", "--category", "harassment"]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["incident", "show", "2"]) == 0
    out = capsys.readouterr().out
    assert "Exact words: You'll pay for this" in out and "by Sam Patel: amended" in out
    assert "What happened: Abusive letter" in out


def test_evidence_with_a_bad_file_name_is_refused_before_anything_is_recorded(tmp_path, capsys):
    """A name with a control character, or bytes that are not UTF-8: no incident, no copy kept."""
    import os

    from safety_tui.cli.main import main
    from safety_tui.incidents import IncidentLog
    from safety_tui.wiring import open_store

    for raw in (b"ev\x1b]0;x\x07.png", b"ev\xff\xfe.png"):
        path = os.path.join(os.fsencode(tmp_path), raw)
        with open(path, "wb") as handle:
            handle.write(b"x")
        assert main(["incident", "add", "--what", "a letter", "--evidence", os.fsdecode(path)]) == 1
        assert "nothing was recorded" in capsys.readouterr().err
    with open_store() as store:
        assert IncidentLog.of(store).incidents() == []
        assert not (store.path.parent / "evidence").exists() or not any((store.path.parent / "evidence").iterdir())


def test_incidents_json_is_valid_json_whatever_the_stored_text(capsys):
    import json

    from safety_tui.cli.main import main

    assert main(["incident", "add", "--what", "first", "--person", "Mr X"]) == 0
    capsys.readouterr()
    from safety_tui.wiring import open_store

    with open_store() as store:  # a C1 control stored by hand (an older version, another program)
        store.conn.execute("UPDATE incident_entries SET body = replace(body, 'first', 'fi\u009b31mrst')")
    assert main(["incidents", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)  # parses: controls are JSON escapes, never raw
    assert data["incidents"]
