"""Where safety-tui keeps things. Core module: no Textual import.

Every location can be overridden by an environment variable, so tests and
officers can point the app somewhere else without touching user files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "safety-tui"

ENV_DATA_DIR = "SAFETY_TUI_DATA_DIR"
ENV_CONFIG_DIR = "SAFETY_TUI_CONFIG_DIR"
ENV_CHECKLISTS = "SAFETY_TUI_CHECKLISTS"
ENV_EXPORT_DIR = "SAFETY_TUI_EXPORT_DIR"
PACKAGE = Path(__file__).resolve().parent.parent  # the safety_tui folder


def data_dir() -> Path:
    """Directory holding the plan database (private: 0700)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get(ENV_CONFIG_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_checklists_dir() -> Path:
    """The councillor's own checklists: they override everything else by id."""
    return config_dir() / "checklists"


def organisation_checklists_dir(cli_value: str | os.PathLike[str] | None = None) -> Path | None:
    """The council's shared folder: ``--checklists DIR`` or ``SAFETY_TUI_CHECKLISTS``."""
    value = cli_value or os.environ.get(ENV_CHECKLISTS)
    return Path(value).expanduser() if value else None


def bundled_checklists_dir() -> Path:
    """The checklists shipped with safety-tui.

    In an installed wheel they live inside the package; in a source checkout
    (editable install) the top-level ``checklists/`` folder is used directly,
    so there is only one copy to edit.
    """
    packaged = PACKAGE / "bundled" / "checklists"
    if packaged.is_dir():
        return packaged
    return PACKAGE.parent / "checklists"


def schema_file() -> Path:
    packaged = PACKAGE / "bundled" / "schema" / "checklist.schema.json"
    if packaged.is_file():
        return packaged
    return PACKAGE.parent / "schema" / "checklist.schema.json"


def search_path(organisation: Path | None = None, include_user: bool = True) -> list[tuple[str, Path]]:
    """The checklist layers, earliest first: bundled, organisation, user.

    A checklist in a later layer replaces one with the same id in an earlier layer.
    """
    layers = [("bundled", bundled_checklists_dir())]
    org = organisation or organisation_checklists_dir()
    if org is not None:
        layers.append(("organisation", org))
    if include_user:
        layers.append(("user", user_checklists_dir()))
    return layers


def export_dir() -> Path:
    """Where the app writes the calendar files you ask for (your Downloads folder)."""
    override = os.environ.get(ENV_EXPORT_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_downloads_dir())


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each 0700 whatever the umask.

    Folders that already exist are left exactly as they are (never chmod a folder
    we did not create).
    """
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue  # made by someone else meanwhile: not ours to change
        os.chmod(path, 0o700, follow_symlinks=False)


def _why(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"{exc.strerror or 'permission denied'} (is it another user's file or folder?)"
    return exc.strerror or str(exc)


def write_private(path: Path, data: bytes, make_parents: bool = False) -> None:
    """Write ``data`` to ``path`` so only its owner can read it, atomically.

    A new 0600 file is created beside ``path`` (exclusive, never through a symlink),
    written, fsynced, then renamed over ``path`` and the folder fsynced. So an existing
    symlink or hard link at ``path`` is replaced, never written through, and an
    existing file's permissions are never kept. In a shared sticky folder (``/tmp``)
    a file planted by another user is refused, not replaced; a world-writable folder
    without the sticky bit (where anyone could swap the file later) is refused. Raises
    :class:`~safety_tui.common.errors.WriteError` with the file and the reason.
    """
    from safety_tui.common.errors import WriteError

    folder = path.parent
    try:
        if make_parents:
            make_private_dirs(folder)
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {_why(exc)}") from None
    try:
        folder_mode = os.fstat(dir_fd).st_mode
        if folder_mode & stat.S_IWOTH and not folder_mode & stat.S_ISVTX:
            raise WriteError(
                f"cannot write {path}: any user can change the folder {folder} (world-writable, not sticky), "
                "so another user could replace the file afterwards; choose a folder of your own"
            )
        _replace_in(dir_fd, path, data)
    except WriteError:
        raise
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {_why(exc)}") from None
    finally:
        os.close(dir_fd)


def _replace_in(dir_fd: int, path: Path, data: bytes) -> None:
    import secrets

    from safety_tui.common.errors import WriteError

    name = path.name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        temp = f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(temp, flags, 0o600, dir_fd=dir_fd)
            break
        except FileExistsError:
            continue
    else:
        raise WriteError(f"cannot write {path}: could not create a temporary file beside it")
    try:
        os.fchmod(fd, 0o600)  # 0600 whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        os.replace(temp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        placed = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        mine = os.fstat(fd)
        if (placed.st_dev, placed.st_ino) != (mine.st_dev, mine.st_ino):
            raise WriteError(f"cannot write {path}: another process replaced the file while it was written")
        os.fsync(dir_fd)
    except BaseException:
        try:
            os.unlink(temp, dir_fd=dir_fd)
        except OSError:
            pass
        raise
    finally:
        os.close(fd)
