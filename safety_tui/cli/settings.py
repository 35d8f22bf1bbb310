"""The ``settings`` command: retention period, your name, your phone number."""

from __future__ import annotations

import argparse

from safety_tui.cli.console import say
from safety_tui.cli.support import cli_store
from safety_tui.common.exitcodes import EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    from safety_tui.checklists import reviews
    from safety_tui.plans import settings

    # Check every value before changing anything: a refused value changes nothing.
    name = settings.clean_name(args.name) if args.name is not None else None
    phone = settings.clean_phone(args.phone) if args.phone is not None else None
    days = args.retention_days
    if days is not None:
        settings.check_days(days, what="--retention-days", minimum=settings.MIN_RETENTION_DAYS)
    months = args.review_months
    if months is not None:
        reviews.check_every_months(months)
    changing = name is not None or phone is not None or days is not None or months is not None
    with cli_store(read_only=not changing) as store:
        if days is not None:
            settings.set_retention_days(store, days)
        if months is not None:
            reviews.set_every_months(store, months)
        if name is not None:
            settings.set_owner_name(store, name)
        if phone is not None:
            settings.set_owner_phone(store, phone)
        say(f"retention-days: {store.retention_days}")
        say(f"review-months: {reviews.every_months(store)}")
        problem = settings.stored_name_problem(store)
        if problem is not None:
            say(f"name: (not used: {problem}; set it again with --name)")
        else:
            say(f"name: {settings.owner_name(store) or '(not set)'}")
        say(f"phone: {settings.owner_phone(store) or '(not set: messages cannot say which number to ring)'}")
        say(f"data: {store.path}")
    return EXIT_OK


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("settings", help="show or change settings (retention period, your name and phone)")
    p.add_argument(
        "--retention-days", type=int, metavar="N", help="purge finished plans after N days (1 to 3650; default 30)"
    )
    p.add_argument(
        "--review-months",
        type=int,
        metavar="N",
        help="periodic reviews (home security, online footprint) are due every N months (1 to 60; default 6)",
    )
    p.add_argument("--name", help="your name as your contacts know you (used in messages)")
    p.add_argument(
        "--phone", metavar="NUMBER", help="your own phone number, so your contact knows which number to ring"
    )
    p.set_defaults(func=cmd_settings)
