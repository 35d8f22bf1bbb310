"""Every entry point publishes: the store knows nothing of the council, so the danger is a caller
that opens it without the publication hook and silently shares nothing with the duty desk.

With a council database configured (unreachable here, so each publication waits in the outbox),
a plan started, extended, checked in or cancelled through the app, the CLI or the phone's
check-in reaches the outbox; and nothing in the package, the scripts or the benchmarks opens
the store (or builds a Store) but :mod:`safety_tui.wiring`.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from safety_tui.cli.main import main
from safety_tui.common.exitcodes import EXIT_OK
from safety_tui.council import hook
from safety_tui.council.config import ENV_URL
from safety_tui.council.outbox import OUTBOX_NAME, Outbox
from safety_tui.council.publication import plan_key
from safety_tui.council.pull import PHONE_SAFE, apply_desk_events
from safety_tui.plans.lifecycle import Status
from safety_tui.plans.model import Plan
from safety_tui.store import opening
from safety_tui.store.repository import Store
from safety_tui.wiring import open_store
from tests.helpers import T0, running_plan, seen, wait_until

ROOT = Path(__file__).resolve().parent.parent
# Nobody listens here: the connection is refused at once, and the publication waits in the outbox.
UNREACHABLE = "postgresql://alice@127.0.0.1:1/council?connect_timeout=2"


def waiting_statuses(data: Path, ref_key: str) -> list[str]:
    """The statuses of the publications waiting for one plan, oldest first."""
    hook.wait_for_sends()
    if not (data / OUTBOX_NAME).exists():
        return []
    with Outbox.open(data) as outbox:
        return [str(p.view["status"]) for p in outbox.pending() if p.plan_key == ref_key]


def ready_plan(store: Store, title: str) -> str:
    plan = store.create_plan("home-visit", tz="Europe/London", title=title)
    start = store.clock.now() + timedelta(minutes=10)
    store.update(plan.ref, start=start, finish=start + timedelta(hours=1))
    return store.mark_ready(plan.ref).ref


# -- the app ------------------------------------------------------------------------------------------


async def test_a_plan_started_in_the_app_reaches_the_council_outbox(app, store, data_dir, monkeypatch):
    ref = ready_plan(store, "Surgery at the library")  # arranged before the council is configured
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: any(t.row_count for t in app.screen.query("#plans")), "Today's list")
        await pilot.press("s")
        assert "Before you start" in await seen(pilot)  # nobody told yet: the start check asks first
        await pilot.press("y")
        assert "Started" in await seen(pilot)
    assert store.get_plan(ref).status is Status.IN_PROGRESS
    assert waiting_statuses(data_dir, plan_key(store.get_plan(ref))) == ["in-progress"]


async def test_a_plan_checked_in_in_the_app_reaches_the_council_outbox(app, store, data_dir, monkeypatch):
    plan = running_plan(store, "Mrs Jones visit")  # started before the council was configured: not published
    assert waiting_statuses(data_dir, plan_key(plan)) == []
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("c")
        assert "Checked in safe" in await seen(pilot)
    assert waiting_statuses(data_dir, plan_key(plan)) == ["finished"]


async def test_a_plan_extended_in_the_app_reaches_the_council_outbox(app, store, data_dir, monkeypatch):
    plan = running_plan(store, "Late surgery")
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("e")
        assert "Extend the expected finish" in await seen(pilot)
        await pilot.press("3")  # +30 min
        later = plan.finish + timedelta(minutes=30)
        await wait_until(pilot, lambda: store.get_plan(plan.ref).finish == later, "the extension saved")
    assert waiting_statuses(data_dir, plan_key(plan)) == ["in-progress"]


# -- the CLI ------------------------------------------------------------------------------------------


def test_safety_tui_checkin_and_extend_reach_the_council_outbox(monkeypatch, data_dir):
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data_dir))
    with open_store(data_dir) as store:
        first = running_plan(store, "Surgery", start=store.clock.now())
        second = running_plan(store, "Home visit", start=store.clock.now())
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    assert main(["extend", first.ref, "30"]) == EXIT_OK
    assert waiting_statuses(data_dir, plan_key(first)) == ["in-progress"]
    assert main(["checkin", second.ref, "--no-debrief"]) == EXIT_OK
    assert waiting_statuses(data_dir, plan_key(second)) == ["finished"]


# -- the phone's check-in, pulled from the duty desk ---------------------------------------------------


def test_a_check_in_from_the_phone_reaches_the_council_outbox(monkeypatch, data_dir):
    with open_store(data_dir) as store:
        plan = running_plan(store, "Ward walk", start=store.clock.now())
        monkeypatch.setenv(ENV_URL, UNREACHABLE)
        at = store.clock.now() + timedelta(minutes=20)
        pulled = apply_desk_events(store, plan.ref, [(at, PHONE_SAFE, "")])
        assert pulled.notices and store.get_plan(plan.ref).status is Status.FINISHED
    assert waiting_statuses(data_dir, plan_key(plan)) == ["finished"]


# -- the attack: a store opened without the wiring shares nothing -------------------------------------


def test_a_store_opened_without_the_wiring_would_publish_nothing(monkeypatch, data_dir):
    """What the tests above guard against: the store itself never calls the council."""
    monkeypatch.setenv(ENV_URL, UNREACHABLE)
    with open_store(data_dir) as wired:
        ready = ready_plan(wired, "Wired")
    from safety_tui.incidents.schema import INCIDENT_TABLES

    with opening.open_store(data_dir, parts=(INCIDENT_TABLES,)) as bare:  # no on_change hook
        started = bare.start(ready)
    assert waiting_statuses(data_dir, plan_key(started)) == []
    with open_store(data_dir) as wired:
        assert wired.cancel(ready).status is Status.CANCELLED
    assert waiting_statuses(data_dir, plan_key(started)) == ["cancelled"]


def test_each_lifecycle_change_is_told_to_the_hook_after_it_is_saved(tmp_path):
    heard: list[tuple[str, str, Status]] = []

    def on_change(store: Store, plan: Plan, event: str) -> None:
        ref = plan.ref
        heard.append((ref, event, store.get_plan(ref).status))  # already committed: the store reads it back

    from safety_tui.common.clock import FixedClock

    with opening.open_store(tmp_path / "data", FixedClock(T0), on_change=on_change) as store:
        ref = ready_plan(store, "Visit")
        store.start(ref)
        store.extend(ref, 15)
        store.check_in(ref)
    assert heard == [
        (ref, "ready", Status.READY),
        (ref, "started", Status.IN_PROGRESS),
        (ref, "extended", Status.IN_PROGRESS),
        (ref, "checked in safe", Status.FINISHED),
    ]


# -- only the wiring opens the store -------------------------------------------------------------------


def _python_files() -> list[Path]:
    return [p for folder in ("safety_tui", "scripts", "benchmarks") for p in sorted((ROOT / folder).rglob("*.py"))]


def _opens_the_store_itself(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "safety_tui.store.opening":
            if any(alias.name == "open_store" for alias in node.names):
                return True
        if isinstance(node, ast.ImportFrom) and node.module == "safety_tui.store":
            if any(alias.name in ("opening", "open_store") for alias in node.names):
                return True
        if isinstance(node, ast.Import) and any(a.name == "safety_tui.store.opening" for a in node.names):
            return True
    return False


def _builds_a_writable_store(tree: ast.AST) -> bool:
    """A ``Store(...)`` call not marked ``read_only=True`` (a read-only store changes no plan)."""

    def read_only(call: ast.Call) -> bool:
        return any(
            k.arg == "read_only" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
        )

    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Store" and not read_only(n)
        for n in ast.walk(tree)
    )


def _builds_a_store_without_its_hook(tree: ast.AST) -> bool:
    """A writable ``Store(...)`` call that does not pass ``on_change`` on."""
    return any(
        _builds_a_writable_store(n) and not any(k.arg == "on_change" for k in n.keywords)
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
    )


def test_only_the_wiring_opens_the_store():
    trees = {str(p.relative_to(ROOT)): ast.parse(p.read_bytes()) for p in _python_files()}
    assert {name for name, tree in trees.items() if _opens_the_store_itself(tree)} == {"safety_tui/wiring/__init__.py"}
    built = {name for name, tree in trees.items() if _builds_a_writable_store(tree)}
    # opening builds the store; connections builds it again on a thread's own connection, hook included
    assert built == {"safety_tui/store/opening.py", "safety_tui/store/connections.py"}
    assert not {name for name, tree in trees.items() if _builds_a_store_without_its_hook(tree)}


@pytest.mark.parametrize(
    "source",
    [
        "from safety_tui.store.opening import open_store\n",
        "from safety_tui.store import opening\n",
        "import safety_tui.store.opening\n",
    ],
)
def test_the_check_sees_a_store_opened_around_the_wiring(source):
    assert _opens_the_store_itself(ast.parse(source))
    assert not _opens_the_store_itself(ast.parse("from safety_tui.wiring import open_store\n"))


def test_the_check_sees_a_writable_store_built_by_hand():
    assert _builds_a_writable_store(ast.parse("Store(conn, path, clock)\n"))
    assert not _builds_a_writable_store(ast.parse("Store(conn, path, clock, read_only=True)\n"))
