"""The form's rules (core): drafts kept as you type, saved as a record or as one amendment."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from safety_tui.common.clock import FixedClock
from safety_tui.incidents import Category, IncidentError, IncidentLog
from safety_tui.incidents.form import draft_key, form_values, save_form, split_people
from safety_tui.wiring import open_store

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


@pytest.fixture
def log(tmp_path):
    with open_store(tmp_path / "d", FixedClock(NOW)) as store:
        yield IncidentLog.of(store)


def test_a_draft_survives_reopening_the_store(tmp_path):
    with open_store(tmp_path / "d", FixedClock(NOW)) as store:
        IncidentLog.of(store).save_draft("new", {"what": "Shouted at", "people": "John"})
    with open_store(tmp_path / "d", FixedClock(NOW)) as store:
        log = IncidentLog.of(store)
        assert log.draft("new") == {"what": "Shouted at", "people": "John"}
        assert log.incidents() == [] and log.verify().entries == 0  # a draft is not an entry


def test_quick_capture_records_what_when_and_who(log):
    log.save_draft("new", {"what": "Followed me to the car", "when": "13:40", "people": "John Smith; man in a red cap"})
    incident = save_form(log, log.draft("new") or {}, recorder="Me", tz="Europe/London", now=NOW)
    assert incident.what == "Followed me to the car"
    assert incident.happened_at == datetime(2026, 11, 25, 13, 40, tzinfo=timezone.utc)
    assert [p.label for p in incident.people] == ["John Smith", "man in a red cap"]
    assert log.draft("new") is None


def test_saving_an_amendment_appends_only_what_changed(log):
    first = save_form(
        log, {"what": "Letter", "when": "now", "people": "John Smith"}, recorder="Me", tz="Europe/London", now=NOW
    )
    values = form_values(first)
    values.update(category="malicious-communication", exact_words="You will pay")
    amended = save_form(log, values, recorder="Me", tz="Europe/London", now=NOW, incident_id=first.id)
    assert amended.category is Category.MALICIOUS and amended.exact_words == "You will pay"
    assert [r.kind for r in amended.revisions] == ["created", "amended"]
    assert "exact words" in amended.revisions[1].summary and "when" not in amended.revisions[1].summary
    assert draft_key(first.id) == f"amend-{first.id}"


def test_the_form_refuses_what_the_core_refuses(log):
    with pytest.raises(IncidentError):
        save_form(log, {"what": "", "when": "now"}, recorder="Me", tz="Europe/London", now=NOW)
    with pytest.raises(IncidentError, match="future"):
        save_form(log, {"what": "x", "when": "tomorrow 10:00"}, recorder="Me", tz="Europe/London", now=NOW)


def test_people_split_on_semicolons_so_names_may_hold_commas():
    assert split_people("Smith, John;  ; a man in a cap ") == ["Smith, John", "a man in a cap"]


def test_evidence_is_checked_before_anything_is_recorded(log, tmp_path, monkeypatch):
    import os

    from safety_tui.incidents import EvidenceError, form

    good = tmp_path / "ok.txt"
    good.write_text("screenshot text")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 20)
    monkeypatch.setattr(form, "MAX_EVIDENCE_BYTES", 16)
    for bad, message in (
        (pipe, "not a regular file"),
        (big, "at most 16"),
        (tmp_path / "nope", "No such file"),
        (tmp_path, "not a regular file"),
    ):
        with pytest.raises(EvidenceError, match=message):
            save_form(
                log, {"what": "Post", "when": "now"}, recorder="Me", tz="Europe/London", now=NOW, evidence=[good, bad]
            )
        assert log.incidents() == []  # no half incident, whatever the order
    incident = save_form(
        log, {"what": "Post", "when": "now"}, recorder="Me", tz="Europe/London", now=NOW, evidence=[good]
    )
    assert [(e.name, e.size) for e in incident.evidence] == [("ok.txt", 15)]
    assert [r.kind for r in incident.revisions] == ["created", "evidence"]
