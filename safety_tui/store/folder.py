"""The data folder: where it is (worked out once), created private, refused when shared.

- Folders it creates are 0700 whatever the umask (parents included).
- A folder it did not create is never chmod-ed, except to take group/other
  access away from the data folder itself.
- A data folder other users may write to (world-writable or sticky, like ``/tmp``)
  or that belongs to another user is refused with a clear message.
Core: no Textual.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from safety_tui.common import paths
from safety_tui.common.errors import StoreError

ENV = paths.ENV_DATA_DIR


def data_folder(directory: Path | None = None) -> Path:
    """The data folder as an absolute path, worked out once (a relative setting stays put)."""
    try:
        folder = directory if directory is not None else paths.data_dir()
        return Path(os.path.abspath(folder))
    except (OSError, RuntimeError, ValueError) as exc:
        raise StoreError(
            f"cannot work out the data folder ({exc}). Set {ENV} to the full path of a folder you own."
        ) from None


def _folder_error(folder: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"cannot use the data folder {folder}: {exc.strerror or exc}. "
        f"Check its permissions, or set {ENV} to a folder you own."
    )


def prepare_folder(folder: Path, create: bool) -> bool:
    """Check (and, when writing, create) the data folder. False: it does not exist (read-only)."""
    try:
        if create:
            paths.make_private_dirs(folder)
        info = os.stat(folder)
    except FileNotFoundError:
        if not create:
            return False
        raise StoreError(
            f"cannot use the data folder {folder}: it does not exist. Set {ENV} to a folder you own."
        ) from None
    except OSError as exc:
        raise _folder_error(folder, exc) from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreError(f"cannot use the data folder {folder}: it is not a folder. Move it away, or set {ENV}.")
    mode = stat.S_IMODE(info.st_mode)
    if mode & (stat.S_IWOTH | stat.S_ISVTX):
        raise StoreError(
            f"the data folder {folder} is shared: other users can write to it (like /tmp), so they could replace "
            f"or read your plans. Set {ENV} to a private folder, e.g. ~/.local/share/safety-tui."
        )
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise StoreError(
            f"the data folder {folder} belongs to another user. safety-tui keeps your plans only in a folder "
            f"you own: set {ENV} to one."
        )
    if mode & 0o077:  # take group and other access away; never add anything
        try:
            os.chmod(folder, mode & 0o700)
        except OSError as exc:
            raise _folder_error(folder, exc) from None
    if create and not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"the data folder {folder} is read-only. Make it writable, or set {ENV} to a folder you own.")
    return True
