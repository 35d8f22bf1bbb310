"""The duty desk's actions on a plan, pulled into the plan's own audit trail. Core: no Textual.

``safety-tui show`` and the app's plan page call :func:`pull_duty_actions` when they read
a started plan. Without a council database configured it returns at once and imports no
psycopg. Each action is added once, at the time the server stamped on it, as
"duty desk: called the councillor" with who did it (and, for a close or "reached and
safe", the officer's reason); the code word and the plan's
details never go into these lines.

Check-ins from the councillor's phone come the same way, as "from your phone: I'm safe"
(or an extension, or a silent call for help) at the server's time, and take effect on the
local plan once, when they are first added: the plan is checked in, or extended to at
least the finish the server set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from safety_tui.council.config import SETTING_URL, configured_url

if TYPE_CHECKING:
    from safety_tui.store.repository import Store

DESK_EVENT_PREFIX = "duty desk: "
PHONE_EVENT_PREFIX = "from your phone: "
PHONE_LABELS = {
    "safe": "I'm safe",
    "extend-15": "extended 15 min",
    "extend-30": "extended 30 min",
    "extend-60": "extended 60 min",
    "help": "help (silent alarm)",
}
PHONE_SAFE = PHONE_EVENT_PREFIX + PHONE_LABELS["safe"]
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
    import psycopg

    from safety_tui.common.errors import CouncilError
    from safety_tui.council.db import connect, why
    from safety_tui.council.desk_data import KINDS, OUTCOMES
    from safety_tui.council.publication import duty_actions, phone_checkins

    try:
        with connect(url) as conn:
            seen = duty_actions(conn, key)
            phone = phone_checkins(conn, key)
    except psycopg.OperationalError as exc:
        raise CouncilError(f"lost the council database: {why(exc)}") from None
    events = []
    for action in seen:
        what = KINDS.get(action.kind, action.kind)
        if action.outcome:
            what += f": {OUTCOMES.get(action.outcome, action.outcome)}"
        who = f"by {action.by}"
        reason = " ".join(action.detail.split())  # the desk's text: one line, so it cannot pass for lines of the trail
        if action.kind in REASONED and reason:
            who += f": {reason}"  # the officer's reason for closing, which the councillor may read
        events.append((action.at, DESK_EVENT_PREFIX + what, who))
    for at, kind, finish in phone:
        events.append((at, PHONE_EVENT_PREFIX + PHONE_LABELS.get(kind, kind), f"finish {finish.isoformat()}"))
    return sorted(events, key=lambda e: e[0])


@dataclass
class Pulled:
    """What a pull added: how many audit events, and a line for the person per phone check-in applied."""

    added: int = 0
    notices: list[str] = field(default_factory=list)


def apply_desk_events(store: Store, ref: str, events: list[tuple[datetime, str, str]]) -> Pulled:
    """Add the new events to the plan's audit trail, applying each phone check-in once (when it is first added)."""
    pulled = Pulled()
    for event in events:
        if not store.add_outside_events(ref, [event]):
            continue
        pulled.added += 1
        if event[1].startswith(PHONE_EVENT_PREFIX):
            notice = _apply_phone(store, ref, *event)
            if notice:
                pulled.notices.append(notice)
    return pulled


def _apply_phone(store: Store, ref: str, at: datetime, what: str, detail: str) -> str | None:
    from safety_tui.common.errors import PlanError
    from safety_tui.common.timefmt import format_when
    from safety_tui.plans.lifecycle import Status

    plan = store.get_plan(ref)
    when = format_when(at, plan.tz, same_day_as=store.clock.now())
    if plan.status is not Status.IN_PROGRESS or plan.finish is None:
        return None
    try:
        if what == PHONE_SAFE:
            store.check_in(ref)
            return f"Plan {plan.ref}: checked in from your phone at {when}."
        finish = datetime.fromisoformat(detail.removeprefix("finish "))
        minutes = -(-int((finish - plan.finish).total_seconds()) // 60)  # whole minutes, rounded up
        if minutes > 0:
            store.extend(ref, minutes)
    except (PlanError, ValueError):
        return None
    return f"Plan {plan.ref}: {what.removeprefix(PHONE_EVENT_PREFIX)} from your phone at {when}."


def pull_duty_actions(store: Store, ref: str) -> int:
    """Add the desk's new actions (and the phone's check-ins) on plan ``ref`` to its audit trail; how many were new."""
    source = desk_source(store, ref)
    if source is None:
        return 0
    events = desk_events(*source)
    return apply_desk_events(store, ref, events).added if events else 0


def action_lines(store: Store, url: str, ref: str | None = None) -> list[str]:
    """``council actions``: one line per desk action on my plans (or one plan), with the plan's own id."""
    from safety_tui.common.text import printable
    from safety_tui.council.db import connect
    from safety_tui.council.desk_data import KINDS, OUTCOMES
    from safety_tui.council.publication import duty_actions, plan_key

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
