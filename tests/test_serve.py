"""`safety-tui serve` only for its officer: the token, the Host and the Origin, and the remote rules.

The real command in a subprocess, driven with plain HTTP (http.client, so every header is ours):
no page and no websocket upgrade without the token's cookie, with a wrong token, from a
foreign Host (DNS rebinding) or a foreign Origin; the page and the upgrade with them.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pytest

from safety_tui.cli.main import main
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_USAGE
from safety_tui.council.db import connect
from safety_tui.council.officer import claim_served_desk
from tests.test_desk_browser import free_port

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures

REPO = Path(__file__).resolve().parent.parent
WS_HEADERS = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int, url: str) -> None:
        self.process, self.port, self.url = process, port, url

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def request(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        conn.putrequest("GET", path, skip_host=True)
        for name, value in sent.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        if response.status != 101:  # an upgraded socket has no body to read
            response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        return response

    def cookie(self) -> str:
        response = self.request(f"/?token={self.token}")
        assert response.status == 302 and response.getheader("Location") == "./"
        value = response.getheader("Set-Cookie") or ""
        assert "HttpOnly" in value and "SameSite=Strict" in value
        return value.split(";", 1)[0]


def start_serve(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`safety-tui serve ARGS`; the tokened address it prints (it serves until stopped)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "safety_tui", "serve", *args],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    seen = ""
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {seen}")
        seen += line
        if found := re.search(r"(https?://\S+/\?token=[A-Za-z0-9_-]{40,})", line):
            return process, found.group(1)
    raise AssertionError(f"serve printed no address: {seen}")


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    process, url = start_serve(["--port", str(port)], env)
    try:
        yield Served(process, port, url)
    finally:
        stop(process)


@pytest.mark.slow
def test_the_printed_address_holds_a_token_and_opens_the_page(served: Served) -> None:
    assert served.url.startswith(f"http://127.0.0.1:{served.port}/?token=")
    cookie = served.cookie()
    page = served.request("/", {"Cookie": cookie})
    assert page.status == 200 and b"data-session-websocket-url" in page.body  # type: ignore[attr-defined]
    assert served.token.encode() not in page.body  # type: ignore[attr-defined]
    upgrade = served.request("/ws", {"Cookie": cookie, "Origin": f"http://127.0.0.1:{served.port}", **WS_HEADERS})
    assert upgrade.status == 101


@pytest.mark.slow
def test_no_page_and_no_websocket_without_the_token(served: Served) -> None:
    origin = {"Origin": f"http://127.0.0.1:{served.port}"}
    for path in ("/", "/static/js/textual.js", "/download/x"):
        assert served.request(path).status == 403, path
    assert served.request("/?token=" + "A" * 43).status == 403
    assert served.request(f"/?token={served.token[:-1]}").status == 403
    assert served.request("/?token=%C3%A9%00").status == 403  # any bytes: refused, never a server error
    assert served.request("/", {"Cookie": f"safety-tui-serve-{served.port}=\u00e9"}).status == 403
    assert served.request(f"/static/js/textual.js?token={served.token}").status == 403  # the token opens the page only
    assert served.request("/ws", {**origin, **WS_HEADERS}).status == 403
    assert (
        served.request("/ws", {**origin, "Cookie": f"safety-tui-serve-{served.port}=guess", **WS_HEADERS}).status == 403
    )
    assert served.request(f"/ws?token={served.token}", {**origin, **WS_HEADERS}).status == 403


@pytest.mark.slow
def test_a_foreign_host_or_origin_gets_no_page_and_no_websocket(served: Served) -> None:
    """DNS rebinding: a web page whose name now points at 127.0.0.1. Even with the officer's cookie."""
    cookie = served.cookie()
    own = f"http://127.0.0.1:{served.port}"
    rebound = {"Host": f"attacker.example:{served.port}"}
    assert served.request(f"/?token={served.token}", rebound).status == 403
    assert served.request("/", {"Cookie": cookie, **rebound}).status == 403
    assert served.request("/ws", {"Cookie": cookie, "Origin": own, **rebound, **WS_HEADERS}).status == 403
    foreign = {"Origin": "http://attacker.example"}
    assert served.request("/", {"Cookie": cookie, **foreign}).status == 403
    assert served.request("/ws", {"Cookie": cookie, **foreign, **WS_HEADERS}).status == 403
    assert served.request("/ws", {"Cookie": cookie, "Origin": "null", **WS_HEADERS}).status == 403
    assert served.request("/ws", {"Cookie": cookie, **WS_HEADERS}).status == 403  # a websocket always has an Origin
    assert served.request("/", {"Cookie": cookie, "Origin": own}).status == 200  # the control: the same, at home


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["--allow-remote", "--host", "0.0.0.0"],
            "--allow-remote needs TLS (--certfile and --keyfile) or a trusted proxy",
        ),
        (["--allow-remote", "--trusted-proxy", "10.0.0.5"], "--allow-remote needs --public-url"),
        (["--allow-remote", "--certfile", "c.pem", "--keyfile", "k.pem"], "--allow-remote needs --public-url"),
        (
            ["--allow-remote", "--trusted-proxy", "10.0.0.5", "--public-url", "http://desk.example"],
            "needs an https --public-url",
        ),
        (["--certfile", "c.pem"], "TLS needs both --certfile and --keyfile"),
        (["--trusted-proxy", "proxy.example"], "--trusted-proxy is the proxy's IP address"),
        (["--host", "192.0.2.1"], "refusing to serve on 192.0.2.1"),
        (["--public-url", "https://user:pw@desk.example"], "--public-url must be the http(s) address"),
    ],
)
def test_remote_serving_needs_tls_or_a_trusted_proxy_and_a_public_url(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == EXIT_USAGE
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_behind_a_trusted_proxy_only_the_proxy_may_connect(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(tmp_path)}
    process, url = start_serve(
        [
            "--port",
            str(port),
            "--allow-remote",
            "--trusted-proxy",
            "10.9.9.9",
            "--public-url",
            "https://desk.council.example/desk",
        ],
        env,
    )
    try:
        assert url.startswith("https://desk.council.example/desk/?token=")
        served = Served(process, port, url)
        assert served.request(f"/?token={served.token}", {"Host": "desk.council.example"}).status == 403
    finally:
        stop(process)


@pytest.mark.slow
def test_a_served_desk_logs_in_as_a_duty_officer_and_only_once_per_officer(
    council: Council, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the address with its password from the environment: a password is never taken in argv
    monkeypatch.setenv("SAFETY_TUI_DATABASE_URL", council.url("alice"))
    assert main(["serve", "--desk", "--port", str(free_port())]) == EXIT_ERROR
    assert "alice is not a duty officer" in capsys.readouterr().err
    with connect(council.url("duty1")) as first:
        assert claim_served_desk(first) == "duty1"  # a served desk for duty1 is up
        monkeypatch.setenv("SAFETY_TUI_DATABASE_URL", council.url("duty1"))
        assert main(["serve", "--desk", "--port", str(free_port())]) == EXIT_ERROR
        assert "a served desk for duty1 is already running" in capsys.readouterr().err


@pytest.mark.slow
def test_with_tls_the_desk_is_served_over_https_only_and_the_cookie_is_secure(tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a throwaway certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    env = {**os.environ, "SAFETY_TUI_DATA_DIR": str(tmp_path / "data")}
    process, url = start_serve(
        [
            "--port",
            str(port),
            "--allow-remote",
            "--certfile",
            str(cert),
            "--keyfile",
            str(key),
            "--public-url",
            f"https://127.0.0.1:{port}",
        ],
        env,
    )
    try:
        assert url.startswith(f"https://127.0.0.1:{port}/?token=")
        context = ssl.create_default_context(cafile=str(cert))
        conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
        conn.request("GET", "/?token=" + url.split("token=", 1)[1])
        response = conn.getresponse()
        assert response.status == 302 and "Secure" in (response.getheader("Set-Cookie") or "")
        conn.close()
        plain = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with pytest.raises((http.client.HTTPException, ConnectionError)):
            plain.request("GET", "/")
            plain.getresponse()  # plain HTTP on the TLS port gets no page
        plain.close()
    finally:
        stop(process)
