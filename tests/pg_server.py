"""A throwaway PostgreSQL server for the council tests (no mocks).

``initdb`` in a fresh temporary folder, the server on a unix socket in that folder
and on 127.0.0.1 at a free port, ``fsync=off`` (it is thrown away). PostgreSQL
refuses to run as root, so as root the folder is handed to the ``postgres`` (or
``nobody``) user and the programs run as that user.

Register the fixtures in a test module with ``pytest_plugins = ["tests.pg_server"]``
or ``from tests.pg_server import pg_server, council  # noqa: F401``.

Without server binaries the tests skip with a LOUD message, never silently.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

SUPERUSER = "postgres"
PASSWORD = "test-secret-pw"  # every login role in the tests has this password


def find_bindir() -> Path | None:
    """Where initdb/pg_ctl/postgres live: $PG_BINDIR, pg_config, Debian's folders, or PATH."""
    candidates: list[str] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            candidates.append(
                subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
            )
        except (OSError, subprocess.CalledProcessError):
            pass
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(str(Path(initdb).parent))
    for folder in candidates:
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and there is neither a 'postgres' nor a 'nobody' user to run the server")


@dataclass
class PgServer:
    bindir: Path
    base: Path
    port: int = field(default_factory=_free_port)
    user: str | None = field(default_factory=_run_as)

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base

    def _cmd(self, *args: str) -> list[str]:
        if self.user is None:
            return list(args)
        return ["runuser", "-u", self.user, "--", *args]

    def init(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        os.chmod(self.base, 0o700)
        pwfile = self.base / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            self._cmd(
                str(self.bindir / "initdb"),
                "-D",
                str(self.datadir),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(pwfile),
                "-A",
                "scram-sha-256",
                "--auth-local=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        with open(self.datadir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.socket_dir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
                "shared_buffers = 32MB\nlog_min_messages = warning\n"
            )

    def start(self) -> None:
        subprocess.run(
            self._cmd(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-l",
                str(self.base / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ),
            check=True,
            capture_output=True,
            text=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w", "stop"),
            check=False,
            capture_output=True,
            text=True,
        )

    def admin_conninfo(self, dbname: str = "postgres") -> str:
        """The superuser over the unix socket (trust): only the tests' set-up uses it."""
        return f"host={self.socket_dir} port={self.port} user={SUPERUSER} dbname={dbname}"

    def url(self, role: str, dbname: str) -> str:
        """A libpq URL for a login role over TCP with a password, as a council would hand out."""
        return f"postgresql://{role}:{PASSWORD}@127.0.0.1:{self.port}/{dbname}?connect_timeout=3"

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


@contextmanager
def throwaway_council(prefix: str = "safety-tui-bench-pg-") -> Iterator[PgServer]:
    """For the benchmarks and the demo: a throwaway server with a migrated database named
    ``council`` (no login roles yet), removed on exit. SystemExit when PostgreSQL is missing."""
    import psycopg

    from safety_tui.council.migrations import migrate

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("needs PostgreSQL's server programs (apt-get install postgresql, or set PG_BINDIR)")
    server = PgServer(bindir=bindir, base=Path(tempfile.mkdtemp(prefix=prefix)))
    try:
        server.init()
        server.start()
        with psycopg.connect(server.admin_conninfo(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE council")
        with psycopg.connect(server.admin_conninfo("council"), autocommit=True) as conn:
            migrate(conn)
        yield server
    finally:
        server.cleanup()


_NO_SERVER = (
    "\n" + "!" * 78 + "\n"
    "!!! SKIPPED: NO POSTGRESQL SERVER PROGRAMS (initdb, pg_ctl) FOUND.\n"
    "!!! The council tests need them: apt-get install postgresql (or set PG_BINDIR).\n" + "!" * 78
)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = find_bindir()
    if bindir is None:
        print(_NO_SERVER, file=sys.stderr)
        pytest.skip(_NO_SERVER)
    server = PgServer(bindir=bindir, base=Path(tempfile.mkdtemp(prefix="safety-tui-pg-")))
    try:
        server.init()
        server.start()
    except subprocess.CalledProcessError as exc:
        server.cleanup()
        raise RuntimeError(f"the throwaway PostgreSQL server did not start: {exc.stderr}") from None
    yield server
    server.cleanup()


_DB_NUMBERS = itertools.count(1)


@dataclass
class Council:
    """One fresh council database on the throwaway server, migrated, with login roles."""

    server: PgServer
    dbname: str

    def url(self, role: str) -> str:
        return self.server.url(role, self.dbname)

    @property
    def admin(self) -> str:
        return self.server.admin_conninfo(self.dbname)


@pytest.fixture
def council(pg_server: PgServer) -> Iterator[Council]:
    """A new database with the council schema; roles alice and bob (councillors), duty1 and duty2."""
    import psycopg

    from safety_tui.council import roles
    from safety_tui.council.migrations import migrate

    if not pg_server_running(pg_server):
        pg_server.start()
    dbname = f"council_{os.getpid()}_{next(_DB_NUMBERS)}"
    with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    with psycopg.connect(pg_server.admin_conninfo(dbname), autocommit=True) as conn:
        migrate(conn)
        for name in ("alice", "bob"):
            roles.add_councillor(conn, name, password=PASSWORD)
        for name in ("duty1", "duty2"):
            roles.add_duty_officer(conn, name, password=PASSWORD)
    yield Council(server=pg_server, dbname=dbname)
    if pg_server_running(pg_server):
        with psycopg.connect(pg_server.admin_conninfo(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def pg_server_running(server: PgServer) -> bool:
    result = subprocess.run(
        server._cmd(str(server.bindir / "pg_ctl"), "-D", str(server.datadir), "status"), capture_output=True, text=True
    )
    return result.returncode == 0


def wait_until(predicate: object, what: str, limit: float = 30.0) -> None:
    """Poll a condition; the limit only stops a hung test (no test asserts a time)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")
