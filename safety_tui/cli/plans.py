"""Plan commands of the CLI: plans, show, checkin, extend, status, purge, forget.

No Textual import, and ``status`` loads no pydantic model: fast enough for a prompt
or cron. The code word is never taken as an argument (it would land in shell
history); it is only shown with ``--reveal``. Everything printed goes through
:mod:`safety_tui.cli.console`; errors go to the one boundary in :mod:`safety_tui.cli.support`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from safety_tui.cli.console import say, warn
from safety_tui.cli.support import cli_store
from safety_tui.common.errors import PlanNotFound, SafetyError, UsageError
from safety_tui.common.exitcodes import EXIT_OK, EXIT_OVERDUE, EXIT_STORE, EXIT_USAGE
from safety_tui.common.timefmt import format_duration, format_when
from safety_tui.plans.lifecycle import Status

if TYPE_CHECKING:
    from safety_tui.store.repository import Store


def _local(when: datetime | None, tz: str) -> str:
    """A plan's moment, the one way every date is shown (:func:`safety_tui.common.timefmt.format_when`)."""
    return format_when(when, tz, missing="-")


def cmd_plans(args: argparse.Namespace) -> int:
    with cli_store(read_only=True) as store:
        now = store.clock.now()
        plans = store.list_plans(include_closed=args.all)
    if args.json:
        say(
            json.dumps(
                [
                    {
                        "ref": p.ref,
                        "status": p.status.value,
                        "overdue": p.is_overdue(now),
                        "visit_type": p.visit_type.value,
                        "title": p.title,
                        "start": p.start.isoformat() if p.start else None,
                        "finish": p.finish.isoformat() if p.finish else None,
                        "grace_minutes": p.grace_minutes,
                        "tz": p.tz,
                    }
                    for p in plans
                ],
                indent=2,
            )
        )
        return EXIT_OK
    if not plans:
        say("no plans" + ("" if args.all else " (use --all to include finished and cancelled ones)"))
        return EXIT_OK
    for p in plans:
        state = p.state(now).upper() if p.is_overdue(now) else p.state(now)
        say(f"{p.ref:<14} {state:<12} {_local(p.start, p.tz):<17} {_local(p.finish, p.tz):<17} {p.title}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from safety_tui.council.pull import configured
    from safety_tui.plans.summary import text_summary

    with cli_store(read_only=True) as store:
        pull = configured(store)
    if pull:
        _pull_desk_actions(args.plan)
    with cli_store(read_only=True) as store:
        plan = store.get_plan(args.plan)
        text = text_summary(plan, reveal=args.reveal, now=store.clock.now())
    sys.stdout.write(text)
    return EXIT_OK


def _pull_desk_actions(ref: str) -> None:
    """The council duty desk's actions on the plan, into its audit trail (a council database is configured)."""
    from safety_tui.common.errors import CouncilError, StoreError
    from safety_tui.council.pull import pull_duty_actions

    try:
        with cli_store(read_only=False) as store:
            pull_duty_actions(store, store.resolve(ref))
    except (CouncilError, StoreError) as exc:
        warn(f"the duty desk's actions could not be read just now: {exc}")
    except PlanNotFound:
        pass  # show says so


def cmd_checkin(args: argparse.Namespace) -> int:
    with cli_store(read_only=False) as store:
        ref = store.resolve(args.plan) if args.plan is not None else _plan_to_check_in(store)
        if ref is None:
            say("nothing checked in")
            return EXIT_USAGE
        plan = store.check_in(ref)
        say(f"{plan.ref}: checked in safe. Let the people you told know.")
        if not args.no_debrief and sys.stdin.isatty():
            from safety_tui.incidents.debrief import run_debrief

            try:
                run_debrief(store, plan, _ask, say)
            except SafetyError as exc:  # the check-in stands; only the debrief's record failed
                warn(f"the debrief was not saved: {exc}. Record it with 'safety-tui incident add'.")
    return EXIT_OK


def _plan_to_check_in(store: Store) -> str | None:
    """The one plan in progress; with several, the one chosen on a terminal (None: none chosen),
    else a UsageError listing them: a check-in never guesses which visit is over."""
    from safety_tui.plans.inprogress import in_progress

    active = in_progress(store.list_plans(statuses=[Status.IN_PROGRESS]))
    if not active:
        raise PlanNotFound(
            "no plan is in progress, so there is nothing to check in. "
            "To close another plan, name it: safety-tui checkin PLAN"
        )
    if len(active) == 1:
        return active[0].ref
    lines = [
        f"  {n}. {p.ref}  {p.title or '(untitled)'}, expected finish {_local(p.finish, p.tz)}"
        for n, p in enumerate(active, 1)
    ]
    if not sys.stdin.isatty():
        raise UsageError(
            f"{len(active)} plans are in progress; name the one to check in (safety-tui checkin PLAN):\n"
            + "\n".join(lines)
        )
    say(f"{len(active)} plans are in progress. Which one are you checking in?")
    for line in lines:
        say(line)
    while True:
        answer = _ask(f"Number (1-{len(active)}, Enter for none): ")
        if not answer or not answer.strip():
            return None
        if answer.strip().isdigit() and 1 <= int(answer) <= len(active):
            return active[int(answer) - 1].ref
        say(f"type a number from 1 to {len(active)}")


# What a terminal sends for arrow and editing keys (ESC [ ... letter, ESC O letter): not typed text.
_KEY_SEQUENCE = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|O[@-~])")


def _ask(question: str) -> str | None:
    """One line from the terminal, without the key sequences an arrow key leaves; None at the end of input."""
    sys.stdout.write(question)
    sys.stdout.flush()
    line = sys.stdin.readline()
    return _KEY_SEQUENCE.sub("", line.rstrip("\n")) if line else None


def cmd_extend(args: argparse.Namespace) -> int:
    with cli_store(read_only=False) as store:
        plan = store.extend(store.resolve(args.plan), args.minutes)
        now = store.clock.now()
    left = f" (in {format_duration(plan.finish - now)})" if plan.finish and plan.finish > now else ""
    say(f"{plan.ref}: expected finish now {_local(plan.finish, plan.tz)}{left}. Tell the people you told.")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    with cli_store(read_only=True) as store:
        now = store.clock.now()
        active = store.list_plans(statuses=[Status.IN_PROGRESS])
    overdue = [p for p in active if p.is_overdue(now)]
    for p in overdue:
        say(f"OVERDUE {p.ref}: due {_local(p.due_at, p.tz)}. Check in with 'safety-tui checkin {p.ref}'.")
    if not args.quiet:
        for p in active:
            if not p.is_overdue(now):
                say(f"in progress {p.ref}: expected finish {_local(p.finish, p.tz)}")
        if not active:
            say("nothing in progress")
    return EXIT_OVERDUE if overdue else EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    from safety_tui.plans.settings import check_days
    from safety_tui.store.wiping import NOT_WIPED

    days_given = None if args.days is None else check_days(args.days)
    with cli_store(read_only=args.dry_run) as store:
        days = days_given if days_given is not None else check_days(store.retention_days, what="the retention period")
        refs = store.purgeable(days)
        if not refs:
            say(f"nothing to purge (finished or cancelled plans older than {days} days)")
            return EXIT_OK
        if args.dry_run:
            say("would purge: " + " ".join(refs))
            return EXIT_OK
        result = store.purge(days)
    say(f"purged {len(result)} plan(s): " + " ".join(result.refs))
    if not result.wiped:
        warn(NOT_WIPED)
        return EXIT_STORE
    return EXIT_OK


def cmd_forget(args: argparse.Namespace) -> int:
    from safety_tui.store.wiping import NOT_WIPED

    with cli_store(read_only=False) as store:
        ref = store.resolve(args.plan)
        if not args.yes:
            if not sys.stdin.isatty():
                warn("add --yes to forget a plan without a prompt")
                return EXIT_USAGE
            sys.stdout.write(f"Delete plan {ref} completely? [y/N] ")
            sys.stdout.flush()
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                say("kept")
                return EXIT_OK
        wiped = store.forget(ref)
    if not wiped:
        warn(f"{ref} is removed from your plans, but {NOT_WIPED}")
        return EXIT_STORE
    say(f"{ref}: deleted")
    return EXIT_OK


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("plans", help="list plans, newest first")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true", help="include finished and cancelled plans")
    p.set_defaults(func=cmd_plans)

    p = sub.add_parser("show", help="show a plan in full (code word masked)")
    p.add_argument("plan", help="plan id, e.g. 2026-11-25-1, or 'last'")
    p.add_argument("--reveal", action="store_true", help="show the code word")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("checkin", help="check in safe: the plan is finished (default: the one in progress)")
    p.add_argument(
        "plan",
        nargs="?",
        default=None,
        help="plan id (default: the plan in progress; with several, it asks which, or lists them)",
    )
    p.add_argument(
        "--no-debrief",
        action="store_true",
        help="no questions afterwards (they are only asked on a terminal; Enter skips each)",
    )
    p.set_defaults(func=cmd_checkin)

    p = sub.add_parser("extend", help="push the expected finish back by MINUTES")
    p.add_argument("plan")
    p.add_argument("minutes", type=int)
    p.set_defaults(func=cmd_extend)

    p = sub.add_parser("status", help="exit 0 if nothing is overdue, 3 if a plan is overdue")
    p.add_argument("-q", "--quiet", action="store_true", help="print only overdue plans")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("purge", help="delete finished plans older than the retention period")
    p.add_argument("--days", type=int, help="override the retention period (0 to 3650; default 30 days)")
    p.add_argument("--dry-run", action="store_true")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("forget", help="delete one plan completely")
    p.add_argument("plan")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_forget)
