"""The ``export`` command: the contact's message, calendar files, the record, QR codes.

Files are written with :func:`safety_tui.common.paths.write_private` (0600, atomic, never
through a link); to stdout everything goes through the printable filter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from safety_tui.cli.console import warn
from safety_tui.cli.support import cli_store
from safety_tui.common.exitcodes import EXIT_OK

if TYPE_CHECKING:
    from safety_tui.store.repository import Store

# Kept here (not imported from export) so building the parser stays cheap; a test checks they match.
FORMATS = ("message", "sms", "ics", "ics-contact", "markdown", "text", "qr")
PHONE_HINT = (
    "hint: no phone number is set, so the message cannot tell your contact which number to ring. "
    "Set it once with: safety-tui settings --phone NUMBER"
)


def cmd_export(args: argparse.Namespace) -> int:
    from safety_tui.common.paths import write_private
    from safety_tui.council.checkin_link import plan_link
    from safety_tui.plans.export import MESSAGE_FORMATS, export, sms_payload
    from safety_tui.plans.qr import image_kind, qr_image
    from safety_tui.plans.settings import owner_phone, title_in_message

    with cli_store(read_only=True) as store:
        plan = store.get_plan(_newest_open(store) if args.plan == "last" else args.plan)
        phone = owner_phone(store)
        now = store.clock.now()
        link = plan_link(store, plan) if args.format in ("markdown", "text") else None
        with_title = title_in_message(store, plan.uid)  # the councillor's choice on Review (t)
    # The contact's message carries the code word unless --no-code-word; the record (text,
    # markdown) keeps it masked unless --code-word.
    code_word = not args.no_code_word if args.format in MESSAGE_FORMATS else args.code_word
    target = Path(args.output) if args.output and args.output != "-" else None
    kind = image_kind(target.suffix) if target is not None and args.format == "qr" else None
    data: str | bytes
    if kind is not None:
        data = qr_image(sms_payload(plan, code_word, phone=phone, include_title=with_title), kind)
    else:
        data = export(
            plan,
            args.format,
            include_code_word=code_word,
            now=now,
            phone=phone,
            include_title=with_title,
            checkin_link=link,
        )
    if target is not None:
        write_private(target, data if isinstance(data, bytes) else data.encode("utf-8"))
        warn(f"wrote {target}")
    else:
        sys.stdout.write(data.decode("utf-8", "replace") if isinstance(data, bytes) else data)
        sys.stdout.flush()
    if not phone and args.format in MESSAGE_FORMATS:
        warn(PHONE_HINT)
    return EXIT_OK


def _newest_open(store: Store) -> str:
    """``export last``: the newest plan not yet finished or cancelled (the one being planned or
    under way), else the newest of all."""
    open_plans = store.list_plans(include_closed=False, limit=1)
    return open_plans[0].ref if open_plans else store.resolve("last")


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("export", help="export a plan: contact's message, SMS, calendar, summary or QR")
    p.add_argument("plan")
    p.add_argument("--format", "-f", choices=FORMATS, default="message")
    code = p.add_mutually_exclusive_group()
    code.add_argument(
        "--no-code-word",
        action="store_true",
        help="leave the code word and its meaning out of the contact's message (in by default)",
    )
    code.add_argument(
        "--code-word",
        action="store_true",
        help="show the code word in the record (-f text, markdown); the message has it already",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (readable by you only); with -f qr, FILE.png or FILE.svg is an image",
    )
    p.set_defaults(func=cmd_export)
