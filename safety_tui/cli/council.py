"""Commands for the council duty desk: ``desk``, ``serve`` and ``council ...``.

``council`` commands are plain (no Textual import). ``desk`` and ``serve`` start
Textual (``serve`` runs it in a subprocess per browser tab). A database URL is
never printed with its password; passwords belong in the libpq password file.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import logging
import os
import shlex
import sys
from pathlib import Path
from typing import Callable

from safety_tui.council.config import ENV_URL, SETTING_URL
from safety_tui.common.errors import CouncilError, UsageError
from safety_tui.cli.console import warn
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE
from safety_tui.common.text import has_control_chars



def _url(args: argparse.Namespace) -> str:
    url = (getattr(args, "url", None) or os.environ.get(ENV_URL, "")).strip()
    if url:
        return url
    from safety_tui.store import open_store

    with open_store() as store:
        return store.setting(SETTING_URL).strip()


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    """A usage problem the person can fix (errors from the core go through cli_support.run_command)."""
    warn(message)
    return code


def _need_url(args: argparse.Namespace) -> str:
    """The council database URL the command needs, checked; a UsageError (exit 2) when none is given."""
    url = _url(args)
    if not url:
        raise UsageError(f"no council database: give --url, set {ENV_URL}, or run 'safety-tui council connect URL'")
    check_url(url)
    return url


def check_url(url: str) -> None:
    """Refuse, before anything connects, what libpq could never use as a connection string."""
    from psycopg import conninfo

    from safety_tui.council.db import masked
    from safety_tui.common.text import has_control_chars

    if has_control_chars(url):
        raise CouncilError("the council database URL contains control characters: type it again")
    try:
        conninfo.conninfo_to_dict(url)
    except Exception:  # psycopg.ProgrammingError: its text may repeat the password
        raise CouncilError(f"not a PostgreSQL connection URL: {masked(url)} (e.g. postgresql://name@host/council)") from None


# -- desk and serve ----------------------------------------------------------------------------------
def cmd_desk(args: argparse.Namespace) -> int:
    url = _need_url(args)
    from safety_tui.ui.desk.app import DeskApp  # Textual from here on

    app = DeskApp(url)
    app.run()
    return app.return_code or EXIT_OK


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    if args.url is not None:
        check_url(args.url)  # given, so it must be usable, with --desk or without
    public = args.public_url
    if public is not None and (not public.startswith(("https://", "http://")) or has_control_chars(public)):
        return _fail("--public-url must be the http(s) address browsers use, e.g. https://desk.example.gov.uk", EXIT_USAGE)
    if not is_loopback(args.host) and not args.allow_remote:
        return _fail(
            f"refusing to serve on {args.host}: textual-serve has no login of its own. Serve on 127.0.0.1 behind the "
            "council's authenticating proxy, or pass --allow-remote if that proxy is on another machine.", EXIT_USAGE)
    if args.desk:
        url = _need_url(args)
        os.environ[ENV_URL] = url  # each browser tab's process inherits it; it never appears in a command line
    from textual_serve.server import Server

    class QuietServer(Server):
        def initialize_logging(self) -> None:  # textual-serve's own handler would print local variables
            logging.basicConfig(level=logging.INFO, format="%(message)s")

    command = f"{shlex.quote(sys.executable)} -m safety_tui {'desk' if args.desk else 'run'}"
    title = "safety-tui duty desk" if args.desk else "safety-tui"
    print(f"Serving {title} on http://{args.host}:{args.port} (Ctrl+C stops)", file=sys.stderr)
    QuietServer(command, host=args.host, port=args.port, title=title, public_url=args.public_url).serve()
    return EXIT_OK


# -- council administration and the councillor's side -------------------------------------------------
def cmd_migrate(args: argparse.Namespace) -> int:
    url = _need_url(args)
    from safety_tui.council.db import connect
    from safety_tui.council.migrations import migrate

    with connect(url) as conn:
        version = migrate(conn)
    print(f"council schema is at version {version}")
    return EXIT_OK


def cmd_add_role(args: argparse.Namespace) -> int:
    url = _need_url(args)
    from safety_tui.council import roles
    from safety_tui.council.db import connect

    password = getpass.getpass(f"Password for {args.name} (empty: none, use another method): ") if args.password else None
    with connect(url) as conn:
        add = roles.add_duty_officer if args.role == "duty" else roles.add_councillor
        add(conn, args.name, password=password or None)
    print(f"{args.name} can now log in as a {'duty officer' if args.role == 'duty' else 'councillor'}")
    return EXIT_OK


def cmd_connect(args: argparse.Namespace) -> int:
    from safety_tui.council.db import has_password, masked
    from safety_tui.store import open_store

    if has_password(args.url):
        return _fail(
            f"{masked(args.url)} holds a password; it would be stored in plain text. Put the password in your "
            "password file (~/.pgpass, or PGPASSFILE) and give the URL without it.", EXIT_USAGE)
    with open_store() as store:
        store.set_setting(SETTING_URL, args.url.strip())
    print(f"plans you start will be shared with the duty desk at {masked(args.url)}")
    return EXIT_OK


def cmd_disconnect(args: argparse.Namespace) -> int:
    from safety_tui.store import open_store

    with open_store() as store:
        store.set_setting(SETTING_URL, "")
    print("plans are no longer shared with a council duty desk" +
          (f" (but {ENV_URL} is still set)" if os.environ.get(ENV_URL) else ""))
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    url = _need_url(args)
    from safety_tui.common import paths
    from safety_tui.council.outbox import Outbox

    with Outbox.open(paths.data_dir()) as outbox:
        result = outbox.flush(url)
    print(f"sent {result.sent}; {result.message}")
    return EXIT_OK if not result.waiting else EXIT_ERROR


def cmd_status(args: argparse.Namespace) -> int:
    from safety_tui.common import paths
    from safety_tui.council.db import masked
    from safety_tui.council.hook import sharing_status

    url = _url(args)
    if not url:
        print("not sharing plans with a council duty desk")
        return EXIT_OK
    print(f"council database: {masked(url)}")
    print(sharing_status(paths.data_dir()) or "everything is shared with the duty desk")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    url = _need_url(args)
    from safety_tui.council.db import connect
    from safety_tui.council.report import action_log_csv

    with connect(url) as conn:
        data = action_log_csv(conn)
    if args.output == "-":
        sys.stdout.write(data)
        return EXIT_OK
    from safety_tui.common import paths

    paths.write_private(Path(args.output), data.encode())
    print(f"action log saved to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_actions(args: argparse.Namespace) -> int:
    url = _need_url(args)
    from safety_tui.council.db import connect
    from safety_tui.council.desk_data import KINDS, OUTCOMES
    from safety_tui.council.publication import duty_actions, plan_key
    from safety_tui.store import open_store
    from safety_tui.common.text import printable

    key = None
    if args.ref:
        with open_store() as store:
            key = plan_key(store.get_plan(store.resolve(args.ref)))
    with connect(url) as conn:
        seen = duty_actions(conn, key)
    if not seen:
        print("the duty desk has taken no action on your plans")
    for action in seen:
        what = KINDS.get(action.kind, action.kind)
        if action.outcome:
            what += f": {OUTCOMES.get(action.outcome, action.outcome)}"
        when = action.at.astimezone().strftime("%a %d %b %H:%M")
        print(f"{when}  {printable(action.plan_key)}  {printable(action.by)}  {what}")
    return EXIT_OK


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    url_help = f"council database URL (default: ${ENV_URL} or the stored setting)"
    p = sub.add_parser("desk", help="the council duty desk: live list of plans in progress")
    p.add_argument("--url", help=url_help)
    p.set_defaults(func=cmd_desk)

    p = sub.add_parser("serve", help="serve the app (or the desk) in a browser with textual-serve")
    p.add_argument("--desk", action="store_true", help="serve the duty desk instead of the planner")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--allow-remote", action="store_true", help="allow an address beyond this machine (needs a proxy with login)")
    p.add_argument("--public-url", help="the address browsers use, when behind a proxy (e.g. https://desk.example.gov.uk)")
    p.add_argument("--url", help=url_help)
    p.set_defaults(func=cmd_serve)

    council = sub.add_parser("council", help="share plans with a council duty desk (PostgreSQL)")
    csub = council.add_subparsers(dest="council_command", metavar="ACTION", required=True)
    for name, func, text in (
        ("migrate", cmd_migrate, "create or upgrade the council schema (database administrator)"),
        ("sync", cmd_sync, "send publications waiting in the outbox"),
        ("status", cmd_status, "is everything shared with the duty desk?"),
    ):
        q = csub.add_parser(name, help=text)
        q.add_argument("--url", help=url_help)
        q.set_defaults(func=func)
    for role in ("councillor", "duty"):
        q = csub.add_parser(f"add-{role}", help=f"create a {role} login role (database administrator)")
        q.add_argument("name")
        q.add_argument("--password", action="store_true", help="ask for a password (or use certificates / pg_hba)")
        q.add_argument("--url", help=url_help)
        q.set_defaults(func=cmd_add_role, role=role)
    q = csub.add_parser("connect", help="share your started plans with the council at URL (no password in it)")
    q.add_argument("url")
    q.set_defaults(func=cmd_connect)
    q = csub.add_parser("disconnect", help="stop sharing plans")
    q.set_defaults(func=cmd_disconnect)
    q = csub.add_parser("actions", help="what the duty desk did about your plans (who and when)")
    q.add_argument("ref", nargs="?", help="one plan (id or 'last'); default: all")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_actions)
    q = csub.add_parser("export", help="the duty action log as CSV with monthly figures (duty role)")
    q.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_export)
