"""Rules of the plan model, with an injected clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from safety_tui.checklists.loader.catalog import load_catalog
from safety_tui.common.errors import PlanError
from safety_tui.plans.lifecycle import Status
from safety_tui.plans.model import FIELD_LABELS, Plan
from tests.conftest import valid_yaml, write_yaml
from tests.helpers import T0, full_plan, make_store


def test_finish_before_start_is_rejected_with_a_clear_message(tmp_path):
    with pytest.raises(ValueError, match="the expected finish must be after the start"):
        Plan(start=T0, finish=T0 - timedelta(minutes=5))
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    with pytest.raises(PlanError, match="^the expected finish must be after the start$"):
        store.update(plan.ref, finish=plan.start - timedelta(minutes=1))
    assert store.get_plan(plan.ref).finish == plan.finish  # nothing half-written


def test_naive_times_are_refused():
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone"):
        Plan(start=datetime(2026, 11, 25, 14, 0))


def test_overdue_exactly_after_finish_plus_grace(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.start(full_plan(store, clock).ref)
    due = plan.finish + timedelta(minutes=plan.grace_minutes)
    clock.set(due)
    assert not store.get_plan(plan.ref).is_overdue(clock.now())
    assert store.overdue() == []
    clock.advance(seconds=1)
    assert store.get_plan(plan.ref).state(clock.now()) == "overdue"
    assert [p.ref for p in store.overdue()] == [plan.ref]


def test_a_plan_not_started_is_never_overdue(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.mark_ready(full_plan(store, clock).ref)
    clock.advance(days=2)
    assert not store.get_plan(plan.ref).is_overdue(clock.now())


def test_extend_moves_finish_and_is_logged(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.start(full_plan(store, clock).ref)
    clock.set(plan.due_at + timedelta(minutes=1))
    assert store.get_plan(plan.ref).is_overdue(clock.now())
    extended = store.extend(plan.ref, 30)
    assert extended.finish == clock.now() + timedelta(minutes=30)  # overdue: counted from now, not the old finish
    assert not extended.is_overdue(clock.now())
    assert extended.audit[-1].event == "extended" and "+30 min" in extended.audit[-1].detail


def test_check_in_finishes_and_clears_overdue(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.start(full_plan(store, clock).ref)
    clock.advance(hours=5)
    done = store.check_in(plan.ref)
    assert done.status is Status.FINISHED
    assert done.checked_in_at == clock.now()
    assert not done.is_overdue(clock.now())
    with pytest.raises(PlanError, match="^a finished plan cannot be started$"):
        store.start(plan.ref)


def test_lifecycle_needs_times_before_ready(tmp_path):
    store, _ = make_store(tmp_path)
    plan = store.create_plan("surgery")
    with pytest.raises(PlanError, match="set the start and expected finish times first"):
        store.mark_ready(plan.ref)
    assert store.cancel(plan.ref).status is Status.CANCELLED


def test_every_change_is_in_the_audit_trail_without_secrets(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock, code_word="pineapple-secret")
    store.start(plan.ref)
    audit = store.get_plan(plan.ref).audit
    events = [a.event for a in audit]
    assert events[0] == "created" and "contact added" in events and events[-1] == "started"
    assert "code_word" in [a.detail for a in audit if a.event == "edited"]  # one entry per edited field
    text = " ".join(f"{a.event} {a.detail}" for a in audit)
    for secret in ("pineapple-secret", "Acacia", "07700", "Sam Partner"):
        assert secret not in text


def test_refs_are_short_and_per_day(tmp_path):
    store, clock = make_store(tmp_path)
    a = store.create_plan("surgery")
    b = store.create_plan("surgery")
    clock.advance(days=1)
    c = store.create_plan("surgery")
    assert [a.ref, b.ref, c.ref] == ["2026-11-25-1", "2026-11-25-2", "2026-11-26-1"]
    assert store.resolve("last") == c.ref


def test_snapshot_survives_a_changed_yaml_file(tmp_path):
    folder = tmp_path / "lists"
    path = write_yaml(folder, "x.yaml", valid_yaml())
    checklist = load_catalog([("organisation", folder)]).get("test-list")
    store, _ = make_store(tmp_path)
    plan = store.create_plan("home-visit", [], [checklist])
    store.set_answer(plan.ref, "test-list", "tell-someone", "done")
    path.write_text(valid_yaml().replace("Tell someone where you are going.", "Completely different text."))
    assert load_catalog([("organisation", folder)]).get("test-list").items()[0].text == "Completely different text."
    old = store.get_plan(plan.ref).checklist("test-list")
    assert old.items()[0].text == "Tell someone where you are going."
    assert store.get_plan(plan.ref).checklists[0].content_hash == checklist.content_hash()


def test_risks_list_critical_not_done_nobody_told_no_code_word(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.create_plan("home-visit", [], [load_catalog_bundled().get("home-visit")])
    store.set_answer(plan.ref, "home-visit", "doubts-about-premises", "yes")
    store.set_answer(plan.ref, "home-visit", "about-the-premises", "no")
    store.set_answer(plan.ref, "home-visit", "neutral-venue", "not-done", note="no venue free")
    store.set_answer(plan.ref, "home-visit", "code-word", "not-done", note="the Code word step does this")
    risks = store.get_plan(plan.ref).risks(clock.now())
    assert risks[0].startswith("Not done: ") and risks[0].endswith("(reason: no venue free)")
    assert not any("the Code word step does this" in r for r in risks)  # a step carries it out: never a risk
    assert "Nobody has been told where you are going." in risks
    assert "No code word agreed." in risks


def test_progress_counts_only_what_the_walk_asks_conditional_items_when_shown(tmp_path):
    from safety_tui.checklists.compose import compose_checklists
    from safety_tui.checklists.model import When

    store, _ = make_store(tmp_path)
    checklist = load_catalog_bundled().get("home-visit")
    plan = store.create_plan("home-visit", [], [checklist])
    composition = compose_checklists([checklist])
    asked = [e for e in composition.before if e.item.show_if is None]
    assert len(asked) < len(checklist.items(When.BEFORE))  # step-carried items are not counted
    assert store.get_plan(plan.ref).progress() == (0, len(asked))
    store.set_answer(plan.ref, "home-visit", "doubts-about-premises", "yes")
    assert store.get_plan(plan.ref).progress() == (1, len(asked) + 1)  # about-the-premises now shows


def load_catalog_bundled():
    from tests.helpers import bundled_catalog

    return bundled_catalog()


def test_unanswered_items_are_a_risk_counting_critical_ones(tmp_path):
    from safety_tui.checklists.compose import compose_checklists

    store, clock = make_store(tmp_path)
    checklist = load_catalog_bundled().get("home-visit")
    plan = store.create_plan("home-visit", [], [checklist])
    store.set_answer(plan.ref, "home-visit", "daylight-hours", "done")
    store.set_answer(plan.ref, "home-visit", "doubts-about-premises", "yes")
    store.set_answer(plan.ref, "home-visit", "about-the-premises", "no")  # shows the critical neutral-venue
    walk = compose_checklists([checklist]).walk({"home-visit": store.get_plan(plan.ref).answers_for("home-visit")})
    open_items = [e for e in walk if e.id not in ("daylight-hours", "doubts-about-premises", "about-the-premises")]
    critical_open = sum(e.critical for e in open_items)
    assert critical_open >= 1
    risks = store.get_plan(plan.ref).risks(clock.now())
    assert f"{len(open_items)} checklist item(s) not answered yet, {critical_open} of them critical." in risks


def test_store_edits_refuse_control_characters_naming_the_field(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    for field in ("title", "location", "escalation", "code_meaning", "code_word", "owner_name"):
        # The field by its name, or by its label once the store uses plan.validation_message.
        named = f"^({field}|{FIELD_LABELS[field]}): control character U\\+001B is not allowed$"
        with pytest.raises(PlanError, match=named):
            store.update(plan.ref, **{field: "x\x1b]0;PWNED\x07"})
    with pytest.raises(ValueError, match="control character"):
        store.add_contact(plan.ref, "Sam\x1b[2J", "07700 900123")
    after = store.get_plan(plan.ref)
    assert after.title == plan.title and [c.name for c in after.contacts] == ["Sam Partner"]


def test_start_check_refuses_a_plan_whose_finish_passed_and_today_cannot_start_it(tmp_path):
    """Defect: `s` on Today started an instantly overdue plan; the rule is the core's start_check."""
    store, clock = make_store(tmp_path)
    plan = store.mark_ready(full_plan(store, clock).ref)
    clock.set(plan.finish + timedelta(minutes=1))
    check = store.get_plan(plan.ref).start_check(clock.now())
    assert check.refusal is not None and "already passed" in check.refusal


def test_the_store_refuses_to_start_a_plan_whose_finish_passed(tmp_path):
    store, clock = make_store(tmp_path)
    plan = store.mark_ready(full_plan(store, clock).ref)
    clock.set(plan.finish + timedelta(minutes=1))
    with pytest.raises(PlanError, match="already passed"):
        store.start(plan.ref)
    assert store.get_plan(plan.ref).status is Status.READY


def test_a_finish_typed_before_the_start_is_never_saved_as_the_next_day(tmp_path):
    from safety_tui.common.timefmt import format_span
    from safety_tui.plans.timeparse import FinishBeforeStart, parse_finish, parse_start

    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    start = parse_start("22:30", clock.now(), plan.tz)
    with pytest.raises(FinishBeforeStart) as caught:
        parse_finish("22:00", start, clock.now(), plan.tz)
    saved = store.update(plan.ref, start=start, finish=caught.value.next_day)  # the councillor said yes
    assert saved.finish - saved.start == timedelta(hours=23, minutes=30)
    assert format_span(saved.start, saved.finish, saved.tz, sep="-") == "Wed 25 Nov 22:30-Thu 26 Nov 22:00"


def test_the_store_refuses_control_characters_in_notes_and_keeps_lines(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.set_answer(plan.ref, "home-visit", "tell-someone", "done", note="first line\r\nsecond line")
    assert store.get_plan(plan.ref).answer("home-visit", "tell-someone").note == "first line\nsecond line"
    with pytest.raises(PlanError, match="^note: control character U\\+001B is not allowed$"):
        store.set_answer(plan.ref, "home-visit", "tell-someone", "done", note="x\x1b]0;PWNED\x07")
