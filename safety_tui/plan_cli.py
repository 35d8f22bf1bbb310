"""Plan commands of the CLI. No Textual import: fast enough for a prompt or cron.

The code word is never taken as an argument (it would land in shell history);
it is only shown with ``--reveal``.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import wraps
from pathlib import Path
from typing import Callable

from safety_tui.errors import PlanNotFound
from safety_tui.cli import EXIT_ERROR, EXIT_OK, EXIT_OVERDUE, EXIT_STORE, EXIT_USAGE


def _store(read_only: bool = False):
    from safety_tui.store import open_store

    return open_store(read_only=read_only)


def _with_store(func: Callable[[argparse.Namespace, object], int], read_only: bool = False) -> Callable[[argparse.Namespace], int]:
    @wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        from safety_tui.kinds import PlanError
        from safety_tui.store import StoreError

        try:
            store = _store(read_only)
        except StoreError as exc:
            print(f"safety-tui: {exc}", file=sys.stderr)
            return EXIT_STORE
        try:
            return func(args, store)
        except PlanNotFound as exc:
            print(f"safety-tui: {exc.args[0]}", file=sys.stderr)
            return EXIT_ERROR
        except (PlanError, ValueError) as exc:
            print(f"safety-tui: {exc}", file=sys.stderr)
            return EXIT_ERROR
        except StoreError as exc:
            print(f"safety-tui: {exc}", file=sys.stderr)
            return EXIT_STORE
        except OSError as exc:  # e.g. export -o into a folder that does not exist
            print(f"safety-tui: cannot write {exc.filename or 'the file'}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ERROR
        finally:
            store.close()

    return wrapper


def _reading(func: Callable[[argparse.Namespace, object], int]) -> Callable[[argparse.Namespace], int]:
    """For commands that only read: the database file is never changed, nothing is created."""
    return _with_store(func, read_only=True)


def _local(when, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return when.astimezone(ZoneInfo(tz)).strftime("%a %d %b %H:%M") if when else "-"


@_reading
def cmd_plans(args: argparse.Namespace, store) -> int:
    now = store.clock.now()
    plans = store.list_plans(include_closed=args.all)
    if args.json:
        print(json.dumps([
            {
                "ref": p.ref, "status": p.status.value, "overdue": p.is_overdue(now), "visit_type": p.visit_type.value,
                "title": p.title, "start": p.start.isoformat() if p.start else None,
                "finish": p.finish.isoformat() if p.finish else None, "grace_minutes": p.grace_minutes, "tz": p.tz,
            }
            for p in plans
        ], indent=2))
        return EXIT_OK
    if not plans:
        print("no plans" + ("" if args.all else " (use --all to include finished and cancelled ones)"))
        return EXIT_OK
    from safety_tui.text import printable

    for p in plans:
        state = p.state(now).upper() if p.is_overdue(now) else p.state(now)
        print(f"{p.ref:<14} {state:<12} {_local(p.start, p.tz):<17} {_local(p.finish, p.tz):<17} {printable(p.title)}")
    return EXIT_OK


@_reading
def cmd_show(args: argparse.Namespace, store) -> int:
    from safety_tui.export import text_summary
    from safety_tui.text import printable

    plan = store.get_plan(args.plan)
    sys.stdout.write(printable(text_summary(plan, reveal=args.reveal, now=store.clock.now())))
    return EXIT_OK


@_reading
def cmd_export(args: argparse.Namespace, store) -> int:
    from safety_tui.export import export

    plan = store.get_plan(args.plan)
    data = export(plan, args.format, include_code_word=args.code_word, now=store.clock.now())
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if args.output and args.output != "-":
        from safety_tui.paths import write_private

        target = Path(args.output)
        write_private(target, raw)
        print(f"wrote {target}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
    return EXIT_OK


@_with_store
def cmd_checkin(args: argparse.Namespace, store) -> int:
    plan = store.check_in(store.resolve(args.plan))
    print(f"{plan.ref}: checked in safe. Let the people you told know.")
    return EXIT_OK


@_with_store
def cmd_extend(args: argparse.Namespace, store) -> int:
    plan = store.extend(store.resolve(args.plan), args.minutes)
    print(f"{plan.ref}: expected finish now {_local(plan.finish, plan.tz)}. Tell the people you told.")
    return EXIT_OK


@_reading
def cmd_status(args: argparse.Namespace, store) -> int:
    from safety_tui.kinds import Status

    now = store.clock.now()
    active = store.list_plans(statuses=[Status.IN_PROGRESS])
    overdue = [p for p in active if p.is_overdue(now)]
    for p in overdue:
        print(f"OVERDUE {p.ref}: due {_local(p.due_at, p.tz)}. Check in with 'safety-tui checkin {p.ref}'.")
    if not args.quiet:
        for p in active:
            if not p.is_overdue(now):
                print(f"in progress {p.ref}: expected finish {_local(p.finish, p.tz)}")
        if not active:
            print("nothing in progress")
    return EXIT_OVERDUE if overdue else EXIT_OK


@_with_store
def cmd_purge(args: argparse.Namespace, store) -> int:
    days = args.days if args.days is not None else store.retention_days
    refs = store.purgeable(days)
    if not refs:
        print(f"nothing to purge (finished or cancelled plans older than {days} days)")
        return EXIT_OK
    if args.dry_run:
        print("would purge: " + " ".join(refs))
        return EXIT_OK
    store.purge(days)
    print(f"purged {len(refs)} plan(s): " + " ".join(refs))
    if store.wipe_pending:
        print("safety-tui: not yet wiped from the disk: another program is reading the store. Close it; "
              "the wipe finishes the next time safety-tui opens the store.", file=sys.stderr)
        return EXIT_STORE
    return EXIT_OK


@_with_store
def cmd_forget(args: argparse.Namespace, store) -> int:
    ref = store.resolve(args.plan)
    if not args.yes:
        if not sys.stdin.isatty():
            print("safety-tui: add --yes to forget a plan without a prompt", file=sys.stderr)
            return EXIT_USAGE
        if input(f"Delete plan {ref} completely? [y/N] ").strip().lower() not in ("y", "yes"):
            print("kept")
            return EXIT_OK
    if not store.forget(ref):
        print(
            f"safety-tui: {ref} is removed from your plans, but not yet wiped from the disk: another program "
            "(a safety-tui window?) is still reading the store. Close it; the wipe finishes the next time "
            "safety-tui opens the store.",
            file=sys.stderr,
        )
        return EXIT_STORE
    print(f"{ref}: deleted")
    return EXIT_OK


# Kept here (not imported from export) so building the parser stays cheap; a test checks they match.
FORMATS = ("message", "sms", "ics", "ics-contact", "markdown", "text", "qr")


@_with_store
def cmd_settings(args: argparse.Namespace, store) -> int:
    if args.retention_days is not None:
        if not 1 <= args.retention_days <= 3650:
            print("safety-tui: --retention-days takes 1 to 3650", file=sys.stderr)
            return EXIT_USAGE
        store.set_setting("retention_days", str(args.retention_days))
    if args.name is not None:
        store.set_setting("owner_name", args.name.strip())
    print(f"retention-days: {store.retention_days}")
    print(f"name: {store.setting('owner_name') or '(not set)'}")
    print(f"data: {store.path}")
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse API
    p = sub.add_parser("plans", help="list plans, newest first")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true", help="include finished and cancelled plans")
    p.set_defaults(func=cmd_plans)

    p = sub.add_parser("show", help="show a plan in full (code word masked)")
    p.add_argument("plan", help="plan id, e.g. 2026-11-25-1, or 'last'")
    p.add_argument("--reveal", action="store_true", help="show the code word")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("export", help="export a plan: buddy message, SMS, calendar, summary or QR")
    p.add_argument("plan")
    p.add_argument("--format", "-f", choices=FORMATS, default="message")
    p.add_argument("--code-word", action="store_true", help="include the code word and its meaning")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (created readable by you only)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("checkin", help="check in safe: the plan is finished")
    p.add_argument("plan", nargs="?", default="last")
    p.set_defaults(func=cmd_checkin)

    p = sub.add_parser("extend", help="push the expected finish back by MINUTES")
    p.add_argument("plan")
    p.add_argument("minutes", type=int)
    p.set_defaults(func=cmd_extend)

    p = sub.add_parser("status", help="exit 0 if nothing is overdue, 3 if a plan is overdue")
    p.add_argument("-q", "--quiet", action="store_true", help="print only overdue plans")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("purge", help="delete finished plans older than the retention period")
    p.add_argument("--days", type=int, help="override the retention period (default 30 days)")
    p.add_argument("--dry-run", action="store_true")
    p.set_defaults(func=cmd_purge)

    p = sub.add_parser("settings", help="show or change settings (retention period, your name)")
    p.add_argument("--retention-days", type=int, metavar="N", help="purge finished plans after N days (default 30)")
    p.add_argument("--name", help="your name as your contacts know you (used in messages)")
    p.set_defaults(func=cmd_settings)

    p = sub.add_parser("forget", help="delete one plan completely")
    p.add_argument("plan")
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.set_defaults(func=cmd_forget)
