from __future__ import annotations

import gc
import os
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent

# A test that needs one of these starts a real server (PostgreSQL) or a browser: it is slow by
# nature, so it runs in `make test-all` and never in the everyday `make test`.
SERVER_FIXTURES = {"pg_server", "council"}


# Property tests try a few dozen random cases every day and many more in `make test-all`
# (`--hypothesis-profile=thorough`). A test that pins its own max_examples keeps it in both.
settings.register_profile("everyday", max_examples=25)
settings.register_profile("thorough", max_examples=400)
settings.load_profile("everyday")


@pytest.hookimpl(optionalhook=True)  # known only with pytest-xdist loaded (`-p no:xdist` runs without it)
def pytest_xdist_auto_num_workers(config):
    """Two workers per core for `-n auto`. An app test spends about a third of its time in
    Textual's Pilot waiting for the app to go idle (`wait_for_idle` sleeps in 20 ms steps), so
    one worker per core leaves the cores idle; measured on 2 cores, 4 workers run the everyday
    lane in about two thirds of the time 2 take (6 workers are slower again)."""
    return 2 * (os.cpu_count() or 1)


# The collector, tuned for a test worker (measured: a third less of its time, a sixth less CPU in
# the app tests). Young objects are collected every 10,000 allocations instead of 700: each app
# test allocates millions. Everything imported by collection lives as long as the worker, so it is
# frozen out of the collector's walks (the app freezes what it has loaded the same way, once per
# process; with this done first, it does not freeze a test's app). And Textual's StylesCache keeps
# up to 1,024 widgets' render caches alive through an lru_cache on a method (`get_inner_outer`):
# emptied after each test, an earlier test's screens are not walked again by every collection.
gc.set_threshold(10_000, 20, 20)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


def pytest_runtest_teardown(item, nextitem):
    styles_cache = sys.modules.get("textual._styles_cache")  # only where a test imported Textual
    inner_outer = getattr(getattr(styles_cache, "StylesCache", None), "get_inner_outer", None)
    if inner_outer is not None and hasattr(inner_outer, "cache_clear"):
        inner_outer.cache_clear()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Every test gets its own data/config folders: never the user's real ones."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("SAFETY_TUI_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("SAFETY_TUI_CHECKLISTS", raising=False)
    monkeypatch.delenv("SAFETY_TUI_DATABASE_URL", raising=False)  # never publish a test's plans
    # A command that writes a relative path (an export named by a hostile argument) writes here,
    # never into the repository.
    monkeypatch.chdir(base)
    yield


def write_yaml(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


VALID = """
format: 1
id: {id}
title: {title}
description: A test checklist.
visit_types: [home-visit]
sections:
  - title: Before
    items:
      - id: tell-someone
        text: Tell someone where you are going.
        ref: "2.4.3"
        critical: true
      - id: doubts
        type: question
        text: Any doubts about the premises?
      - id: neutral-venue
        text: Meet at a neutral venue.
        show_if: {{item: doubts, answer: yes}}
"""


def valid_yaml(id: str = "test-list", title: str = "Test list") -> str:
    return VALID.format(id=id, title=title)


# -- fixtures for the app and the store (imports inside: CLI tests check what gets imported) --
@pytest.fixture
def clock():
    """A clock fixed at 13:00 UTC on Wed 25 Nov 2026; tests move it on by hand."""
    from safety_tui.common.clock import FixedClock
    from tests.helpers import T0

    return FixedClock(T0)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir, clock):
    """The plan store the app will open: arrange plans here, or act as 'another window'."""
    from safety_tui.wiring import open_store

    opened = open_store(data_dir, clock)
    yield opened
    opened.close()


@pytest.fixture
def app(data_dir, clock):
    """The real app on the bundled checklists, the fixed clock and Europe/London."""
    from tests.helpers import build_app

    return build_app(data_dir, clock)


@pytest.fixture
def wizard_draft(store, clock):
    """``wizard_draft("contacts")``: a filled-in home-visit draft waiting at that wizard step;
    open it in the app with ``tests.helpers.open_highlighted`` (Enter on Today)."""
    from tests.helpers import wizard_draft as make_draft

    def make(step: str, **fields) -> str:
        return make_draft(store, clock, step, **fields)

    return make
