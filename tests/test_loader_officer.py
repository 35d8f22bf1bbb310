"""An officer editing YAML cannot break a councillor's walk by accident: each mistake refused or
pointed out with a message they can act on (the exact words are part of the promise)."""

from __future__ import annotations

import shutil

from safety_tui import paths
from safety_tui.cli import main
from safety_tui.compose import compose
from safety_tui.loader import load_catalog
from tests.conftest import write_yaml

BUNDLED_HOME_VISIT = paths.bundled_checklists_dir() / "home-visit.yaml"
MEETING = paths.bundled_checklists_dir() / "meeting.yaml"


def _estate_walkabout(folder):
    """A new checklist started from a copy of another, whose id was left as 'home-visit'."""
    text = MEETING.read_text(encoding="utf-8").replace("id: meeting", "id: home-visit", 1)
    return write_yaml(folder, "estate-walkabout.yaml", text.replace("title: Evening or public meeting", "title: Estate walkabout", 1))


def _layers(org):
    return [("bundled", paths.bundled_checklists_dir()), ("organisation", org)]


def test_two_files_with_one_id_in_the_council_folder_leave_the_bundled_home_visit_in_force(tmp_path):
    org = tmp_path / "org"
    council_copy = org / "home-visit.yaml"
    org.mkdir()
    shutil.copy(BUNDLED_HOME_VISIT, council_copy)
    walkabout = _estate_walkabout(org)
    catalog = load_catalog(_layers(org))
    assert catalog.checklists["home-visit"].layer == "bundled"
    assert catalog.overrides == []
    assert sorted(str(e) for e in catalog.errors) == [
        f"{walkabout}:3:5: checklist id 'home-visit' is also used by home-visit.yaml in the same folder, so neither "
        "file is used (an earlier layer's checklist of that id stays in force); give each file its own id",
        f"{council_copy}:3:5: checklist id 'home-visit' is also used by estate-walkabout.yaml in the same folder, so "
        "neither file is used (an earlier layer's checklist of that id stays in force); give each file its own id",
    ]
    walk = compose(catalog, "home-visit", ["car"])
    assert walk.before[0].key == "home-visit/decide-to-go"  # the councillor's walk is whole


def test_an_override_that_drops_critical_items_is_a_warning_from_validate(tmp_path, capsys):
    org = tmp_path / "org"
    walkabout = _estate_walkabout(org)
    warning = (
        f"{walkabout}:3:5: warning: this checklist replaces the bundled version of 'home-visit' (home-visit.yaml) "
        "but leaves out its critical item(s) decide-to-go, neutral-venue, tell-someone, expected-finish, code-word; "
        "councillors will no longer be asked them: copy them in, or give this file an id of its own"
    )
    assert main(["validate", str(org)]) == 0  # a warning, not a refusal: an officer may mean it
    out, err = capsys.readouterr()
    assert out.splitlines() == [warning, "all 1 checklist(s) valid; 1 warning(s)"] and err == ""
    assert main(["--checklists", str(org), "validate"]) == 0
    assert warning in capsys.readouterr().out.splitlines()


def test_a_faithful_council_copy_gets_no_warning(tmp_path, capsys):
    org = tmp_path / "org"
    org.mkdir()
    text = BUNDLED_HOME_VISIT.read_text(encoding="utf-8").replace("title: Home visit", "title: Council home visit")
    write_yaml(org, "home-visit.yaml", text)
    assert main(["validate", str(org)]) == 0
    assert capsys.readouterr().out == "all 1 checklist(s) valid\n"


def test_an_override_between_layers_is_named_in_checklists_visit(tmp_path, capsys):
    org = tmp_path / "org"
    _estate_walkabout(org)
    assert load_catalog(_layers(org)).version_notes() == ["Estate walkabout: the council's version, 6 items"]
    assert main(["--checklists", str(org), "checklists", "--visit", "home-visit"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[2] == "Replaced: Estate walkabout: the council's version, 6 items"
    assert main(["--checklists", str(org), "checklists", "--visit", "home-visit", "--json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["replaced"] == ["Estate walkabout: the council's version, 6 items"]


def test_a_users_own_version_is_named_as_theirs(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    shutil.copy(BUNDLED_HOME_VISIT, user / "home-visit.yaml")
    catalog = load_catalog([("bundled", paths.bundled_checklists_dir()), ("user", user)])
    count = len(catalog.get("home-visit").items())
    assert catalog.version_notes() == [f"Home visit: your own version, {count} items"]
    assert catalog.warnings == []
