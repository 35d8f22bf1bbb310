"""Creating the council's login roles (run by the database administrator). Core: no Textual.

Each councillor logs in as their own role, a member of ``council_councillor``;
each duty officer as their own role, a member of ``council_duty``. Row-level
security (see :mod:`safety_tui.council.migrations`) does the rest.
"""

from __future__ import annotations

import re

import psycopg
from psycopg import sql

from safety_tui.council.db import Conn, why
from safety_tui.common.errors import CouncilError

COUNCILLOR_GROUP = "council_councillor"
DUTY_GROUP = "council_duty"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _add(conn: Conn, name: str, group: str, password: str | None) -> None:
    if not _ROLE_NAME.match(name):
        raise CouncilError("a role name is lower-case letters, digits and _ (at most 63), starting with a letter")
    try:
        with conn.transaction():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            if exists is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
            if password is not None:
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))
    except psycopg.Error as exc:
        raise CouncilError(f"cannot set up the role: {why(exc)}") from None


def add_councillor(conn: Conn, name: str, *, password: str | None = None) -> None:
    """A login role that publishes its own plans (and nobody else's)."""
    _add(conn, name, COUNCILLOR_GROUP, password)


def add_duty_officer(conn: Conn, name: str, *, password: str | None = None) -> None:
    """A login role for the duty desk."""
    _add(conn, name, DUTY_GROUP, password)
