"""End-to-end through the real app: keys in, screen and store checked."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from safety_tui import paths
from safety_tui.app import create_app
from safety_tui.plan import Answer, FixedClock, Status
from safety_tui.store import open_store
from tests.conftest import valid_yaml, write_yaml

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def make_app(tmp_path: Path, clock: FixedClock | None = None, org: Path | None = None):
    layers = [("bundled", paths.bundled_checklists_dir())]
    if org is not None:
        layers.append(("organisation", org))
    return create_app(
        data_dir=tmp_path / "data",
        clock=clock or FixedClock(T0),
        tz="Europe/London",
        layers=layers,
    )


def running_plan(tmp_path: Path, clock: FixedClock, title: str):
    """A plan in progress from T0 to T0 + 1 hour, written before the app starts."""
    store = open_store(tmp_path / "data", clock)
    plan = store.create_plan("home-visit", tz="Europe/London", title=title)
    store.update(plan.ref, start=T0, finish=T0 + timedelta(hours=1))
    store.start(plan.ref)
    store.close()
    return plan


def screen_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def answer_all(pilot, app) -> None:
    """Answer every visible item: yes/no questions 'n', checks 'd'."""
    from safety_tui.checklist import ItemType

    screen = app.screen
    for _ in range(200):
        current = screen.current()
        if current is None:
            return
        await pilot.press("n" if current[1].type is ItemType.QUESTION else "d")
    raise AssertionError("walk did not end")


async def test_home_visit_planned_entirely_from_the_keyboard(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert type(app.screen).__name__ == "TodayScreen"
        await pilot.press("n")
        assert type(app.screen).__name__ == "VisitTypeScreen"
        # Home visit is the default; add travel by car (tab to the modes list, space on 'Car').
        await pilot.press("tab", "space")
        await pilot.pause()
        ref = app.store.resolve("last")
        assert [c.checklist_id for c in app.store.get_plan(ref).checklists] == [
            "home-visit", "personal-safety-basics", "travel-car"
        ]
        await pilot.press("ctrl+n")
        assert type(app.screen).__name__ == "DetailsScreen"
        await type_text(pilot, "Mrs Smith")
        await pilot.press("tab")
        await type_text(pilot, "12 Acacia Avenue")
        await pilot.press("tab")
        await type_text(pilot, "Jo")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "today 2:30pm")
        await pilot.press("tab", "ctrl+u")
        await type_text(pilot, "+1h")
        await pilot.pause()
        assert "Your contact should worry from 15:45." in screen_text(app)
        await pilot.press("ctrl+n")
        assert type(app.screen).__name__ == "WalkScreen"
        # A critical item answered "not done" asks for a reason.
        await pilot.press("n", "d", "d", "d")  # doubts? no; daylight; call ahead; decide to go
        await pilot.press("x")
        assert type(app.screen).__name__ == "TextPrompt"
        await type_text(pilot, "will text later")
        await pilot.press("enter")
        await answer_all(pilot, app)
        assert "Every item has an answer" in screen_text(app)
        await pilot.press("ctrl+n")
        assert type(app.screen).__name__ == "ContactsScreen"
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await type_text(pilot, "07700900123")
        await pilot.press("enter")
        await pilot.press("ctrl+n")
        assert type(app.screen).__name__ == "CodeWordScreen"
        await type_text(pilot, "blue folder")
        assert "blue folder" not in str(app.screen.query_one("#code-word", Input).render_line(0))
        await pilot.press("ctrl+n")
        assert type(app.screen).__name__ == "ReviewScreen"
        text = screen_text(app)
        assert "! Not done: Tell someone who you are visiting, with the address, date and time. (reason: will text later)" in text
        assert "blue folder" not in text  # masked on screen until asked for
        await pilot.press("r")
        assert "blue folder" in screen_text(app)
        await pilot.press("g")
        assert type(app.screen).__name__ == "TodayScreen"
        assert "In progress: Mrs Smith" in screen_text(app)

    store = open_store(tmp_path / "data")
    plan = store.get_plan(ref)
    assert plan.status is Status.IN_PROGRESS
    assert (plan.title, plan.location, plan.owner_name) == ("Mrs Smith", "12 Acacia Avenue", "Jo")
    assert plan.local(plan.start).strftime("%Y-%m-%d %H:%M") == "2026-11-25 14:30"
    assert plan.finish - plan.start == timedelta(hours=1)
    assert [(c.name, c.phone, c.told) for c in plan.contacts] == [("Sam", "07700900123", True)]
    assert plan.code_word == "blue folder"
    assert plan.code_meaning
    answered, total = plan.progress()
    assert answered == total > 40
    tell = plan.answer("home-visit", "tell-someone")
    assert (tell.value, tell.note) == (Answer.NOT_DONE, "will text later")
    assert plan.answer("home-visit", "doubts-about-premises").value is Answer.NO
    assert plan.answer("home-visit", "neutral-venue") is None  # hidden: its question was answered no


async def test_closed_half_way_resumes_at_the_same_item(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "ctrl+n", "ctrl+n")
        assert type(app.screen).__name__ == "WalkScreen"
        await pilot.press("y", "n", "d", "d")  # doubts? yes; about the premises? no -> neutral venue; done; daylight done
        current = app.screen.current()
        assert current[1].id == "call-ahead"
        ref = app.store.resolve("last")
    # The app is gone (as if the terminal closed). Start it again.
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "draft" in str(app.screen.query_one("DataTable").get_row_at(0))
        await pilot.press("enter")
        assert type(app.screen).__name__ == "WalkScreen"
        assert app.screen.current()[1].id == "call-ahead"
        assert "Call the resident beforehand" in screen_text(app)
    plan = open_store(tmp_path / "data").get_plan(ref)
    assert {k: a.value.value for k, a in plan.answers.items()} == {
        "home-visit/doubts-about-premises": "yes",
        "home-visit/about-the-premises": "no",
        "home-visit/neutral-venue": "done",
        "home-visit/daylight-hours": "done",
    }
    assert plan.cursor == "home-visit/call-ahead"


async def test_overdue_is_shown_and_cleared_by_check_in(tmp_path):
    clock = FixedClock(T0)
    plan = running_plan(tmp_path, clock, "Late visit")
    clock.set(T0 + timedelta(hours=1, minutes=20))  # 5 minutes past finish + 15 grace
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        active = app.screen.query_one("#active", Static)
        assert active.has_class("-overdue")
        assert "OVERDUE by 5m 00s: Late visit" in str(active.render())
        await pilot.press("c")
        assert not active.has_class("-overdue")
        assert "Nothing in progress." in str(active.render())
    assert open_store(tmp_path / "data").get_plan(plan.ref).status is Status.FINISHED


async def test_extend_from_today(tmp_path):
    clock = FixedClock(T0)
    plan = running_plan(tmp_path, clock, "Surgery")
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "3")
        await pilot.pause()
    assert open_store(tmp_path / "data").get_plan(plan.ref).finish == T0 + timedelta(minutes=90)


HOSTILE = valid_yaml(id="hostile", title="[red]Hostile[/red] [link=http://x]list").replace(
    "text: Tell someone where you are going.", 'text: "[bold]Tell[/] [$accent]someone[/] [Bold]now"'
)


async def test_markup_in_a_checklist_is_shown_literally(tmp_path):
    org = tmp_path / "org"
    write_yaml(org, "hostile.yaml", HOSTILE.replace("title: [red]", "title: '[red]").replace("]list\n", "]list'\n"))
    app = make_app(tmp_path, org=org)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        assert "hostile" in app.catalog.checklists
        await pilot.press("n")
        plan = app.store.get_plan(app.store.resolve("last"))
        app.store.set_checklists(plan.ref, [app.catalog.get("hostile")])
        await pilot.press("ctrl+n", "ctrl+n")
        card_text = str(app.screen.query_one("#card-text", Static).render())
        assert card_text == "[bold]Tell[/] [$accent]someone[/] [Bold]now"
        where = str(app.screen.query_one("#card-where", Static).render())
        assert where.startswith("[red]Hostile[/red] [link=http://x]list")


async def test_user_text_with_markup_and_escapes_is_literal(tmp_path):
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    plan = store.create_plan("surgery", tz="Europe/London", title="[red]x[/red]")
    # The model refuses control characters; a row written by an older version or another program may hold them.
    store.conn.execute("UPDATE plans SET title = ? WHERE ref = ?", ("[red]x[/red] \x1b]0;pwned\x07", plan.ref))
    store.close()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("DataTable")
        cell = str(table.get_row_at(0)[4])
        assert cell == "[red]x[/red] \\x1b]0;pwned\\x07"


async def test_broken_checklist_reported_while_others_work(tmp_path):
    org = tmp_path / "org"
    write_yaml(org, "good.yaml", valid_yaml(id="council-extra", title="Council extra"))
    bad = write_yaml(org, "bad.yaml", valid_yaml(id="bad").replace("title: Test list", "titel: Bad"))
    app = make_app(tmp_path, org=org)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        assert len(app.catalog.errors) == 2  # missing title + unknown titel
        await pilot.press("l")
        assert type(app.screen).__name__ == "ChecklistsScreen"
        errors = str(app.screen.query_one("#load-errors", Static).render())
        assert f"{bad}:3:1: unknown key 'titel', did you mean 'title'?" in errors
        assert "council-extra" in app.catalog.checklists
        assert "home-visit" in app.catalog.checklists
        # Fix the file and reload with r: the error goes away.
        bad.write_text(valid_yaml(id="bad", title="Fixed"))
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "bad" in app.catalog.checklists
        assert "None: every file loaded." in str(app.screen.query_one("#load-errors", Static).render())


async def test_corrupt_store_gives_a_clear_screen_and_is_untouched(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "plans.sqlite3"
    db.write_bytes(b"not a database" * 20)
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert type(app.screen).__name__ == "StoreErrorScreen"
        assert "will not touch it" in str(app.screen.query_one("#store-error-text", Static).render())
        await pilot.press("n")  # no new plan possible
        assert type(app.screen).__name__ == "StoreErrorScreen"
    assert db.read_bytes() == b"not a database" * 20


async def test_history_filters_and_opens_detail_with_masked_code_word(tmp_path):
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    store.create_plan("surgery", tz="Europe/London", title="Ward surgery at library")
    b = store.create_plan("home-visit", tz="Europe/London", title="Mr Jones")
    store.update(b.ref, code_word="walrus", start=T0, finish=T0 + timedelta(hours=1))
    store.close()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "slash")
        await type_text(pilot, "jones")
        table = app.screen.query_one("DataTable")
        assert table.row_count == 1
        await pilot.press("enter", "enter")
        assert type(app.screen).__name__ == "PlanDetailScreen"
        text = str(app.screen.query_one("#detail-text", Static).render())
        assert "Mr Jones" in text and "walrus" not in text and "•••••" in text
        await pilot.press("r")
        assert "walrus" in str(app.screen.query_one("#detail-text", Static).render())


async def test_extend_by_custom_minutes(tmp_path):
    clock = FixedClock(T0)
    plan = running_plan(tmp_path, clock, "Surgery")
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "tab", "4", "5", "enter")
        await pilot.pause()
    assert open_store(tmp_path / "data").get_plan(plan.ref).finish == T0 + timedelta(minutes=105)


async def test_app_started_as_the_cli_starts_it(tmp_path, monkeypatch):
    """No layers passed: the default search path, as `safety-tui` and `make run` use."""
    org = tmp_path / "council"
    write_yaml(org, "extra.yaml", valid_yaml(id="council-extra", title="Council extra"))
    monkeypatch.setenv("SAFETY_TUI_CHECKLISTS", str(org))
    app = create_app(data_dir=tmp_path / "data", clock=FixedClock(T0), tz="Europe/London")
    async with app.run_test(size=(80, 24)) as pilot:
        assert type(app.screen).__name__ == "TodayScreen"
        await app.workers.wait_for_complete()
        assert {"home-visit", "ward-surgery", "council-extra"} <= set(app.catalog.checklists)
        assert [layer for layer, _ in app.layers] == ["bundled", "organisation", "user"]


def test_cli_run_builds_the_app_without_error(tmp_path, monkeypatch):
    """`safety-tui` with no command: the same code path, up to the point of running."""
    import safety_tui.app as app_module
    from safety_tui.cli import main

    started = []
    monkeypatch.setattr(app_module.SafetyApp, "run", lambda self: started.append(self.layers))
    assert main([]) == 0
    assert started and started[0][0][0] == "bundled"


async def test_history_with_many_plans_shows_the_newest_and_filters_all(tmp_path):
    from safety_tui.screens.history import SHOWN

    store = open_store(tmp_path / "data", FixedClock(T0))
    store.conn.execute("BEGIN")
    for n in range(SHOWN + 100):
        store.conn.execute(
            "INSERT INTO plans(ref, status, visit_type, tz, grace_minutes, title, created_utc, updated_utc)"
            " VALUES (?, 'finished', 'surgery', 'UTC', 15, ?, ?, ?)",
            (f"2025-01-01-{n}", f"Surgery number {n}", f"2025-01-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}+00:00", "2025-01-01T00:00:00+00:00"),
        )
    store.conn.execute("COMMIT")
    store.close()
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h")
        table = app.screen.query_one("DataTable")
        assert table.row_count == SHOWN
        assert app.screen.sub_title.startswith(f"{SHOWN} of {SHOWN + 100} plans")
        await pilot.press("slash")
        await type_text(pilot, "number 7")  # the oldest ones are beyond the first page
        assert "2025-01-01-7" in [str(k.value) for k in table.rows]


async def test_checklists_reload_by_themselves_when_a_file_changes(tmp_path):
    org = tmp_path / "org"
    path = write_yaml(org, "extra.yaml", valid_yaml(id="council-extra", title="Council extra"))
    app = make_app(tmp_path, org=org)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        screen = app.screen
        assert "Council extra" in [str(row[0]) for row in (screen.query_one("DataTable").get_row_at(i) for i in range(screen.query_one("DataTable").row_count))]
        path.write_text(valid_yaml(id="council-extra", title="Council extra v2") + "\n# edited\n")
        screen.check_for_changes()  # what the 2-second poll calls
        await app.workers.wait_for_complete()
        await pilot.pause()
        titles = [str(screen.query_one("DataTable").get_row_at(i)[0]) for i in range(screen.query_one("DataTable").row_count)]
        assert "Council extra v2" in titles and "Council extra" not in titles


async def test_qr_code_says_when_the_window_is_too_small(tmp_path):
    clock = FixedClock(T0)
    running_plan(tmp_path, clock, "Visit")
    store = open_store(tmp_path / "data", clock)
    store.add_contact(store.resolve("last"), "Sam", "07700900123")
    store.close()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "q")
        assert type(app.screen).__name__ == "QrScreen"
        warning = app.screen.query_one("#qr-too-small")
        assert warning.display and "Enlarge the window" in str(warning.render())
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.press("enter", "q")
        assert not app.screen.query_one("#qr-too-small").display


async def test_command_palette_offers_check_in_when_a_plan_is_running(tmp_path):
    clock = FixedClock(T0)
    plan = running_plan(tmp_path, clock, "Visit")
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "I'm safe: check in" in titles and "Extend the finish time" in titles
        await pilot.press("ctrl+p")
        await type_text(pilot, "safe")
        await pilot.press("enter")
        await pilot.pause()
        assert "I'm safe: check in" not in [c.title for c in app.get_system_commands(app.screen)]
    assert open_store(tmp_path / "data").get_plan(plan.ref).status is Status.FINISHED


async def test_old_plans_are_offered_for_purge_at_start(tmp_path):
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    old = store.create_plan("surgery", tz="Europe/London", title="Long ago")
    store.cancel(old.ref)
    store.close()
    clock.advance(days=45)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert any("older than 30 days" in n.message for n in app._notifications)
        await pilot.press("P")
    assert open_store(tmp_path / "data").list_plans() == []


async def test_notifications_show_user_text_literally(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "ctrl+n", "ctrl+n", "ctrl+n")
        assert type(app.screen).__name__ == "ContactsScreen"
        await type_text(pilot, "[red]Sam[/red]")
        await pilot.press("enter", "enter")
        notes = [n for n in app._notifications if "Added" in n.message]
        assert notes and notes[-1].message.startswith("Added [red]Sam[/red],")
        assert notes[-1].markup is False


async def test_a_plan_whose_finish_has_passed_cannot_be_started(tmp_path):
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    plan = store.create_plan("home-visit", tz="Europe/London", title="Too late")
    store.update(plan.ref, start=T0 - timedelta(hours=3), finish=T0 - timedelta(hours=2), wizard_step="review")
    store.close()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert type(app.screen).__name__ == "ReviewScreen"
        await pilot.press("g")
        assert type(app.screen).__name__ == "ReviewScreen"
        assert any("already passed" in n.message for n in app._notifications)
    assert open_store(tmp_path / "data").get_plan(plan.ref).status is Status.DRAFT


async def test_long_titles_end_in_an_ellipsis_at_80_columns(tmp_path):
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    store.create_plan("home-visit", tz="Europe/London", title="Mrs Smith, damp complaint and a very long description")
    store.close()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("DataTable")
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths <= table.scrollable_content_region.width
        line = "".join(seg.text for seg in table.render_line(1))
        assert "…" in line and "Mrs Smith" in line


async def test_the_walk_can_be_answered_with_the_mouse(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "ctrl+n", "ctrl+n")
        screen = app.screen
        assert screen.current()[1].id == "doubts-about-premises"  # a question: yes / no buttons
        assert screen.query_one("#answer-y").display and not screen.query_one("#answer-d").display
        await pilot.click("#answer-n")
        assert screen.current()[1].id == "daylight-hours"  # a check: done / not done / n/a
        assert screen.query_one("#answer-d").display and not screen.query_one("#answer-y").display
        await pilot.click("#answer-d")
        ref = app.store.resolve("last")
        plan = app.store.get_plan(ref)
        assert plan.answer("home-visit", "doubts-about-premises").value is Answer.NO
        assert plan.answer("home-visit", "daylight-hours").value is Answer.DONE


async def test_overdue_alert_reaches_any_screen_once(tmp_path):
    clock = FixedClock(T0)
    running_plan(tmp_path, clock, "Visit")
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h")  # the councillor is looking at History
        app.watch_for_overdue()
        await pilot.pause()
        assert not [n for n in app._notifications if n.title == "Overdue"]
        clock.advance(hours=1, minutes=16)  # finish + 15 min grace has passed
        app.watch_for_overdue()
        app.watch_for_overdue()  # a second tick does not repeat the alert
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"
        alerts = [n for n in app._notifications if n.title == "Overdue"]
        assert len(alerts) == 1 and "Visit is OVERDUE" in alerts[0].message


async def test_the_same_contact_is_not_added_twice(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "ctrl+n", "ctrl+n", "ctrl+n")
        for _ in range(2):
            await type_text(pilot, "Sam")
            await pilot.press("enter")
            await type_text(pilot, "07700900123")
            await pilot.press("enter")
        assert [c.name for c in app.store.get_plan(app.store.resolve("last")).contacts] == ["Sam"]


async def test_a_full_disk_when_starting_a_plan_is_an_alert_not_a_crash(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        pages = app.store.conn.execute("PRAGMA page_count").fetchone()[0]
        app.store.conn.execute(f"PRAGMA max_page_count = {pages}")
        before = app.store.list_plans()
        for _ in range(30):  # fill the remaining room, then one more
            await pilot.press("n")
            if type(app.screen).__name__ != "TodayScreen":
                await pilot.press("ctrl+w")
        assert type(app.screen).__name__ == "TodayScreen"
        assert any(n.title == "Could not start a plan" and "disk full" in n.message for n in app._notifications)
        for plan in app.store.list_plans():
            app.store.get_plan(plan.ref)  # every plan that exists is whole
        assert len(app.store.list_plans()) >= len(before)


@pytest.mark.parametrize("where", ["detail", "wizard"])
async def test_a_plan_deleted_elsewhere_goes_back_to_today(tmp_path, where):
    clock = FixedClock(T0)
    plan = running_plan(tmp_path, clock, "Visit") if where == "detail" else None
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        if where == "detail":
            await pilot.press("enter")
            expected = "PlanDetailScreen"
        else:
            await pilot.press("n", "ctrl+n")
            expected = "DetailsScreen"
        assert type(app.screen).__name__ == expected
        ref = plan.ref if plan else app.store.resolve("last")
        other = open_store(tmp_path / "data", clock)  # another window
        other.forget(ref)
        other.close()
        await pilot.press("r" if where == "detail" else "x")  # reveal / type into the title
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        assert any("no longer exists" in n.message for n in app._notifications)


async def test_saved_contacts_can_be_forgotten(tmp_path):
    store = open_store(tmp_path / "data", FixedClock(T0))
    plan = store.create_plan("home-visit", tz="Europe/London")
    store.add_contact(plan.ref, "Old Friend", "0111")
    store.close()
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("n", "ctrl+n", "ctrl+n", "ctrl+n")
        assert type(app.screen).__name__ == "ContactsScreen"
        app.screen.query_one("#saved").focus()
        await pilot.press("delete")
        assert app.store.saved_contacts() == []
        assert app.store.get_plan(plan.ref).contacts[0].name == "Old Friend"  # the old plan keeps its record
