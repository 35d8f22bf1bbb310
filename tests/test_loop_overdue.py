"""Every overdue alerts, every time; extending an overdue plan counts from now (app and CLI)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import SystemClock
from safety_tui.plans.lifecycle import Status, extended_finish
from safety_tui.store.rows import iso
from safety_tui.ui.screens.history import HistoryScreen
from safety_tui.wiring import open_store
from tests.helpers import T0, full_plan, running_plan, seen


def test_extending_counts_from_the_finish_before_it_and_from_now_after_it():
    finish = T0 + timedelta(hours=1)
    before = T0 + timedelta(minutes=30)
    assert extended_finish(Status.IN_PROGRESS, finish, 10, before) == finish + timedelta(minutes=10)
    overdue = finish + timedelta(minutes=16, seconds=30)  # 1½ minutes past finish + 15 grace
    assert extended_finish(Status.IN_PROGRESS, finish, 3, overdue) == overdue + timedelta(minutes=3)


def test_the_store_extends_an_overdue_plan_from_now(store, clock):
    plan = running_plan(store, "Visit")
    clock.advance(hours=1, minutes=35)  # 20 minutes overdue
    extended = store.extend(plan.ref, 10)
    assert extended.finish == clock.now() + timedelta(minutes=10)
    assert not extended.is_overdue(clock.now())


def test_the_cli_extend_of_an_overdue_plan_leaves_it_not_overdue(capsys):
    store = open_store(paths.data_dir())
    clock = SystemClock()
    plan = full_plan(store, clock)
    store.start(plan.ref)
    with store.transaction() as c:  # time has passed (a started plan's times are never edited)
        c.execute(
            "UPDATE plans SET start_utc = ?, finish_utc = ? WHERE ref = ?",
            (iso(clock.now() - timedelta(hours=2)), iso(clock.now() - timedelta(minutes=35)), plan.ref),
        )
    assert main(["status"]) == 3  # 20 minutes overdue
    assert main(["extend", plan.ref, "10"]) == 0
    out = capsys.readouterr().out
    assert "(in 9m" in out or "(in 10m" in out
    assert main(["status"]) == 0


@pytest.mark.slow
async def test_every_overdue_alerts_again_after_each_extend_and_history_says_overdue(app, store, clock):
    running_plan(store, "Mrs Smith visit")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("h")
        clock.advance(hours=1, minutes=16)
        app.watch_for_overdue()
        text = await seen(pilot)
        assert text.count("Mrs Smith visit is OVERDUE") == 1
        assert "OVERDUE" in text.split("Plan Status")[1]  # History's status column
        assert "in-progress" not in text
        for round_ in range(3):  # any number of extends: each new overdue alerts again
            await pilot.press("escape", "e", "1")  # back to Today, extend by 15 minutes
            text = await seen(pilot)
            assert "new expected finish" in text and "(in 15m)" in text  # counted from now, shown at once
            plan = app.store.get_plan(app.store.resolve("last"))
            assert plan.finish == clock.now() + timedelta(minutes=15)
            await pilot.press("h")
            app.clear_notifications()  # the councillor has read the earlier toasts
            app.watch_for_overdue()
            assert "is OVERDUE" not in await seen(pilot)  # not overdue again yet
            clock.advance(minutes=31)
            app.watch_for_overdue()
            text = await seen(pilot)
            assert text.count("Mrs Smith visit is OVERDUE") == 1, round_
            assert "OVERDUE" in text.split("Plan Status")[1]
            assert isinstance(app.screen, HistoryScreen)
