"""A hostile pass over `safety-tui serve`: the real process, attacked over HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_desk_browser import free_port
from tests.test_serve import Served, start_serve, stop


@pytest.mark.slow  # a server process
def test_behind_a_tls_proxy_the_session_cookie_is_secure(tmp_path: Path) -> None:
    """The browser talks https to the council's proxy: a cookie without Secure would also go, in clear text,
    to any plain http://desk... address the browser is sent to (a captive portal, a forged link)."""
    port = free_port()
    env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(tmp_path)}
    process, url = start_serve(
        ["--port", str(port), "--trusted-proxy", "127.0.0.1", "--public-url", "https://desk.council.example"], env
    )
    try:
        served = Served(process, port, url)
        response = served.request(f"/?token={served.token}", {"Host": "desk.council.example"})
        assert response.status == 302
        cookie = response.getheader("Set-Cookie") or ""
        assert "HttpOnly" in cookie and "Secure" in cookie
    finally:
        stop(process)


@pytest.mark.slow  # a server process
@pytest.mark.parametrize(
    "host",
    [
        "localhost:{port}@evil.example",
        "localhost.:{port}",
        "127.0.0.1:{port}.",
        "[0:0:0:0:0:0:0:1]:{port}",
        "127.1:{port}",
        "evil.example",
        "127.0.0.1:{port}, evil",
    ],
)
def test_host_header_tricks_get_no_page(served_once: Served, host: str) -> None:
    response = served_once.request(f"/?token={served_once.token}", {"Host": host.format(port=served_once.port)})
    assert response.status == 403 and not response.getheader("Set-Cookie")


@pytest.fixture(scope="module")
def served_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    process, url = start_serve(["--port", str(port)], env)
    try:
        yield Served(process, port, url)
    finally:
        stop(process)
