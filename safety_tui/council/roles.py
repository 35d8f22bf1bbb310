"""Creating and removing the council's login roles (run by the database administrator). Core: no Textual.

Each councillor logs in as their own role, a member of ``council_councillor``;
each duty officer as their own role, a member of ``council_duty``. Row-level
security (see :mod:`safety_tui.council.migrations`) does the rest.

A login is a councillor or a duty officer, not both: adding the other group is
refused unless the administrator asks for both explicitly (``both=True``). Even
then the code word column stays unreadable (council schema v2 grants it to no group).
The check-in server's login (``council_checkin``) faces the internet: it is never
combined with another group, not even with ``both=True``.
"""

from __future__ import annotations

import re

import psycopg
from psycopg import sql

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, why

COUNCILLOR_GROUP = "council_councillor"
DUTY_GROUP = "council_duty"
CHECKIN_GROUP = "council_checkin"
GROUP_LABELS = {COUNCILLOR_GROUP: "a councillor", DUTY_GROUP: "a duty officer", CHECKIN_GROUP: "the check-in server"}
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _check_name(name: str) -> None:
    if not _ROLE_NAME.fullmatch(name):  # match() would let a trailing line break through
        raise CouncilError("a role name is lower-case letters, digits and _ (at most 63), starting with a letter")


def groups_of(conn: Conn, name: str) -> set[str]:
    """The council groups the login is a direct member of."""
    rows = conn.execute(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s AND g.rolname = ANY(%s)",
        (name, list(GROUP_LABELS)),
    ).fetchall()
    return {str(r[0]) for r in rows}


def _add(conn: Conn, name: str, group: str, password: str | None, both: bool) -> None:
    _check_name(name)
    try:
        with conn.transaction():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            other = (groups_of(conn, name) - {group}) if exists else set()
            if CHECKIN_GROUP in other | {group} and other:  # it faces the internet: never combined, even with --both
                raise CouncilError(
                    f"{name} is already {' and '.join(GROUP_LABELS[g] for g in sorted(other))}; the check-in server's "
                    "login can only record check-ins: give it a login of its own"
                )
            if other and not both:
                (already,) = other
                raise CouncilError(
                    f"{name} is already {GROUP_LABELS[already]}; a login is one or the other. Give the person a "
                    f"second login, or, if you really mean one login for both, add --both (it still cannot read "
                    "code words)"
                )
            if exists is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
            if password is not None:
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))
    except psycopg.Error as exc:
        raise CouncilError(f"cannot set up the role: {why(exc)}") from None


def add_councillor(conn: Conn, name: str, *, password: str | None = None, both: bool = False) -> None:
    """A login role that publishes its own plans (and nobody else's)."""
    _add(conn, name, COUNCILLOR_GROUP, password, both)


def add_duty_officer(conn: Conn, name: str, *, password: str | None = None, both: bool = False) -> None:
    """A login role for the duty desk."""
    _add(conn, name, DUTY_GROUP, password, both)


def add_checkin_server(conn: Conn, name: str, *, password: str | None = None) -> None:
    """A login role for the phone check-in server: it can only call ``council.checkin``."""
    _add(conn, name, CHECKIN_GROUP, password, False)


def remove(conn: Conn, name: str) -> set[str]:
    """Remove a council login: out of its groups, no login, then dropped. Their plans and actions stay
    (the audit names them). Refused for a role that is not in a council group. Returns its groups."""
    _check_name(name)
    try:
        with conn.transaction():
            groups = groups_of(conn, name)
            powers = conn.execute(
                "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = %s", (name,)
            ).fetchone()
            if powers is not None and powers[0]:
                raise CouncilError(f"{name} is an administrator role; remove it with PostgreSQL's own tools")
            if not groups:
                raise CouncilError(
                    f"{name} is not a council login (not a councillor, a duty officer or the check-in server)"
                )
            ident = sql.Identifier(name)
            for group in sorted(groups):
                conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), ident))
            conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(ident))
            conn.execute(sql.SQL("DROP ROLE {}").format(ident))
    except psycopg.Error as exc:
        raise CouncilError(f"cannot remove the role: {why(exc)}") from None
    return groups
