"""The phone check-in commands: ``council link``, ``checkin-server``, ``add-checkin``, ``checkin-url``.

Registered from :mod:`safety_tui.cli.council` with :func:`add_commands`. Plain commands
(no Textual); a database URL with a password is refused on the command line (it would be
visible in the process list): use the password file or ``SAFETY_TUI_DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import sys

from safety_tui.cli.console import warn
from safety_tui.common.errors import CouncilError, UsageError
from safety_tui.common.exitcodes import EXIT_OK, EXIT_USAGE
from safety_tui.common.hosts import is_loopback
from safety_tui.common.text import printable
from safety_tui.council.checkin_link import DEFAULT_HOST, DEFAULT_PORT, valid_base_url
from safety_tui.council.config import ENV_URL, SETTING_URL


def _url(args: argparse.Namespace, *, stored: bool = True) -> str:
    """The council database URL: --url (never with a password), the environment, or the stored setting."""
    from safety_tui.council.db import has_password, masked

    given = (getattr(args, "url", None) or "").strip()
    if given and has_password(given):
        raise UsageError(
            f"{masked(given)} holds a password, which anyone on this machine could read in the process "
            f"list: put it in the password file (~/.pgpass or PGPASSFILE), or set {ENV_URL}"
        )
    url = given or os.environ.get(ENV_URL, "").strip()
    if not url and stored:
        from safety_tui.wiring import open_store

        with open_store(read_only=True) as store:
            url = store.setting(SETTING_URL).strip()
    if not url:
        raise UsageError(f"no council database: give --url, set {ENV_URL}, or run 'safety-tui council connect URL'")
    from psycopg import conninfo

    try:
        conninfo.conninfo_to_dict(url)
    except Exception:  # psycopg.ProgrammingError: its text may repeat the password
        raise CouncilError(f"not a PostgreSQL connection URL: {masked(url)}") from None
    return url


def cmd_link(args: argparse.Namespace) -> int:
    """Print the plan's check-in link; exit 2 when the plan is not on the duty desk."""
    from safety_tui.council.checkin_link import (
        base_url,
        link_url,
        on_desk,
        plan_token,
        read_base_url,
        remember_base_url,
    )
    from safety_tui.council.db import connect, lost_connection_reported
    from safety_tui.council.publication import plan_key
    from safety_tui.wiring import open_store

    url = _url(args)
    with open_store(read_only=True) as store:
        plan = store.get_plan(store.resolve(args.ref))
        key = plan_key(plan)
    with connect(url) as conn, lost_connection_reported():
        if not on_desk(conn, key):
            warn(
                f"plan {printable(plan.ref)} is not on the duty desk (start it, with a council database "
                "connected, and wait until it is shared: safety-tui council status)"
            )
            return EXIT_USAGE
        base = read_base_url(conn)
    with open_store() as store:
        remember_base_url(store, base)
        token = plan_token(store, store.get_plan(plan.ref), create=False)
        link = link_url(base_url(store), token) if token else None
    if link is None:
        warn(f"plan {printable(plan.ref)} has no check-in link on this machine")
        return EXIT_USAGE
    print(printable(link))
    return EXIT_OK


def cmd_checkin_server(args: argparse.Namespace) -> int:
    from safety_tui.council.checkin_server import CheckinService, Database, origin_of, run
    from safety_tui.plans.timeparse import local_zone_name

    url = _url(args, stored=False)
    if not 0 < args.port < 65536:
        raise UsageError("--port is a number from 1 to 65535")
    if not is_loopback(args.host) and not args.allow_remote:
        raise UsageError(
            f"refusing to listen on {printable(args.host)}: run the check-in server on 127.0.0.1 behind the "
            "council's TLS proxy, or pass --allow-remote if that proxy is on another machine"
        )
    if args.public_url is not None and not valid_base_url(args.public_url):
        raise UsageError("--public-url is the https address phones use, e.g. https://checkin.council.example")
    if args.trusted_proxy is not None and not args.behind_proxy:
        raise UsageError("--trusted-proxy goes with --behind-proxy")
    if args.behind_proxy and args.allow_remote and args.trusted_proxy is None:
        raise UsageError(
            "behind a proxy on another machine, give --trusted-proxy ADDRESS (the proxy's IP): only it "
            "may say, in X-Forwarded-For, which phone a request came from"
        )
    if args.trusted_proxy is not None:
        try:
            ipaddress.ip_address(args.trusted_proxy)
        except ValueError:
            raise UsageError("--trusted-proxy is the proxy's IP address") from None
    if (args.behind_proxy or args.allow_remote) and args.public_url is None:
        raise UsageError(
            "behind a proxy, give --public-url (the https address phones use): a post from the phone "
            "must come from that address, or it is refused"
        )
    _check_role(url)
    tz = args.timezone or local_zone_name()
    from safety_tui.common.clock import zone

    zone(tz)  # an unknown zone is refused before serving
    host = f"[{args.host}]" if ":" in args.host else args.host  # an IPv6 address, as a browser writes it
    origins = {f"http://{host}:{args.port}", f"http://localhost:{args.port}" if is_loopback(args.host) else ""}
    if args.public_url:
        origins.add(origin_of(args.public_url))
    proxies = frozenset({args.trusted_proxy}) if args.trusted_proxy else frozenset({"127.0.0.1", "::1"})
    service = CheckinService(
        Database(url),
        frozenset(o.lower() for o in origins if o),
        tz,
        behind_proxy=args.behind_proxy,
        trusted_proxies=proxies,
    )
    where = args.public_url or f"http://{host}:{args.port}"
    print(
        f"phone check-in on http://{printable(host)}:{args.port} for links to {printable(where)} (Ctrl+C stops)",
        file=sys.stderr,
        flush=True,
    )
    run(service, args.host, args.port)
    return EXIT_OK


def _check_role(url: str) -> None:
    """Before serving: the role must record check-ins and nothing more. A database that is down now may be back
    when a phone needs it, so that is only a warning."""
    import psycopg

    from safety_tui.council.checkin_link import check_checkin_role
    from safety_tui.council.db import connect, why

    later = "serving anyway; phones are told to ring their contact until it is back"
    try:
        conn = connect(url)
    except CouncilError as exc:
        warn(f"{exc}; {later}")
        return
    with conn:
        try:
            check_checkin_role(conn)
        except psycopg.OperationalError as exc:
            warn(f"lost the council database ({why(exc)}); {later}")


def cmd_add_checkin(args: argparse.Namespace) -> int:
    from safety_tui.council import roles
    from safety_tui.council.db import connect

    url = _url(args)
    password = (
        getpass.getpass(f"Password for {args.name} (empty: none, use another method): ") if args.password else None
    )
    with connect(url) as conn:
        roles.add_checkin_server(conn, args.name, password=password or None)
    print(f"{printable(args.name)} can now run the phone check-in server (it can only record check-ins)")
    return EXIT_OK


def cmd_checkin_url(args: argparse.Namespace) -> int:
    from safety_tui.council.checkin_link import set_base_url
    from safety_tui.council.db import connect

    url = _url(args)
    if not valid_base_url(args.address):
        raise CouncilError("the check-in address is an http(s) URL such as https://checkin.council.example")
    with connect(url) as conn:
        set_base_url(conn, args.address)
    print(f"check-in links now start with {printable(args.address.rstrip('/'))}/c/")
    return EXIT_OK


def add_commands(csub: "argparse._SubParsersAction[argparse.ArgumentParser]", url_help: str) -> None:
    """The phone check-in's ``council`` sub-commands."""
    q = csub.add_parser("link", help="the plan's check-in link for your phone (exit 2 if the plan is not on the desk)")
    q.add_argument("ref", help="the plan (id or 'last')")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_link)
    q = csub.add_parser(
        "checkin-server", help="the phone check-in web service (run by the council behind its TLS proxy)"
    )
    q.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    q.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    q.add_argument("--public-url", help="the https address phones use, as in the council's checkin-url setting")
    q.add_argument(
        "--behind-proxy", action="store_true", help="take the client address from the proxy's X-Forwarded-For"
    )
    q.add_argument(
        "--trusted-proxy",
        help="with --behind-proxy: the proxy's IP, the only peer whose X-Forwarded-For "
        "is believed (default: this machine's own proxy, 127.0.0.1 or ::1)",
    )
    q.add_argument("--allow-remote", action="store_true", help="listen beyond this machine (a proxy on another host)")
    q.add_argument("--timezone", help="the zone the page shows times in (default: this machine's)")
    q.add_argument("--url", help=f"the check-in role's database URL, without a password (default: ${ENV_URL})")
    q.set_defaults(func=cmd_checkin_server)
    q = csub.add_parser("add-checkin", help="create the check-in server's login role (database administrator)")
    q.add_argument("name")
    q.add_argument("--password", action="store_true", help="ask for a password (or use certificates / pg_hba)")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_add_checkin)
    q = csub.add_parser("checkin-url", help="set the public base address of check-in links (database administrator)")
    q.add_argument("address", help="e.g. https://checkin.council.example")
    q.add_argument("--url", help=url_help)
    q.set_defaults(func=cmd_checkin_url)
