"""The one call-out from the local plan lifecycle to the council duty desk. Core: no Textual.

The store calls :func:`plan_changed` after it has committed a start, extension,
check-in or cancellation. Without a council database configured it returns at
once and imports nothing. With one, the duty view is queued in the local outbox
and sent in the background; a councillor with no signal keeps working, and the
publication goes out when the connection returns (the next change, or
``safety-tui council sync``).

This hook never raises into the store: the local plan is already saved.
A problem is kept in :data:`last_problem` and shown by :func:`sharing_status`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safety_tui.plans.model import Plan
    from safety_tui.store import Store

last_problem = ""
_threads: list[threading.Thread] = []


def plan_changed(store: Store, plan: Plan, event: str) -> None:
    """Queue and send the plan's duty view if the councillor has opted in to a council database."""
    global last_problem
    from safety_tui.council.config import SETTING_URL, configured_url

    url = configured_url(store.setting(SETTING_URL))
    if not url:
        return
    from safety_tui.council.publication import PUBLISHED_EVENTS

    if event not in PUBLISHED_EVENTS:
        return
    try:
        from safety_tui.council.outbox import Outbox
        from safety_tui.council.publication import duty_view, plan_key

        view = duty_view(plan, name=store.setting("name") or store.setting("owner_name"), phone=store.setting("phone"))
        if view is None:
            return
        with Outbox.open(store.path.parent) as outbox:
            outbox.enqueue(plan_key(plan), view)
    except Exception as exc:  # noqa: BLE001 - the local plan is saved; say why it is not shared
        last_problem = f"not shared with the duty desk: {exc}"
        return
    send_in_background(store.path.parent, url)


def send_in_background(directory: Path, url: str) -> threading.Thread:
    """Flush the outbox in a thread; not a daemon, so a CLI command finishes its send before exiting."""
    thread = threading.Thread(target=_flush, args=(directory, url), name="council-outbox")
    _threads[:] = [t for t in _threads if t.is_alive()]
    _threads.append(thread)
    thread.start()
    return thread


def _flush(directory: Path, url: str) -> None:
    global last_problem
    try:
        from safety_tui.council.outbox import Outbox

        with Outbox.open(directory) as outbox:
            result = outbox.flush(url)
        last_problem = result.problem
    except Exception as exc:  # noqa: BLE001 - a background send must never take the app down
        last_problem = str(exc)


def wait_for_sends(timeout: float | None = None) -> None:
    """Wait for the background sends started by this process (tests, and the CLI before it exits)."""
    while _threads:
        _threads.pop(0).join(timeout)


def sharing_status(directory: Path, plan_key: str | None = None) -> str:
    """'' when nothing waits (or no council is configured), else "not yet shared with the duty desk ..."."""
    from safety_tui.council.outbox import OUTBOX_NAME, Outbox

    if not (directory / OUTBOX_NAME).exists():
        return last_problem
    with Outbox.open(directory) as outbox:
        waiting = outbox.waiting(plan_key)
        problem = outbox.last_problem()
    if not waiting:
        return ""
    from safety_tui.council.outbox import NOT_SHARED

    return f"{NOT_SHARED} ({waiting} waiting)" + (f": {problem}" if problem else "")


def sharing_line(store: Store, plan_key: str | None = None) -> str:
    """For Today and Review: '' unless a council database is configured and something waits to be sent."""
    from safety_tui.council.config import SETTING_URL, configured_url

    if not configured_url(store.setting(SETTING_URL)):
        return ""
    status = sharing_status(store.path.parent, plan_key)
    if not status:
        return ""
    return status[0].upper() + status[1:] + ". It goes out when the connection returns (or: safety-tui council sync)."
