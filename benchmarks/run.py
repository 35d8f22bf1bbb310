"""safety-tui benchmarks: each figure side by side with its reference, in the same run.

Run with `make bench`. Prints a table (min / median / max, ratio of medians)
and writes benchmarks/RESULTS.md. Never part of `make test`.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
PY = sys.executable
ROWS: list[tuple[str, list[float], str, list[float], str]] = []


def timed_runs(cmd: list[str], runs: int, env: dict | None = None) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        out.append((time.perf_counter() - start) * 1000)
    return out


def interleaved(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, list[float]]:
    """Time several commands in turn, round after round, so drift on a busy machine hits all alike."""
    out: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            out[name] += timed_runs(cmd, 1, env)
    return out


def row(name: str, ours: list[float], ref_name: str, ref: list[float], target: str) -> None:
    ROWS.append((name, ours, ref_name, ref, target))


CHILD = """
import asyncio, sys
from pathlib import Path
mode = sys.argv[1]  # bare | app | ready | history
async def main():
    if mode == "bare":
        from textual.app import App
        from textual.widgets import Static
        class Bare(App):
            def compose(self):
                yield Static("hello")
        app = Bare()
    else:
        from safety_tui.ui.app import create_app
        app = create_app(data_dir=Path(sys.argv[2]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if mode in ("ready", "history"):  # wait for the checklists to finish loading too
            await app.wait_for_catalog()
            assert app.catalog is not None and app.catalog.checklists
        if mode == "history":  # the History screen lists the stored plans
            await pilot.press("h")
            await pilot.pause()
asyncio.run(main())
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report its parent's peak.
print([line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")][0])
"""


def bench_app_startup(runs: int) -> None:
    """First paint and the app usable, in a real terminal (tmux), interleaved with a bare Textual
    app's first paint. Usable: the checklists loaded and `n`, typed the moment Today showed, has
    opened the wizard at its first step."""
    from terminal import BARE_APP, TmuxServer, first_paint_ms, timeline_ms

    from safety_tui.common.clock import SystemClock
    from safety_tui.wiring import open_store

    template = Path(tempfile.mkdtemp()) / "data"  # a store made once, no plans in it
    open_store(template, SystemClock()).close()
    env = {"TERM": "xterm-256color"}
    painted: list[float] = []
    usable: list[float] = []
    bare: list[float] = []
    with TmuxServer():
        for n in range(runs + 1):
            # A copy of the same store each run: each opens an existing store and creates its first draft.
            env["SAFETY_TUI_DATA_DIR"] = str(Path(tempfile.mkdtemp()) / "data")
            shutil.copytree(template, env["SAFETY_TUI_DATA_DIR"])
            bare_ms = first_paint_ms([PY, "-c", BARE_APP], "hello from a bare app", env)
            paint_ms, usable_ms = timeline_ms(
                [PY, "-m", "safety_tui"], "New plan", env, then=("n", "What kind of visit?")
            )
            if n == 0:
                continue  # the first round warms the page cache for both
            bare.append(bare_ms)
            painted.append(paint_ms)
            assert usable_ms is not None
            usable.append(usable_ms)
    row("App first paint in tmux (Today, store opened)", painted, "bare Textual App + Static in tmux", bare, "<= 1.4x")
    row(
        "App usable in tmux (checklists loaded, `n` opened the wizard)",
        usable,
        "bare Textual App + Static in tmux",
        bare,
        "<= 2x",
    )


def bench_cli(runs: int) -> None:
    env = dict(os.environ, SAFETY_TUI_DATA_DIR=tempfile.mkdtemp())
    bundled = sorted(str(p) for p in (ROOT / "checklists").glob("*.yaml"))
    check_jsonschema = str(Path(PY).parent / "check-jsonschema")
    schema = str(ROOT / "schema" / "checklist.schema.json")
    t = interleaved(
        {
            "ref": [PY, "-c", "import yaml, pydantic"],
            "jsonschema": [check_jsonschema, "--schemafile", schema, *bundled],
            "validate": [PY, "-m", "safety_tui", "validate"],
            "status": [PY, "-m", "safety_tui", "status"],
        },
        runs,
        env,
    )
    row(
        "CLI: safety-tui validate (bundled)",
        t["validate"],
        "check-jsonschema, same files, shipped schema",
        t["jsonschema"],
        "<= 0.5x",
    )
    row("CLI: safety-tui status", t["status"], "python -c 'import yaml, pydantic'", t["ref"], "<= 1.5x")


def make_corpus(folder: Path, count: int = 1000) -> int:
    total = 0
    for n in range(count):
        lines = [
            "format: 1",
            f"id: list-{n}",
            f"title: Generated list {n}",
            "description: A generated checklist for benchmarking the loader.",
            "visit_types: [home-visit, surgery]",
            "sections:",
        ]
        for s in range(6):  # about 10 KB a file, 10 MB in all, as the issue asks
            lines += [f"  - title: Section {s}", "    items:"]
            for i in range(8):
                lines += [
                    f"      - id: item-{s}-{i}",
                    f"        text: Do the thing number {i} in section {s}, carefully and on time.",
                    "        help: Because the guidance says so, and it keeps you safe on the day.",
                    '        ref: "2.4.4"',
                    f"        critical: {'true' if i % 5 == 0 else 'false'}",
                ]
        text = "\n".join(lines) + "\n"
        (folder / f"list-{n}.yaml").write_text(text)
        total += len(text)
    return total


def bench_loader(runs: int) -> None:
    import yaml

    from safety_tui.checklists.loader.catalog import KEPT_FILES, load_paths

    folder = Path(tempfile.mkdtemp())
    size = make_corpus(folder)
    files = sorted(folder.glob("*.yaml"))
    # The loader keeps the last KEPT_FILES files parsed; 1,000 files read in order are never found
    # kept on the next run, so each run parses and validates every file.
    assert len(files) > KEPT_FILES
    ours, ref = [], []
    for _ in range(runs):
        start = time.perf_counter()
        loaded, errors = load_paths([folder])
        ours.append((time.perf_counter() - start) * 1000)
        assert len(loaded) == 1000 and not errors
        start = time.perf_counter()
        for f in files:
            yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
        ref.append((time.perf_counter() - start) * 1000)
    row(f"Loader: validate 1,000 files ({size / 1e6:.1f} MB)", ours, "yaml.load(CSafeLoader) of the same", ref, "<= 2x")


def bench_store(runs: int) -> None:
    """10,000 plans of 50 answers each, all but the newest 10 finished (years of use)."""
    from datetime import datetime, timezone

    from safety_tui.common.clock import FixedClock
    from safety_tui.wiring import open_store

    def fill(store, plans: int) -> str:
        clock = store.clock
        conn = store.conn
        ref = ""
        for n in range(plans):
            p = store.create_plan("home-visit", [], [], tz="Europe/London", title=f"Visit {n}")
            ref = p.ref
            pid = store.plan_id(ref)
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO answers(plan_id, checklist_id, item_id, value, note, answered_utc) VALUES (?, 'c', ?, 'done', '', ?)",
                [(pid, f"i{k}", clock.now().isoformat()) for k in range(50)],
            )
            if n < plans - 10:
                conn.execute("UPDATE plans SET status = 'finished' WHERE id = ?", (pid,))
            conn.execute("COMMIT")
            clock.advance(minutes=7)
        return ref

    def time_ms(func) -> float:
        start = time.perf_counter()
        func()
        return (time.perf_counter() - start) * 1000

    results = {}
    # The reference shows the same rows (10 open plans, a 200-plan history page) with
    # almost nothing behind them, so the ratio is what 9,800 more stored plans cost.
    for label, count in (("small", 200), ("10k", 10_000)):
        store = open_store(Path(tempfile.mkdtemp()), FixedClock(datetime(2024, 1, 1, tzinfo=timezone.utc)))
        newest = fill(store, count)
        timings = {"list": [], "history": [], "open": [], "save": []}
        for _ in range(3):  # warm the page cache and statement cache before timing
            (
                store.list_plans(include_closed=False),
                store.list_plans(include_closed=True, limit=200),
                store.get_plan("last"),
            )
        for k in range(runs * 5):
            timings["list"].append(time_ms(lambda: store.list_plans(include_closed=False)))
            timings["history"].append(time_ms(lambda: store.list_plans(include_closed=True, limit=200)))
            timings["open"].append(time_ms(lambda: store.get_plan("last")))
            timings["save"].append(time_ms(lambda: store.set_answer(newest, "c", f"new{k}", "done")))
        results[label] = timings
        store.close()
    for op, name in (
        ("list", "list open plans (Today)"),
        ("history", "list newest 200 plans (History)"),
        ("open", "open the newest plan"),
        ("save", "save one answer"),
    ):
        row(
            f"Store, 10,000 plans x 50 answers: {name}",
            results["10k"][op],
            "same, store of 200 plans",
            results["small"][op],
            "< 20 ms, <= 1.5x",
        )


def bench_memory() -> list[str]:
    from datetime import datetime, timezone

    from safety_tui.common.clock import FixedClock
    from safety_tui.wiring import open_store

    empty = tempfile.mkdtemp()
    full = Path(tempfile.mkdtemp())
    store = open_store(full, FixedClock(datetime(2024, 1, 1, tzinfo=timezone.utc)))
    store.conn.execute("BEGIN")
    for n in range(10_000):
        cur = store.conn.execute(
            "INSERT INTO plans(ref, status, visit_type, tz, grace_minutes, title, created_utc, updated_utc)"
            " VALUES (?, 'finished', 'home-visit', 'UTC', 15, ?, ?, ?)",
            (
                f"2024-01-01-{n}",
                f"Visit {n}",
                f"2024-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}+00:00",
                "2024-01-01T00:00:00+00:00",
            ),
        )
        store.conn.executemany(
            "INSERT INTO answers(plan_id, checklist_id, item_id, value, answered_utc) VALUES (?, 'c', ?, 'done', '2024-01-01T00:00:00+00:00')",
            [(cur.lastrowid, f"i{k}") for k in range(50)],
        )
    store.conn.execute("COMMIT")
    store.close()

    def peak(*args: str) -> float:
        out = subprocess.run([PY, "-c", CHILD, *args], capture_output=True, text=True, check=True).stdout
        return int(out.split()[-1]) / 1024

    bare, a, b = peak("bare"), peak("ready", empty), peak("history", str(full))
    return [
        f"Peak RSS (VmHWM): bare Textual app {bare:.0f} MB; safety-tui at startup {a:.0f} MB with an empty store, "
        f"{b:.0f} MB with 10,000 plans x 50 answers stored (after opening History)."
    ]


def main() -> None:
    runs = int(os.environ.get("BENCH_RUNS", "7"))
    bench_app_startup(runs)
    bench_cli(runs)
    bench_loader(max(3, runs // 2))
    bench_store(runs)
    notes = bench_memory()
    notes.append(
        "Textual imported on CLI paths: "
        + subprocess.run(
            [
                PY,
                "-c",
                "import sys; from safety_tui.cli import main as cli; cli.main(['status']); print(any(m.startswith('textual') for m in sys.modules))",
            ],
            capture_output=True,
            text=True,
            env=dict(os.environ, SAFETY_TUI_DATA_DIR=tempfile.mkdtemp()),
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    header = "| measure | ours min / median / max (ms) | reference | ref min / median / max (ms) | ratio | target |"
    lines = [header, "|---|---|---|---|---|---|"]
    for name, ours, ref_name, ref, target in ROWS:
        ratio = statistics.median(ours) / statistics.median(ref)
        fmt = lambda xs: f"{min(xs):.2f} / {statistics.median(xs):.2f} / {max(xs):.2f}"
        lines.append(f"| {name} | {fmt(ours)} | {ref_name} | {fmt(ref)} | {ratio:.2f}x | {target} |")
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}, {platform.system()}"
    text = (
        "\n".join(lines) + "\n\n" + "\n".join(f"- {n}" for n in notes) + f"\n- Machine: {machine}; {runs} runs each.\n"
    )
    print(text)
    (ROOT / "benchmarks" / "RESULTS.md").write_text(
        "# Benchmark results\n\nProduced by `make bench` (benchmarks/run.py).\n\n" + text
    )


if __name__ == "__main__":
    main()
