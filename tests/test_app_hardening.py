"""Regression tests for UI defects found by hostile and first-time use, through the real app."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from textual.events import Paste
from textual.widgets import Input

from safety_tui.plans.lifecycle import Status
from safety_tui.ui.dialogs.confirm import ConfirmDialog
from safety_tui.ui.screens.details import DetailsStep
from safety_tui.ui.screens.history import SHOWN
from safety_tui.ui.screens.review import ReviewStep
from safety_tui.ui.screens.today import TodayScreen
from safety_tui.wiring import open_store
from tests.helpers import T0, fill, running_plan, screen_text, seen, settle, today_settled, wait_until, wizard_step


@pytest.mark.parametrize("key", ["enter", "s"])
async def test_enter_and_s_on_a_plan_deleted_elsewhere_say_so_and_refresh(app, store, key):
    """Defect: Today raised KeyError. Now PlanNotFound is shown by the boundary and the list refreshes."""
    plan = store.create_plan("surgery", tz="Europe/London", title="Gone soon")
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await today_settled(pilot)
        assert "Gone soon" in screen_text(app)
        store.forget(plan.ref)  # another window
        await pilot.press(key)
        assert "no longer exists" in await seen(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "Gone soon" not in screen_text(app)


async def test_s_on_today_refuses_a_plan_whose_finish_has_passed(app, store):
    """Defect: `s` on Today started an instantly overdue plan. Every start path uses Plan.start_check."""
    plan = store.create_plan("home-visit", tz="Europe/London", title="Too late")
    store.update(plan.ref, start=T0 - timedelta(hours=3), finish=T0 - timedelta(hours=2))
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.press("s")
        assert "already passed" in await seen(pilot)
    assert store.get_plan(plan.ref).status is Status.DRAFT


async def test_g_on_review_refuses_a_plan_whose_finish_has_passed(app, store):
    plan = store.create_plan("home-visit", tz="Europe/London", title="Too late")
    store.update(plan.ref, start=T0 - timedelta(hours=3), finish=T0 - timedelta(hours=2), wizard_step="review")
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(wizard_step(app), ReviewStep)
        await pilot.press("g")
        assert "already passed" in await seen(pilot)
        assert isinstance(wizard_step(app), ReviewStep)
    assert store.get_plan(plan.ref).status is Status.DRAFT


async def test_starting_far_ahead_asks_first(app, store):
    """More than 12 hours ahead: the rule's question is asked; n keeps the plan as it was, y starts it."""
    plan = store.create_plan("home-visit", tz="Europe/London", title="Tomorrow")
    store.update(plan.ref, start=T0 + timedelta(hours=20), finish=T0 + timedelta(hours=21))
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, ConfirmDialog)
        assert "more than 12 hours away" in await seen(pilot)
        await pilot.press("n")
        assert store.get_plan(plan.ref).status is Status.DRAFT
        await pilot.press("s", "y")
        assert "Started" in await seen(pilot)
    assert store.get_plan(plan.ref).status is Status.IN_PROGRESS


@pytest.mark.slow  # a journey through several screens
async def test_stored_text_with_markup_shows_literally_everywhere(app, store, clock):
    """A contact `[bold]x[/]` and a title `[$accent]y` show as typed on Today, Review and in notifications."""
    from tests.helpers import full_plan

    plan = full_plan(store, clock)
    store.update(plan.ref, title="[$accent]y", wizard_step="review")
    store.add_contact(plan.ref, "[bold]x[/]", "0123")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        assert "[$accent]y" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(wizard_step(app), ReviewStep)
        text = screen_text(app)
        assert "[bold]x[/] (NOT told)" in text and "[$accent]y" in text
        await pilot.press("escape")  # back to Who's told (the step before Review)
        app.screen.query_one("#contact-name", Input).value = "[red]Sam[/red]"
        app.screen.query_one("#contact-phone", Input).focus()
        await pilot.press("enter")
        assert "Added [red]Sam[/red]." in await seen(pilot)


async def test_a_draft_is_deleted_after_confirmation(app, store):
    plan = store.create_plan("surgery", tz="Europe/London", title="Never mind")
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # changed my mind
        assert "Never mind" in screen_text(app)
        await pilot.press("d", "y")
        assert "Draft" in await seen(pilot)
        assert "Never mind" not in screen_text(app)
    assert store.list_plans() == []
    assert plan.ref  # the ref was real


async def test_a_multi_line_note_keeps_every_line(app, wizard_draft):
    wizard_draft("walk")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("n", "ctrl+n", "ctrl+n", "d", "n", "left", "m")  # decide to go: done; doubts: no
        app.screen.query_one("#prompt-area").insert("first line\nsecond line\nthird")  # as a paste lands
        await pilot.press("ctrl+s")
        plan = app.store.get_plan(app.store.resolve("last"))
        assert plan.answer("home-visit", "doubts-about-premises").note == "first line\nsecond line\nthird"


async def test_a_long_paste_then_tab_stays_in_its_field_and_is_saved_in_one_write(app):
    """300 characters then Tab: all in the title, nothing in the next field; saved by the timer in one write."""

    text = ("Mrs Smith damp complaint " * 12)[:300]
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("n", "ctrl+n")
        assert isinstance(wizard_step(app), DetailsStep)
        draft = app.store.resolve("last")
        # The step's default times are saved by its first timed save: wait for it, so what is
        # counted below is the paste's write alone (it raced the timer when the app was quicker).
        await wait_until(pilot, lambda: app.store.get_plan(draft).start is not None, "the default times saved")
        app.screen.query_one("#title", Input).post_message(Paste(text))  # what a terminal paste sends
        await pilot.press("tab")
        assert app.screen.query_one("#title", Input).value == text[:200]  # max_length 200
        assert app.screen.query_one("#location", Input).value == ""
        ref = app.store.resolve("last")
        audit_before = len(app.store.get_plan(ref).audit)
        await wait_until(pilot, lambda: app.store.get_plan(ref).title, "the timed save")
        plan = app.store.get_plan(ref)
        assert plan.title == text[:200].strip()  # the model trims the edges
        assert len(plan.audit) - audit_before <= 1  # one write, not one per character


async def test_after_a_cli_check_in_the_banner_and_list_agree(app, store):
    plan = running_plan(store, "Visit")
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await today_settled(pilot)
        assert "In progress: Visit" in screen_text(app)
        store.check_in(plan.ref)  # `safety-tui checkin` in another terminal
        app.screen.tick()  # a second passes: the banner still agrees with the list
        await settle(pilot)
        assert "In progress: Visit" in screen_text(app) and "in-progress" in screen_text(app)
        shown = app.screen.snapshots_shown
        app.screen.refresh_snapshot()  # the next poll
        await wait_until(pilot, lambda: app.screen.snapshots_shown > shown, "the next snapshot")
        await settle(pilot)
        assert "Nothing in progress." in screen_text(app) and "in-progress" not in screen_text(app)


async def test_history_shows_overdue(app, store, clock):
    running_plan(store, "Late")
    clock.advance(hours=2)
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.press("h")
        assert "OVERDUE" in screen_text(app)


async def test_copy_says_where_else_to_get_the_message(app, store, clock):
    from tests.helpers import full_plan

    plan = full_plan(store, clock)
    store.update(plan.ref, wizard_step="review")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter", "c")
        text = await seen(pilot)
        assert "OSC 52" in text and "QR code" in text


CRASH_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import safety_tui.ui.screens.wizard as wizard
    from safety_tui.ui.app import create_app

    wizard.SAVE_DELAY = 60  # nothing is saved by the timer: only the crash handler can save the title

    def action_close(self):
        code_word = "SECRET-walrus-tusk"
        address = "SECRET-12-Acacia-Avenue"
        raise RuntimeError("a bug")

    wizard.WizardScreen.action_close = action_close

    async def drive(pilot):
        await pilot.app.wait_for_catalog()
        await pilot.press("n", "ctrl+n")
        await pilot.press("H", "a", "l", "l")
        await pilot.press("ctrl+w")

    app = create_app(data_dir=Path(sys.argv[1]), tz="Europe/London")
    app.run(headless=True, auto_pilot=drive)
    sys.exit(app.return_code)
    """
)


@pytest.mark.slow
def test_a_crash_shows_a_plain_message_and_no_local_variables(tmp_path):
    """Textual's crash report prints locals (code words, addresses): ours never does, anywhere,
    and what was typed but not yet saved is saved first."""
    data = tmp_path / "data"
    env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(data)}
    result = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(data)], capture_output=True, text=True, env=env, timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "stopped because of a bug (RuntimeError)" in output
    assert "SECRET" not in output
    reports = list(data.glob("crash-*.txt"))
    assert len(reports) == 1
    assert oct(reports[0].stat().st_mode & 0o777) == "0o600"
    report = reports[0].read_text()
    assert "RuntimeError: a bug" in report and "SECRET" not in report
    with open_store(data) as store:
        assert store.get_plan("last").title == "Hall"  # the typing was saved on the way out


@pytest.mark.slow
async def test_a_full_disk_when_starting_a_plan_is_an_alert_not_a_crash(app):
    """The disk fills while plans are created: the boundary says so, the app stays on Today."""
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await app.wait_for_catalog()
        pages = app.store.conn.execute("PRAGMA page_count").fetchone()[0]
        app.store.conn.execute(f"PRAGMA max_page_count = {pages}")
        for _ in range(30):  # fill the remaining room, then one more
            await pilot.press("n")
            if not isinstance(app.screen, TodayScreen):
                await pilot.press("ctrl+w")
            if "disk full" in await seen(pilot):
                break
        assert "disk full" in await seen(pilot)
        assert isinstance(app.screen, TodayScreen)
        for plan in app.store.list_plans():
            assert app.store.get_plan(plan.ref).ref == plan.ref  # every plan that exists is whole


@pytest.mark.slow
async def test_history_with_many_plans_shows_the_newest_and_filters_all(app, store):
    for n in range(SHOWN + 20):
        store.create_plan("surgery", tz="Europe/London", title=f"Surgery number {n}")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("h")
        assert app.screen.sub_title.startswith(f"{SHOWN} of {SHOWN + 20} plans")
        assert "Surgery number 7 " not in screen_text(app) + " "
        await pilot.press("slash")
        await fill(pilot, "number 7")  # the oldest ones are beyond the first page
        assert "Surgery number 7" in screen_text(app)


async def test_input_boxes_show_stored_control_characters_escaped(app, store):
    """A title saved with an escape sequence (an older version allowed it) never reaches the terminal."""
    plan = store.create_plan("surgery", tz="Europe/London", title="Hall")
    store.update(plan.ref, wizard_step="details")
    # The model refuses control characters now; write the row as an older version could have.
    store.conn.execute("UPDATE plans SET title = ? WHERE ref = ?", ("Hall \x1b]0;pwned\x07", plan.ref))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(wizard_step(app), DetailsStep)
        assert "Hall \\x1b]0;pwned\\x07" in screen_text(app)
        assert "\x1b" not in app.export_screenshot()


async def test_extending_beyond_the_limit_shows_the_rule(app, store):
    """The dialog passes the number on; the core's limit (1440 minutes) is what the screen shows."""
    plan = running_plan(store, "Surgery")
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.press("e", "tab", "2", "0", "0", "0", "enter")
        assert "1440" in await seen(pilot)
    assert store.get_plan(plan.ref).finish == T0 + timedelta(hours=1)


async def test_a_plan_too_big_for_a_qr_code_says_so(app, store, clock):
    """segno cannot fit the text: the boundary says so instead of crashing."""
    from tests.helpers import full_plan

    plan = full_plan(store, clock)
    store.update(plan.ref, location="Flat 1, " * 240, escalation="Ring me, then ring 999. " * 80, wizard_step="review")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("down", "enter")
        assert isinstance(wizard_step(app), ReviewStep)
        await pilot.press("q")
        text = await seen(pilot)
        assert isinstance(wizard_step(app), ReviewStep)
        assert "too big for a QR code" in text


async def test_purge_on_today_never_says_deleted_while_another_reader_holds_the_plans(app, store, clock, data_dir):
    """P on Today shows the store's own result: 'not yet wiped' while another program reads an old snapshot."""
    import sqlite3

    old = store.create_plan("surgery", tz="Europe/London", title="Long ago")
    store.cancel(old.ref)
    clock.advance(days=45)
    reader = sqlite3.connect(data_dir / "plans.sqlite3", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM plans").fetchone()  # another program holds a snapshot
    try:
        async with app.run_test(size=(100, 24), notifications=True) as pilot:
            await pilot.press("P")
            shown = await seen(pilot)
            assert "not yet wiped" in shown and "Deleted" not in shown
    finally:
        reader.execute("COMMIT")
        reader.close()
