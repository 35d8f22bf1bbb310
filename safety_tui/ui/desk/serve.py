"""``safety-tui serve``: the planner or the duty desk in a browser, for its officer only.

textual-serve has no login, so its aiohttp application is wrapped, as Jupyter does:

- a random **token** per start, printed as the URL to open. Opening it sets a private
  cookie (HttpOnly, SameSite=Strict) and redirects to the page without the token; the page,
  its files and the websocket are served only with that cookie;
- a **Host** that is not this server's (DNS rebinding: a web page whose name now points
  at 127.0.0.1) is refused, and so is an **Origin** that is not this server's, on every
  request and always on the websocket;
- ``--allow-remote`` only with TLS (``--certfile``/``--keyfile``) or a stated trusted proxy
  (``--trusted-proxy ADDRESS``: only that address may connect), and then only with an https
  ``--public-url``;
- no access log (it would record the token), and textual-serve's own log handler (which
  prints local variables) is replaced.

A served desk logs in as the officer's own role (see :mod:`safety_tui.council.officer`).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import ssl
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from safety_tui.common.errors import UsageError
from safety_tui.common.hosts import is_loopback
from safety_tui.common.text import has_control_chars

log = logging.getLogger("safety-tui serve")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
REFUSED = "Refused: open the address that 'safety-tui serve' printed (it holds this server's key).\n"


def same(given: str, secret: str) -> bool:
    """A constant-time comparison that any text can be given to (non-ASCII included)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode())


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    allow_remote: bool = False
    certfile: Path | None = None
    keyfile: Path | None = None
    trusted_proxy: str | None = None

    @property
    def tls(self) -> bool:
        return self.certfile is not None

    @property
    def address(self) -> str:
        """Where the browser goes: the public URL, or this machine's address."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"


def check_options(options: ServeOptions) -> None:
    """Refuse, with what to do instead, anything that would open the served app to others."""
    public = options.public_url
    if public is not None:
        parts = urlsplit(public)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or has_control_chars(public)
            or parts.username
            or parts.password
            or parts.query
            or parts.fragment
        ):
            raise UsageError("--public-url must be the http(s) address browsers use, e.g. https://desk.example.gov.uk")
    if (options.certfile is None) != (options.keyfile is None):
        raise UsageError("TLS needs both --certfile and --keyfile")
    if options.trusted_proxy is not None:
        try:
            ipaddress.ip_address(options.trusted_proxy)
        except ValueError:
            raise UsageError("--trusted-proxy is the proxy's IP address, e.g. 10.0.0.5") from None
    if not is_loopback(options.host) and not options.allow_remote:
        raise UsageError(
            f"refusing to serve on {options.host}: serve on 127.0.0.1 (behind the council's authenticating proxy on "
            "this machine), or pass --allow-remote with TLS or a trusted proxy"
        )
    if options.allow_remote:
        if not options.tls and options.trusted_proxy is None:
            raise UsageError(
                "--allow-remote needs TLS (--certfile and --keyfile) or a trusted proxy (--trusted-proxy ADDRESS): "
                "otherwise the desk crosses the network as plain ws://"
            )
        if public is None:
            raise UsageError(
                "--allow-remote needs --public-url, the https address browsers use (e.g. https://desk.example.gov.uk); "
                "without it the page would open its websocket to an address nobody else can reach"
            )
        if not public.startswith("https://"):
            raise UsageError("--allow-remote needs an https --public-url: the desk never crosses a network unencrypted")


@dataclass
class Gate:
    """The token, the cookie and the hosts and origins this server answers to."""

    options: ServeOptions
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def cookie(self) -> str:
        return f"safety-tui-serve-{self.options.port}"  # cookies ignore the port: one name per served port

    @property
    def url(self) -> str:
        """The address to open, with this start's token."""
        return f"{self.options.address}/?token={self.token}"

    @property
    def secure(self) -> bool:
        """The browser talks https (here, or to the council's proxy): the cookie never travels in clear text."""
        return self.options.tls or (self.options.public_url or "").lower().startswith("https://")

    def hosts(self) -> set[str]:
        port = self.options.port
        local = {"127.0.0.1", "localhost", "[::1]"}
        bound = self.options.host
        if bound not in ("0.0.0.0", "::", ""):  # the address served on, as a proxy's upstream name
            local.add(f"[{bound}]" if ":" in bound else bound)
        names = {f"{name}:{port}" for name in local}
        if port == (443 if self.options.tls else 80):
            names |= local
        if self.options.public_url:
            names.add(urlsplit(self.options.public_url).netloc.lower())
        return names

    def origins(self) -> set[str]:
        scheme = "https" if self.options.tls else "http"
        found = {f"{scheme}://{host}" for host in self.hosts()}
        if self.options.public_url:
            parts = urlsplit(self.options.public_url)
            found.add(f"{parts.scheme}://{parts.netloc}".lower())
        return found

    def refusal(self, request: web.Request) -> str | None:
        """Why ``request`` is refused before anything is served, or None."""
        if self.options.trusted_proxy is not None and request.remote != self.options.trusted_proxy:
            return "not from the trusted proxy"
        if request.headers.get("Host", "").lower() not in self.hosts():
            return "foreign Host"
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in self.origins():
            return "foreign Origin"
        if origin is None and request.headers.get("Upgrade", "").lower() == "websocket":
            return "websocket without an Origin"
        return None

    def signed_in(self, request: web.Request) -> bool:
        return same(request.cookies.get(self.cookie, ""), self.session)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        reason = self.refusal(request)
        if reason is not None:
            log.warning("refused a request: %s", reason)  # the reason only: never a header's text or the token
            return web.Response(status=403, text=REFUSED)
        if self.signed_in(request):
            return await handler(request)
        given = request.query.get("token", "")
        if request.path == "/" and given and same(given, self.token):
            # The token becomes a private cookie, and leaves the address bar (history, Referer).
            response = web.Response(status=302, headers={"Location": "./"})
            response.set_cookie(
                self.cookie, self.session, httponly=True, samesite="Strict", secure=self.secure, path="/"
            )
            return response
        return web.Response(status=403, text=REFUSED)


class OfficerServer(Server):
    """textual-serve's server behind the :class:`Gate`, quiet, with TLS when asked."""

    def __init__(self, command: str, options: ServeOptions, title: str) -> None:
        super().__init__(command, host=options.host, port=options.port, title=title, public_url=options.address)
        self.gate = Gate(options)
        self.options = options

    def initialize_logging(self) -> None:  # textual-serve's own handler would print local variables
        logging.basicConfig(level=logging.WARNING, format="%(message)s")

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self.gate.middleware)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its logo here, before the port is open."""

    def announce(self, *_: object) -> None:
        """Once the port is open (aiohttp's own start-up line): the address to open, with its token."""
        print(
            f"Serving {self.title} for you only. Open this address (it holds this start's key; "
            f"anyone with it can use what is served):\n    {self.gate.url}\n(Ctrl+C stops)",
            file=sys.stderr,
            flush=True,
        )

    def serve(self, debug: bool = False) -> None:
        self.initialize_logging()
        context = None
        if self.options.certfile is not None and self.options.keyfile is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.options.certfile, self.options.keyfile)
        web.run_app(
            self._make_app(), host=self.host, port=self.port, ssl_context=context, access_log=None, print=self.announce
        )


def run(options: ServeOptions, command: str, title: str) -> None:
    """Serve ``command`` (one process per browser tab) until Ctrl+C."""
    check_options(options)
    OfficerServer(command, options, title).serve()
