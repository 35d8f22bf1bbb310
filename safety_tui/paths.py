"""Where safety-tui keeps things. Core module: no Textual import.

Every location can be overridden by an environment variable, so tests and
officers can point the app somewhere else without touching user files.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "safety-tui"

ENV_DATA_DIR = "SAFETY_TUI_DATA_DIR"
ENV_CONFIG_DIR = "SAFETY_TUI_CONFIG_DIR"
ENV_CHECKLISTS = "SAFETY_TUI_CHECKLISTS"
ENV_EXPORT_DIR = "SAFETY_TUI_EXPORT_DIR"


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
    packaged = Path(__file__).parent / "checklists"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "checklists"


def schema_file() -> Path:
    packaged = Path(__file__).parent / "checklist.schema.json"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "schema" / "checklist.schema.json"


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


def write_private(path: Path, data: bytes, make_parents: bool = False) -> None:
    """Write a file only its owner can read (0600 from the moment it exists)."""
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
