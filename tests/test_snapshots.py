"""How the main screens look (pytest-textual-snapshot), at 80x24 and at a larger size."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from safety_tui import paths
from safety_tui.app import create_app
from safety_tui.plan import FixedClock
from safety_tui.store import open_store

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def _app(tmp_path, overdue: bool = False):
    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    if overdue:
        plan = store.create_plan("home-visit", tz="Europe/London", title="Mrs Smith, damp complaint")
        store.update(plan.ref, start=T0, finish=T0 + timedelta(hours=1), location="12 Acacia Avenue")
        store.start(plan.ref)
        clock.set(T0 + timedelta(hours=1, minutes=20))
    store.close()
    return create_app(
        data_dir=tmp_path / "data", clock=clock, tz="Europe/London",
        layers=[("bundled", paths.bundled_checklists_dir())],
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_today_overdue(snap_compare, tmp_path, size):
    assert snap_compare(_app(tmp_path, overdue=True), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_walk(snap_compare, tmp_path, size):
    assert snap_compare(_app(tmp_path), terminal_size=size, press=["n", "ctrl+n", "ctrl+n", "n", "d"])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_visit_type(snap_compare, tmp_path, size):
    assert snap_compare(_app(tmp_path), terminal_size=size, press=["n"])


def _review_app(tmp_path):
    from tests.helpers import full_plan

    clock = FixedClock(T0)
    store = open_store(tmp_path / "data", clock)
    plan = full_plan(store, clock)
    store.set_answer(plan.ref, "home-visit", "code-word", "not-done", note="agreeing it by text on the way")
    store.update(plan.ref, wizard_step="review")
    store.close()
    return create_app(
        data_dir=tmp_path / "data", clock=clock, tz="Europe/London",
        layers=[("bundled", paths.bundled_checklists_dir())],
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_review(snap_compare, tmp_path, size):
    assert snap_compare(_review_app(tmp_path), terminal_size=size, press=["enter"])
