"""What the app says after an incident is saved, and the council's routes file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.incidents import ActionKind, Category, Channel, IncidentLog
from safety_tui.incidents.prompts import PersonIndex, outstanding, prompts_for, todos
from safety_tui.incidents.routes import Routes, json_schema_text, load_routes, parse_routes, routes_layers
from safety_tui.wiring import open_store
from tests.conftest import write_yaml

T0 = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)
ME = "Cllr Alex Doe"
ROUTES = Routes()


@pytest.fixture
def log(tmp_path):
    with open_store(tmp_path / "data", FixedClock(T0 + timedelta(days=1))) as store:
        yield IncidentLog.of(store)


def add(log, minutes=0, **kw):
    values = dict(
        what="Shouted at me",
        recorder=ME,
        tz="Europe/London",
        happened_at=T0 + timedelta(minutes=minutes),
        people=["John Smith"],
        channel=Channel.IN_PERSON,
        category=Category.ABUSIVE,
    )
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


def test_a_hate_incident_names_the_duty_to_report_and_a_council_report_clears_it(log):
    hate = add(log, category=Category.HATE)
    prompt = next(p for p in prompts_for(hate, log.incidents(), ROUTES) if p.key == "hate")
    assert "duty to report" in prompt.text and "2.10.2" in prompt.section and "2.3.2" in prompt.section
    assert "you can decide if you want to inform the police" in prompt.text
    assert {p.key for p in todos(hate, ROUTES)} == {"hate", "council"}
    log.add_action(hate.id, ME, "council")  # the council route (2.10.2), without the police (2.3.2)
    assert todos(log.get(hate.id), ROUTES) == []


def test_a_hate_incident_reported_to_the_police_leaves_only_the_council_report(log):
    hate = add(log, category=Category.HATE)
    log.add_action(hate.id, ME, "police", reference="CR/9")
    assert [p.key for p in todos(log.get(hate.id), ROUTES)] == ["council"]


def test_other_and_abusive_with_one_person_never_make_a_pattern(log):
    add(log, category=Category.OTHER, what="Polite but annoyed", channel=Channel.EMAIL)
    second = add(log, minutes=60, category=Category.ABUSIVE, what="Curt, about potholes", channel=Channel.EMAIL)
    prompts = prompts_for(second, log.incidents(), ROUTES)
    assert "pattern" not in [p.key for p in prompts]
    assert not any("harassment" in p.text for p in prompts)
    assert [p.key for p in todos(second, ROUTES)] == ["council"]
    assert [s.pattern for s in log.people()] == [False]
    assert PersonIndex.of(log.incidents()).pattern_people() == []


def test_two_threats_ask_the_5_5_5_question_and_add_no_police_todo(log):
    add(log, category=Category.THREATENING, what="Shouted that I would regret it")
    second = add(log, minutes=60, category=Category.THREATENING, what="Said it again at the surgery")
    prompts = prompts_for(second, log.incidents(), ROUTES)
    pattern = next(p for p in prompts if p.key == "pattern")
    assert "second incident with John Smith" in pattern.text and pattern.text.startswith("This is")
    assert "Could this be harassment?" in pattern.text
    for condition in (
        "on at least two occasions",
        "targeted at the individual",
        "calculated in an objective sense to cause alarm or distress",
        "objectively judged to be oppressive and unacceptable",
        "torment",
    ):
        assert condition in pattern.text
    assert pattern.todo is None and pattern.section.startswith("5.5.5")
    assert "should be involved" not in pattern.text
    assert [p.key for p in todos(second, ROUTES)] == ["council"]  # no police to-do from a count
    assert [(person.label, n) for person, n in PersonIndex.of(log.incidents()).pattern_people()] == [("John Smith", 2)]
    assert [s.pattern for s in log.people()] == [True]


def test_two_serious_threats_keep_one_police_report_each_and_the_pattern_is_still_only_a_question(log):
    add(log, category=Category.THREAT)
    second = add(log, minutes=60, category=Category.THREAT)
    pattern = next(p for p in prompts_for(second, log.incidents(), ROUTES) if p.key == "pattern")
    assert pattern.todo is None and pattern.cleared_by == ()
    assert [p.key for p in todos(second, ROUTES)] == ["police", "council"]  # 5.4.2, per incident


def test_people_recorded_only_by_a_description_are_never_grouped(log):
    add(log, category=Category.THREATENING, people=["a man"])
    second = add(log, minutes=60, category=Category.THREATENING, people=["A man."])
    third = add(log, minutes=90, category=Category.THREATENING, people=[("tall man in a red cap", True)])
    fourth = add(log, minutes=95, category=Category.THREATENING, people=[("tall man in a red cap", True)])
    for incident in (second, third, fourth):
        assert "pattern" not in [p.key for p in prompts_for(incident, log.incidents(), ROUTES)]
    assert PersonIndex.of(log.incidents()).pattern_people() == []
    assert not any(s.pattern for s in log.people())


def test_a_threat_short_of_serious_violence_has_its_own_category_and_no_police_todo(log):
    threatening = add(log, category=Category.THREATENING)
    assert "Public Order Act" in Category.THREATENING.explanation and "5.2" in Category.THREATENING.section
    prompt = next(p for p in prompts_for(threatening, log.incidents(), ROUTES) if p.key == "threatening")
    assert "You can decide if you want to inform the police" in prompt.text and prompt.todo is None
    assert [p.key for p in todos(threatening, ROUTES)] == ["council"]


def test_harassment_uses_the_wording_of_4_5_4():
    text = Category.HARASSMENT.explanation
    assert "two or more related occurrences" in text and "must be oppressive" in text and "alarm or distress" in text
    assert Category.HARASSMENT.section.startswith("4.5.4")
    assert "not criminal" not in Category.ABUSIVE.label


def test_online_abuse_offers_the_platform_and_the_police_and_the_card(log):
    online = add(log, channel=Channel.SOCIAL_MEDIA, platform="Spacebook")
    prompt = next(p for p in prompts_for(online, log.incidents(), load_routes().routes) if p.key == "online")
    assert "report it to the social media platform and to the police" in prompt.text and prompt.section == "4.3.3"
    assert "101" in prompt.text and prompt.card == "online-attack"
    assert "report option" in prompt.text  # the bundled routes.yaml's generic platform line
    assert prompt.todo is ActionKind.PLATFORM and ActionKind.POLICE in prompt.cleared_by
    log.add_action(online.id, ME, "platform", reference="ticket 4")
    assert [p.key for p in todos(log.get(online.id), ROUTES)] == ["council"]


def test_an_online_post_that_only_caused_concern_is_no_platform_todo(log):
    concern = add(log, channel=Channel.SOCIAL_MEDIA, category=Category.OTHER)
    assert [p.key for p in todos(concern, ROUTES)] == ["council"]
    assert "online" in [p.key for p in prompts_for(concern, log.incidents(), ROUTES)]


def test_the_bundled_routes_have_a_generic_platform_line():
    generic = load_routes().routes.platform("any other platform")
    assert generic is not None and "report option" in generic.note


def test_continuing_letters_bring_the_warning_of_1_2_1(log):
    add(log, channel=Channel.LETTER)
    second = add(log, minutes=5, channel=Channel.EMAIL)
    prompt = next(p for p in prompts_for(second, log.incidents(), ROUTES) if p.key == "letters")
    assert prompt.section == "1.2.1" and "referral to the police" in prompt.text
    polite = add(log, minutes=9, channel=Channel.EMAIL, category=Category.OTHER, people=["Pat Jones"])
    again = add(log, minutes=10, channel=Channel.EMAIL, category=Category.OTHER, people=["Pat Jones"])
    assert "letters" not in keys(again, log) and "letters" not in keys(polite, log)


def test_online_abuse_says_save_the_evidence_before_blocking(log):
    prompt = next(
        p
        for p in prompts_for(add(log, channel=Channel.SOCIAL_MEDIA), log.incidents(), ROUTES)
        if p.key == "evidence-first"
    )
    assert "Before you mute or block" in prompt.text and "4.2.1" in prompt.section


def test_reports_stay_as_todos_until_done_or_dismissed(log):
    threat = add(log, category=Category.THREAT)
    assert {p.key for _, p in outstanding(log.incidents(), ROUTES)} == {"police", "council"}
    log.add_action(threat.id, ME, "police", reference="CR/1")
    assert [p.key for _, p in outstanding(log.incidents(), ROUTES)] == ["council"]
    log.dismiss(threat.id, ME, "council")
    assert outstanding(log.incidents(), ROUTES) == []
    assert todos(log.get(threat.id), ROUTES) == []


def test_the_routes_files_layer_and_feed_the_prompts(log, tmp_path, monkeypatch):
    org = write_yaml(
        tmp_path / "org",
        "routes.yaml",
        """
        format: 1
        nominated_officer:
          name: Pat Jones, Monitoring Officer
          phone: 01234 567890
        platforms:
          - name: Facebook
            report_url: https://example.invalid/report
        """,
    )
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(org))
    write_yaml(
        paths.config_dir(),
        "routes.yaml",
        """
        format: 1
        police_non_emergency: "101 (say Operation X)"
        """,
    )
    loaded = load_routes()
    assert loaded.errors == []
    assert [layer for layer, _ in loaded.sources] == ["bundled", "organisation", "user"]
    routes = loaded.routes
    assert routes.emergency == "999"
    assert routes.police_non_emergency == "101 (say Operation X)"
    council = next(p for p in prompts_for(add(log), log.incidents(), routes) if p.key == "council")
    assert "Pat Jones, Monitoring Officer, 01234 567890" in council.text
    online = add(log, minutes=3, channel=Channel.SOCIAL_MEDIA, platform="facebook")
    assert "https://example.invalid/report" in next(
        p.text for p in prompts_for(online, log.incidents(), routes) if p.key == "online"
    )


def test_a_broken_routes_file_is_file_line_column_and_the_rest_still_load(tmp_path, monkeypatch):
    org = write_yaml(
        tmp_path / "org",
        "routes.yaml",
        """
        format: 1
        nominated_offcer:
          name: Pat
        police_non_emergency: [101]
        """,
    )
    monkeypatch.setenv("SAFETY_TUI_ROUTES", str(org))
    loaded = load_routes()
    left_out = "in this file is not used until this is fixed; the rest of the file is"
    assert [str(e) for e in loaded.errors] == [
        f"{org}:2:1: unknown key 'nominated_offcer', did you mean 'nominated_officer'? ('nominated_offcer' {left_out})",
        f"{org}:4:23: police_non_emergency: expected text, got a list ('police_non_emergency' {left_out})",
    ]
    assert loaded.routes.police_non_emergency == "101"  # the bundled default still stands


@pytest.mark.parametrize(
    "text, message",
    [
        ("format: 1\nemergency: &a '999'\n", "anchors"),
        ("format: 1\nformat: 1\n", "duplicate key 'format'"),
        ('format: 1\nemergency: "9\\e[31m"\n', "control character"),
        ("", "empty"),
        ("- a\n", "must be a mapping"),
        ("emergency: '999'\n", "missing required key 'format'"),
    ],
)
def test_routes_files_are_checked_like_checklists(text, message):
    parsed, errors = parse_routes(text.encode(), "r.yaml")
    assert errors and message in str(errors[0]) and str(errors[0]).startswith("r.yaml:")
    assert parsed is None or parsed.emergency is None  # a bad key is left out; the rest of a file may be used


def test_a_missing_organisation_routes_file_is_reported(tmp_path):
    loaded = load_routes(routes_layers(tmp_path / "nope.yaml"))
    assert "does not exist" in str(loaded.errors[0])


def test_the_routes_schema_is_json_schema():
    import json

    schema = json.loads(json_schema_text())
    assert "nominated_officer" in schema["properties"] and schema["required"] == ["format"]


def test_an_abusive_email_says_keep_it_and_when_it_is_an_offence(log):
    email = add(log, channel=Channel.EMAIL, category=Category.MALICIOUS)
    prompt = next(p for p in prompts_for(email, log.incidents(), ROUTES) if p.key == "online")
    assert "Copy or save the e-mail" in prompt.text and "grossly offensive" in prompt.text
    assert prompt.section == "1.2.1, 4.5.5" and prompt.todo is None


@pytest.mark.parametrize(
    "label, named",
    [
        ("John Smith", True),
        ("Mrs Jones", True),
        ("a man", False),
        ("A man.", False),
        ("Woman in a red coat", False),
        ("unknown caller", False),
        ("someone from the estate", False),
        ("", False),
    ],
)
def test_a_description_is_told_from_a_name(label, named):
    from safety_tui.incidents import Person

    assert Person(id=1, label=label).named is named
    assert Person(id=1, label="John Smith", described=True).named is False  # --person-description
