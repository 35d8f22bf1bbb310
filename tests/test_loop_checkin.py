"""Check-in acts on the plan chosen: with several in progress, the app asks and the CLI refuses or asks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.plans.inprogress import in_progress
from safety_tui.plans.lifecycle import Status
from safety_tui.ui.dialogs.choose import ChooseDialog
from safety_tui.wiring import open_store
from tests.helpers import T0, running_plan, seen


async def test_c_asks_which_plan_with_the_highlighted_row_first(app, store, clock):
    early = running_plan(store, "Surgery at the library")  # due first: the banner's plan
    late = running_plan(store, "Mrs Jones visit", start=T0 + timedelta(minutes=30))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        rows = [app.screen.query_one("#plans").get_row_at(n)[0] for n in range(2)]
        await pilot.press(*["down"] * rows.index(late.ref))  # the councillor highlights the later visit
        await pilot.press("c")
        assert isinstance(app.screen, ChooseDialog)
        text = await seen(pilot)
        assert "2 plans are in progress. Which one do you check in?" in text
        assert text.index("Mrs Jones visit") < text.index("Surgery at the library")  # highlighted first
        assert store.get_plan(early.ref).status is Status.IN_PROGRESS  # nothing checked in yet
        await pilot.press("enter")
        await pilot.press("escape")  # the debrief's questions: skipped
        await pilot.pause()
    assert store.get_plan(late.ref).status is Status.FINISHED
    assert store.get_plan(early.ref).status is Status.IN_PROGRESS


async def test_escape_in_the_choice_checks_in_nothing(app, store, clock):
    plans = [running_plan(store, "One"), running_plan(store, "Two")]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("c")
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("escape")
        await pilot.pause()
    assert all(store.get_plan(p.ref).status is Status.IN_PROGRESS for p in plans)


async def test_one_plan_in_progress_is_checked_in_without_a_question(app, store, clock):
    plan = running_plan(store, "Only visit")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("c")
        assert "Checked in safe" in await seen(pilot)
    assert store.get_plan(plan.ref).status is Status.FINISHED


def test_the_cli_checkin_without_a_plan_refuses_and_lists_them_when_two_are_in_progress(capsys):
    store = open_store(paths.data_dir())
    from safety_tui.common.clock import SystemClock

    now = SystemClock().now()
    plans = [running_plan(store, "Surgery", start=now), running_plan(store, "Mrs Jones visit", start=now)]
    assert main(["checkin", "--no-debrief"]) == 2
    err = capsys.readouterr().err
    assert "2 plans are in progress" in err
    assert all(p.ref in err for p in plans) and "Mrs Jones visit" in err
    assert all(store.get_plan(p.ref).status is Status.IN_PROGRESS for p in plans)
    assert main(["checkin", plans[1].ref, "--no-debrief"]) == 0
    assert main(["checkin", "--no-debrief"]) == 0  # one left: no question
    assert store.get_plan(plans[0].ref).status is Status.FINISHED


@pytest.mark.slow
def test_the_cli_checkin_asks_which_plan_on_a_terminal(tmp_path):
    """On a terminal (a pty), with two plans in progress, checkin asks; the number typed is checked in."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    data = tmp_path / "data"
    store = open_store(data)
    from safety_tui.common.clock import SystemClock

    now = SystemClock().now()
    first, second = running_plan(store, "Surgery", start=now), running_plan(store, "Mrs Jones visit", start=now)
    order = [p.ref for p in in_progress(store.list_plans(statuses=[Status.IN_PROGRESS]))]
    store.close()
    master, slave = pty.openpty()
    env = dict(os.environ, SAFETY_TUI_DATA_DIR=str(data))
    proc = subprocess.Popen(
        [sys.executable, "-m", "safety_tui", "checkin", "--no-debrief"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 30
    while b"Number (1-2" not in output and time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            output += os.read(master, 4096)
    assert b"Which one are you checking in?" in output
    os.write(master, f"{order.index(second.ref) + 1}\n".encode())
    assert proc.wait(timeout=30) == 0
    os.close(master)
    after = open_store(data)
    assert after.get_plan(second.ref).status is Status.FINISHED
    assert after.get_plan(first.ref).status is Status.IN_PROGRESS
    after.close()
