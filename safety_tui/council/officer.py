"""Who a served desk acts as: one served desk per duty officer's own login role. Core: no Textual.

Every action and every code-word reveal is stamped by the server with the role that
logged in (``session_user``), so a served desk must log in as the officer who opens it,
never as a shared account. :func:`claim_served_desk` checks the role is a duty officer's
login and holds a session advisory lock for as long as the server runs, so a second
``serve --desk`` for the same role is refused while the first one is up.
"""

from __future__ import annotations

import psycopg

from safety_tui.council.db import Conn, why
from safety_tui.common.errors import CouncilError

LOCK_NAMESPACE = "safety-tui served desk "


def claim_served_desk(conn: Conn) -> str:
    """The duty officer's role behind ``conn``, now holding that role's one served desk; CouncilError if not."""
    try:
        row = conn.execute(
            "SELECT session_user::text, pg_has_role(session_user, 'council_duty', 'MEMBER'), "
            "pg_try_advisory_lock(hashtext(%s || session_user::text))", (LOCK_NAMESPACE,)
        ).fetchone()
    except psycopg.Error as exc:
        raise CouncilError(f"cannot check who the served desk logs in as: {why(exc)}") from None
    if row is None:
        raise CouncilError("the council database did not say who is logged in")
    role, is_duty, locked = str(row[0]), bool(row[1]), bool(row[2])
    if not is_duty:
        raise CouncilError(
            f"{role} is not a duty officer: serve the desk with your own duty login, so every action and "
            "reveal is recorded in your name")
    if not locked:
        raise CouncilError(f"a served desk for {role} is already running: one served desk per officer")
    return role
