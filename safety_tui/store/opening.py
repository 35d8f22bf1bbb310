"""Opening the store: the data folder, the file, and every check before a byte is written.

- The data folder: see :mod:`safety_tui.store.folder`.
- ``plans.sqlite3`` must be a plain file of ours: a symlink, a folder, another
  user's file, a foreign or newer database, a changed schema or a file failing
  ``PRAGMA integrity_check`` is refused, and left byte-for-byte as it was.
  These checks read the file without SQLite's side files (``-wal``/``-shm``).
- ``read_only=True`` never changes the file and never creates side files:
  what it cannot open as it is (an older schema, no file yet, a log left without
  its index: :mod:`safety_tui.store.walreplay`) it reads from a copy in memory. When no other program has the file open it is read as
  ``immutable``, so keep a read-only store for one short command.
- Whoever opens the store says what comes with it: the other parts' tables kept in the
  same file (``parts``) and who hears of a committed lifecycle change (``on_change``).
  The app and the CLI open it in one place, :func:`safety_tui.wiring.open_store`.
Core: no Textual.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Sequence
from pathlib import Path

from safety_tui.common import paths
from safety_tui.common.clock import Clock, SystemClock
from safety_tui.common.errors import StoreError
from safety_tui.common.transaction import write_transaction
from safety_tui.store.connections import WRITER_PRAGMAS
from safety_tui.store.failures import damaged, translate
from safety_tui.store.folder import data_folder, prepare_folder
from safety_tui.store.repository import PlanChanged, Store
from safety_tui.store.schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SchemaPart,
    expected_shape,
    has_tables,
    migrate,
    own_shape,
)
from safety_tui.store.walreplay import replayed

DB_NAME = "plans.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
ENV = paths.ENV_DATA_DIR


def database_path(directory: Path | None = None) -> Path:
    return data_folder(directory) / DB_NAME


def open_store(
    directory: Path | None = None,
    clock: Clock | None = None,
    *,
    read_only: bool = False,
    parts: Sequence[SchemaPart] = (),
    on_change: PlanChanged | None = None,
) -> Store:
    """Open (or create) the store, with the other ``parts`` kept in its file and the ``on_change``
    hook its lifecycle changes are announced to. Raises ``StoreError`` rather than risk a user's data.

    Every caller in the app and the CLI goes through :func:`safety_tui.wiring.open_store`,
    which passes both: opened here without them, a store of the app refuses its tables.
    """
    folder = data_folder(directory)
    path = folder / DB_NAME
    clock = clock or SystemClock()
    if not prepare_folder(folder, create=not read_only) or not inspect_file(path, read_only):
        if read_only:  # nothing stored yet: an empty store in memory, and nothing created
            return Store(_in_memory(None, 0, path, parts), path, clock, read_only=True, on_change=on_change)
        _refuse_orphan_log(path)
        _create_file(path)
        version = 0
    else:
        try:
            check = _replayed(path) if _log_without_index(path) else _reader(path)  # checked before a byte is written
        except sqlite3.Error as exc:
            raise translate(exc, path, "open") from None
        try:
            version = inspect_database(check, path, parts)
            if read_only and version == SCHEMA_VERSION and not any(p.needs_migration(check) for p in parts):
                check.row_factory = sqlite3.Row
                check.execute("PRAGMA query_only = ON")
                return Store(check, path, clock, read_only=True, on_change=on_change)
            if read_only:
                return Store(_in_memory(check, version, path, parts), path, clock, read_only=True, on_change=on_change)
        except sqlite3.Error as exc:
            check.close()
            raise translate(exc, path, "open") from None
        except BaseException:
            check.close()
            raise
        check.close()
    store = Store(_writer(path, version, parts), path, clock, on_change=on_change)
    _tighten_side_files(path)
    if store.wipe_pending:
        store.wipe()  # a forget that another reader held up: finish it now
    return store


# -- the file -----------------------------------------------------------------------
def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _refuse_odd_file(path: Path, info: os.stat_result, what: str) -> None:
    if stat.S_ISLNK(info.st_mode):
        target = os.readlink(path)
        if not os.path.exists(path):
            raise StoreError(
                f"{what} {path} is a symbolic link to {target}, which does not exist. safety-tui will not follow "
                "it. Put the database back where the link points, or remove the link to start afresh."
            )
        raise StoreError(
            f"{what} {path} is a symbolic link (to {target}). safety-tui only opens a plain file: "
            "move the database itself there instead of a link."
        )
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{what} {path} is a folder, not a database. Move it away, then start safety-tui again.")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{what} {path} is not a regular file. Move it away, then start safety-tui again.")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise StoreError(
            f"{what} {path} belongs to another user. safety-tui only opens a database you own: "
            f"move it away, or set {ENV} to a folder of your own."
        )


def inspect_file(path: Path, read_only: bool) -> bool:
    """Refuse anything that is not a plain, private file of ours; False if there is none yet."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}.") from None
    _refuse_odd_file(path, info, "the database")
    for suffix in ("-wal", "-shm"):
        side = _side(path, suffix)
        try:
            _refuse_odd_file(side, os.lstat(side), "the database's side file")
        except FileNotFoundError:
            pass
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise StoreError(
            f"cannot read {path}: {exc.strerror or exc}. It should be yours and readable by you "
            f"(chmod 600), or set {ENV} to another folder."
        ) from None
    try:
        if not read_only and not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"{path} is read-only. Make it writable (chmod 600), or set {ENV} to another folder.")
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            os.fchmod(fd, mode & 0o600)
        header = os.read(fd, 100)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    _check_header(path, header)
    return True


def _check_header(path: Path, header: bytes) -> None:
    """What the first 100 bytes already tell, before SQLite opens anything."""
    if not header:
        return  # created, then stopped before the first write: still new
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StoreError(
            f"{path} is not a SQLite database (it may be corrupt). safety-tui will not touch it. "
            "Move it somewhere safe (it may hold plans you need), then start safety-tui again."
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise _foreign(path)
    if app_id == APPLICATION_ID and int.from_bytes(header[60:64], "big") > SCHEMA_VERSION:
        raise _newer(path, int.from_bytes(header[60:64], "big"))


def _foreign(path: Path) -> StoreError:
    return StoreError(
        f"{path} is a SQLite database, but not one of safety-tui's. safety-tui will not touch it. "
        f"Move it away, or set {ENV} to another folder."
    )


def _newer(path: Path, version: int) -> StoreError:
    return StoreError(
        f"{path} was written by a newer safety-tui (schema {version}, this one knows {SCHEMA_VERSION}). "
        "Upgrade safety-tui to open it; it was left untouched."
    )


def _refuse_orphan_log(path: Path) -> None:
    """A log left without its database would be replayed into a new, empty one: refuse instead."""
    for suffix in ("-wal", "-journal"):
        side = _side(path, suffix)
        if os.path.lexists(side):
            raise StoreError(
                f"{side} is left over from a database that is no longer there (it may hold plans). "
                f"Move it away together with {path.name}, or put {path.name} back, then start safety-tui again."
            )


def _create_file(path: Path) -> None:
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise StoreError(f"{path} appeared while safety-tui was creating it. Start safety-tui again.") from None
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror or exc}. Set {ENV} to a folder you own.") from None
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
    finally:
        os.close(fd)


# -- the database ---------------------------------------------------------------------
def _reader(path: Path) -> sqlite3.Connection:
    """A read-only connection that creates no side file: immutable unless a log is already there."""
    in_use = os.path.lexists(_side(path, "-wal"))
    uri = path.as_uri() + "?mode=ro" + ("" if in_use else "&immutable=1")
    conn = sqlite3.connect(uri, uri=True, timeout=10.0, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def _log_without_index(path: Path) -> bool:
    """A log left without its index (a restored backup, a folder copied while the app ran): SQLite
    would create the index to read it."""
    return os.path.lexists(_side(path, "-wal")) and not os.path.lexists(_side(path, "-shm"))


def _replayed(path: Path) -> sqlite3.Connection:
    """The file and its log's whole commits, read into memory: nothing is created beside the file."""
    try:
        return replayed(path, _side(path, "-wal"))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}.") from None


def inspect_database(conn: sqlite3.Connection, path: Path, parts: Sequence[SchemaPart] = ()) -> int:
    """The schema version of a database that is ours, whole and as we left it (each part checked
    by its own rule); refuses anything else."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app_id == 0 and version == 0 and not has_tables(conn):
        return 0  # created, then stopped before the first commit
    if app_id != APPLICATION_ID:
        raise _foreign(path)
    if version > SCHEMA_VERSION:
        raise _newer(path, version)
    if own_shape(conn, parts) != expected_shape(version):
        raise StoreError(
            f"{path} is a safety-tui database whose tables were changed by another program (schema {version}). "
            "safety-tui will not write to it. Keep a copy, move it away, then start safety-tui again."
        )
    problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(3)").fetchall()]
    if problems != ["ok"]:
        raise damaged(path, "integrity check: " + "; ".join(problems))
    for part in parts:
        part.check(conn)  # e.g. written by a newer safety-tui: refused before anything writes
    return version


def _in_memory(
    source: sqlite3.Connection | None, version: int, path: Path, parts: Sequence[SchemaPart]
) -> sqlite3.Connection:
    """A private copy in memory, brought up to date, for reading what the file cannot give as it is."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        if source is not None:
            source.backup(conn)
            source.close()
        conn.execute("BEGIN")
        migrate(conn, version, parts)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path, "read") from None
    conn.row_factory = sqlite3.Row
    return conn


def _writer(path: Path, version: int, parts: Sequence[SchemaPart]) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            path.as_uri() + "?mode=rw", uri=True, timeout=10.0, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise translate(exc, path, "open") from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode = WAL")
        for pragma in WRITER_PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        if version < SCHEMA_VERSION or any(p.needs_migration(conn) for p in parts):
            _upgrade(conn, path, parts)
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path, "open") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _upgrade(conn: sqlite3.Connection, path: Path, parts: Sequence[SchemaPart]) -> None:
    """Migrate the store and its parts forward in one transaction (another process may have done it meanwhile)."""
    with write_transaction(conn):
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version == 0 and has_tables(conn):
            raise _foreign(path)
        for part in parts:
            part.check(conn)  # a newer part written meanwhile is refused, never changed
        migrate(conn, version, parts)


def _tighten_side_files(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = _side(path, suffix)
        try:
            mode = stat.S_IMODE(os.lstat(side).st_mode)
            if mode & 0o077:
                os.chmod(side, mode & 0o600)
        except OSError:
            pass
