"""Rules that live once in the core: overdue, limits, durations, starting, the one date format, typed text."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safety_tui.common import textrules
from safety_tui.common.clock import LATEST
from safety_tui.common.errors import PlanError
from safety_tui.common.timefmt import format_duration, format_span, format_when
from safety_tui.plans.lifecycle import (
    MAX_EXTEND_MINUTES,
    MAX_GRACE_MINUTES,
    Scheduled,
    Status,
    check_extend_minutes,
    extended_finish,
    reschedule_start,
    visit_length,
)
from safety_tui.plans.model import FIELD_LABELS, Contact, ItemAnswer, Plan, validated
from tests.helpers import T0, bundled_catalog

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")


# -- one overdue rule for the plan and anything else with a schedule ---------------------
@dataclass(frozen=True)
class Row(Scheduled):
    status: Status
    finish: datetime | None
    grace_minutes: int
    tz: str


@pytest.mark.parametrize("status", list(Status))
def test_plan_and_a_plain_row_share_one_overdue_rule(status):
    finish = T0 + timedelta(hours=1)
    row = Row(status, finish, 15, "Europe/London")
    plan = Plan(status=status, start=T0, finish=finish, grace_minutes=15, tz="Europe/London")
    assert row.due_at == plan.due_at == finish + timedelta(minutes=15)
    for now in (row.due_at, row.due_at + timedelta(seconds=1)):
        assert row.is_overdue(now) == plan.is_overdue(now) == (status is Status.IN_PROGRESS and now > row.due_at)
        assert row.state(now) == plan.state(now)
    assert row.local(finish) == plan.local(finish) == finish.astimezone(LONDON)
    assert row.local(None) is None and Row(status, None, 15, "UTC").due_at is None


# -- limits, defined once ---------------------------------------------------------------
def test_the_one_day_limits():
    assert MAX_EXTEND_MINUTES == MAX_GRACE_MINUTES == 1440
    assert check_extend_minutes(1) == 1 and check_extend_minutes(1440) == 1440
    for minutes in (0, -5, 1441, 10**12):
        with pytest.raises(PlanError, match="^extend by 1 to 1440 minutes$"):
            check_extend_minutes(minutes)
    with pytest.raises(ValueError, match="less than or equal to 1440"):
        Plan(grace_minutes=1441)


def test_extending_never_overflows():
    assert extended_finish(Status.IN_PROGRESS, T0, 30, T0) == T0 + timedelta(minutes=30)
    with pytest.raises(PlanError, match="out of range"):
        extended_finish(Status.IN_PROGRESS, LATEST - timedelta(minutes=5), 1440, T0)
    with pytest.raises(PlanError, match="a finished plan cannot be extended"):
        extended_finish(Status.FINISHED, T0, 30, T0)
    with pytest.raises(PlanError, match="no expected finish"):
        extended_finish(Status.DRAFT, None, 30, T0)


def test_retention_days_are_bounded_so_purge_never_overflows():
    from safety_tui.plans.lifecycle import check_retention_days, retention_cutoff

    assert retention_cutoff(T0, 30) == T0 - timedelta(days=30)
    assert retention_cutoff(T0, 0) == T0
    for days in (99999999, -1, 3651):
        with pytest.raises(PlanError, match="^keep finished plans 0 to 3650 days$"):
            retention_cutoff(T0, days)
    with pytest.raises(PlanError, match="^keep finished plans 1 to 3650 days$"):
        check_retention_days(0)


def test_huge_or_out_of_range_times_are_refused_by_the_model():
    for when in (datetime(9999, 12, 31, 23, 0, tzinfo=UTC), datetime(1, 1, 1, 0, 10, tzinfo=ZoneInfo("Europe/Berlin"))):
        with pytest.raises(PlanError, match="start: that time is out of range"):
            validated(Plan, start=when)


# -- durations in real time, and a moved start keeps the length ---------------------------
def test_visit_length_and_reschedule_keep_real_time_across_dst():
    start = datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)  # GMT; clocks jump at 01:00 GMT
    finish = datetime(2026, 3, 29, 3, 30, tzinfo=LONDON)  # BST
    assert visit_length(start, finish) == timedelta(hours=2)
    moved = reschedule_start(start, finish, datetime(2026, 3, 28, 23, 30, tzinfo=LONDON))
    assert visit_length(moved.start, moved.finish) == timedelta(hours=2)
    assert moved.finish == datetime(2026, 3, 29, 2, 30, tzinfo=LONDON)  # 01:30 UTC = 02:30 BST
    assert reschedule_start(None, None, start) == (start, None)


def test_plan_reschedule_start_keeps_the_duration():
    plan = Plan(start=T0, finish=T0 + timedelta(minutes=90), tz="Europe/London")
    new = plan.reschedule_start(T0 + timedelta(hours=3))
    assert new.finish - new.start == timedelta(minutes=90)


# -- the one way a time is shown ---------------------------------------------------------
def test_format_when_and_span_show_the_date_whenever_the_day_changes():
    start = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)
    assert format_when(start, "Europe/London") == "Wed 25 Nov 22:30"
    assert format_when(start, "Europe/London", with_year=True) == "Wed 25 Nov 2026 22:30"
    assert format_when(None, "UTC") == "(not set)" and format_when(None, "UTC", missing="-") == "-"
    assert format_span(start, start + timedelta(minutes=45), "Europe/London") == "Wed 25 Nov 22:30 to 23:15"
    assert format_span(start, start + timedelta(hours=3), "Europe/London") == "Wed 25 Nov 22:30 to Thu 26 Nov 01:30"
    assert (
        format_span(start, start + timedelta(hours=3), "Europe/London", sep="-") == "Wed 25 Nov 22:30-Thu 26 Nov 01:30"
    )
    assert format_span(start, start + timedelta(hours=1), "Asia/Tokyo") == "Thu 26 Nov 07:30 to 08:30"
    assert format_span(start, None, "UTC") == "(not set)"


def test_format_when_at_the_edge_of_the_calendar_says_utc_rather_than_crash():
    assert format_when(datetime.max.replace(tzinfo=UTC), "Pacific/Kiritimati") == "Fri 31 Dec 23:59 UTC"


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=1, minutes=5), "1h 05m"),
        (timedelta(minutes=12), "12m"),
        (timedelta(minutes=3, seconds=20), "3m 20s"),
        (timedelta(seconds=45), "45s"),
        (timedelta(minutes=-90), "1h 30m"),
        (timedelta(hours=26), "26h 00m"),
    ],
)
def test_format_duration(delta, text):
    assert format_duration(delta) == text


# -- may a plan start? ------------------------------------------------------------------
def _ready_plan(**fields):
    catalog = bundled_catalog()
    from safety_tui.plans.model import ChecklistSnapshot

    base = dict(
        status=Status.READY,
        start=T0 + timedelta(minutes=30),
        finish=T0 + timedelta(minutes=90),
        tz="Europe/London",
        contacts=[Contact(name="Sam", told_at=T0)],
        checklists=[ChecklistSnapshot.of(catalog.get("home-visit"))],
    )
    base.update(fields)
    plan = Plan(**base)
    for item in plan.checklists[0].checklist().items():
        if "answers" not in fields:
            plan.answers[f"home-visit/{item.id}"] = ItemAnswer(
                checklist_id="home-visit",
                item_id=item.id,
                value="yes" if item.type.value == "question" else "done",
                answered_at=T0,
            )
    return plan


def test_a_plan_whose_finish_has_passed_cannot_start():
    plan = _ready_plan()
    check = plan.start_check(plan.finish)
    assert (
        check.refusal == "The expected finish time has already passed. Set the start and finish again before you start."
    )
    with pytest.raises(PlanError, match="already passed"):
        check.raise_if_refused()
    assert plan.start_check(plan.finish - timedelta(minutes=1)).allowed


def test_a_well_prepared_plan_starts_without_questions():
    check = _ready_plan().start_check(T0)
    assert check.allowed and check.questions == []
    check.raise_if_refused()


def test_starting_far_ahead_asks_first():
    plan = _ready_plan(start=T0 + timedelta(hours=13), finish=T0 + timedelta(hours=14))
    assert plan.start_check(T0).questions == [
        "The start (Thu 26 Nov 02:00) is more than 12 hours away. Start the plan now anyway?"
    ]
    assert _ready_plan(start=T0 + timedelta(hours=12), finish=T0 + timedelta(hours=13)).start_check(T0).questions == []


def test_critical_items_unanswered_and_nobody_told_ask_first():
    from safety_tui.plans.model import ChecklistSnapshot

    catalog = bundled_catalog()
    snapshots = [ChecklistSnapshot.of(catalog.get(i)) for i in ("home-visit", "personal-safety-basics")]
    plan = _ready_plan(contacts=[Contact(name="Sam")], answers={}, checklists=snapshots)
    questions = plan.start_check(T0).questions
    # Only what the walk asks counts: not the items Who's told or Code word carry out.
    critical = sum(1 for e in plan.walk_items() if e.critical)
    assert critical >= 1
    assert questions == [
        f"{critical} critical checklist item(s) not answered yet. Start anyway?",
        "Nobody has been told where you are going. Start anyway?",
    ]


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"status": Status.FINISHED}, "a finished plan cannot be started"),
        ({"status": Status.IN_PROGRESS}, "the plan has already started"),
        ({"start": None}, "set the start and expected finish times first"),
    ],
)
def test_refusals(fields, refusal):
    assert _ready_plan(**fields).start_check(T0).refusal == refusal


# -- typed text: no control characters, one line except notes ---------------------------
HOSTILE = ["\x1b]0;PWNED\x07", "\x00", "\x7f", "\x9b31m", "abc\u202eexe.txt", "\u2066x\u2069", "a\tb"]
PLAN_FIELDS = ["title", "location", "owner_name", "escalation", "code_word", "code_meaning"]


@pytest.mark.parametrize("bad", HOSTILE)
@pytest.mark.parametrize("field", PLAN_FIELDS)
def test_plan_fields_refuse_control_characters_naming_the_field(field, bad):
    with pytest.raises(PlanError) as caught:
        validated(Plan, **{field: f"ok {bad} ok"})
    message = str(caught.value)
    assert "control character U+" in message and "is not allowed" in message
    assert message.startswith(FIELD_LABELS[field] + ": ")
    assert bad not in message  # the value is never echoed


@pytest.mark.parametrize("bad", HOSTILE)
def test_contacts_refuse_control_characters(bad):
    with pytest.raises(PlanError, match="^contact name: control character"):
        validated(Contact, name=f"Sam{bad}")
    with pytest.raises(PlanError, match="^contact phone: control character"):
        validated(Contact, name="Sam", phone=f"07700{bad}")
    with pytest.raises(PlanError, match=r"^contacts: contact name: control character|^contact name: control"):
        validated(Plan, contacts=[{"name": f"Sam{bad}"}])


def test_single_line_fields_refuse_line_breaks_and_notes_keep_them():
    with pytest.raises(PlanError, match="^title: must be on one line$"):
        validated(Plan, title="one\ntwo")
    assert ItemAnswer.clean_note("line one\r\nline two\n\nline four\n") == "line one\nline two\n\nline four"
    with pytest.raises(PlanError, match="^note: control character U\\+001B"):
        ItemAnswer.clean_note("a\x1b[2Jb")
    assert textrules.note("first\rsecond") == "first\nsecond"


def test_settings_name_and_notes_are_checked_without_the_model():
    assert textrules.person_name("  Cllr Jo Bloggs ") == "Cllr Jo Bloggs"
    with pytest.raises(PlanError, match="^name: at most 100 characters"):
        textrules.person_name("x" * 250)
    with pytest.raises(PlanError, match="^name: control character U\\+202E is not allowed$"):
        textrules.person_name("Jo\u202eBloggs")
    with pytest.raises(PlanError, match="^note: control character U\\+0007"):
        textrules.note("ring\x07")


def test_validation_errors_never_show_the_value():
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        Plan(code_word="pineapple\x1b", code_meaning="x" * 3000)
    assert "pineapple" not in str(caught.value) and "xxxx" not in str(caught.value)


# -- the light modules stay light ---------------------------------------------------------
def test_clock_vocabulary_lifecycle_and_timefmt_import_no_pydantic():
    code = (
        "import sys\n"
        "import safety_tui.common.clock, safety_tui.checklists.vocabulary, safety_tui.plans.lifecycle, safety_tui.common.timefmt\n"
        "import safety_tui.common.textrules, safety_tui.plans.timeparse\n"
        "heavy = [m for m in sys.modules if m.startswith(('pydantic', 'textual')) or m == 'safety_tui.plans.model']\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@settings(deadline=None)  # examples: the profile (conftest)
@given(text=st.text(max_size=300), field=st.sampled_from(PLAN_FIELDS))
def test_any_typed_text_is_stored_clean_or_refused_with_a_plan_error(text, field):
    from safety_tui.common.text import has_control_chars

    try:
        plan = validated(Plan, **{field: text})
    except PlanError as exc:
        assert str(exc).split(": ", 1)[0] in FIELD_LABELS.values()
        return
    value = getattr(plan, field)
    assert has_control_chars(value) is None and "\n" not in value and value == value.strip()
