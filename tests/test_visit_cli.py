"""`safety-tui checklists --visit TYPE [--travel MODE] [--json]`: what a councillor will get."""

from __future__ import annotations

import json
import subprocess
import sys

from safety_tui.cli.main import main
from tests.conftest import write_yaml


def run(capsys, *args):
    code = main(["checklists", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_visit_json_has_before_during_after_with_the_agreed_keys(capsys):
    code, out, _ = run(capsys, "--visit", "home-visit", "--travel", "car", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["checklists"] == ["home-visit", "travel-car", "personal-safety-basics"]
    for name in ("before", "during", "after"):
        assert data[name], name
        for entry in data[name]:
            assert {"checklist", "id", "text", "critical", "ref"} <= set(entry)
            assert entry["when"] == name
    assert len(data["before"]) <= 20
    assert data["before"][0] == data["before"][0] | {
        "checklist": "home-visit",
        "id": "decide-to-go",
        "critical": True,
        "ref": "2.4.2",
    }
    satisfied = {(e["checklist"], e["id"]): e["satisfied_by"] for e in data["satisfied"]}
    assert satisfied[("home-visit", "code-word")] == {"step": "code-word", "item": None}
    assert {e["group"] for e in data["during"]} >= {"On arrival", "If it turns nasty", "If you are followed"}


def test_visit_text_lists_before_in_walk_order_then_the_briefing_then_the_debrief(capsys):
    code, out, _ = run(capsys, "--visit", "surgery", "--travel", "car,walking")
    assert code == 0
    assert out.startswith("Ward surgery (Car, On foot): ")
    assert (
        "Checklists in walk order: Ward surgery, Travelling by car, Travelling on foot, Personal safety basics" in out
    )
    before = out.index("Before the visit")
    during = out.index("During the visit (the briefing")
    after = out.index("Afterwards (the debrief)")
    assert before < out.index("   1. Decide whether it is safe for you to hold this surgery") < during < after
    assert before < out.index("   2. Would you be holding this surgery alone") < during
    assert (
        "Tell council staff, a friend or family where and when the surgery is. (ward-surgery): the Who's told step"
        in out
    )
    assert "only if 'Would you be holding this surgery alone in an otherwise empty building?' is yes" in out


def test_an_organisation_checklist_shows_in_the_composed_walk(capsys, tmp_path):
    write_yaml(
        tmp_path,
        "extra.yaml",
        """
        format: 1
        id: council-extra
        title: Council lone working
        description: The council's own list.
        visit_types: [home-visit]
        sections:
          - title: Before
            items:
              - id: sign-out
                text: Sign out on the lone-working board.
                when: before
                derived: true
    """,
    )
    code = main(["--checklists", str(tmp_path), "checklists", "--visit", "home-visit", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    # The visit's own checklist walks first (order 10); the council's extra one follows it.
    assert data["checklists"] == ["home-visit", "council-extra", "personal-safety-basics"]
    sign_out = next(e for e in data["before"] if e["checklist"] == "council-extra")
    assert sign_out == sign_out | {"id": "sign-out", "derived": True, "ref": None}


def test_unknown_visit_or_mode_or_json_without_visit_is_a_usage_error(capsys):
    assert run(capsys, "--visit", "card")[0] == 2
    code, _, err = run(capsys, "--visit", "home-visit", "--travel", "rocket")
    assert code == 2 and "'rocket' is not a way of travelling" in err
    code, _, err = run(capsys, "--json")
    assert code == 2 and "--visit" in err


def test_visit_output_never_imports_textual():
    code = (
        "import sys\n"
        "from safety_tui.cli.main import main\n"
        "assert main(['checklists', '--visit', 'meeting', '--json']) == 0\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
