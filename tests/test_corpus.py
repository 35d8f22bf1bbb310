"""The hostile-input corpus: every file gets its exact error, nothing crashes, hangs or balloons."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from safety_tui.checklists.loader.problems import ChecklistFileError
from safety_tui.checklists.loader.validate import parse_checklist

CORPUS = Path(__file__).parent / "corpus"
CASES = [line.split("\t", 1) for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines()]


def test_corpus_is_big_enough():
    assert len(CASES) >= 40
    assert {name for name, _ in CASES} == {p.name for p in CORPUS.glob("*.yaml")}


@pytest.mark.parametrize("name, expected", CASES, ids=[c[0] for c in CASES])
def test_each_file_gets_its_exact_error(name, expected):
    path = CORPUS / name
    try:
        parse_checklist(path.read_bytes(), str(path))
        got = ["OK"]
    except ChecklistFileError as exc:
        got = [str(e) for e in exc.errors]
    if expected == "OK":
        assert got == ["OK"]
    else:
        assert any(g.startswith(f"{path}:{expected}") for g in got), got


def _checklist(name: str):
    path = CORPUS / name
    return parse_checklist(path.read_bytes(), str(path))[0]


def test_yaml_11_traps_keep_their_meaning():
    assert _checklist("trap-answer-no.yaml").items()[2].show_if.answer == "no"
    times = _checklist("trap-times-and-yes.yaml")
    assert times.sections[0].title == "16:30" and times.items()[2].text == "on"
    octal = _checklist("trap-octal-and-float.yaml")
    assert (octal.title, octal.version) == ("0755", "1.10")
    numbers = _checklist("trap-number-title.yaml")
    assert (numbers.title, numbers.version) == ("2024", "3")


def test_markup_survives_as_text_in_every_field():
    markup = "[red]x[/red] [link=http://evil]y[/link] [$accent]z [Bold]w"
    checklist = _checklist("markup-everywhere.yaml")
    assert checklist.title == checklist.description == checklist.sections[0].title == markup
    assert checklist.items()[0].text == checklist.items()[1].help == markup


RUNNER = textwrap.dedent(
    """
    import json, resource, sys
    from pathlib import Path
    limit = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from safety_tui.checklists.loader import load_catalog
    catalog = load_catalog([("organisation", Path(sys.argv[1])), ("user", Path(sys.argv[2]))])
    print(json.dumps({
        "loaded": sorted(catalog.checklists),
        "errors": [str(e) for e in catalog.errors],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))
    """
)


@pytest.mark.slow
def test_whole_corpus_in_one_process_bounded_and_others_still_load(tmp_path):
    extra = tmp_path / "generated"
    extra.mkdir()
    (extra / "ten-megabytes.yaml").write_bytes(b"# " + b"x" * 10_000_000 + b"\n")
    (extra / "fifty-thousand-brackets.yaml").write_bytes(b"[" * 50_000)
    (extra / "good.yaml").write_text((CORPUS / "crlf.yaml").read_text().replace("case-", "extra-"))
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, str(CORPUS), str(extra)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    ok_ids = {_checklist(name).id for name, expected in CASES if expected == "OK"}
    assert ok_ids <= set(report["loaded"])
    assert any(i.startswith("extra-") for i in report["loaded"])
    errors = "\n".join(report["errors"])
    assert f"{extra / 'ten-megabytes.yaml'}:1:1: file is 10,000,003 bytes" in errors
    assert f"{extra / 'fifty-thousand-brackets.yaml'}:1:" in errors and "nested more than 16 levels deep" in errors
    failing = {name for name, expected in CASES if expected != "OK"}
    assert {Path(e.split(":", 1)[0]).name for e in report["errors"]} >= failing
    assert report["peak_mb"] < 400
