"""Shared builders for plan tests, and reading the app's screen as text."""

from __future__ import annotations

import asyncio

import html
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from safety_tui.common import paths
from safety_tui.checklists.loader import load_catalog
from safety_tui.plans.model import FixedClock
from safety_tui.store import Store, open_store

if TYPE_CHECKING:
    from safety_tui.ui.app import SafetyApp

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def bundled_catalog():
    return load_catalog([("bundled", paths.bundled_checklists_dir())])


def make_store(tmp_path, at: datetime = T0) -> tuple[Store, FixedClock]:
    clock = FixedClock(at)
    return open_store(tmp_path / "data", clock), clock


def build_app(data_dir: Path, clock: FixedClock, org: Path | None = None) -> "SafetyApp":
    from safety_tui.ui.app import create_app

    layers = [("bundled", paths.bundled_checklists_dir())]
    if org is not None:
        layers.append(("organisation", org))
    return create_app(data_dir=data_dir, clock=clock, tz="Europe/London", layers=layers)


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


def running_plan(store: Store, title: str, start: datetime = T0):
    """A plan in progress from ``start`` to an hour later."""
    plan = store.create_plan("home-visit", tz="Europe/London", title=title)
    store.update(plan.ref, start=start, finish=start + timedelta(hours=1))
    store.start(plan.ref)
    return store.get_plan(plan.ref)


_TEXT = re.compile(r'<text[^>]*?x="([\d.]+)"[^>]*?clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>([^<]*)</text>')


def screen_lines(app: "SafetyApp") -> list[str]:
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
            chars[column:column + len(text)] = list(text)
        out.append("".join(chars).rstrip())
    return out


def screen_text(app: "SafetyApp") -> str:
    """The whole screen as text, rows joined by newlines."""
    return "\n".join(screen_lines(app))


def flat_text(app: "SafetyApp") -> str:
    """The screen with rows joined by spaces and runs of spaces squeezed: for wrapped text."""
    return re.sub(r"[\s│▎▊▌▐▕▏┃║]+", " ", " ".join(screen_lines(app)))


async def seen(pilot) -> str:
    """The screen as flat text (notifications included: run_test(notifications=True)),
    once pending messages have landed."""
    await pilot.pause()
    await pilot.pause()
    return flat_text(pilot.app)


async def wait_for(pilot, predicate, timeout: float = 30.0) -> None:
    """Let the app run until ``predicate()`` holds (a worker's result has landed, ...); fail after ``timeout``."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while not predicate():
        assert loop.time() < give_up, "the app never reached the state waited for"
        await pilot.pause(0.01)


async def today_settled(pilot) -> None:
    """Wait until Today shows what it reads once the checklists have loaded (reviews and to-dos too)."""
    app = pilot.app
    await app.wait_for_catalog()
    await wait_for(pilot, lambda: (s := getattr(app.screen, "snapshot", None)) is not None and s.reviews_due is not None)
    await pilot.pause()
