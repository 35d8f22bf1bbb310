"""How long the UI thread ever stops answering, side by side: a full store against an empty one.

Run by `make bench`. The app runs headless on Today for a while (long enough for its periodic
refreshes), first with 10,000 plans and 1,000 incidents stored, then with an empty store, while a
probe on the UI's event loop asks to wake every millisecond and notes how late it woke: the longest
lateness is the longest stall a person would feel as a frozen key press. Also the CPU time of one
wizard step switch (the step shown next is composed ahead while a step is shown: its CPU is
reported on its own line), and how many times Review composes the plan over five draws. Then the
incident screens on the same stores, as their own rows: opening the incident list, typing a filter of
five characters, opening one incident's timeline, each with the longest stall while it happens.
Prints tables; never part of the tests.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
WATCH_SECONDS = float(os.environ.get("BENCH_WATCH_SECONDS", "12"))

CHILD = r"""
import asyncio, json, sys, time
from pathlib import Path
from safety_tui.ui.app import create_app

async def main():
    app = create_app(data_dir=Path(sys.argv[1]), tz="Europe/London")
    lateness = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        await pilot.pause(0.5)
        stop = time.perf_counter() + float(sys.argv[2])
        while time.perf_counter() < stop:
            asked = time.perf_counter()
            await asyncio.sleep(0.001)
            lateness.append((time.perf_counter() - asked - 0.001) * 1000)
        from safety_tui.ui.screens import wizard
        wizard.PREPARE_DELAY = 1.0  # the step after Details is composed after the switch's window, not in it
        await pilot.press("n")
        await pilot.pause(2.0)  # a person reads the step: meanwhile the next one is composed, out of sight
        cpu = time.process_time()
        await pilot.press("ctrl+n")
        await pilot.pause(0.3)
        step_cpu = (time.process_time() - cpu) * 1000
        cpu = time.process_time()
        await pilot.pause(1.5)  # idle on Details: the walk is composed ahead in this time
        ahead_cpu = (time.process_time() - cpu) * 1000
        # Review's redraws: how many times the plan's checklists are composed for four of them.
        from safety_tui.checklists import compose
        composed = []
        real = compose.compose_checklists
        compose.compose_checklists = lambda *a, **k: composed.append(1) or real(*a, **k)
        wizard.resume(app, app.store.resolve("last"), "review")
        await pilot.pause(0.5)
        for key in ("r", "r", "w", "w"):
            await pilot.press(key)
            await pilot.pause(0.1)
    lateness.sort()
    print(json.dumps({"max": lateness[-1], "p99": lateness[int(len(lateness) * 0.99)], "step_cpu": step_cpu,
                      "ahead_cpu": ahead_cpu, "review_compositions": float(len(composed))}))

asyncio.run(main())
"""


CHILD_INCIDENTS = r"""
import asyncio, json, sys, time
from pathlib import Path
from safety_tui.ui.app import create_app

FILTER = "son 4"  # five characters: Person 4 and Person 40-49 of the bench's 100 people

async def main():
    app = create_app(data_dir=Path(sys.argv[1]), tz="Europe/London")
    worst = {}
    phase = ["idle"]

    async def probe():
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.001)
            late = (time.perf_counter() - asked - 0.001) * 1000
            worst[phase[0]] = max(worst.get(phase[0], 0.0), late)

    def text(selector):
        try:
            return str(app.screen.query_one(selector).render())
        except Exception:  # not that screen (yet)
            return ""

    async def until(predicate):
        while not predicate():
            await asyncio.sleep(0.005)

    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        await pilot.pause(0.5)
        probing = asyncio.create_task(probe())
        phase[0] = "list_open"
        await pilot.press("I")
        await until(lambda: "incident(s)" in text("#incidents-summary"))
        await pilot.pause(0.2)
        phase[0] = "list_filter"
        await pilot.press("slash", *(("space" if ch == " " else ch) for ch in FILTER))
        await until(lambda: "with that person" in text("#incidents-summary"))
        await pilot.pause(0.2)
        phase[0] = "timeline_open"
        await pilot.press("enter", "enter")  # the filter's Enter goes to the list; the list's opens the timeline
        await until(lambda: "Timeline (every entry" in text("#timeline") or "0 incident(s)" in text("#incidents-summary"))
        await pilot.pause(0.2)
        probing.cancel()
    print(json.dumps(worst))

asyncio.run(main())
"""


def full_store(folder: Path) -> None:
    """10,000 plans (ten still open) and 1,000 incidents about 100 people."""
    from datetime import datetime, timedelta, timezone

    from safety_tui.common.clock import FixedClock
    from safety_tui.incidents.log import IncidentLog
    from safety_tui.wiring import open_store

    now = datetime.now(timezone.utc)
    store = open_store(folder, FixedClock(now))
    conn = store.conn
    conn.execute("BEGIN")
    for n in range(10_000):
        status = "finished" if n < 9_990 else "ready"
        start = now - timedelta(days=300) + timedelta(minutes=40 * n)
        conn.execute(
            "INSERT INTO plans(ref, status, visit_type, tz, grace_minutes, title, start_utc, finish_utc, created_utc, updated_utc)"
            " VALUES (?, ?, 'home-visit', 'Europe/London', 15, ?, ?, ?, ?, ?)",
            (
                f"bench-{n}",
                status,
                f"Visit {n}",
                start.isoformat(),
                (start + timedelta(hours=1)).isoformat(),
                start.isoformat(),
                start.isoformat(),
            ),
        )
    conn.execute("COMMIT")
    log = IncidentLog.of(store)
    for n in range(1_000):
        log.record(
            what=f"Shouted at me, occasion {n}",
            recorder="Cllr Bench",
            tz="Europe/London",
            happened_at=now - timedelta(days=299) + timedelta(hours=7 * n),
            people=[f"Person {n % 100}"],
            category="abusive",
        )
    store.close()


def watch(folder: Path) -> dict[str, float]:
    import json

    out = subprocess.run([PY, "-c", CHILD, str(folder), str(WATCH_SECONDS)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def watch_incidents(folder: Path) -> dict[str, float]:
    import json

    out = subprocess.run([PY, "-c", CHILD_INCIDENTS, str(folder)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def incident_rows(full: Path, empty: Path, runs: int) -> None:
    """The incident screens' own rows: the longest stall while each step of the journey happens."""
    ours: list[dict[str, float]] = []
    ref: list[dict[str, float]] = []
    for _ in range(runs):
        ours.append(watch_incidents(full))
        ref.append(watch_incidents(empty))
    print()
    print("| incident screens: longest UI-thread stall (ms) | 10,000 plans + 1,000 incidents | empty store | target |")
    print("|---|---|---|---|")
    for key, name in (
        ("list_open", "opening the incident list (I on Today) until it shows"),
        ("list_filter", "typing a five-character filter until the rows show"),
        ("timeline_open", "opening one incident's timeline until it shows"),
    ):
        a, b = statistics.median(r.get(key, 0.0) for r in ours), statistics.median(r.get(key, 0.0) for r in ref)
        print(f"| {name} | {a:.1f} | {b:.1f} | < 16 ms |")


def main() -> None:
    runs = int(os.environ.get("BENCH_STALL_RUNS", "3"))
    full, empty = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    started = time.perf_counter()
    full_store(full)
    print(f"(filled a store with 10,000 plans and 1,000 incidents in {time.perf_counter() - started:.1f} s)")
    ours: list[dict[str, float]] = []
    ref: list[dict[str, float]] = []
    for _ in range(runs):  # interleaved, so drift on a busy machine hits both alike
        ours.append(watch(full))
        ref.append(watch(empty))

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    print("| measure | 10,000 plans + 1,000 incidents | empty store | ratio | target |")
    print("|---|---|---|---|---|")
    for key, name, target in (
        ("max", f"longest UI-thread stall on Today over {WATCH_SECONDS:.0f} s (ms)", "< 16 ms"),
        ("p99", "99th percentile lateness of a 1 ms wake-up (ms)", ""),
        ("step_cpu", "CPU of one wizard step switch, Visit to Details (ms)", "< 60 ms"),
        ("ahead_cpu", "CPU of the next step composed ahead, idle 1.5 s on Details (ms)", ""),
        ("review_compositions", "compositions of the plan for Review's first draw and four redraws", "1"),
    ):
        a, b = med(ours, key), med(ref, key)
        print(f"| {name} | {a:.1f} | {b:.1f} | {a / b if b else float('nan'):.2f}x | {target} |")
    incident_rows(full, empty, runs)


if __name__ == "__main__":
    asyncio.run(asyncio.sleep(0))
    main()
