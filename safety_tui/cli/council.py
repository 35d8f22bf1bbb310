"""The ``council ...`` commands: the councillor's side of the duty desk and its administration.

Plain commands (no Textual import; ``desk`` and ``serve``, which start Textual, are in
:mod:`safety_tui.cli.desk`). A database URL is never printed with its password; passwords
belong in the libpq password file.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from safety_tui.cli.console import warn
from safety_tui.cli.council_url import check_url, council_url, need_url, require_council
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from safety_tui.council.config import ENV_URL, PASSWORD_ADVICE


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    """A usage problem the person can fix (errors from the core go through cli_support.run_command)."""
    warn(message)
    return code


def cmd_migrate(args: argparse.Namespace) -> int:
    url = need_url(args)
    from safety_tui.council.db import connect
    from safety_tui.council.migrations import migrate

    with connect(url) as conn:
        version = migrate(conn)
    print(f"council schema is at version {version}")
    return EXIT_OK


def cmd_add_role(args: argparse.Namespace) -> int:
    url = need_url(args)
    from safety_tui.council import roles
    from safety_tui.council.db import connect

    password = (
        getpass.getpass(f"Password for {args.name} (empty: none, use another method): ") if args.password else None
    )
    with connect(url) as conn:
        add = roles.add_duty_officer if args.role == "duty" else roles.add_councillor
        add(conn, args.name, password=password or None, both=args.both)
    print(f"{args.name} can now log in as a {'duty officer' if args.role == 'duty' else 'councillor'}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    url = need_url(args)
    from safety_tui.council import roles
    from safety_tui.council.db import connect

    with connect(url) as conn:
        groups = roles.remove(conn, args.name)
    what = " and ".join(roles.GROUP_LABELS[g] for g in sorted(groups))
    print(f"{args.name} ({what}) can no longer log in; their plans and actions stay in the record")
    return EXIT_OK


def cmd_connect(args: argparse.Namespace) -> int:
    require_council()
    from safety_tui.council.db import has_password, masked
    from safety_tui.wiring import open_store

    if has_password(args.url):
        return _fail(
            f"{masked(args.url)} holds a password; it would be stored in plain text. {PASSWORD_ADVICE}", EXIT_USAGE
        )
    check_url(args.url)
    from safety_tui.council import hook

    with open_store() as store:
        hook.connect(store, args.url, force=args.force)
    print(f"plans you start will be shared with the duty desk at {masked(args.url)}")
    _report_connection(args.url.strip())  # kept either way: with no signal, plans wait in the outbox
    return EXIT_OK


def _report_connection(url: str) -> int:
    """Test the connection now; EXIT_OK when it works (the setting is kept either way: offline is normal)."""
    from safety_tui.council.status import connection_line

    ok, line = connection_line(url)
    print(line)
    return EXIT_OK if ok else EXIT_ERROR


def cmd_disconnect(args: argparse.Namespace) -> int:
    from safety_tui.council.hook import disconnect
    from safety_tui.wiring import open_store

    with open_store() as store:
        disconnect(store, force=args.force)
    print(
        "plans are no longer shared with a council duty desk"
        + (f" (but {ENV_URL} is still set)" if os.environ.get(ENV_URL) else "")
    )
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    url = need_url(args)
    from safety_tui.common import paths
    from safety_tui.common.text import printable
    from safety_tui.council.outbox import Outbox

    with Outbox.open(paths.data_dir()) as outbox:
        if args.retry_set_aside:
            print(f"{outbox.retry_set_aside()} publication(s) set aside are back in line")
        if args.discard_set_aside:
            print(f"{outbox.discard_set_aside()} publication(s) set aside deleted")
        result = outbox.flush(url)
        notices = outbox.take_notices()
    for notice in notices:
        warn(printable(notice))
    print(f"sent {result.sent}; {result.message}")
    return EXIT_OK if result.shared else EXIT_ERROR


def cmd_status(args: argparse.Namespace) -> int:
    """Tests the connection now (sending what waits); exit 0 only when everything is shared."""
    from safety_tui.common import paths

    url = council_url(args)
    if not url:
        print("not sharing plans with a council duty desk")
        return EXIT_OK
    check_url(url)  # and the council extra is installed
    from safety_tui.council.db import masked
    from safety_tui.council.status import status_report

    print(f"council database: {masked(url)}")
    report = status_report(url, paths.data_dir())
    for notice in report.notices:
        warn(notice)
    for line in report.lines:
        print(line)
    return EXIT_OK if report.shared else EXIT_ERROR


def cmd_export(args: argparse.Namespace) -> int:
    url = need_url(args)
    from safety_tui.council.action_log import action_log_csv
    from safety_tui.council.db import connect, lost_connection_reported

    with connect(url) as conn, lost_connection_reported():
        data = action_log_csv(conn)
    if args.output == "-":
        sys.stdout.write(data)
        return EXIT_OK
    from safety_tui.common import paths

    paths.write_private(Path(args.output), data.encode())
    print(f"action log saved to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_actions(args: argparse.Namespace) -> int:
    url = need_url(args)
    from safety_tui.council.db import lost_connection_reported
    from safety_tui.council.pull import action_lines
    from safety_tui.wiring import open_store

    with open_store() as store, lost_connection_reported():
        lines = action_lines(store, url, args.ref)
    print("\n".join(lines) or "the duty desk has taken no action on your plans")
    return EXIT_OK


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    url_help = f"council database URL (default: ${ENV_URL} or the stored setting)"
    council = sub.add_parser("council", help="share plans with a council duty desk (PostgreSQL)")
    csub = council.add_subparsers(dest="council_command", metavar="ACTION", required=True)
    for name, func, text in (
        ("migrate", cmd_migrate, "create or upgrade the council schema (database administrator, needs CREATEROLE)"),
        ("sync", cmd_sync, "send publications waiting in the outbox"),
        ("status", cmd_status, "test the connection now; is everything shared with the duty desk? (exit 1 if not)"),
    ):
        q = csub.add_parser(name, help=text)
        q.add_argument("--url", help=url_help)
        q.set_defaults(func=func)
        if name == "sync":
            q.add_argument("--retry-set-aside", action="store_true", help="put publications set aside back in line")
            q.add_argument("--discard-set-aside", action="store_true", help="delete publications set aside")
    q = csub.add_parser("remove", help="remove a councillor's or duty officer's login (database administrator)")
    q.add_argument("name")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_remove)
    for role in ("councillor", "duty"):
        q = csub.add_parser(f"add-{role}", help=f"create a {role} login role (database administrator)")
        q.add_argument("name")
        q.add_argument("--password", action="store_true", help="ask for a password (or use certificates / pg_hba)")
        q.add_argument(
            "--both",
            action="store_true",
            help="allow one login to be councillor and duty officer (it still cannot read code words)",
        )
        q.add_argument("--url", help=url_help)
        q.set_defaults(func=cmd_add_role, role=role)
    q = csub.add_parser("connect", help="share your started plans with the council at URL (no password in it)")
    q.add_argument("url")
    q.add_argument(
        "--force",
        action="store_true",
        help="move from another council even with a plan in progress or publications waiting",
    )
    q.set_defaults(func=cmd_connect)
    q = csub.add_parser("disconnect", help="stop sharing plans")
    q.add_argument(
        "--force",
        action="store_true",
        help="even with a plan in progress or publications waiting (the desk keeps what it has)",
    )
    q.set_defaults(func=cmd_disconnect)
    q = csub.add_parser("actions", help="what the duty desk did about your plans (who and when)")
    q.add_argument("ref", nargs="?", help="one plan (id or 'last'); default: all")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_actions)
    from safety_tui.cli import checkin as checkin_cli

    checkin_cli.add_commands(csub, url_help)  # the phone check-in
    q = csub.add_parser("export", help="the duty action log as CSV with monthly figures (duty role)")
    q.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_export)
