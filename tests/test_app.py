"""End-to-end through the real app: keys in, the screen and the store checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input

from safety_tui.checklists.vocabulary import Answer, ItemType
from safety_tui.common.clock import FixedClock
from safety_tui.plans.lifecycle import Status
from safety_tui.ui.app import create_app
from safety_tui.ui.dialogs.qr import QrDialog
from safety_tui.ui.dialogs.text_prompt import TextPrompt
from safety_tui.ui.screens.checklists import ChecklistsScreen
from safety_tui.ui.screens.codeword import CodeWordStep
from safety_tui.ui.screens.contacts import ContactsStep
from safety_tui.ui.screens.details import DetailsStep
from safety_tui.ui.screens.history import HistoryScreen
from safety_tui.ui.screens.plan_detail import PlanDetailScreen
from safety_tui.ui.screens.review import ReviewStep
from safety_tui.ui.screens.store_error import StoreErrorScreen
from safety_tui.ui.screens.today import TodayScreen
from safety_tui.ui.screens.visit_type import VisitTypeStep
from safety_tui.ui.screens.walk import WalkStep
from safety_tui.wiring import open_store
from tests.conftest import valid_yaml, write_yaml
from tests.helpers import (
    T0,
    build_app,
    fill,
    flat_text,
    open_highlighted,
    running_plan,
    screen_text,
    seen,
    settle,
    today_settled,
    type_keys,
    wizard_step,
)


def make_app(tmp_path, clock: FixedClock | None = None, org=None):
    """The app on ``tmp_path/data`` (used by other test modules too)."""
    return build_app(tmp_path / "data", clock or FixedClock(T0), org)


async def answer_all(pilot, app) -> None:
    """Answer every visible item: yes/no questions 'n', checks 'd'."""
    screen = wizard_step(app)
    for _ in range(200):
        current = screen.current()
        if current is None:
            return
        await pilot.press("n" if current[1].type is ItemType.QUESTION else "d")
    raise AssertionError("walk did not end")


@pytest.mark.slow  # a journey through several screens
async def test_home_visit_planned_entirely_from_the_keyboard(app, data_dir):
    """The whole wizard by keyboard: every answer, contact and time lands in the store.

    The one journey that types key by key (every other test pastes with ``fill``). It takes seconds,
    so it runs in ``make test-all`` (CI) with the other journeys, not in the everyday lane."""
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("n")
        assert isinstance(wizard_step(app), VisitTypeStep)
        # Home visit is the default; add travel by car (tab to the modes list, space on 'Car').
        await pilot.press("tab", "space")
        await settle(pilot)
        ref = app.store.resolve("last")
        assert [c.checklist_id for c in app.store.get_plan(ref).checklists] == [
            "home-visit",
            "travel-car",
            "personal-safety-basics",
        ]  # walk order: the visit's own checklist, travel, the basics
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), DetailsStep)
        await type_keys(pilot, "Mrs Smith")
        await pilot.press("tab")
        await type_keys(pilot, "12 Acacia Avenue")
        await pilot.press("tab")
        await type_keys(pilot, "Jo")
        await pilot.press("tab")
        await type_keys(pilot, "07700 900123")  # your phone, asked once: the message says "Ring me on ..."
        await pilot.press("tab", "ctrl+u")
        await type_keys(pilot, "today 2:30pm")
        await pilot.press("tab", "ctrl+u")
        await type_keys(pilot, "+1h")
        await settle(pilot)
        assert "Your contact should worry from 15:45." in screen_text(app)
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), WalkStep)
        # A critical item answered "not done" asks for a reason.
        # decide to go: done; doubts? no; 3 home-visit checks; 2 travel-car checks; dark on return? no;
        # 1 basics check; then "phone charged" (critical)
        await pilot.press("d", "n", *["d"] * 5, "n", "d")
        await pilot.press("x")
        assert isinstance(app.screen, TextPrompt)
        await type_keys(pilot, "will text later")
        await pilot.press("enter")
        await answer_all(pilot, app)
        assert "Every item has an answer" in screen_text(app)
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), CodeWordStep)  # agreed before anyone is told
        await fill(pilot, "walrus tusk")
        assert "walrus tusk" not in screen_text(app)
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), ContactsStep)
        await type_keys(pilot, "Sam")
        await pilot.press("enter")
        await type_keys(pilot, "07700900123")
        await pilot.press("enter")
        assert "NOT YET" in screen_text(app)  # added is not told: the councillor says when
        app.screen.query_one("#contacts").focus()
        await pilot.press("t")
        assert "told 13:00" in screen_text(app)
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), ReviewStep)
        text = flat_text(app)
        assert (
            "! Not done: Charge your mobile phone and take it with you." in text and "(reason: will text later)" in text
        )
        assert "walrus tusk" not in text  # masked on screen until asked for
        await pilot.press("r")
        assert "walrus tusk" in screen_text(app)
        await pilot.press("g")
        assert isinstance(app.screen, TodayScreen)
        assert "In progress: Mrs Smith" in screen_text(app)

    plan = open_store(data_dir).get_plan(ref)
    assert plan.status is Status.IN_PROGRESS
    assert (plan.title, plan.location, plan.owner_name) == ("Mrs Smith", "12 Acacia Avenue", "Jo")
    assert plan.local(plan.start).strftime("%Y-%m-%d %H:%M") == "2026-11-25 14:30"
    assert plan.finish - plan.start == timedelta(hours=1)
    assert [(c.name, c.phone, c.told) for c in plan.contacts] == [("Sam", "07700900123", True)]
    assert plan.code_word == "walrus tusk"
    assert plan.code_meaning
    answered, total = plan.progress()
    assert answered == total >= 12  # the composed walk: what Who's told and Code word do is not asked
    tell = plan.answer("personal-safety-basics", "phone-charged")
    assert (tell.value, tell.note) == (Answer.NOT_DONE, "will text later")
    assert plan.answer("home-visit", "doubts-about-premises").value is Answer.NO
    assert plan.answer("home-visit", "neutral-venue") is None  # hidden: its question was answered no


async def test_details_typed_key_by_key_reach_the_store(app, wizard_draft):
    """The everyday lane's keyboard check (the whole typed journey runs in ``make test-all``):
    keys typed one at a time into the Details step's fields are saved, and the finish typed is
    read back as the time the contact should worry."""
    ref = wizard_draft("details", title="", location="")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), DetailsStep)
        await type_keys(pilot, "Mrs Smith")
        await pilot.press("tab")
        await type_keys(pilot, "12 Acacia Avenue")
        app.screen.query_one("#finish", Input).focus()
        await pilot.press("ctrl+u")
        await type_keys(pilot, "+2h")
        await settle(pilot)
        assert "Your contact should worry from 15:45." in screen_text(app)
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), WalkStep)
    plan = open_store(app.data_dir).get_plan(ref)
    assert (plan.title, plan.location) == ("Mrs Smith", "12 Acacia Avenue")
    assert plan.finish - plan.start == timedelta(hours=2)


async def test_closed_half_way_resumes_at_the_same_item(app, data_dir, clock, wizard_draft):
    """Closing the app mid-walk loses nothing: Enter on the draft resumes at the same item."""
    wizard_draft("walk")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), WalkStep)
        # decide to go: done; doubts? yes; about the premises? no -> neutral venue; done; daylight done
        await pilot.press("d", "y", "n", "d", "d")
        assert wizard_step(app).current()[1].id == "call-ahead"
        ref = app.store.resolve("last")
    app = build_app(data_dir, clock)  # the terminal closed; start again
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert "draft" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(wizard_step(app), WalkStep)
        assert wizard_step(app).current()[1].id == "call-ahead"
        assert "Call the resident beforehand" in screen_text(app)
    plan = open_store(data_dir).get_plan(ref)
    assert {k: a.value.value for k, a in plan.answers.items()} == {
        "home-visit/decide-to-go": "done",
        "home-visit/doubts-about-premises": "yes",
        "home-visit/about-the-premises": "no",
        "home-visit/neutral-venue": "done",
        "home-visit/daylight-hours": "done",
    }
    assert plan.cursor == "home-visit/call-ahead"


async def test_overdue_is_shown_and_cleared_by_check_in(app, store, clock):
    plan = running_plan(store, "Late visit")
    clock.set(T0 + timedelta(hours=1, minutes=20))  # 5 minutes past finish + 15 grace
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert "OVERDUE by 5m 00s: Late visit" in screen_text(app)
        await pilot.press("c")
        await pilot.press("escape")  # skip the debrief (tests/test_debrief_app.py)
        assert "Nothing in progress." in screen_text(app)
        assert "OVERDUE" not in screen_text(app)
    assert store.get_plan(plan.ref).status is Status.FINISHED


@pytest.mark.parametrize("keys, minutes", [(["e", "3"], 90), (["e", "tab", "4", "5", "enter"], 105)])
async def test_extend_from_today(app, store, keys, minutes):
    plan = running_plan(store, "Surgery")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press(*keys)
        assert "Extended by" in await seen(pilot)
    assert store.get_plan(plan.ref).finish == T0 + timedelta(minutes=minutes)


HOSTILE = valid_yaml(id="hostile", title="[red]Hostile[/red] [link=http://x]list").replace(
    "text: Tell someone where you are going.", 'text: "[bold]Tell[/] [$accent]someone[/] [Bold]now"'
)


async def test_markup_in_a_checklist_is_shown_literally(tmp_path, data_dir, clock):
    org = tmp_path / "org"
    write_yaml(org, "hostile.yaml", HOSTILE.replace("title: [red]", "title: '[red]").replace("]list\n", "]list'\n"))
    app = build_app(data_dir, clock, org=org)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await app.wait_for_catalog()
        await pilot.press("n")
        app.store.set_checklists(app.store.resolve("last"), [app.catalog.get("hostile")])
        await pilot.press("ctrl+n", "ctrl+n")
        text = screen_text(app)
        assert "[bold]Tell[/] [$accent]someone[/] [Bold]now" in text
        assert "[red]Hostile[/red] [link=http://x]list" in text


async def test_user_text_with_markup_and_escapes_is_literal(app, store):
    plan = store.create_plan("surgery", tz="Europe/London", title="[red]x[/red]")
    # The model refuses control characters; a row written by an older version or another program may hold them.
    store.conn.execute("UPDATE plans SET title = ? WHERE ref = ?", ("[red]x[/red] \x1b]0;pwned\x07", plan.ref))
    async with app.run_test(size=(100, 24), notifications=True):
        assert "[red]x[/red] \\x1b]0;pwned\\x07" in screen_text(app)


async def test_broken_checklist_reported_while_others_work(tmp_path, data_dir, clock):
    org = tmp_path / "org"
    write_yaml(org, "good.yaml", valid_yaml(id="council-extra", title="Council extra"))
    bad = write_yaml(org, "bad.yaml", valid_yaml(id="bad").replace("title: Test list", "titel: Bad"))
    app = build_app(data_dir, clock, org=org)
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        catalog = await app.wait_for_catalog()
        assert len(catalog.errors) == 2  # missing title + unknown titel
        await pilot.press("l")
        assert isinstance(app.screen, ChecklistsScreen)
        assert "unknown key 'titel', did you mean 'title'?" in flat_text(app)
        assert {"council-extra", "home-visit"} <= set(catalog.checklists)
        bad.write_text(valid_yaml(id="bad", title="Fixed"))  # fix the file and reload with r
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "bad" in app.catalog.checklists
        assert "None: every file loaded." in screen_text(app)


async def test_corrupt_store_gives_a_clear_screen_and_is_untouched(app, data_dir):
    data_dir.mkdir()
    db = data_dir / "plans.sqlite3"
    db.write_bytes(b"not a database" * 20)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert isinstance(app.screen, StoreErrorScreen)
        assert "will not touch it" in flat_text(app)
        await pilot.press("n")  # no new plan possible
        assert isinstance(app.screen, StoreErrorScreen)
    assert db.read_bytes() == b"not a database" * 20


async def test_history_filters_and_opens_detail_with_masked_code_word(app, store):
    store.create_plan("surgery", tz="Europe/London", title="Ward surgery at library")
    b = store.create_plan("home-visit", tz="Europe/London", title="Mr Jones")
    store.update(b.ref, code_word="walrus", start=T0, finish=T0 + timedelta(hours=1))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("h", "slash")
        await fill(pilot, "jones")
        assert "Mr Jones" in screen_text(app) and "Ward surgery" not in screen_text(app)
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, PlanDetailScreen)
        text = screen_text(app)
        assert "Mr Jones" in text and "walrus" not in text and "•••••" in text
        await pilot.press("r")
        assert "walrus" in screen_text(app)


async def test_a_plan_in_progress_is_not_edited_and_the_store_says_why(app, store):
    plan = running_plan(store, "Late visit")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await today_settled(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, PlanDetailScreen)
        await pilot.press("w")
        text = await seen(pilot)
        assert "only a draft or a ready plan can be edited" in text  # the store's rule, in its words
        assert isinstance(app.screen, PlanDetailScreen)
    assert store.get_plan(plan.ref).status.value == "in-progress"


async def test_app_started_as_the_cli_starts_it(tmp_path, monkeypatch, clock):
    """No layers passed: the default search path, as `safety-tui` and `make run` use."""
    org = tmp_path / "council"
    write_yaml(org, "extra.yaml", valid_yaml(id="council-extra", title="Council extra"))
    monkeypatch.setenv("SAFETY_TUI_CHECKLISTS", str(org))
    app = create_app(data_dir=tmp_path / "data", clock=clock, tz="Europe/London")
    async with app.run_test(size=(80, 24), notifications=True):
        assert isinstance(app.screen, TodayScreen)
        catalog = await app.wait_for_catalog()
        assert {"home-visit", "ward-surgery", "council-extra"} <= set(catalog.checklists)
        assert [layer for layer, _ in app.layers] == ["bundled", "organisation", "user"]


def test_cli_run_builds_the_app_without_error(monkeypatch):
    """`safety-tui` with no command: the same code path, up to the point of running."""
    import safety_tui.ui.app as app_module
    from safety_tui.cli.main import main

    started = []
    monkeypatch.setattr(app_module.SafetyApp, "run", lambda self: started.append(self.layers))
    assert main([]) == 0
    assert started and started[0][0][0] == "bundled"


async def test_checklists_reload_by_themselves_when_a_file_changes(tmp_path, data_dir, clock):
    org = tmp_path / "org"
    path = write_yaml(org, "extra.yaml", valid_yaml(id="council-extra", title="Council extra"))
    app = build_app(data_dir, clock, org=org)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("l")
        assert "Council extra" in screen_text(app)
        path.write_text(valid_yaml(id="council-extra", title="Council extra v2") + "\n# edited\n")
        app.screen.check_for_changes()  # what the 2-second poll calls
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "Council extra v2" in screen_text(app)


@pytest.mark.parametrize("size, too_small", [((80, 24), True), ((120, 45), False)])
async def test_qr_code_says_when_the_window_is_too_small(app, store, size, too_small):
    plan = store.create_plan("home-visit", tz="Europe/London", title="Visit")
    store.add_contact(plan.ref, "Sam", "07700900123")  # before it starts: a started plan's contacts are fixed
    store.update(plan.ref, start=T0, finish=T0 + timedelta(hours=1))
    store.start(plan.ref)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.press("enter", "q")
        assert isinstance(app.screen, QrDialog)
        assert ("Enlarge the window" in flat_text(app)) is too_small


async def test_command_palette_offers_check_in_when_a_plan_is_running(app, store):
    plan = running_plan(store, "Visit")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await fill(pilot, "safe")
        assert "I'm safe: check in" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # skip the debrief
        assert "Nothing in progress." in screen_text(app)
    assert store.get_plan(plan.ref).status is Status.FINISHED


async def test_old_plans_are_offered_for_purge_at_start(app, store, clock):
    old = store.create_plan("surgery", tz="Europe/London", title="Long ago")
    store.cancel(old.ref)
    clock.advance(days=45)
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        assert "older than 30 days" in await seen(pilot)
        await pilot.press("P")
    assert store.list_plans() == []


async def test_long_titles_end_in_an_ellipsis_at_80_columns(app, store):
    store.create_plan("home-visit", tz="Europe/London", title="Mrs Smith, damp complaint and a very long description")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if "Mrs Smith" in line)
        assert "…" in row and len(row) <= 80


async def test_the_walk_can_be_answered_with_the_mouse(app, wizard_draft):
    wizard_draft("walk")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_highlighted(pilot)
        screen = wizard_step(app)
        assert screen.current()[1].id == "decide-to-go"  # a check: done / not done / n/a
        assert screen.query_one("#answer-d").display and not screen.query_one("#answer-y").display
        await pilot.click("#answer-d")
        assert screen.current()[1].id == "doubts-about-premises"  # a question: yes / no buttons
        assert screen.query_one("#answer-y").display and not screen.query_one("#answer-d").display
        await pilot.click("#answer-n")
        assert screen.current()[1].id == "daylight-hours"
        plan = app.store.get_plan(app.store.resolve("last"))
        assert plan.answer("home-visit", "decide-to-go").value is Answer.DONE
        assert plan.answer("home-visit", "doubts-about-premises").value is Answer.NO


async def test_overdue_alert_reaches_any_screen_once(app, store, clock):
    running_plan(store, "Visit")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("h")  # the councillor is looking at History
        app.watch_for_overdue()
        assert "is OVERDUE" not in await seen(pilot)
        clock.advance(hours=1, minutes=16)  # finish + 15 min grace has passed
        app.watch_for_overdue()
        app.watch_for_overdue()  # a second tick does not repeat the alert
        assert (await seen(pilot)).count("Visit is OVERDUE") == 1
        assert isinstance(app.screen, HistoryScreen)


async def test_the_same_contact_is_not_added_twice(app, wizard_draft):
    wizard_draft("contacts")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_highlighted(pilot)
        for _ in range(2):
            await fill(pilot, "Sam")
            await pilot.press("enter")
            await fill(pilot, "07700900123")
            await pilot.press("enter")
        assert "already on the list" in await seen(pilot)
        assert [c.name for c in app.store.get_plan(app.store.resolve("last")).contacts] == ["Sam"]


@pytest.mark.parametrize("where", ["detail", "wizard"])
async def test_a_plan_deleted_elsewhere_goes_back(app, store, where):
    """Deleted in another window: the screen says so (the one error boundary) and goes back."""
    plan = running_plan(store, "Visit") if where == "detail" else None
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.press("enter" if where == "detail" else "n")
        if where == "wizard":
            await pilot.press("ctrl+n")
        assert isinstance(
            app.screen if where == "detail" else wizard_step(app),
            PlanDetailScreen if where == "detail" else DetailsStep,
        )
        ref = plan.ref if plan else app.store.resolve("last")
        if plan:
            store.check_in(ref)  # another window (a plan in progress is never deleted)
        store.forget(ref)  # another window
        await pilot.press("r" if where == "detail" else "ctrl+n")  # reveal / go on
        assert "no longer exists" in await seen(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_saved_contacts_can_be_forgotten(app, store, wizard_draft):
    plan = store.create_plan("home-visit", tz="Europe/London")
    store.add_contact(plan.ref, "Old Friend", "0111")
    wizard_draft("contacts")
    async with app.run_test(size=(80, 30), notifications=True) as pilot:
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), ContactsStep)
        app.screen.query_one("#saved").focus()
        await pilot.press("delete")
        assert "Old Friend removed from saved contacts" in await seen(pilot)
    assert store.saved_contacts() == []
    assert store.get_plan(plan.ref).contacts[0].name == "Old Friend"  # the old plan keeps its record


async def test_the_code_word_input_is_masked(app, wizard_draft):
    wizard_draft("codeword")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), CodeWordStep)
        await fill(pilot, "walrus")
        assert "walrus" not in screen_text(app)
        assert app.screen.query_one("#code-word", Input).value == "walrus"
