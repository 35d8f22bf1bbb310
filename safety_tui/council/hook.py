"""The one call-out from the local plan lifecycle to the council duty desk. Core: no Textual.

The store calls :func:`plan_changed` after it has committed a start, extension,
check-in or cancellation: it is the ``on_change`` hook :func:`safety_tui.wiring.open_store`
opens every store with (the store itself knows nothing of the council). Without a council database configured it returns at
once and imports nothing. With one, the duty view is queued in the local outbox
and sent in the background; a councillor with no signal keeps working, and the
publication goes out when the connection returns: the app's outbox worker calls
:func:`deliver` with exponential backoff while it runs, and any later change or
``safety-tui council sync`` sends it too.

This hook never raises into the store: the local plan is already saved.
A problem is kept in :data:`last_problem` and shown by :func:`sharing_status`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from safety_tui.store.repository import FORGOTTEN

if TYPE_CHECKING:
    from safety_tui.plans.model import Plan
    from safety_tui.store.repository import Store

IDLE_POLL = 1.0  # seconds between looks at an empty outbox while the app runs
last_problem = ""
_threads: list[threading.Thread] = []


def plan_changed(store: Store, plan: Plan, event: str) -> None:
    """Queue and send the plan's duty view if the councillor has opted in to a council database; for a
    plan deleted for good, drop its publications set aside (no later state of it can ever supersede them)."""
    global last_problem
    if event == FORGOTTEN:
        _drop_set_aside(store.path.parent, plan)
        return
    from safety_tui.council.config import SETTING_URL, configured_url

    url = configured_url(store.setting(SETTING_URL))
    if not url:
        return
    from safety_tui.council.publication import PUBLISHED_EVENTS

    if event not in PUBLISHED_EVENTS:
        return
    try:
        from safety_tui.council.config import require

        require("psycopg", "council")
        from safety_tui.council.checkin_link import drop_token, plan_token, token_hash
        from safety_tui.council.outbox import Outbox
        from safety_tui.council.publication import duty_view, plan_key
        from safety_tui.plans.lifecycle import Status

        if plan.status in (Status.FINISHED, Status.CANCELLED):
            drop_token(store, plan)  # the server refuses it from now on: nothing to keep
            token = None
        else:
            token = plan_token(store, plan)
        view = duty_view(
            plan,
            name=store.setting("name") or store.setting("owner_name"),
            phone=store.setting("phone"),
            checkin_hash=token_hash(token) if token else "",
        )
        if view is None:
            return
        with Outbox.open(store.path.parent) as outbox:
            outbox.enqueue(plan_key(plan), view)
    except Exception as exc:  # noqa: BLE001 - the local plan is saved; say why it is not shared
        last_problem = f"not shared with the duty desk: {exc}"
        return
    send_in_background(store.path.parent, url)


def _drop_set_aside(directory: Path, plan: Plan) -> None:
    """A deleted plan's copies the desk never took (code word included) go with it; what still waits is
    kept, so the desk still hears the plan finished. Never raises: the plan is deleted already."""
    global last_problem
    try:
        from safety_tui.council.outbox import OUTBOX_NAME, Outbox
        from safety_tui.council.publication import plan_key
    except ImportError:  # without the council part installed there is no outbox
        return
    if not (directory / OUTBOX_NAME).exists():
        return
    try:
        with Outbox.open(directory) as outbox:
            outbox.discard_set_aside(plan_key(plan))
    except Exception as exc:  # noqa: BLE001 - the plan is deleted; say why its copy is not
        last_problem = f"a deleted plan's publication set aside is still in the outbox: {exc}"


def disconnect(store: Store, *, force: bool = False) -> None:
    """Stop sharing plans. Refused (``CouncilError``) while the desk would be left with a plan that is not
    what it is (see :func:`refuse_leaving_the_desk`); ``force`` says do it anyway."""
    from safety_tui.council.config import SETTING_URL

    if not force:
        refuse_leaving_the_desk(store, "stop sharing")
    store.set_setting(SETTING_URL, "")


def connect(store: Store, url: str, *, force: bool = False) -> None:
    """Share plans with the council at ``url``. Moving from another council is refused like
    :func:`disconnect` (the first desk would be left with the plan); ``force`` says do it anyway."""
    from safety_tui.council.config import SETTING_URL

    current = store.setting(SETTING_URL).strip()
    if current and current != url.strip() and not force:
        refuse_leaving_the_desk(store, "move to another council")
    store.set_setting(SETTING_URL, url.strip())


def refuse_leaving_the_desk(store: Store, doing: str) -> None:
    """``CouncilError`` while leaving the desk would strand it: a plan in progress (its check-in would
    never reach the desk, which would raise the alarm for someone safe), or publications still waiting."""
    from safety_tui.common.errors import CouncilError
    from safety_tui.council.outbox import OUTBOX_NAME, Outbox
    from safety_tui.plans.lifecycle import Status

    if store.list_plans(statuses=[Status.IN_PROGRESS]):
        raise CouncilError(
            f"a plan is in progress: if you {doing} now, the duty desk will never hear of its "
            "check-in and will raise the alarm. Check in (or cancel) first, or add --force"
        )
    directory = store.path.parent
    if (directory / OUTBOX_NAME).exists():
        with Outbox.open(directory) as outbox:
            waiting = outbox.waiting()
        if waiting:
            raise CouncilError(
                f"{waiting} publication(s) are still waiting to be sent to the duty desk: run "
                f"safety-tui council sync when it can be reached, then {doing}, or add --force"
            )


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
    """'' when everything is shared (or no council is configured), else what waits or was set aside."""
    from safety_tui.council.outbox import NOT_SHARED, OUTBOX_NAME, SET_ASIDE, Outbox

    if not (directory / OUTBOX_NAME).exists():
        return last_problem
    with Outbox.open(directory) as outbox:
        waiting = outbox.waiting(plan_key)
        problem = outbox.last_problem()
        aside = outbox.set_aside_count(plan_key)
    parts = []
    if waiting:
        parts.append(f"{NOT_SHARED} ({waiting} waiting)" + (f": {problem}" if problem else ""))
    if aside:
        parts.append(f"{aside} publication(s) {SET_ASIDE}: see safety-tui council status")
    return "; ".join(parts)


def skew_line(directory: Path) -> str:
    """'' unless this computer's clock was found more than two minutes from the council server's."""
    from safety_tui.council.outbox import OUTBOX_NAME, Outbox
    from safety_tui.council.schema_trust import SKEW_SHOWN_SECONDS

    if not (directory / OUTBOX_NAME).exists():
        return ""
    with Outbox.open(directory) as outbox:
        skew = outbox.skew()
    if skew is None or abs(skew) <= SKEW_SHOWN_SECONDS:
        return ""
    return clock_warning(skew)


def clock_warning(skew: float) -> str:
    from datetime import timedelta

    from safety_tui.common.timefmt import format_duration

    way = "fast" if skew > 0 else "slow"
    minutes = timedelta(minutes=round(skew / 60))  # measured over the network: to the minute
    return (
        f"Your computer's clock is {format_duration(minutes)} {way} compared with the council's "
        "server. The duty desk goes by the server's time: set your clock right."
    )


def sharing_line(store: Store, plan_key: str | None = None) -> str:
    """For Today and Review: '' unless a council database is configured and something waits, was set
    aside, or this computer's clock is off."""
    from safety_tui.council.config import SETTING_URL, configured_url

    if not configured_url(store.setting(SETTING_URL)):
        return ""  # before the outbox is imported: it loads psycopg, a tenth of a second at start-up
    from safety_tui.common.errors import CouncilError
    from safety_tui.council.outbox import NOT_SHARED

    try:
        status = sharing_status(store.path.parent, plan_key)
        clock = skew_line(store.path.parent)
    except CouncilError as exc:  # an outbox file that cannot be used: said here, never an error on each read
        return f"Not shared with the duty desk: {exc}. Nothing can be queued until the file is moved aside."
    if not status:
        return clock
    line = status[0].upper() + status[1:] + "."
    if status.startswith(NOT_SHARED):
        line += " It goes out by itself when the connection returns."
    return line + ("\n" + clock if clock else "")


@dataclass(frozen=True)
class Delivery:
    """One try of the app's outbox worker: what happened and when to try again (seconds)."""

    retry_in: float
    notices: tuple[str, ...] = ()
    problem: str = ""


def deliver(directory: Path, url: str) -> Delivery:
    """Send what waits, once (the app's worker calls this in a thread, again after ``retry_in``)."""
    global last_problem
    from safety_tui.council.config import require
    from safety_tui.council.outbox import OUTBOX_NAME

    if not (directory / OUTBOX_NAME).exists():
        return Delivery(retry_in=IDLE_POLL)
    try:
        require("psycopg", "council")
    except Exception as exc:  # noqa: BLE001 - said once, then quietly every minute
        last_problem = str(exc)
        return Delivery(retry_in=60.0, problem=last_problem)
    from safety_tui.council.outbox import Outbox, next_delay

    try:
        with Outbox.open(directory) as outbox:
            if not outbox.waiting():
                return Delivery(retry_in=IDLE_POLL, notices=tuple(outbox.take_notices()))
            result = outbox.flush(url)
            attempts = outbox.attempts()
            notices = tuple(outbox.take_notices())  # this send's, and those of a send by a lifecycle change
    except Exception as exc:  # noqa: BLE001 - a background send must never take the app down
        last_problem = str(exc)
        return Delivery(retry_in=next_delay(3), problem=last_problem)
    last_problem = result.problem
    retry = next_delay(attempts) if result.waiting else IDLE_POLL
    return Delivery(retry_in=retry, notices=notices, problem=result.problem)
