"""Shared builders for plan tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from safety_tui import paths
from safety_tui.loader import load_catalog
from safety_tui.plan import FixedClock
from safety_tui.store import Store, open_store

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def bundled_catalog():
    return load_catalog([("bundled", paths.bundled_checklists_dir())])


def make_store(tmp_path, at: datetime = T0) -> tuple[Store, FixedClock]:
    clock = FixedClock(at)
    return open_store(tmp_path / "data", clock), clock


def full_plan(store: Store, clock: FixedClock, code_word: str = "blue folder"):
    catalog = bundled_catalog()
    ids = catalog.matching("home-visit", ["car"])
    plan = store.create_plan("home-visit", ["car"], [catalog.get(i) for i in ids], tz="Europe/London", owner_name="Cllr Jo Bloggs")
    store.update(
        plan.ref,
        title="Mrs Smith re damp",
        location="12 Acacia Avenue, Ward End",
        start=clock.now() + timedelta(minutes=30),
        finish=clock.now() + timedelta(minutes=90),
        code_word=code_word,
        code_meaning="call the police to this address",
    )
    store.add_contact(plan.ref, "Sam Partner", "07700 900123", told=True)
    store.set_answer(plan.ref, "home-visit", "tell-someone", "done")
    return store.get_plan(plan.ref)
