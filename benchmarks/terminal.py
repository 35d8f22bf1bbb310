"""First paint in a real terminal: start a program in a detached tmux pane and time until a marker shows.

This is what a councillor sees: process start, imports, the app's start-up and the first frame
drawn by a real terminal emulator (tmux), not Textual's headless test driver.
"""

from __future__ import annotations

import shlex
import subprocess
import time
import uuid

POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 30.0


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


class TmuxServer:
    """Keeps one tmux server up for a whole run (killing the last session stops the server, and the
    next start would race with its exit), and takes it down afterwards."""

    def __enter__(self) -> "TmuxServer":
        self.name = f"bench-keepalive-{uuid.uuid4().hex[:8]}"
        _tmux("new-session", "-d", "-s", self.name, "sleep 3600")
        return self

    def __exit__(self, *exc: object) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def _screen(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def _wait_for(session: str, marker: str, start: float) -> float:
    """Milliseconds since ``start`` when ``marker`` is first on the pane's screen."""
    while True:
        screen = _screen(session)
        if marker in screen:
            return (time.perf_counter() - start) * 1000
        if time.perf_counter() - start > TIMEOUT_SECONDS:
            raise RuntimeError(f"{marker!r} never appeared; last screen:\n{screen}")
        time.sleep(POLL_SECONDS)


def timeline_ms(
    command: list[str], marker: str, env: dict[str, str] | None = None, then: tuple[str, str] | None = None
) -> tuple[float, float | None]:
    """Start ``command`` in an 80x24 tmux pane: milliseconds until ``marker`` is on screen (the
    first paint) and, with ``then=(keys, ready)``, until ``ready`` shows after ``keys`` were typed
    the moment the first paint showed (the app usable: what it needs loaded and the key obeyed)."""
    session = f"bench-{uuid.uuid4().hex[:8]}"
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
    shell = f"env {exports} {shlex.join(command)}"
    start = time.perf_counter()
    _tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", shell)
    try:
        painted = _wait_for(session, marker, start)
        if then is None:
            return painted, None
        keys, ready = then
        _tmux("send-keys", "-t", session, keys)
        return painted, _wait_for(session, ready, start)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def first_paint_ms(command: list[str], marker: str, env: dict[str, str] | None = None) -> float:
    """Milliseconds from starting ``command`` in an 80x24 tmux pane until ``marker`` is on screen."""
    return timeline_ms(command, marker, env)[0]


BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello from a bare app")
Bare().run()
"""
