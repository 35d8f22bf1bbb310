"""The phone check-in server as the open internet sees it: the real `safety-tui council checkin-server`
process on a real PostgreSQL, attacked over HTTP (wrong, expired and reused tokens, GET, a foreign Origin,
100 rapid posts, the database stopped mid-request) and used from Chromium at a phone's size."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

import psycopg
import pytest

from safety_tui.cli.main import main
from safety_tui.common.exitcodes import EXIT_USAGE
from safety_tui.council import hook
from safety_tui.council.checkin_link import plan_link
from safety_tui.council.config import ENV_URL
from safety_tui.council.db import connect
from safety_tui.council.desk_data import load_board
from safety_tui.council.pull import pull_duty_actions
from safety_tui.council.roles import add_checkin_server
from safety_tui.plans.lifecycle import Status
from safety_tui.store.repository import Store
from safety_tui.wiring import open_store
from tests.pg_server import PASSWORD, wait_until
from tests.test_desk_browser import CHROMIUM_ARGS, chromium, free_port, wait_for_port

if TYPE_CHECKING:
    from tests.pg_server import Council, PgServer

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures
pytestmark = pytest.mark.slow  # a server process, PostgreSQL and a browser

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Service:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        action: str | None = None,
        origin: str | None = "self",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        body = None
        if action is not None:
            body = urlencode({"action": action})
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if origin is not None:
            sent["Origin"] = self.origin if origin == "self" else origin
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode()
        got = {k.lower(): v for k, v in response.getheaders()}
        conn.close()
        return response.status, got, text


@pytest.fixture
def service(
    council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Service]:
    """alice's laptop connected to the council, and a check-in server running as the role 'phone'
    (with the options given as the fixture's parameter)."""
    options = list(getattr(request, "param", []))
    with psycopg.connect(council.admin, autocommit=True) as conn:
        add_checkin_server(conn, "phone", password=PASSWORD)
    monkeypatch.setenv(ENV_URL, council.url("alice"))
    port = free_port()
    log = tmp_path / "server.log"
    env = dict(os.environ, SAFETY_TUI_DATABASE_URL=council.url("phone"))
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "safety_tui",
                "council",
                "checkin-server",
                "--port",
                str(port),
                "--timezone",
                "Europe/London",
                *options,
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        wait_for_port(port, process)
        yield Service(port, process, log)
    finally:
        process.terminate()
        process.wait(timeout=30)


def started(store: Store, title: str = "Mrs Smith, damp", finish_in: timedelta = timedelta(hours=1)) -> tuple[str, str]:
    """A plan in progress on the desk, and the path of its check-in link."""
    now = datetime.now(timezone.utc)
    plan = store.create_plan(
        "home-visit",
        title=title,
        location="12 Acacia Avenue",
        start=now - timedelta(minutes=5),
        finish=now + finish_in,
        code_word="blue folder",
        code_meaning="call the police",
    )
    store.start(plan.ref)
    hook.wait_for_sends()
    link = plan_link(store, store.get_plan(plan.ref))
    assert link is not None
    return plan.ref, urlsplit(link).path


def board_row(council: Council, title: str):  # type: ignore[no-untyped-def]
    with connect(council.url("duty1")) as conn:
        board = load_board(conn)
    return next(p for p in board.plans if p.title == title), board


def recorded(council: Council) -> list[str]:
    with psycopg.connect(council.admin) as conn:
        return [r[0] for r in conn.execute("SELECT action FROM council.checkins ORDER BY id")]


SECRETS = ("Mrs Smith", "Acacia", "blue folder", "call the police", "alice")


def test_the_page_shows_the_due_time_and_nothing_about_the_visit_and_get_changes_nothing(
    service: Service, council: Council
) -> None:
    with open_store() as store:
        _, path = started(store)
    before, _ = board_row(council, "Mrs Smith, damp")
    for _ in range(3):
        status, headers, text = service.request("GET", path)
        assert status == 200
        assert before.due_at.astimezone(timezone.utc).strftime("%M") in text
        for secret in SECRETS:
            assert secret not in text
        for value in ("safe", "extend-15", "extend-30", "extend-60", "help"):
            assert f'value="{value}"' in text
    assert "set-cookie" not in headers and headers["cache-control"].startswith("no-store")
    assert "default-src 'none'" in headers["content-security-policy"] and "referrer-policy" in headers
    after, _ = board_row(council, "Mrs Smith, damp")
    assert after == before and recorded(council) == []


def test_wrong_malformed_expired_and_reused_tokens_get_404(service: Service, council: Council) -> None:
    with open_store() as store:
        _, path = started(store)
        _, old_path = started(store, title="Long ago")
    assert service.request("GET", "/c/" + "A" * 22)[0] == 404
    assert service.request("POST", "/c/" + "A" * 22, action="safe")[0] == 404
    assert service.request("GET", "/c/../../etc/passwd")[0] == 404
    assert service.request("GET", "/c/short")[0] == 404
    status, headers, _ = service.request("GET", "/")
    assert status == 404 and "content-security-policy" in headers
    with psycopg.connect(council.admin, autocommit=True) as conn:
        conn.execute(
            "UPDATE council.plans SET start_at = now() - interval '13 hours 20 minutes', "
            "finish_at = now() - interval '12 hours 20 minutes' WHERE title = 'Long ago'"
        )
    assert service.request("GET", old_path)[0] == 404
    assert service.request("POST", old_path, action="extend-60")[0] == 404
    status, _, text = service.request("POST", path, action="safe")
    assert status == 200 and "checked in as safe" in text and 'href="tel:999"' in text
    assert service.request("POST", path, action="safe")[0] == 404  # reused
    assert service.request("GET", path)[0] == 404
    assert recorded(council) == ["safe"]


def test_a_post_needs_this_services_origin_and_a_known_action(service: Service, council: Council) -> None:
    with open_store() as store:
        _, path = started(store)
    assert service.request("POST", path, action="safe", origin="https://evil.example")[0] == 403
    assert service.request("POST", path, action="safe", origin=None)[0] == 403
    assert service.request("POST", path, action="safe", origin="null")[0] == 403
    assert service.request("POST", path, action="delete")[0] == 400
    assert service.request("PUT", path, action="safe")[0] == 405
    assert recorded(council) == []
    assert board_row(council, "Mrs Smith, damp")[0].status is Status.IN_PROGRESS


@pytest.mark.parametrize("service", [["--behind-proxy", "--public-url", "http://127.0.0.1"]], indirect=True)
def test_a_hundred_rapid_posts_are_limited_per_token_and_per_address(service: Service, council: Council) -> None:
    with open_store() as store:
        _, path = started(store)
        _, other = started(store, title="Another")
        _, third = started(store, title="Third")

    def post(path: str, address: str) -> int:
        return service.request("POST", path, action="extend-15", headers={"X-Forwarded-For": address})[0]

    statuses = [post(path, "203.0.113.1") for _ in range(100)]
    assert statuses.count(200) == 6 and statuses.count(429) == 94
    assert len(recorded(council)) == 6
    assert post(path, "203.0.113.2") == 429  # the token's limit, from anywhere
    assert post(third, "203.0.113.1") == 429  # the address's limit, on any token
    assert service.request("GET", other, headers={"X-Forwarded-For": "203.0.113.1"})[0] == 429
    assert post(other, "203.0.113.3") == 200  # everyone else still checks in
    assert len(recorded(council)) == 7


@pytest.mark.parametrize(
    "service", [["--behind-proxy", "--trusted-proxy", "192.0.2.7", "--public-url", "http://127.0.0.1"]], indirect=True
)
def test_a_forwarded_address_from_anyone_but_the_proxy_cannot_dodge_the_rate_limit(
    service: Service, council: Council
) -> None:
    """Someone who reaches the port directly (not through the proxy at 192.0.2.7) and sends a new
    X-Forwarded-For with every request is still one address to the rate limits."""
    with open_store() as store:
        paths = [started(store, title=f"Visit {n}")[1] for n in range(4)]
    statuses = [
        service.request("POST", paths[n % 4], action="extend-15", headers={"X-Forwarded-For": f"203.0.113.{n}"})[0]
        for n in range(24)
    ]  # 6 per token: only the per-address limit (20 posts) can refuse any
    assert statuses.count(200) == 20 and statuses.count(429) == 4


def test_the_database_stopped_mid_request_is_never_a_false_done(
    service: Service, council: Council, pg_server: PgServer
) -> None:
    with open_store() as store:
        _, path = started(store)
    answers: list[tuple[int, str]] = []
    blocker = psycopg.connect(council.admin)  # holds the plan's row: the check-in waits on it
    blocker.execute("SELECT 1 FROM council.plans FOR UPDATE")

    def tap() -> None:
        status, _, text = service.request("POST", path, action="safe")
        answers.append((status, text))

    def waiting() -> bool:
        with psycopg.connect(council.admin) as look:
            row = look.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = 'phone' AND wait_event_type = 'Lock'"
            ).fetchone()
        return row is not None and row[0] > 0

    thread = threading.Thread(target=tap)
    thread.start()
    try:
        wait_until(waiting, "the check-in to wait for the plan's row")
        pg_server.stop("fast")  # ends every session, the waiting check-in too
        thread.join(60)
    finally:
        blocker.close()
        pg_server.start()
    assert answers and answers[0][0] == 503 and "Could not record: ring your contact." in answers[0][1]
    assert recorded(council) == []
    assert board_row(council, "Mrs Smith, damp")[0].status is Status.IN_PROGRESS
    status, _, text = service.request("POST", path, action="safe")  # the server is back: so is the service
    assert status == 200 and "checked in as safe" in text


def test_the_token_never_reaches_the_servers_log(service: Service) -> None:
    with open_store() as store:
        _, path = started(store)
    service.request("GET", path)
    service.request("POST", path, action="extend-15")
    service.request("GET", "/c/" + "C" * 22)
    assert path.rsplit("/", 1)[1] not in service.log.read_text()


def test_a_database_url_with_a_password_is_refused_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["council", "checkin-server", "--url", "postgresql://phone:hunter2@db.example/council"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "hunter2" not in err and "password" in err


def test_the_server_stays_on_this_machine_and_behind_a_proxy_needs_the_public_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, "postgresql://phone@db.example/council")
    assert main(["council", "checkin-server", "--host", "0.0.0.0"]) == EXIT_USAGE
    assert "refusing to listen on 0.0.0.0" in capsys.readouterr().err
    assert main(["council", "checkin-server", "--behind-proxy"]) == EXIT_USAGE
    assert "--public-url" in capsys.readouterr().err
    assert main(["council", "checkin-server", "--public-url", "javascript:alert(1)"]) == EXIT_USAGE
    capsys.readouterr()
    remote = [
        "council",
        "checkin-server",
        "--host",
        "0.0.0.0",
        "--allow-remote",
        "--behind-proxy",
        "--public-url",
        "https://checkin.council.example",
    ]
    assert main(remote) == EXIT_USAGE  # a proxy on another machine: which one may vouch for the client?
    assert "--trusted-proxy" in capsys.readouterr().err
    assert main([*remote, "--trusted-proxy", "proxy.council.example"]) == EXIT_USAGE
    assert "the proxy's IP address" in capsys.readouterr().err


def test_at_a_phones_size_each_button_reaches_the_desk_and_the_laptop(service: Service, council: Council) -> None:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with open_store() as store:
        safe_ref, safe_path = started(store, title="Safe visit")
        extend_ref, extend_path = started(store, title="Extended visit", finish_in=timedelta(minutes=2))
        help_ref, help_path = started(store, title="Help visit", finish_in=timedelta(minutes=2))
        quiet_ref, quiet_path = started(store, title="Quiet visit", finish_in=timedelta(minutes=2))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()

        def tap(path: str, label: str) -> str:
            """Open the link, tap the button; the page that answers, with its times taken out."""
            page.goto(service.origin + path)
            assert page.locator("#due").is_visible()
            with page.expect_navigation():
                page.get_by_role("button", name=label).tap()
            return re.sub(r"\d\d:\d\d", "HH:MM", page.content())

        before = board_row(council, "Extended visit")[0].finish_at
        assert "Noted." in tap(extend_path, "Extend 60 min")
        wait_until(lambda: board_row(council, "Extended visit")[0].finish_at > before + timedelta(minutes=55), "extend")
        quiet_answer = tap(quiet_path, "Extend 15 min")
        help_answer = tap(help_path, "Help")
        assert help_answer == quiet_answer  # nothing on the phone tells an onlooker that help was called
        page.screenshot(path=str(service.log.parent / "after-help.png"))
        plan, board = board_row(council, "Help visit")
        state = plan.alert(board.server_now, board.ladder)
        assert state is not None and state.help and board.sorted(board.server_now)[0].title == "Help visit"
        assert "checked in as safe" in tap(safe_path, "I'm safe")
        wait_until(lambda: board_row(council, "Safe visit")[0].status is Status.FINISHED, "safe on the desk")
        assert context.cookies() == []
        page.screenshot(path=str(service.log.parent / "phone.png"))
        browser.close()
    with open_store() as store:
        for ref in (safe_ref, extend_ref, help_ref, quiet_ref):
            pull_duty_actions(store, ref)
        assert store.get_plan(safe_ref).status is Status.FINISHED
        assert store.get_plan(extend_ref).finish == board_row(council, "Extended visit")[0].finish_at
        assert any(e.event == "from your phone: help (silent alarm)" for e in store.get_plan(help_ref).audit)
        hook.wait_for_sends()


@pytest.mark.parametrize("role", ["duty1", "alice"])
def test_the_server_refuses_a_role_that_can_read_plans_or_cannot_check_in(
    council: Council, role: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_URL, council.url(role))
    assert main(["council", "checkin-server", "--port", str(free_port())]) == 1
    assert "add-checkin" in capsys.readouterr().err
