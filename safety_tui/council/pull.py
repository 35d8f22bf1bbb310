"""The duty desk's actions on a plan, pulled into the plan's own audit trail. Core: no Textual.

``safety-tui show`` and the app's plan page call :func:`pull_duty_actions` when they read
a started plan. Without a council database configured it returns at once and imports no
psycopg. Each action is added once, at the time the server stamped on it, as
"duty desk: called the councillor" with who did it (and, for a close or "reached and
safe", the officer's reason); the code word and the plan's
details never go into these lines.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from safety_tui.council.config import SETTING_URL, configured_url

if TYPE_CHECKING:
    from safety_tui.store import Store

DESK_EVENT_PREFIX = "duty desk: "
REASONED = {"closed", "reached-safe"}  # actions the server takes only with a reason


def configured(store: Store) -> bool:
    return bool(configured_url(store.setting(SETTING_URL)))


def desk_source(store: Store, ref: str) -> tuple[str, str] | None:
    """(council URL, plan key) when the plan may have desk actions to pull; None otherwise (no import of psycopg)."""
    url = configured_url(store.setting(SETTING_URL))
    if not url:
        return None
    plan = store.get_plan(ref)
    if plan.started_at is None:
        return None  # never published: the desk cannot have acted on it
    from safety_tui.council.publication import plan_key

    return url, plan_key(plan)


def desk_events(url: str, key: str) -> list[tuple[datetime, str, str]]:
    """The desk's actions on one plan as audit events (network only: safe in a worker thread).

    Raises ``CouncilError`` when the council database cannot be reached or refuses.
    """
    from safety_tui.council.db import connect
    from safety_tui.council.desk_data import KINDS, OUTCOMES
    from safety_tui.council.publication import duty_actions

    with connect(url) as conn:
        seen = duty_actions(conn, key)
    events = []
    for action in seen:
        what = KINDS.get(action.kind, action.kind)
        if action.outcome:
            what += f": {OUTCOMES.get(action.outcome, action.outcome)}"
        who = f"by {action.by}"
        if action.kind in REASONED and action.detail.strip():
            who += f": {action.detail.strip()}"  # the officer's reason for closing, which the councillor may read
        events.append((action.at, DESK_EVENT_PREFIX + what, who))
    return events


def pull_duty_actions(store: Store, ref: str) -> int:
    """Add the desk's new actions on plan ``ref`` to its audit trail; how many were new."""
    source = desk_source(store, ref)
    if source is None:
        return 0
    events = desk_events(*source)
    return store.add_outside_events(ref, events) if events else 0


def action_lines(store: Store, url: str, ref: str | None = None) -> list[str]:
    """``council actions``: one line per desk action on my plans (or one plan), with the plan's own id."""
    from safety_tui.council.db import connect
    from safety_tui.council.desk_data import KINDS, OUTCOMES
    from safety_tui.council.publication import duty_actions, plan_key
    from safety_tui.common.text import printable

    key = plan_key(store.get_plan(store.resolve(ref))) if ref else None
    with connect(url) as conn:
        seen = duty_actions(conn, key)
    lines = []
    for action in seen:
        what = KINDS.get(action.kind, action.kind)
        if action.outcome:
            what += f": {OUTCOMES.get(action.outcome, action.outcome)}"
        when = action.at.astimezone().strftime("%a %d %b %H:%M")
        lines.append(f"{when}  {printable(local_ref(store, action.plan_key))}  {printable(action.by)}  {what}")
    return lines


def local_ref(store: Store, key: str) -> str:
    """The plan's own id (``2026-11-25-1``) for its council key (the plan's uid)."""
    found = store.row("SELECT ref FROM plans WHERE uid = ? OR ref = ?", (key, key))
    return str(found[0]) if found is not None else f"(not on this computer) {key}"
