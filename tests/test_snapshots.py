"""How the screens and dialogs look (pytest-textual-snapshot). Each test says what its picture
proves; review the SVG in tests/__snapshots__/ whenever one changes (--snapshot-update)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from pytest_textual_snapshot import SVGImageExtension

from safety_tui.common.clock import FixedClock
from safety_tui.wiring import open_store
from tests.helpers import T0, build_app, full_plan, today_settled

if TYPE_CHECKING:
    from safety_tui.ui.app import SafetyApp

pytestmark = pytest.mark.slow  # each picture starts the app: make test-all


def _app(tmp_path, overdue: bool = False):
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    if overdue:
        plan = store.create_plan("home-visit", tz="Europe/London", title="Mrs Smith, damp complaint")
        store.update(plan.ref, start=T0, finish=T0 + timedelta(hours=1), location="12 Acacia Avenue")
        store.start(plan.ref)
        clock.set(T0 + timedelta(hours=1, minutes=20))
    store.close()
    return build_app(tmp_path / "data", clock)


def _full_app(tmp_path, step: str = "review", running: bool = False):
    """A complete plan (contact told, code word set) left at ``step`` of the wizard."""
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    plan = full_plan(store, clock)
    store.set_answer(plan.ref, "home-visit", "code-word", "not-done", note="agreeing it by text on the way")
    store.update(plan.ref, wizard_step=step)
    if running:
        store.start(plan.ref)
    store.create_plan("surgery", tz="Europe/London", title="Ward surgery at the library")
    store.close()
    return build_app(tmp_path / "data", clock)


def test_visit_type(snap_compare, tmp_path):
    """Step 1: visit kinds, travel modes and the checklists chosen for a home visit."""
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), press=["n"])


def test_details(snap_compare, tmp_path):
    """Step 2: every field visible at 80x24 with the times' summary above them."""
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), press=["n", "ctrl+n"])


def test_contacts(snap_compare, tmp_path):
    """Step 4: the contact marked told at 13:30, the add row, saved contacts and the escalation."""
    assert snap_compare(_full_app(tmp_path, step="contacts"), terminal_size=(80, 24), press=["down", "enter"])


def test_history(snap_compare, tmp_path):
    """History: every plan with its status, start and visit, sorted newest first."""
    assert snap_compare(_full_app(tmp_path, running=True), terminal_size=(80, 24), press=["h"])


def test_plan_detail(snap_compare, tmp_path):
    """A plan in progress in full; the code word is masked until r."""
    assert snap_compare(_full_app(tmp_path, running=True), terminal_size=(80, 24), press=["down", "enter"])


def test_confirm_delete_draft(snap_compare, tmp_path):
    """Deleting a draft asks first, naming the plan."""
    assert snap_compare(_full_app(tmp_path), terminal_size=(80, 24), press=["d"])


async def pictures(app: SafetyApp, steps: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """One run of the app at 80x24: after each step's keys, the picture, taken the way
    ``snap_compare`` takes it (animations finished, messages handled, notifications shown)."""
    taken = []
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await today_settled(pilot)  # Today's worker has shown what it reads with the checklists
        for name, keys in steps:
            await pilot.press(*keys)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            taken.append((name, app.export_screenshot(title=app.title)))
    return taken


async def test_the_walk_and_its_dialogs(snapshot, tmp_path):
    """Four pictures from one walk (stored as test_the_walk_and_its_dialogs[name].svg; a changed
    one fails with its name, review it with --snapshot-update):
    - jump: every item with its answer, the current one highlighted;
    - note: a note on an item is a multi-line box, Ctrl+S saves, Escape cancels;
    - walk: one item, its guidance reference, the answer buttons and both progress bars;
    - reason: a critical item answered 'not done' asks why, the question on one line at 80 columns."""
    svg = snapshot.use_extension(SVGImageExtension)
    steps = [
        ("jump", ["n", "ctrl+n", "ctrl+n", "d", "n", "g"]),
        ("note", ["escape", "left", "m"]),
        ("walk", ["escape", "n", "d"]),
        ("reason", ["d", "x"]),
    ]
    for name, picture in await pictures(_app(tmp_path), steps):
        assert svg(name=name) == picture, f"the {name} picture changed"


async def test_today_overdue_and_the_extend_dialog(snapshot, tmp_path):
    """- today: an overdue plan, the red banner says by how much and what to press;
    - extend: the three quick choices and the custom field fit 80x24."""
    svg = snapshot.use_extension(SVGImageExtension)
    for name, picture in await pictures(_app(tmp_path, overdue=True), [("today", []), ("extend", ["e"])]):
        assert svg(name=name) == picture, f"the {name} picture changed"


async def test_review_and_its_dialogs(snapshot, tmp_path):
    """- review: risks first, the plan with the code word masked, a footer whose keys fit 80 columns;
    - qr: at 80x24 the QR code cannot be whole, the hint says how big the window must be;
    - briefing: the plan's during advice as a short card grouped under its headings (On arrival,
      Inside, If it turns nasty, ...), one line per piece of advice, Escape closes."""
    svg = snapshot.use_extension(SVGImageExtension)
    steps = [("review", ["down", "enter"]), ("qr", ["q"]), ("briefing", ["escape", "b"])]
    for name, picture in await pictures(_full_app(tmp_path), steps):
        assert svg(name=name) == picture, f"the {name} picture changed"


def test_visit_type_no_color(snap_compare, tmp_path, monkeypatch):
    """NO_COLOR at 80x24: the chosen visit reads (•), the others ( ); travel [ ] and the chosen
    checklists [x]; the current row of the focused list starts with ›. Nothing is told by colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), press=["n", "tab", "space"])
