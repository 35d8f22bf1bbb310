"""How the screens and dialogs look (pytest-textual-snapshot). Each test says what its picture
proves; review the SVG in tests/__snapshots__/ whenever one changes (--snapshot-update)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from safety_tui.plans.model import FixedClock
from safety_tui.store import open_store
from tests.helpers import T0, build_app, full_plan, today_settled

pytestmark = pytest.mark.slow
SIZES = [(80, 24), (120, 40)]


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


@pytest.mark.parametrize("size", SIZES)
def test_today_overdue(snap_compare, tmp_path, size):
    """Today with an overdue plan: the red banner says by how much and what to press."""
    assert snap_compare(_app(tmp_path, overdue=True), terminal_size=size, run_before=today_settled)


@pytest.mark.parametrize("size", SIZES)
def test_walk(snap_compare, tmp_path, size):
    """The walk: one item, its guidance reference, the answer buttons and both progress bars."""
    assert snap_compare(_app(tmp_path), terminal_size=size, press=["n", "ctrl+n", "ctrl+n", "n", "d"])


@pytest.mark.parametrize("size", SIZES)
def test_visit_type(snap_compare, tmp_path, size):
    """Step 1: visit kinds, travel modes and the checklists chosen for a home visit."""
    assert snap_compare(_app(tmp_path), terminal_size=size, press=["n"])


@pytest.mark.parametrize("size", SIZES)
def test_details(snap_compare, tmp_path, size):
    """Step 2: every field visible at 80x24 with the times' summary above them."""
    assert snap_compare(_app(tmp_path), terminal_size=size, press=["n", "ctrl+n"])


@pytest.mark.parametrize("size", SIZES)
def test_contacts(snap_compare, tmp_path, size):
    """Step 4: the contact marked told at 13:30, the add row, saved contacts and the escalation."""
    assert snap_compare(_full_app(tmp_path, step="contacts"), terminal_size=size, press=["down", "enter"])


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare, tmp_path, size):
    """Step 6: risks first, the plan with the code word masked, and a footer whose keys fit 80 columns."""
    assert snap_compare(_full_app(tmp_path), terminal_size=size, press=["down", "enter"])


@pytest.mark.parametrize("size", SIZES)
def test_history(snap_compare, tmp_path, size):
    """History: every plan with its status, start and visit, sorted newest first."""
    assert snap_compare(_full_app(tmp_path, running=True), terminal_size=size, press=["h"])


def test_plan_detail(snap_compare, tmp_path):
    """A plan in progress in full; the code word is masked until r."""
    assert snap_compare(_full_app(tmp_path, running=True), terminal_size=(80, 24), press=["down", "enter"])


def test_extend_dialog(snap_compare, tmp_path):
    """The extend dialog: the three quick choices and the custom field fit 80x24."""
    assert snap_compare(_app(tmp_path, overdue=True), terminal_size=(80, 24), press=["e"])


def test_reason_dialog(snap_compare, tmp_path):
    """A critical item answered 'not done' asks why; the question fits 80 columns on one line."""
    press = ["n", "ctrl+n", "ctrl+n", "n", "d", "d", "x"]
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), press=press)


def test_note_dialog(snap_compare, tmp_path):
    """A note on an item is a multi-line box: Ctrl+S saves, Escape cancels."""
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), press=["n", "ctrl+n", "ctrl+n", "n", "left", "m"])


def test_jump_dialog(snap_compare, tmp_path):
    """Jump lists every item with its answer, the current one highlighted."""
    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), press=["n", "ctrl+n", "ctrl+n", "n", "g"])


def test_qr_dialog_too_small(snap_compare, tmp_path):
    """At 80x24 the QR code cannot be whole: the hint says how big the window must be, within 80 columns."""
    assert snap_compare(_full_app(tmp_path), terminal_size=(80, 24), press=["down", "enter", "q"])


def test_confirm_delete_draft(snap_compare, tmp_path):
    """Deleting a draft asks first, naming the plan."""
    assert snap_compare(_full_app(tmp_path), terminal_size=(80, 24), press=["d"])


def test_briefing_dialog(snap_compare, tmp_path):
    """The briefing at 80x24: the plan's during advice as a short card, grouped under its headings
    (On arrival, Inside, If it turns nasty, ...), one line per piece of advice, Escape closes."""
    assert snap_compare(_full_app(tmp_path), terminal_size=(80, 24), press=["down", "enter", "b"])
