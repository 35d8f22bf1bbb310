"""The ``desk`` and ``serve`` commands: the duty desk in a terminal, or the app or the desk in a browser.

Both start Textual (``serve`` runs it in a subprocess per browser tab); the plain ``council``
commands are in :mod:`safety_tui.cli.council`, whose URL checks these share.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from safety_tui.cli.council_url import check_url, need_url
from safety_tui.common.errors import CouncilError, UsageError
from safety_tui.common.exitcodes import EXIT_OK
from safety_tui.council.config import ENV_URL


def cmd_desk(args: argparse.Namespace) -> int:
    url = need_url(args)
    from safety_tui.ui.desk.app import DeskApp  # Textual from here on

    app = DeskApp(url)
    app.run()
    return app.return_code or EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Registered here; the server and its checks are in safety_tui.ui.desk.serve."""
    try:
        from safety_tui.ui.desk.serve import ServeOptions, check_options, run
    except ImportError as exc:
        if exc.name not in ("textual_serve", "aiohttp"):
            raise
        raise UsageError("serve needs textual-serve: pip install 'safety-tui[serve]'") from None

    if args.url is not None:
        check_url(args.url)  # given, so it must be usable, with --desk or without
    options = ServeOptions(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        allow_remote=args.allow_remote,
        certfile=args.certfile,
        keyfile=args.keyfile,
        trusted_proxy=args.trusted_proxy,
    )
    check_options(options)
    held = None
    if args.desk:
        url = need_url(args)
        from safety_tui.council.db import connect
        from safety_tui.council.officer import SERVED_DESK_APPLICATION, claim_served_desk

        held = connect(url, application_name=SERVED_DESK_APPLICATION)  # holds the role's one served desk
        try:
            role = claim_served_desk(held)
        except CouncilError:
            held.close()
            raise
        print(f"The served desk logs in as {role}: every action and reveal is recorded in that name.", file=sys.stderr)
        os.environ[ENV_URL] = url  # each browser tab's process inherits it; it never appears in a command line
    command = f"{shlex.quote(sys.executable)} -m safety_tui {'desk' if args.desk else 'run'}"
    try:
        run(options, command, "safety-tui duty desk" if args.desk else "safety-tui")
    finally:
        if held is not None:
            held.close()
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
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an address beyond this machine (needs TLS or --trusted-proxy, and --public-url)",
    )
    p.add_argument(
        "--public-url", help="the address browsers use, when behind a proxy (e.g. https://desk.example.gov.uk)"
    )
    p.add_argument("--certfile", type=Path, help="TLS certificate (PEM), with --keyfile")
    p.add_argument("--keyfile", type=Path, help="TLS private key (PEM), with --certfile")
    p.add_argument("--trusted-proxy", metavar="ADDRESS", help="the IP address of the proxy that alone may connect")
    p.add_argument("--url", help=url_help)
    p.set_defaults(func=cmd_serve)
