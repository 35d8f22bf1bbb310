"""Connecting to the council database, the libpq way. Core: no Textual.

The URL (or ``key=value`` string) goes to libpq untouched, so ``sslmode``,
``sslrootcert``, the password file (``~/.pgpass`` / ``PGPASSFILE``), ``PGPASSWORD``
and the other ``PG*`` variables all work as in psql. A password is never printed:
:func:`masked` replaces it wherever the URL is shown.
"""

from __future__ import annotations

import os
import re
from typing import Any

import psycopg
from psycopg.rows import TupleRow

from safety_tui.council.config import ENV_URL, SETTING_URL, configured_url  # noqa: F401 - re-exported
from safety_tui.common.errors import CouncilError

Conn = psycopg.Connection[TupleRow]

CONNECT_TIMEOUT = 5  # seconds; a councillor on a train must not wait longer than this

_URL_PASSWORD = re.compile(r"^(?P<head>[a-z][a-z0-9+.-]*://[^/@:?#]*):(?P<pw>[^@/?#]*)@", re.IGNORECASE)
_QUERY_PASSWORD = re.compile(r"(?P<key>[?&]password=)[^&#]*", re.IGNORECASE)
_KV_PASSWORD = re.compile(r"(?P<key>\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def masked(url: str) -> str:
    """The URL with any password replaced by ``***`` (for messages, logs and screens)."""
    out = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}:***@", url)
    out = _QUERY_PASSWORD.sub(lambda m: f"{m.group('key')}***", out)
    if "://" not in out:
        out = _KV_PASSWORD.sub(lambda m: f"{m.group('key')}***", out)
    return out


def has_password(url: str) -> bool:
    return masked(url) != url


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
