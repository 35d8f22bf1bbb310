"""Which council database a command uses, checked before anything connects. Plain: no Textual.

Shared by the ``council`` commands and by ``desk`` and ``serve``. A URL is never printed with
its password, and one given with a password is refused (argv is readable by every account).
"""

from __future__ import annotations

import argparse
import os

from safety_tui.cli.console import warn
from safety_tui.common.errors import CouncilError, UsageError
from safety_tui.council.config import ENV_URL, PASSWORD_ADVICE, SETTING_URL


def require_council() -> None:
    """The ``council`` extra (psycopg) is installed, or a plain message says how to get it."""
    from safety_tui.council.config import require

    require("psycopg", "council")


def council_url(args: argparse.Namespace) -> str:
    given = getattr(args, "url", None)
    if given:
        require_council()
        from safety_tui.council.db import has_password, masked

        if has_password(given):  # argv is readable by every local account (/proc/PID/cmdline)
            raise UsageError(
                f"--url {masked(given)} holds a password, which every account on this computer can "
                f"read in the process list. {PASSWORD_ADVICE}"
            )
    url = (given or os.environ.get(ENV_URL, "")).strip()
    if url:
        return url
    from safety_tui.wiring import open_store

    with open_store() as store:
        stored = store.setting(SETTING_URL).strip()
    if stored:
        require_council()
        from safety_tui.council.db import has_password, masked

        if has_password(stored):  # stored by an older safety-tui, which missed some spellings
            warn(
                f"the stored council URL {masked(stored)} holds a password in plain text: run 'safety-tui council "
                f"connect' again with a URL without it. {PASSWORD_ADVICE}"
            )
    return stored


def need_url(args: argparse.Namespace) -> str:
    """The council database URL the command needs, checked; a UsageError (exit 2) when none is given."""
    url = council_url(args)
    if not url:
        raise UsageError(f"no council database: give --url, set {ENV_URL}, or run 'safety-tui council connect URL'")
    check_url(url)  # and the council extra is installed
    return url


def check_url(url: str) -> None:
    """Refuse, before anything connects, what libpq could never use as a connection string."""
    require_council()
    from psycopg import conninfo

    from safety_tui.common.text import has_control_chars
    from safety_tui.council.db import masked

    if has_control_chars(url):
        raise CouncilError("the council database URL contains control characters: type it again")
    try:
        conninfo.conninfo_to_dict(url)
    except Exception:  # psycopg.ProgrammingError: its text may repeat the password
        raise CouncilError(
            f"not a PostgreSQL connection URL: {masked(url)} (e.g. postgresql://name@host/council)"
        ) from None


# -- council administration and the councillor's side -------------------------------------------------
