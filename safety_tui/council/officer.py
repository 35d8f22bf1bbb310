"""Who a served desk acts as: one served desk per duty officer's own login role. Core: no Textual.

Every action and every code-word reveal is stamped by the server with the role that
logged in (``session_user``), so a served desk must log in as the officer who opens it,
never as a shared account. :func:`claim_served_desk` checks the role is a duty officer's
login and holds a session advisory lock for as long as the server runs, so a second
``serve --desk`` for the same role is refused while the first one is up. Any login may take
any advisory lock, so a lock held by another login does not count: only a session of the
officer's own role holding it refuses the start, and while another login holds it, another
session of the officer's role named as a served desk (:data:`SERVED_DESK_APPLICATION`) does.
"""

from __future__ import annotations

import psycopg

from safety_tui.common.errors import CouncilError
from safety_tui.council.db import Conn, why

LOCK_NAMESPACE = "safety-tui served desk "
SERVED_DESK_APPLICATION = "safety-tui served desk"  # the application_name of a served desk's connection


def claim_served_desk(conn: Conn) -> str:
    """The duty officer's role behind ``conn``, now holding that role's one served desk; CouncilError if not."""
    try:
        row = conn.execute(
            "SELECT session_user::text, pg_has_role(session_user, 'council_duty', 'MEMBER'), "
            "pg_try_advisory_lock(hashtext(%s || session_user::text))",
            (LOCK_NAMESPACE,),
        ).fetchone()
    except psycopg.Error as exc:
        raise CouncilError(f"cannot check who the served desk logs in as: {why(exc)}") from None
    if row is None:
        raise CouncilError("the council database did not say who is logged in")
    role, is_duty, locked = str(row[0]), bool(row[1]), bool(row[2])
    if not is_duty:
        raise CouncilError(
            f"{role} is not a duty officer: serve the desk with your own duty login, so every action and "
            "reveal is recorded in your name"
        )
    if not locked and (_held_by_this_role(conn) or _another_served_desk(conn)):
        raise CouncilError(f"a served desk for {role} is already running: one served desk per officer")
    return role


# The sessions holding this role's lock (a bigint advisory lock shows as classid = high, objid = low 32 bits).
_HOLDERS = """
WITH k AS (SELECT hashtext(%s || session_user::text)::bigint AS key)
SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, k
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = ((k.key >> 32) & 4294967295)::oid AND l.objid = (k.key & 4294967295)::oid
  AND a.usename = session_user
"""


_SERVED_DESKS = """
SELECT 1 FROM pg_stat_activity WHERE usename = session_user AND application_name = %s AND pid <> pg_backend_pid()
"""


def _held_by_this_role(conn: Conn) -> bool:
    return _found(conn, _HOLDERS, LOCK_NAMESPACE)


def _another_served_desk(conn: Conn) -> bool:
    """The lock is another login's: is a served desk of this role connected all the same?"""
    return _found(conn, _SERVED_DESKS, SERVED_DESK_APPLICATION)


def _found(conn: Conn, query: str, value: str) -> bool:
    try:
        return conn.execute(query, (value,)).fetchone() is not None
    except psycopg.Error as exc:
        raise CouncilError(f"cannot check for another served desk: {why(exc)}") from None
