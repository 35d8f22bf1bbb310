"""Connecting to the council database, the libpq way. Core: no Textual.

The URL (or ``key=value`` string) goes to libpq untouched, so ``sslmode``,
``sslrootcert``, the password file (``~/.pgpass`` / ``PGPASSFILE``), ``PGPASSWORD``
and the other ``PG*`` variables all work as in psql. A password is never printed:
:func:`masked` replaces it wherever the URL is shown.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator

import psycopg
from psycopg.rows import TupleRow

from safety_tui.common.errors import CouncilError
from safety_tui.council.config import ENV_URL, SETTING_URL, configured_url  # noqa: F401 - re-exported

Conn = psycopg.Connection[TupleRow]

CONNECT_TIMEOUT = 5  # seconds; a councillor on a train must not wait longer than this

_URL_PASSWORD = re.compile(r"^(?P<head>[a-z][a-z0-9+.-]*://[^/@:?#]*):(?P<pw>[^@/?#]*)@", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"(?P<key>[?&]password=)[^&#]*", re.IGNORECASE)
_KV_PASSWORD = re.compile(r"(?P<key>\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def _masked_text(url: str) -> str:
    out = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}:***@", url)
    out = _QUERY_PASSWORD.sub(lambda m: f"{m.group('key')}***", out)
    return _KV_PASSWORD.sub(lambda m: f"{m.group('key')}***", out) if "://" not in out else out


def _parsed(url: str) -> dict[str, Any] | None:
    """libpq's own reading of the string (URL or key=value, percent-encoded keys decoded); None if unreadable."""
    from psycopg import conninfo

    try:
        return conninfo.conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - psycopg.ProgrammingError; its text may repeat the password
        return None


def masked(url: str) -> str:
    """The URL with any password replaced by ``***`` (for messages, logs and screens)."""
    text = _masked_text(url)
    params = _parsed(url)
    password = str(params.get("password") or "") if params else ""
    if not password or password not in text:
        return text
    # A spelling the patterns miss (e.g. ``?%70assword=``, or ``password=x://y``): libpq's reading, rebuilt.
    from psycopg import conninfo

    assert params is not None
    return conninfo.make_conninfo("", **(params | {"password": "***"}))


def has_password(url: str) -> bool:
    """Whether libpq would read a password from this string (any spelling it accepts)."""
    params = _parsed(url)
    if params is None:
        return _masked_text(url) != url
    return bool(params.get("password"))


def _options(url: str, application_name: str = "safety-tui") -> dict[str, Any]:
    options: dict[str, Any] = {"application_name": application_name}
    if "connect_timeout" not in url and not os.environ.get("PGCONNECT_TIMEOUT"):
        options["connect_timeout"] = CONNECT_TIMEOUT
    return options


def why(exc: BaseException) -> str:
    """A one-line reason from a psycopg error, without the URL or any password."""
    if isinstance(exc, psycopg.Error) and exc.diag.message_primary:
        return str(exc.diag.message_primary)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return masked(text)


def connect(url: str, *, autocommit: bool = True, application_name: str = "safety-tui") -> Conn:
    """A connection to the council database, or ``CouncilError`` saying why (password masked)."""
    try:
        return psycopg.connect(url, autocommit=autocommit, **_options(url, application_name))
    except (psycopg.Error, ValueError) as exc:
        raise CouncilError(f"cannot reach the council database {masked(url)}: {why(exc)}") from None


def clock_skew(conn: Conn) -> float:
    """How far this computer's clock is ahead of the server's, in seconds (negative: behind)."""
    before = datetime.now(timezone.utc)
    row = conn.execute("SELECT now()").fetchone()
    after = datetime.now(timezone.utc)
    if row is None:
        raise CouncilError("the council database did not tell the time")
    server: datetime = row[0]
    return ((before + (after - before) / 2) - server).total_seconds()


def probe(url: str) -> float:
    """Connect now and measure the clock skew: the connection test of ``council connect`` and ``status``."""
    with connect(url) as conn:
        try:
            return clock_skew(conn)
        except psycopg.Error as exc:
            raise CouncilError(f"the council database {masked(url)} answered with an error: {why(exc)}") from None


@contextmanager
def lost_connection_reported() -> Iterator[None]:
    """Inside a command: a connection lost mid-way (or a query the server gave up on) is said as such,
    ``CouncilError('lost the council database: ...')``, never an internal error."""
    try:
        yield
    except psycopg.OperationalError as exc:
        raise CouncilError(f"lost the council database: {why(exc)}") from None
