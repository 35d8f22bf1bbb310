"""`safety-tui checkin` asks the debrief on a terminal (Enter skips each question), never otherwise."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from safety_tui.cli.main import main
from safety_tui.common.clock import FixedClock
from safety_tui.incidents import IncidentLog
from safety_tui.plans.lifecycle import Status
from safety_tui.wiring import open_store
from tests.helpers import full_plan, running_plan


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def started_full_plan() -> str:
    now = datetime.now(timezone.utc)
    with open_store(clock=FixedClock(now - timedelta(minutes=45))) as store:
        plan = full_plan(store, store.clock)  # 12 Acacia Avenue, from 15 minutes ago to 45 minutes from now
        store.start(plan.ref)
    return plan.ref


def overdue_plan() -> str:
    now = datetime.now(timezone.utc)
    with open_store(clock=FixedClock(now - timedelta(hours=3, minutes=30))) as store:  # started before its finish
        running_plan(store, "Late visit", start=now - timedelta(hours=3))
        return store.list_plans(statuses=[Status.IN_PROGRESS])[0].ref


def test_yes_records_an_incident_filled_in_from_the_plan_and_not_okay_shows_support(monkeypatch, capsys):
    ref = started_full_plan()
    monkeypatch.setattr(sys, "stdin", Terminal("y\nn\nhe blocked the door\nMr Smith\n"))
    assert main(["checkin"]) == 0
    out = capsys.readouterr().out
    assert f"{ref}: checked in safe" in out
    assert "Did anything worrying happen?" in out and "How are you?" in out
    assert "Did your contact act?" not in out  # checked in on time
    assert "nominated officer" in out and "Your GP" in out  # not okay: the support routes
    assert "After this visit (your checklists):" in out
    assert "Report it to the council" in out  # what to do next
    with open_store() as store:
        [incident] = IncidentLog.of(store).incidents()
        assert store.get_plan(ref).status is Status.FINISHED
    assert incident.what == "At the visit (Mrs Smith re damp): he blocked the door"
    assert incident.where == "12 Acacia Avenue, Ward End" and incident.plan == ref and incident.who == "Mr Smith"


def test_enter_skips_every_question_and_records_nothing(monkeypatch, capsys):
    ref = overdue_plan()
    monkeypatch.setattr(sys, "stdin", Terminal("\n\n\n"))
    assert main(["checkin", ref]) == 0
    out = capsys.readouterr().out
    assert "Did your contact act?" in out
    with open_store() as store:
        assert IncidentLog.of(store).incidents() == []
        assert not any(e.event.startswith("debrief") for e in store.get_plan(ref).audit)


def test_after_an_overdue_plan_the_contacts_answer_goes_to_the_audit_trail(monkeypatch, capsys):
    ref = overdue_plan()
    monkeypatch.setattr(sys, "stdin", Terminal("n\ny\nn\n"))
    assert main(["checkin"]) == 0
    with open_store() as store:
        entries = [(e.event, e.detail) for e in store.get_plan(ref).audit]
    assert ("debrief: did your contact act?", "no") in entries
    assert main(["show", ref]) == 0
    assert "did your contact act?" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["checkin", "--no-debrief"]])
def test_no_debrief_asks_nothing_even_on_a_terminal(monkeypatch, capsys, args):
    ref = overdue_plan()
    monkeypatch.setattr(sys, "stdin", Terminal("y\nn\ny\nsomething\nsomeone\n"))
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "worrying" not in out
    with open_store() as store:
        assert IncidentLog.of(store).incidents() == []
        assert store.get_plan(ref).status is Status.FINISHED


def test_no_questions_when_stdin_is_not_a_terminal():
    ref = overdue_plan()
    done = subprocess.run(
        [sys.executable, "-m", "safety_tui", "checkin"],
        input="y\nn\ny\nwords\nwho\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f"{ref}: checked in safe" in done.stdout and "worrying" not in done.stdout
    with open_store() as store:
        assert IncidentLog.of(store).incidents() == []


def test_an_arrow_key_typed_in_an_answer_is_not_text_and_the_check_in_stands(monkeypatch, capsys):
    """A terminal sends ESC [ D for the left arrow: it is dropped, not refused as a control character."""
    ref = started_full_plan()
    monkeypatch.setattr(sys, "stdin", Terminal("y\n\nHe shouted at me\x1b[D\nBob\n"))
    assert main(["checkin"]) == 0
    with open_store() as store:
        [incident] = IncidentLog.of(store).incidents()
        assert store.get_plan(ref).status is Status.FINISHED
    assert incident.what.endswith("He shouted at me")


def test_a_debrief_that_cannot_be_saved_says_so_and_the_check_in_still_succeeds(monkeypatch, capsys):
    ref = started_full_plan()
    monkeypatch.setattr(sys, "stdin", Terminal("y\n\nHe shouted \x07 at me\nBob\n"))  # a BEL: refused by the log
    assert main(["checkin"]) == 0
    captured = capsys.readouterr()
    assert f"{ref}: checked in safe" in captured.out
    assert "the debrief was not saved" in captured.err and "\x07" not in captured.err
    with open_store() as store:
        assert store.get_plan(ref).status is Status.FINISHED
