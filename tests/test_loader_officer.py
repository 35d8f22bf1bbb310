"""An officer editing YAML cannot break a councillor's walk by accident: each mistake refused or
pointed out with a message they can act on (the exact words are part of the promise)."""

from __future__ import annotations

import shutil

from safety_tui.checklists.compose import compose
from safety_tui.checklists.loader.catalog import load_catalog
from safety_tui.cli.main import main
from safety_tui.common import paths
from tests.conftest import write_yaml

BUNDLED_HOME_VISIT = paths.bundled_checklists_dir() / "home-visit.yaml"
MEETING = paths.bundled_checklists_dir() / "meeting.yaml"


def _estate_walkabout(folder):
    """A new checklist started from a copy of another, whose id was left as 'home-visit'."""
    text = MEETING.read_text(encoding="utf-8").replace("id: meeting", "id: home-visit", 1)
    return write_yaml(
        folder, "estate-walkabout.yaml", text.replace("title: Evening or public meeting", "title: Estate walkabout", 1)
    )


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


# -- messages an officer can act on --------------------------------------------------------------

ITEM = """
format: 1
id: council-list
title: Council list
description: A council's own list.
visit_types: [home-visit]
sections:
  - title: Before
    items:
      - id: doubts
        type: question
        text: Any doubts about the premises?
        ref: "2.4.2"
      - id: venue
        text: Meet at a neutral venue.
        show_if: {item: doubts, answer: yes}
"""


def _errors(tmp_path, text, capsys):
    path = write_yaml(tmp_path, "council-list.yaml", text)
    assert main(["validate", str(path)]) == 1
    return path, capsys.readouterr().out.splitlines()


def test_a_key_indented_one_space_too_far_is_named_as_indentation(tmp_path, capsys):
    text = ITEM.replace("        show_if: {item", "         show_if: {item")
    path, out = _errors(tmp_path, text, capsys)
    assert out == [
        f"{path}:15:10: 'show_if' is indented 1 space further than 'text' on the line above, so YAML reads it as "
        "part of that value; keys of one item must line up exactly: start 'show_if' in column 9, under 'text'"
    ]


def test_curly_quotes_from_word_are_named_with_the_fix(tmp_path, capsys):
    path, out = _errors(tmp_path, ITEM.replace('ref: "2.4.2"', "ref: \u201c2.4.2\u201d"), capsys)
    assert out == [
        f"{path}:12:14: ref: curly quotes \u201c \u201d (as Word types them) are not YAML quotes, so they would be part "
        'of the value; use straight quotes: ref: "2.4.2"'
    ]
    path, out = _errors(tmp_path, ITEM.replace("answer: yes}", "answer: \u2018yes\u2019}"), capsys)
    assert out[0].endswith(
        "answer: curly quotes \u2018 \u2019 (as Word types them) are not YAML quotes, so they would "
        'be part of the value; use straight quotes: answer: "yes"'
    )
    assert len(out) == 1  # said once: not again as "expected 'yes' or 'no'"


def test_curly_quotes_in_text_are_typography_and_kept(tmp_path, capsys):
    path = write_yaml(
        tmp_path,
        "council-list.yaml",
        ITEM.replace("text: Meet at a neutral venue.", "text: \u201cMeet elsewhere\u201d"),
    )
    assert main(["validate", str(path)]) == 0


def test_visit_types_nothing_walks_are_refused_with_the_list_of_those_that_are(tmp_path, capsys):
    for old_kind, entry in (("phone-call", 2), ("home-security", 2)):
        path, out = _errors(tmp_path, ITEM.replace("[home-visit]", f"[home-visit, {old_kind}]"), capsys)
        assert out == [
            f"{path}:5:27: visit_types, entry {entry}: '{old_kind}' is not walked by anything, so this checklist would "
            "never be shown; use one of: surgery, home-visit, meeting, demonstration, caller-at-home, travel, other, "
            "review (a periodic review), card (a quick-reference card)"
        ]


def test_a_routes_file_left_among_the_checklists_gets_one_hint(tmp_path, capsys):
    path = write_yaml(tmp_path, "routes.yaml", 'format: 1\nemergency: "999"\nnominated_officer:\n  name: Jo Smith\n')
    assert main(["validate", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:1:1: this is a routes file (emergency numbers, the nominated officer), not a checklist: every YAML "
        "file in a checklists folder is read as a checklist, so move it out of this folder and point "
        "SAFETY_TUI_ROUTES at it"
    ]


def test_walk_order_within_a_visit_is_set_by_the_checklists_not_the_alphabet(tmp_path):
    org = tmp_path / "org"
    extra = ITEM.replace("id: council-list", "id: estate-walkabout").replace(
        "title: Council list", "title: Estate walkabout"
    )
    write_yaml(org, "estate-walkabout.yaml", extra)
    walk = compose(load_catalog(_layers(org)), "home-visit", [])
    assert [c.id for c in walk.checklists] == ["home-visit", "estate-walkabout", "personal-safety-basics"]
    write_yaml(org, "estate-walkabout.yaml", extra.replace("visit_types:", "order: 5\nvisit_types:"))
    walk = compose(load_catalog(_layers(org)), "home-visit", [])
    assert [c.id for c in walk.checklists] == ["estate-walkabout", "home-visit", "personal-safety-basics"]


def test_an_order_out_of_range_is_refused(tmp_path, capsys):
    path, out = _errors(tmp_path, ITEM.replace("visit_types:", "order: 0\nvisit_types:"), capsys)
    assert out == [f"{path}:5:8: order: expected a whole number from 1 to 999, got the number 0"]
    path, out = _errors(tmp_path, ITEM.replace("visit_types:", 'order: "5"\nvisit_types:'), capsys)
    assert out == [f"{path}:5:8: order: expected a whole number from 1 to 999, got the text '5'; remove the quotes"]


ROUTES = """
format: 1
emergancy: "999"
nominated_officer:
  name: Jo Smith
  phone: 01632960222
member_services:
  name: Member services
  phone: "01632 960000"
"""


def test_routes_errors_speak_like_the_checklist_loader_and_refuse_only_the_bad_key(tmp_path, capsys):
    from safety_tui.incidents.routes import load_routes, routes_layers

    path = write_yaml(tmp_path, "routes.yaml", ROUTES)
    expected = [
        f"{path}:2:1: unknown key 'emergancy', did you mean 'emergency'? ('emergancy' in this file is not used "
        "until this is fixed; the rest of the file is)",
        f"{path}:5:10: nominated_officer.phone: expected text, got the number 01632960222; put it in quotes: "
        "phone: \"01632960222\" ('nominated_officer' in this file is not used until this is fixed; the rest of the file is)",
    ]
    assert main(["routes", "--check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == expected
    loaded = load_routes(routes_layers(path))
    assert [str(e) for e in loaded.errors] == expected
    assert loaded.routes.member_services is not None and loaded.routes.member_services.phone == "01632 960000"
    assert loaded.routes.nominated_officer.name == "your council's nominated officer"  # the bundled one, said above
    assert ("organisation", path) in loaded.sources


def test_a_wrong_format_in_routes_refuses_the_whole_file(tmp_path):
    from safety_tui.incidents.routes import load_routes, routes_layers

    path = write_yaml(
        tmp_path, "routes.yaml", ROUTES.replace("format: 1", "format: 2").replace("emergancy", "emergency")
    )
    loaded = load_routes(routes_layers(path))
    assert [e.message for e in loaded.errors][0].endswith("; nothing in this file is used until this is fixed")
    assert loaded.routes.member_services is None and ("organisation", path) not in loaded.sources


def test_routes_check_says_so_on_stdout_when_all_is_well(tmp_path, capsys):
    path = write_yaml(
        tmp_path, "routes.yaml", ROUTES.replace("emergancy", "emergency").replace("01632960222", '"01632960222"')
    )
    assert main(["routes", "--check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("all 1 routes file(s) valid\n", "")
