"""A plan's check-in link for the phone: the token, its hash and the URL. Core: no Textual.

Each plan gets a random 128-bit token (``secrets``) the first time its link is asked
for. The token is kept in the local store (private, like the code word) and goes into
the link; only its SHA-256 is published with the plan. The link's base address is the
council's ``checkin_url`` setting, remembered locally once read; until the council sets
one, links use the check-in server's local default address (for trying it on one machine).

Light on purpose: no psycopg import unless a function here talks to the server.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import TYPE_CHECKING

from safety_tui.council.config import SETTING_URL, configured_url

if TYPE_CHECKING:
    from safety_tui.council.db import Conn
    from safety_tui.plans.model import Plan
    from safety_tui.store.repository import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_BASE_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
BASE_URL_SETTING = "council_checkin_url"  # the council's base URL, as last read from the server
TOKEN_SETTING_PREFIX = "checkin_token:"
TOKEN_BYTES = 16  # 128 bits
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")  # base64url of 16 bytes, no padding
PATH_PREFIX = "/c/"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the server stores and looks up: the SHA-256 of the token, in hex."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_token(text: str) -> bool:
    return bool(TOKEN_PATTERN.fullmatch(text))  # match() would let a trailing line break through


def valid_base_url(url: str) -> bool:
    """An http(s) address with a host and nothing a link should not carry (no query, fragment or spaces)."""
    return bool(re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/\-]*)?", url))


def link_url(base: str, token: str) -> str:
    return base.rstrip("/") + PATH_PREFIX + token


def _key(plan: Plan) -> str:
    from safety_tui.council.publication import plan_key

    return plan_key(plan)


def plan_token(store: Store, plan: Plan, *, create: bool = True) -> str | None:
    """The plan's token from the local store, made (and kept) the first time when ``create``."""
    name = TOKEN_SETTING_PREFIX + _key(plan)
    token = store.setting(name)
    if is_token(token):
        return token
    if not create or store.read_only:
        return None
    token = new_token()
    store.set_setting(name, token)
    return token


def drop_token(store: Store, plan: Plan) -> None:
    """Forget the token of a plan that has ended: its link no longer works anyway."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM settings WHERE key = ?", (TOKEN_SETTING_PREFIX + _key(plan),))


def base_url(store: Store) -> str:
    remembered = store.setting(BASE_URL_SETTING)
    return remembered if valid_base_url(remembered) else DEFAULT_BASE_URL


def plan_link(store: Store, plan: Plan) -> str | None:
    """The plan's check-in link, or None when no council database is configured (or nothing to link)."""
    if not configured_url(store.setting(SETTING_URL)) or plan.finish is None:
        return None
    if plan.status.value in ("finished", "cancelled"):
        return None
    token = plan_token(store, plan)
    return link_url(base_url(store), token) if token else None


def link_lines(store: Store, plan: Plan) -> list[str]:
    """For the briefing and the exports: the link with one line on what it does, or nothing."""
    link = plan_link(store, plan)
    if link is None:
        return []
    return [
        f"Check in from your phone: {link}",
        "(I'm safe, extend, or a silent call for help; it works once the plan is started)",
    ]


# -- talking to the council's server (psycopg from here) ----------------------------------------------
def read_base_url(conn: Conn) -> str | None:
    """The council's ``checkin_url`` setting, or None when it has not set one (or it is not usable)."""
    import psycopg

    try:
        row = conn.execute("SELECT council.checkin_url()").fetchone()
    except psycopg.OperationalError:
        raise
    except psycopg.Error:
        return None  # a schema without the phone check-in: the local default
    value = str(row[0]).strip() if row else ""
    return value if valid_base_url(value) else None


def remember_base_url(store: Store, value: str | None) -> None:
    if not store.read_only and store.setting(BASE_URL_SETTING) != (value or ""):
        store.set_setting(BASE_URL_SETTING, value or "")


def on_desk(conn: Conn, key: str) -> bool:
    """Is my plan on the duty desk with its check-in link (in progress, its token's hash published)?"""
    import psycopg

    from safety_tui.common.errors import CouncilError
    from safety_tui.council.db import why

    try:
        row = conn.execute(
            "SELECT 1 FROM council.plans p JOIN council.checkin_links l ON l.plan_id = p.id "
            "WHERE p.plan_key = %s AND p.owner = current_user AND p.status = 'in-progress'",
            (key,),
        ).fetchone()
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(f"cannot read your plans on the duty desk: {why(exc)}") from None
    return row is not None


def set_base_url(conn: Conn, value: str) -> None:
    """The council's public base URL for every link (the database administrator, once)."""
    import psycopg

    from safety_tui.common.errors import CouncilError
    from safety_tui.council.db import why

    if not valid_base_url(value):
        raise CouncilError("the check-in address is an http(s) URL such as https://checkin.council.example")
    try:
        conn.execute(
            "INSERT INTO council.settings(key, value) VALUES ('checkin_url', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (value.rstrip("/"),),
        )
    except psycopg.Error as exc:
        raise CouncilError(f"cannot set the check-in address: {why(exc)}") from None


def check_checkin_role(conn: Conn) -> None:
    """Refuse a role that cannot record check-ins, or that can do more than that (it would face the internet)."""
    import psycopg

    from safety_tui.common.errors import CouncilError
    from safety_tui.council.db import why

    try:
        row = conn.execute(
            "SELECT has_any_column_privilege('council.plans', 'SELECT') OR "
            "has_any_column_privilege('council.checkin_links', 'SELECT')"
        ).fetchone()
        if row is not None and row[0]:
            raise CouncilError(
                "this database role can read the council's plans: run the check-in server as a role "
                "made by 'safety-tui council add-checkin NAME', which can only record check-ins"
            )
        conn.execute("SELECT * FROM council.checkin(%s, 'status')", ("0" * 64,))
    except psycopg.OperationalError:
        raise
    except psycopg.Error as exc:
        raise CouncilError(
            f"this database role cannot record check-ins ({why(exc)}): run 'safety-tui council "
            "migrate', then use a role made by 'safety-tui council add-checkin NAME'"
        ) from None
