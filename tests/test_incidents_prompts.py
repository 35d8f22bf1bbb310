"""What the app says after an incident is saved, and the council's routes file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from safety_tui.common import paths
from safety_tui.incidents import ActionKind, Category, Channel, IncidentLog
from safety_tui.incidents.prompts import outstanding, prompts_for, todos
from safety_tui.incidents.routes import Routes, json_schema_text, load_routes, parse_routes, routes_layers
from safety_tui.common.clock import FixedClock
from safety_tui.store import open_store
from tests.conftest import write_yaml

T0 = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)
ME = "Cllr Alex Doe"
ROUTES = Routes()


@pytest.fixture
def log(tmp_path):
    with open_store(tmp_path / "data", FixedClock(T0 + timedelta(days=1))) as store:
        yield IncidentLog.of(store)


def add(log, minutes=0, **kw):
    values = dict(what="Shouted at me", recorder=ME, tz="Europe/London", happened_at=T0 + timedelta(minutes=minutes),
                  people=["John Smith"], channel=Channel.IN_PERSON, category=Category.ABUSIVE)
    values.update(kw)
    return log.record(**values)


def keys(incident, log, routes=ROUTES):
    return [p.key for p in prompts_for(incident, log.incidents(), routes)]


def test_every_incident_asks_for_a_council_report(log):
    prompts = prompts_for(add(log), log.incidents(), ROUTES)
    council = [p for p in prompts if p.key == "council"]
    assert council and council[0].section == "2.10.1"
    assert "your council's nominated officer" in council[0].text
    assert "police" not in [p.key for p in prompts]


@pytest.mark.parametrize("category", [Category.THREAT, Category.ASSAULT, Category.DAMAGE])
def test_a_threat_says_report_to_the_police_now_with_999_and_family_safety(log, category):
    prompt = next(p for p in prompts_for(add(log, category=category), log.incidents(), ROUTES) if p.key == "police")
    assert "999" in prompt.text and "101" in prompt.text and "family" in prompt.text
    assert prompt.section == "5.4.2" and prompt.todo is ActionKind.POLICE


def test_a_hate_incident_names_the_duty_to_report(log):
    prompt = next(p for p in prompts_for(add(log, category=Category.HATE), log.incidents(), ROUTES) if p.key == "hate")
    assert "duty to report" in prompt.text and prompt.section == "2.10.2"


def test_a_second_incident_from_the_same_person_is_the_harassment_pattern(log):
    first = add(log)
    assert "pattern" not in keys(first, log)
    second = add(log, minutes=60, people=["JOHN SMITH"])
    prompt = next(p for p in prompts_for(second, log.incidents(), ROUTES) if p.key == "pattern")
    assert "second incident with John Smith" in prompt.text
    assert "at least two occasions" in prompt.text and "police" in prompt.text
    assert prompt.section == "5.5.5, 5.4.3"
    assert "pattern" not in keys(add(log, minutes=90, people=["Someone Else"]), log)


def test_continuing_letters_bring_the_warning_of_1_2_1(log):
    add(log, channel=Channel.LETTER)
    second = add(log, minutes=5, channel=Channel.EMAIL)
    prompt = next(p for p in prompts_for(second, log.incidents(), ROUTES) if p.key == "letters")
    assert prompt.section == "1.2.1" and "referred to the police" in prompt.text


def test_online_abuse_says_save_the_evidence_before_blocking(log):
    prompt = next(p for p in prompts_for(add(log, channel=Channel.SOCIAL_MEDIA), log.incidents(), ROUTES) if p.key == "evidence-first")
    assert "Before you mute or block" in prompt.text and "4.4.1" in prompt.section


def test_reports_stay_as_todos_until_done_or_dismissed(log):
    threat = add(log, category=Category.THREAT)
    assert {p.key for _, p in outstanding(log.incidents(), ROUTES)} == {"police", "council"}
    log.add_action(threat.id, ME, "police", reference="CR/1")
    assert [p.key for _, p in outstanding(log.incidents(), ROUTES)] == ["council"]
    log.dismiss(threat.id, ME, "council")
    assert outstanding(log.incidents(), ROUTES) == []
    assert todos(log.get(threat.id), log.incidents(), ROUTES) == []


def test_the_routes_files_layer_and_feed_the_prompts(log, tmp_path, monkeypatch):
    org = write_yaml(tmp_path / "org", "routes.yaml", """
        format: 1
        nominated_officer:
          name: Pat Jones, Monitoring Officer
          phone: 01234 567890
        platforms:
          - name: Facebook
            report_url: https://example.invalid/report
        """)
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(org))
    write_yaml(paths.config_dir(), "routes.yaml", """
        format: 1
        police_non_emergency: "101 (say Operation X)"
        """)
    loaded = load_routes()
    assert loaded.errors == []
    assert [layer for layer, _ in loaded.sources] == ["bundled", "organisation", "user"]
    routes = loaded.routes
    assert routes.emergency == "999"
    assert routes.police_non_emergency == "101 (say Operation X)"
    council = next(p for p in prompts_for(add(log), log.incidents(), routes) if p.key == "council")
    assert "Pat Jones, Monitoring Officer, 01234 567890" in council.text
    online = add(log, minutes=3, channel=Channel.SOCIAL_MEDIA, platform="facebook")
    assert "https://example.invalid/report" in next(p.text for p in prompts_for(online, log.incidents(), routes) if p.key == "evidence-first")


def test_a_broken_routes_file_is_file_line_column_and_the_rest_still_load(tmp_path, monkeypatch):
    org = write_yaml(tmp_path / "org", "routes.yaml", """
        format: 1
        nominated_offcer:
          name: Pat
        police_non_emergency: [101]
        """)
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(org))
    loaded = load_routes()
    assert [str(e) for e in loaded.errors] == [
        f"{org}:2:1: unknown key 'nominated_offcer', did you mean 'nominated_officer'?",
        f"{org}:4:23: police_non_emergency: Input should be a valid string",
    ]
    assert loaded.routes.police_non_emergency == "101"  # the bundled default still stands


@pytest.mark.parametrize("text, message", [
    ("format: 1\nemergency: &a '999'\n", "anchors"),
    ("format: 1\nformat: 1\n", "duplicate key 'format'"),
    ("format: 1\nemergency: \"9\\e[31m\"\n", "control character"),
    ("", "empty"),
    ("- a\n", "must be a mapping"),
    ("emergency: '999'\n", "missing required key 'format'"),
])
def test_routes_files_are_checked_like_checklists(text, message):
    parsed, errors = parse_routes(text.encode(), "r.yaml")
    assert parsed is None and errors and message in str(errors[0]) and str(errors[0]).startswith("r.yaml:")


def test_a_missing_organisation_routes_file_is_reported(tmp_path):
    loaded = load_routes(routes_layers(tmp_path / "nope.yaml"))
    assert "does not exist" in str(loaded.errors[0])


def test_the_routes_schema_is_json_schema():
    import json

    schema = json.loads(json_schema_text())
    assert "nominated_officer" in schema["properties"] and schema["required"] == ["format"]
