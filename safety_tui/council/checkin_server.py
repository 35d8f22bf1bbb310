"""The phone check-in service (aiohttp): ``GET /c/TOKEN`` shows the page, a POST there records. Core: no Textual.

It connects as a role made by ``safety-tui council add-checkin``, which can do nothing
but call ``council.checkin(token_hash, action)``: the server finds the plan by the
token's SHA-256, so a leaked database role gives no way to list plans or tokens.

Safe on the open internet (behind the council's TLS proxy):
- GET only reads; a POST needs an ``Origin`` header naming this service;
- wrong, finished and expired tokens get 404 (the database decides);
- requests are rate-limited per client address, and posts per token;
- no cookies, no script; every answer carries the security headers of
  :mod:`safety_tui.council.checkin_page` and is never cached;
- when the database cannot be reached the page says "could not record: ring your
  contact", never a false "done";
- the token never reaches a log: the access log is off, and errors are logged without it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import psycopg
from aiohttp import web

from safety_tui.council import checkin_page as page
from safety_tui.council.checkin_link import PATH_PREFIX, is_token, token_hash
from safety_tui.council.db import CONNECT_TIMEOUT, why

log = logging.getLogger("safety_tui.checkin")

QUERY_SECONDS = 10.0  # a request waits at most this long for the database, then says "could not record"


@dataclass
class RateLimit:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window, in memory)."""

    limit: int
    window: float
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        now = self.clock()
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        if len(self._seen) > 10_000:  # forget keys that went quiet, so memory stays small
            self._seen = {k: v for k, v in self._seen.items() if v and now - v[-1] < self.window}
        return True


@dataclass(frozen=True)
class Limits:
    requests_per_address: int = 60  # per minute: any request from one client address
    posts_per_address: int = 20  # per minute: check-ins from one client address
    posts_per_token: int = 6  # per minute: check-ins on one plan


class Unreachable(Exception):
    """The database could not be reached or did not answer in time (nothing is known to be recorded)."""


class Database:
    """One connection as the check-in role, opened when needed and opened again after a failure."""

    def __init__(self, url: str):
        self.url = url
        self._conn: psycopg.AsyncConnection[tuple[object, ...]] | None = None
        self._lock = asyncio.Lock()

    async def checkin(self, digest: str, action: str) -> tuple[str, datetime | None]:
        async with self._lock:
            try:
                return await asyncio.wait_for(self._call(digest, action), QUERY_SECONDS)
            except (psycopg.Error, OSError, TimeoutError) as exc:
                log.warning("check-in database unavailable: %s", why(exc))
                await self._drop()
                raise Unreachable from None

    async def _connection(self) -> psycopg.AsyncConnection[tuple[object, ...]]:
        """The open connection, tried first (a connection the server dropped while idle is replaced, so a
        check-in is never sent down a dead one), or a new one."""
        if self._conn is not None and not self._conn.closed:
            try:
                await self._conn.execute("SELECT 1")
                return self._conn
            except psycopg.OperationalError:
                await self._drop()
        self._conn = await psycopg.AsyncConnection.connect(
            self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, application_name="safety-tui checkin-server"
        )
        return self._conn

    async def _call(self, digest: str, action: str) -> tuple[str, datetime | None]:
        conn = await self._connection()
        cursor = await conn.execute("SELECT outcome, due FROM council.checkin(%s, %s)", (digest, action))
        row = await cursor.fetchone()
        if row is None:
            return "unknown", None
        due = row[1]
        return str(row[0]), due if isinstance(due, datetime) else None

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                await conn.close()
            except (psycopg.Error, OSError):
                pass

    async def close(self) -> None:
        async with self._lock:
            await self._drop()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class CheckinService:
    database: Database
    origins: frozenset[str]  # the Origin a post must carry: this service's own address(es)
    tz: str
    behind_proxy: bool = False
    # Only the council's proxy may say who the client is: X-Forwarded-For from anyone else is ignored.
    trusted_proxies: frozenset[str] = frozenset({"127.0.0.1", "::1"})
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        self.per_address = RateLimit(self.limits.requests_per_address, 60.0)
        self.posts_per_address = RateLimit(self.limits.posts_per_address, 60.0)
        self.per_token = RateLimit(self.limits.posts_per_token, 60.0)

    def client(self, request: web.Request) -> str:
        """The client's address; behind the council's proxy, the address that proxy saw (its last hop).

        A request that did not come from the proxy itself is judged by its own address, whatever it
        says it forwards: anyone who reaches the port directly cannot pick the address rate limits see."""
        if self.behind_proxy and request.remote in self.trusted_proxies:
            forwarded = request.headers.get("X-Forwarded-For", "")
            hops = [h.strip() for h in forwarded.split(",") if h.strip()]
            if hops:
                return hops[-1]
        return request.remote or "?"

    async def handle(self, request: web.Request) -> web.Response:
        if not self.per_address.allow(self.client(request)):
            return answer(page.TOO_MANY, 429)
        token = request.match_info.get("token", "")
        if not is_token(token):
            return answer(page.NOT_FOUND, 404)
        digest = token_hash(token)
        if request.method == "POST":
            return await self._post(request, digest)
        try:
            outcome, due = await self.database.checkin(digest, "status")
        except Unreachable:
            return answer(page.UNREACHABLE, 503)
        if outcome != "open" or due is None:
            return answer(page.NOT_FOUND, 404)
        return html_response(page.checkin_page(due, self.tz))

    async def _post(self, request: web.Request, digest: str) -> web.Response:
        if request.headers.get("Origin", "").lower() not in self.origins:
            return answer(page.FORBIDDEN, 403)
        if not self.posts_per_address.allow(self.client(request)) or not self.per_token.allow(digest):
            return answer(page.TOO_MANY, 429)
        try:
            form = await request.post()
        except (ValueError, web.HTTPException):
            return answer(page.BAD_ACTION, 400)
        action = form.get("action")
        if not isinstance(action, str) or action not in page.ACTIONS:
            return answer(page.BAD_ACTION, 400)
        try:
            outcome, due = await self.database.checkin(digest, action)
        except Unreachable:
            return answer(page.NOT_RECORDED, 503)
        if outcome == "finished":
            return html_response(page.safe_page())
        if outcome != "extended" or due is None:
            return answer(page.NOT_FOUND, 404)
        return html_response(page.checkin_page(due, self.tz, noted=True))


def html_response(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def answer(message: str, status: int) -> web.Response:
    return html_response(page.message_page(message), status)


@web.middleware
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every answer, the errors aiohttp makes included, is plain, uncached and carries the headers."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        response = answer(page.NOT_FOUND if exc.status == 404 else (exc.reason or "Refused."), exc.status)
    except Exception as exc:  # a bug: never a false "done", and no request data (the path holds the token) in the log
        log.error("check-in server error: %s", type(exc).__name__)
        response = answer(page.NOT_RECORDED, 500)
    response.headers.update(page.SECURITY_HEADERS)
    return response


async def _no_server_banner(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "safety-tui"


def make_app(service: CheckinService) -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=4096)
    app.router.add_route("GET", PATH_PREFIX + "{token}", service.handle)
    app.router.add_route("POST", PATH_PREFIX + "{token}", service.handle)
    app.on_response_prepare.append(_no_server_banner)

    async def close_database(_: web.Application) -> None:
        await service.database.close()

    app.on_cleanup.append(close_database)
    return app


def run(service: CheckinService, host: str, port: int) -> None:
    """Serve until Ctrl+C (or SIGTERM). No access log: request paths carry tokens."""
    web.run_app(make_app(service), host=host, port=port, access_log=None, print=None, handle_signals=True)
