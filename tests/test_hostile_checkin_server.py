"""A hostile pass over the phone check-in server: the real process, over HTTP, its database unreachable."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from safety_tui.council.checkin_link import new_token

REPO = Path(__file__).resolve().parent.parent


def free_port(family: socket.AddressFamily, host: str) -> int:
    with socket.socket(family) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def on_ipv6_loopback(tmp_path: Path) -> Iterator[int]:
    """The check-in server on [::1], its database down (it serves anyway, and says so to phones)."""
    try:
        port = free_port(socket.AF_INET6, "::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    env = dict(
        os.environ,
        SAFETY_TUI_DATABASE_URL=f"postgresql://nobody@127.0.0.1:{free_port(socket.AF_INET, '127.0.0.1')}/x",
        SAFETY_TUI_DATA_DIR=str(tmp_path),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "safety_tui",
            "council",
            "checkin-server",
            "--host",
            "::1",
            "--port",
            str(port),
            "--timezone",
            "Europe/London",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60  # only stops a hung test
        while True:
            assert process.poll() is None, "the check-in server exited"
            try:
                socket.create_connection(("::1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the check-in server did not open its port"
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow  # a server process
def test_on_an_ipv6_loopback_a_post_from_its_own_page_is_accepted(on_ipv6_loopback: int) -> None:
    """A browser on http://[::1]:PORT sends that Origin; refusing it would refuse every check-in."""
    port = on_ipv6_loopback
    conn = http.client.HTTPConnection("::1", port, timeout=30)
    conn.request(
        "POST",
        f"/c/{new_token()}",
        body=urlencode({"action": "help"}),
        headers={"Origin": f"http://[::1]:{port}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = conn.getresponse()
    text = response.read().decode()
    conn.close()
    assert response.status == 503 and "Could not record: ring your contact." in text  # past the Origin check
