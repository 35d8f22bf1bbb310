"""Amendments keep the original; a paper log can be moved in; actions follow their incident; drafts go with it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from safety_tui.cli.main import main
from safety_tui.common.clock import FixedClock
from safety_tui.incidents import IncidentError, IncidentLog, wording
from safety_tui.incidents.form import draft_key
from safety_tui.incidents.pack import PackInfo, markdown_pack, pdf_pack
from safety_tui.wiring import open_store

T0 = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)
ME = "Cllr Alex Doe"
FIRST = "He shouted at me.\nThen he left."
SECOND = "He shouted and threatened me."


def add(*extra: str) -> int:
    return main(["incident", "add", "--by", "Cllr Doe", "--tz", "Europe/London", *extra])


@pytest.fixture
def log(tmp_path):
    with open_store(tmp_path / "data", FixedClock(T0 + timedelta(hours=1))) as store:
        yield IncidentLog.of(store)


def amended(log: IncidentLog):
    incident = log.record(what=FIRST, recorder=ME, tz="Europe/London", happened_at=T0, people=["John Smith"])
    return log.amend(incident.id, ME, what=SECOND, people=["John Smith", "Sam Jones"], category="threat")


def test_each_revision_says_what_it_replaced_in_the_core_report(log):
    incident = amended(log)
    revision = incident.revisions[-1]
    assert ("what happened", FIRST, SECOND) in revision.replaced
    assert ("people", "John Smith", "John Smith, Sam Jones") in revision.replaced
    assert ("category", "Other", "Threat to kill, rape or serious violence") in revision.replaced
    lines = "\n".join(wording.record_lines(incident))  # what `incident show` and the timeline screen print
    assert "what happened was: He shouted at me.\n      Then he left." in lines
    assert f"what happened became: {SECOND}" in lines


def test_both_packs_keep_the_original_wording(log):
    import io

    import pypdf

    incident = amended(log)
    info = PackInfo(
        subject="John Smith",
        prepared_by=ME,
        generated_at=T0 + timedelta(hours=2),
        tz="Europe/London",
        verification=log.verify(),
    )
    markdown = markdown_pack([incident], info)
    assert "  - what happened was:\n\n    > He shouted at me.\n    > Then he left." in markdown
    assert "  - what happened became:\n\n    > He shouted and threatened me." in markdown
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf_pack([incident], info))).pages)
    assert "what happened was: He shouted at me." in text and "Then he left." in text


def test_incident_show_prints_what_each_amendment_replaced(capsys):
    assert add("--person", "John Smith", "--what", "Polite letter", "--where", "Town hall") == 0
    assert main(["incident", "amend", "1", "--what", "Rude letter", "--by", "Cllr Doe"]) == 0
    capsys.readouterr()
    assert main(["incident", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "What happened: Rude letter" in out
    assert "what happened was: Polite letter" in out and "what happened became: Rude letter" in out


def test_a_paper_log_from_years_ago_is_accepted_and_marked_recorded_later(capsys):
    assert add("--person", "John Smith", "--what", "From my paper diary", "--when", "2019-03-05 14:30") == 0
    assert add("--what", "Day first", "--when", "05/04/2019 09:15") == 0
    capsys.readouterr()
    assert main(["incident", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "Happened: Tue 05 Mar 2019 14:30 GMT (Europe/London)" in out
    assert "recorded later:" in out and "year(s)" in out
    assert main(["incident", "show", "2"]) == 0
    assert "Fri 05 Apr 2019 09:15 BST" in capsys.readouterr().out
    assert add("--what", "x", "--when", "2099-01-01 10:00") == 1
    assert "in the future" in capsys.readouterr().err


def test_a_record_made_at_the_time_is_not_marked(log):
    incident = log.record(what="Just now", recorder=ME, tz="UTC", happened_at=T0)
    assert wording.recorded_later(incident) == ""
    assert "recorded later" not in "\n".join(wording.record_lines(incident))


def test_an_action_cannot_be_dated_before_its_incident(log):
    incident = log.record(what="Threat", recorder=ME, tz="Europe/London", happened_at=T0)
    with pytest.raises(IncidentError, match="before its incident"):
        log.add_action(incident.id, ME, "police", on=date(2026, 11, 2))
    assert log.add_action(incident.id, ME, "police", on=date(2026, 11, 3)).actions[-1].on == date(2026, 11, 3)


def test_deleting_an_incident_deletes_its_drafts(log):
    incident = log.record(what="Threat", recorder=ME, tz="UTC", happened_at=T0, where="12 Acacia Avenue")
    other = log.record(what="Other", recorder=ME, tz="UTC", happened_at=T0)
    log.save_draft(draft_key(incident.id), {"where": "12 Acacia Avenue, flat 2"})
    log.save_draft(draft_key(other.id), {"what": "kept"})
    log.delete(incident.id, ME)
    assert log.draft(draft_key(incident.id)) is None
    assert log.draft(draft_key(other.id)) == {"what": "kept"}
