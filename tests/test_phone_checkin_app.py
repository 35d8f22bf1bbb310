"""The phone check-in link in the app and the exports, and a check-in from the phone reaching the app.

Review, the briefing and the text/Markdown exports show the link once a council database is
configured (and never without one); `p` on Review draws it as a QR code. With a real PostgreSQL,
an "I'm safe" tapped on the phone finishes the plan in the open app, which says so.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.cli.main import main
from safety_tui.common.clock import FixedClock
from safety_tui.common.exitcodes import EXIT_OK
from safety_tui.common.timefmt import format_when
from safety_tui.council import hook
from safety_tui.council.checkin_link import DEFAULT_BASE_URL, is_token, plan_link, token_hash
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect
from safety_tui.council.roles import add_checkin_server
from safety_tui.plans.lifecycle import Status
from safety_tui.plans.qr import qr_text
from safety_tui.ui.dialogs.qr import QrDialog
from safety_tui.ui.screens import wizard
from safety_tui.ui.screens.review import ReviewStep
from safety_tui.wiring import open_store
from tests.helpers import build_app, flat_text, full_plan, running_plan, seen, wizard_step
from tests.pg_server import PASSWORD

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures

NOWHERE = "postgresql://alice@127.0.0.1:1/council?connect_timeout=1"  # configured, but no server answers


async def shows(pilot, text: str, tries: int = 200) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``text`` comes onto the screen (notifications included) within a few hundred frames."""
    for _ in range(tries):
        if text in await seen(pilot):
            return True
        await pilot.pause(0.05)
    return False


async def test_review_shows_the_link_and_p_draws_it_as_a_qr_code(app, store, clock, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(ENV_URL, NOWHERE)
    plan = full_plan(store, clock)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        wizard.resume(app, plan.ref, "review")
        await pilot.pause()
        assert isinstance(wizard_step(app), ReviewStep)
        link = plan_link(store, store.get_plan(plan.ref))
        assert link is not None and link.startswith(DEFAULT_BASE_URL + "/c/") and is_token(link.rsplit("/", 1)[1])
        assert f"Check in from your phone: {link}" in flat_text(app)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, QrDialog) and app.screen.code == qr_text(link)
        assert "check-in page" in await seen(pilot)


async def test_without_a_council_database_there_is_no_link(app, store, clock):  # type: ignore[no-untyped-def]
    plan = full_plan(store, clock)
    async with app.run_test(size=(100, 60), notifications=True) as pilot:
        await pilot.pause()
        wizard.resume(app, plan.ref, "review")
        await pilot.pause()
        assert "Check in from your phone" not in flat_text(app)
        await pilot.press("p")
        assert await shows(pilot, "from your phone needs a council")
        assert not isinstance(app.screen, QrDialog)
    assert plan_link(store, store.get_plan(plan.ref)) is None


async def test_the_briefing_of_the_plan_in_progress_carries_the_link(app, store, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(ENV_URL, NOWHERE)
    plan = running_plan(store, "Surgery")
    hook.wait_for_sends()
    link = plan_link(store, store.get_plan(plan.ref))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        text = await seen(pilot)
        assert link is not None and "Check in from your phone:" in text and link.rsplit("/", 1)[1] in text


def test_the_text_and_markdown_exports_carry_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, NOWHERE)
    with open_store() as store:
        plan = running_plan(store, "Surgery", start=datetime.now(timezone.utc))
        hook.wait_for_sends()
        link = plan_link(store, store.get_plan(plan.ref))
    assert link is not None
    for fmt in ("text", "markdown"):
        assert main(["export", plan.ref, "-f", fmt]) == EXIT_OK
        assert link in capsys.readouterr().out
    assert main(["export", plan.ref, "-f", "sms"]) == EXIT_OK
    assert link not in capsys.readouterr().out  # the contact's message is the contact's, not the phone's


@pytest.mark.slow
async def test_im_safe_from_the_phone_finishes_the_plan_in_the_open_app(
    council: Council, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with psycopg.connect(council.admin, autocommit=True) as conn:
        add_checkin_server(conn, "phone", password=PASSWORD)
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    clock = FixedClock(now)
    with open_store(data_dir, clock) as store:
        ref = running_plan(store, "Home visit", start=now - timedelta(minutes=10)).ref
        hook.wait_for_sends()
        link = plan_link(store, store.get_plan(ref))
    assert link is not None
    with connect(council.url("phone")) as conn:
        conn.execute("SELECT council.checkin(%s, 'safe')", (token_hash(link.rsplit("/", 1)[1]),))
    with psycopg.connect(council.admin) as conn:
        at = conn.execute("SELECT at FROM council.checkins").fetchone()
    assert at is not None
    app = build_app(data_dir, clock)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        when = format_when(at[0], "Europe/London", same_day_as=now)
        assert await shows(pilot, f"checked in from your phone at {when}")  # the pull runs in a worker
        assert "In progress" not in await seen(pilot)
    with open_store(data_dir, clock) as store:
        plan = store.get_plan(ref)
        assert plan.status is Status.FINISHED
        assert [e.event for e in plan.audit].count("from your phone: I'm safe") == 1
    hook.wait_for_sends()
