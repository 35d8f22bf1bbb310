"""The bundled checklists: complete, valid and faithful to the guidance."""

from __future__ import annotations

import json
import subprocess
import sys

from safety_tui import paths
from safety_tui.checklist import TravelMode, VisitType, json_schema_text
from safety_tui.loader import load_catalog
from tests.conftest import REPO


def bundled():
    return load_catalog([("bundled", paths.bundled_checklists_dir())])


def test_every_bundled_checklist_validates():
    catalog = bundled()
    assert catalog.errors == []
    assert len(catalog.checklists) >= 14


def test_every_item_has_a_guidance_ref():
    for lc in bundled().checklists.values():
        for item in lc.checklist.items():
            assert item.ref, f"{lc.checklist.id}/{item.id} has no ref"


def test_every_visit_type_and_travel_mode_is_covered():
    catalog = bundled()
    for visit in (VisitType.SURGERY, VisitType.HOME_VISIT, VisitType.MEETING, VisitType.DEMONSTRATION,
                  VisitType.CALLER_AT_HOME, VisitType.HOME_SECURITY, VisitType.PHONE_CALL):
        assert catalog.matching(visit.value, []), visit
    for mode in TravelMode:
        chosen = catalog.matching("surgery", [mode.value])
        assert any(catalog.get(c).mode == mode for c in chosen), mode


def test_guidance_sections_are_covered():
    refs = {item.ref for lc in bundled().checklists.values() for item in lc.checklist.items()}
    for section in ("1.3", "2.1.2", "2.2.2", "2.2.3", "2.4.3", "2.4.4", "2.4.6", "2.5.3", "2.6.1",
                    "2.7.1", "2.8.1", "2.9.1", "2.9.2", "2.9.3", "2.9.4"):
        assert section in refs, section


def test_home_visit_marks_the_key_items_critical():
    checklist = bundled().get("home-visit")
    critical = {item.id for item in checklist.items() if item.critical}
    assert {"tell-someone", "expected-finish", "code-word", "park-facing-out", "escape-routes", "leave-if-threatened"} <= critical


def test_schema_file_in_repo_equals_the_command_output():
    assert (REPO / "schema" / "checklist.schema.json").read_text(encoding="utf-8") == json_schema_text()


def test_schema_is_draft_07_and_forbids_extra_keys():
    schema = json.loads(json_schema_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["additionalProperties"] is False
    assert "$defs" not in json.dumps(schema)


def test_bundled_checklists_ship_inside_the_wheel(tmp_path):
    """`pipx install .` must work away from the source tree."""
    import zipfile

    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True,
    )
    if result.returncode != 0 and "hatchling" in result.stderr:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(REPO)],
            capture_output=True, text=True,
        )
    assert result.returncode == 0, result.stderr
    [wheel] = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "safety_tui/checklists/home-visit.yaml" in names
    assert "safety_tui/checklist.schema.json" in names
    shipped = {n.rsplit("/", 1)[1] for n in names if n.startswith("safety_tui/checklists/")}
    assert shipped == {p.name for p in (REPO / "checklists").glob("*.yaml")}
