"""End to end: `safety-tui serve --desk` in headless Chromium (Debian's) through playwright.

The terminal is drawn on a canvas, so the test reads what the browser received on
the websocket (the terminal stream) and checks the overdue plan is on the desk.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.council.db import connect
from safety_tui.council.publication import Publication, send

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures
pytestmark = pytest.mark.slow  # a server, a subprocess and a browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)")


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = (
            "\n" + "!" * 78 + "\n!!! SKIPPED: NO CHROMIUM. apt-get install chromium (.ci/run does this).\n" + "!" * 78
        )
        print(message, file=sys.stderr)
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[str], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("serve did not open its port")


def revealed_by(council: Council) -> list[str]:
    with psycopg.connect(council.admin) as conn:
        return [r[0] for r in conn.execute("SELECT by_role FROM council.actions WHERE kind = 'code-word-revealed'")]


def test_the_desk_in_a_browser_shows_an_overdue_plan(council: Council, tmp_path: Path) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    finish = datetime.now(timezone.utc) - timedelta(hours=1)
    view = {
        "status": "in-progress",
        "name": "Cllr Alice",
        "phone": "07700 900123",
        "title": "Home visit",
        "place": "1 High St",
        "start": (finish - timedelta(hours=1)).isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": 15,
        "contacts": [],
        "escalation": "Ring 999",
        "code_word": "w",
        "code_meaning": "m",
        "ended": None,
    }
    with connect(council.url("alice")) as conn:
        send(conn, Publication(plan_key="late", sequence=1, view=view))
    from tests.test_serve import start_serve, stop

    port = free_port()
    env = dict(os.environ, SAFETY_TUI_DATABASE_URL=council.url("duty1"), SAFETY_TUI_DATA_DIR=str(tmp_path / "data"))
    server, address = start_serve(["--desk", "--port", str(port)], env)
    try:
        wait_for_port(port, server)
        received: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 700})
            page.on(
                "websocket",
                lambda ws: ws.on(
                    "framereceived",
                    lambda data: received.append(data.decode("utf-8", "ignore") if isinstance(data, bytes) else data),
                ),
            )
            page.goto(f"http://127.0.0.1:{port}/")  # without the token: refused, no websocket
            page.wait_for_timeout(500)
            assert "open the address that 'safety-tui serve' printed" in page.content() and not received
            page.goto(address)  # the address serve printed, with its token

            def screen() -> str:
                return ANSI.sub("", "".join(received))

            deadline = time.monotonic() + 60
            while "OVERDUE" not in screen() and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            assert re.search(r"OVERDUE 4[5-9]m", screen())  # finish + grace was 45 minutes ago when the test began
            assert "Cllr Alice" in screen()
            page.mouse.click(600, 350)
            page.keyboard.press("r")  # reveal the code word, in the browser: recorded in the officer's own name
            deadline = time.monotonic() + 60
            while not revealed_by(council) and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            page.screenshot(path=str(tmp_path / "desk.png"))
            browser.close()
        assert revealed_by(council) == ["duty1"]
    finally:
        stop(server)
