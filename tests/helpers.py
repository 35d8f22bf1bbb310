"""Shared builders for plan tests, and reading the app's screen as text."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.widgets import DirectoryTree

from safety_tui.checklists.loader.catalog import load_catalog
from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.store.repository import Store
from safety_tui.wiring import open_store

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

    from safety_tui.checklists.loader.catalog import Catalog
    from safety_tui.plans.model import Plan
    from safety_tui.ui.app import SafetyApp

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def bundled_catalog() -> "Catalog":
    return load_catalog([("bundled", paths.bundled_checklists_dir())])


def make_store(tmp_path: Path, at: datetime = T0) -> tuple[Store, FixedClock]:
    clock = FixedClock(at)
    return open_store(tmp_path / "data", clock), clock


def build_app(data_dir: Path, clock: FixedClock, org: Path | None = None) -> "SafetyApp":
    from safety_tui.ui.app import create_app

    layers = [("bundled", paths.bundled_checklists_dir())]
    if org is not None:
        layers.append(("organisation", org))
    return create_app(data_dir=data_dir, clock=clock, tz="Europe/London", layers=layers)


def full_plan(store: Store, clock: FixedClock, code_word: str = "blue folder") -> "Plan":
    catalog = bundled_catalog()
    ids = catalog.matching("home-visit", ["car"])
    chosen = [c for c in map(catalog.get, ids) if c is not None]
    plan = store.create_plan("home-visit", ["car"], chosen, tz="Europe/London", owner_name="Cllr Jo Bloggs")
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


def running_plan(store: Store, title: str, start: datetime = T0) -> "Plan":
    """A plan in progress from ``start`` to an hour later."""
    plan = store.create_plan("home-visit", tz="Europe/London", title=title)
    store.update(plan.ref, start=start, finish=start + timedelta(hours=1))
    store.start(plan.ref)
    return store.get_plan(plan.ref)


def wizard_draft(store: Store, clock: FixedClock, step: str, **fields: Any) -> str:
    """A home-visit draft on foot, its details filled in through the store, left at wizard step
    ``step`` (the stored key: type, details, walk, contacts, codeword, review). Enter on it in
    Today opens the wizard there: a test of one step does not drive the wizard from the start."""
    catalog = bundled_catalog()
    chosen = [c for c in map(catalog.get, catalog.matching("home-visit", [])) if c is not None]
    plan = store.create_plan("home-visit", [], chosen, tz="Europe/London", owner_name="Cllr Jo Bloggs")
    details = {
        "title": "Mrs Smith re damp",
        "location": "12 Acacia Avenue, Ward End",
        "start": clock.now() + timedelta(minutes=30),
        "finish": clock.now() + timedelta(minutes=90),
    }
    store.update(plan.ref, wizard_step=step, **{**details, **fields})
    return plan.ref


async def open_highlighted(pilot: Pilot[Any]) -> None:
    """Enter on Today's highlighted plan (a draft resumes at its step), once the app has loaded."""
    await cast("SafetyApp", pilot.app).wait_for_catalog()
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


_TEXT = re.compile(r'<text[^>]*?x="([\d.]+)"[^>]*?clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>([^<]*)</text>')


def screen_lines(app: "App[Any]") -> list[str]:
    """What the terminal shows, one string per row (from the app's own screenshot)."""
    cell = 12.2  # the width of one cell in Textual's SVG export
    rows: dict[int, dict[int, str]] = {}
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        rows.setdefault(int(line), {})[round(float(x) / cell)] = html.unescape(text).replace("\xa0", " ")
    out = []
    for n in range(max(rows, default=-1) + 1):
        chars: list[str] = []
        for column, text in sorted(rows.get(n, {}).items()):
            chars.extend(" " * (column - len(chars)))
            chars[column : column + len(text)] = list(text)
        out.append("".join(chars).rstrip())
    return out


def screen_text(app: "App[Any]") -> str:
    """The whole screen as text, rows joined by newlines."""
    return "\n".join(screen_lines(app))


def flat_text(app: "App[Any]") -> str:
    """The screen with rows joined by spaces and runs of spaces squeezed: for wrapped text."""
    return re.sub(r"[\s│▎▊▌▐▕▏┃║]+", " ", " ".join(screen_lines(app)))


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the app has nothing left to do: its workers finished, scheduled animations
    run, pending messages handled (and the messages those posted)."""
    await pilot.pause()  # messages first: they may start workers (the command palette's search)
    # Every worker that finishes: a DirectoryTree's loader lives as long as the tree, so never.
    finishing = [w for w in pilot.app.workers if not isinstance(w.node, DirectoryTree)]
    if finishing:  # (an empty list would mean every worker to wait_for_complete)
        await pilot.app.workers.wait_for_complete(finishing)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def seen(pilot: Pilot[Any]) -> str:
    """The screen as flat text (notifications included: run_test(notifications=True)),
    once the app has settled."""
    await settle(pilot)
    return flat_text(pilot.app)


async def fill(pilot: Pilot[Any], text: str) -> None:
    """Paste ``text`` into the focused widget, as a terminal paste arrives: one event through the
    app to the focused Input (its first line) or TextArea, which sends one Changed message.

    Every test that needs text in a box uses this; typing key by key is for the one journey
    that proves the keyboard path (``type_keys``)."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await settle(pilot)


async def type_keys(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` one key at a time, as a person does (slow: only for the keyboard journey)."""
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def wait_until(pilot: Pilot[Any], predicate: Callable[[], object], what: str, limit: float = 30.0) -> None:
    """Let the app run until ``predicate()`` is true. The limit only stops a hung test: it never
    decides a result, so it is generous."""
    deadline = time.monotonic() + limit
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await pilot.pause(0.02)


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = 30.0) -> None:
    """``wait_until`` without naming what is waited for (a worker's result has landed, ...)."""
    await wait_until(pilot, predicate, "the state waited for", timeout)


async def today_settled(pilot: Pilot[Any]) -> None:
    """Wait until Today shows what it reads once the checklists have loaded (reviews and to-dos too):
    its worker's snapshot, read with the checklists, is on the screen."""
    app = pilot.app
    await app.wait_for_catalog()
    await wait_until(
        pilot,
        lambda: (s := getattr(app.screen, "snapshot", None)) is not None and s.reviews_due is not None,
        "Today's snapshot with the checklists loaded",
    )
    await pilot.pause()


def wizard_step(app: "App[Any]") -> Any:
    """The wizard step shown (a pane of the one wizard screen), or None outside the wizard."""
    from safety_tui.ui.screens.wizard import WizardScreen

    return app.screen.step if isinstance(app.screen, WizardScreen) else None
