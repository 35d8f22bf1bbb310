"""The council's routes (routes.yaml) in the default escalation, the prompts and the debrief's support."""

from __future__ import annotations

from pathlib import Path

import pytest

from safety_tui.incidents import IncidentLog
from safety_tui.incidents.debrief import support_lines
from safety_tui.incidents.prompts import prompts_for
from safety_tui.incidents.routes import Routes, default_escalation, load_routes
from safety_tui.plans.model import DEFAULT_ESCALATION
from safety_tui.ui.screens.step import WizardStep
from tests.helpers import T0, settle, wizard_step

COUNCIL_ROUTES = """\
format: 1
emergency: "112"
police_non_emergency: "101 (ask for the members' desk)"
nominated_officer:
  name: Pat Jones, Monitoring Officer
  phone: 01234 567890
member_services:
  name: Member services
  phone: 01234 500500
police_protocol: Quote Operation Bastion and say you are a councillor.
party_support:
  - name: Group whip
    phone: 07700 900999
support_lines:
  - name: National Stalking Helpline
    phone: 0808 802 0300
"""


@pytest.fixture
def council_routes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Routes:
    path = tmp_path / "council-routes.yaml"
    path.write_text(COUNCIL_ROUTES, encoding="utf-8")
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(path))
    loaded = load_routes()
    assert loaded.errors == []
    return loaded.routes


def test_the_generic_routes_keep_the_plan_models_default_escalation():
    assert default_escalation(load_routes().routes) == DEFAULT_ESCALATION


def test_the_default_escalation_uses_the_councils_numbers(council_routes):
    assert default_escalation(council_routes) == (
        "Ring me. No answer? Ring 112 and give them this address. Then tell the council: Member services on 01234 500500."
    )


async def test_a_new_plan_in_the_app_starts_with_the_councils_escalation(council_routes, app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.wait_for_catalog()
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(wizard_step(app), WizardStep)
    [draft] = store.list_plans()
    assert store.get_plan(draft.ref).escalation == default_escalation(council_routes)
    assert "Ring 112" in store.get_plan(draft.ref).escalation


def test_the_prompts_use_the_councils_protocol_numbers_and_support(council_routes, store):
    log = IncidentLog.of(store)
    incident = log.record(
        what="threatened me",
        recorder="Jo",
        tz="Europe/London",
        happened_at=T0,
        people=["X"],
        channel="in-person",
        category="threat",
        effect="cannot sleep",
    )
    prompts = {p.key: p.text for p in prompts_for(incident, log.incidents(), council_routes)}
    assert "ring 112 if you are in danger, otherwise 101 (ask for the members' desk)" in prompts["police"]
    assert "Quote Operation Bastion" in prompts["police"]
    assert "Pat Jones, Monitoring Officer, 01234 567890" in prompts["council"]
    assert "Member services, 01234 500500" in prompts["council"]
    assert "Group whip, 07700 900999" in prompts["support"] and "0808 802 0300" in prompts["support"]


def test_the_debriefs_support_routes_come_from_the_council(council_routes):
    lines = support_lines(council_routes)
    assert lines[0] == "Your council's nominated officer: Pat Jones, Monitoring Officer, 01234 567890"
    assert "Party support: Group whip, 07700 900999" in lines
    assert any("GP" in line for line in lines)
    assert "National Stalking Helpline, 0808 802 0300" in lines
    assert (
        lines[-1]
        == "In danger now: ring 112. Concerned about your safety: contact your local police (guidance section 1)."
    )
