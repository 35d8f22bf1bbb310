"""With a council duty desk: what happened on the desk and on the councillor's phone, pulled in the background.

Today calls :func:`start` once it is shown: every plan in progress is read from the council's
server then and every :data:`PULL_SECONDS` after, in a worker thread (the network never holds
up the screen). A check-in from the phone takes effect on the local plan and is said in a
notification ("checked in from your phone at 15:02"). Offline, nothing happens until the next try.
"""

from __future__ import annotations

from datetime import datetime

from safety_tui.plans.lifecycle import Status
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.base import SafetyScreen

PULL_SECONDS = 30.0

Events = list[tuple[datetime, str, str]]


def start(screen: SafetyScreen) -> None:
    pull(screen)
    screen.set_interval(PULL_SECONDS, lambda: pull(screen))


def pull(screen: SafetyScreen) -> None:
    """Read the plans in progress from the desk, in a worker; nothing at all without a council database."""
    app = screen.app
    from safety_tui.council.pull import configured, desk_source

    with app.reporting_errors():
        if not configured(app.store):
            return
        sources = [
            (p.ref, src)
            for p in app.store.list_plans(statuses=[Status.IN_PROGRESS])
            if (src := desk_source(app.store, p.ref)) is not None
        ]
        if sources:
            screen.run_worker(
                lambda: _fetch(app, sources),
                thread=True,
                exit_on_error=False,
                group="desk-pull",
                exclusive=True,
                description="check-ins from the phone",
            )


def _fetch(app: SafetyAppBase, sources: list[tuple[str, tuple[str, str]]]) -> None:
    from safety_tui.common.errors import CouncilError
    from safety_tui.council.pull import desk_events

    found: list[tuple[str, Events]] = []
    for ref, (url, key) in sources:
        try:
            found.append((ref, desk_events(url, key)))
        except CouncilError:
            return  # offline: the next pull tries again
    app.call_from_thread(_apply, app, found)


def _apply(app: SafetyAppBase, found: list[tuple[str, Events]]) -> None:
    from safety_tui.council.pull import apply_desk_events

    with app.reporting_errors():
        changed = False
        for ref, events in found:
            pulled = apply_desk_events(app.store, ref, events)
            changed = changed or bool(pulled.added)
            for notice in pulled.notices:
                app.notify(notice, title="From your phone", timeout=15)
        if changed:
            app.plans_changed()
