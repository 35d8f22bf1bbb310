"""Is a council database configured? Light on purpose: no psycopg import, so the local
lifecycle pays nothing when a councillor has not opted in."""

from __future__ import annotations

import os

ENV_URL = "SAFETY_TUI_DATABASE_URL"
SETTING_URL = "council_url"
PASSWORD_ADVICE = (
    "Put the password in your password file (~/.pgpass, or PGPASSFILE, mode 0600) or a service "
    "file (PGSERVICEFILE), and give the URL without it."
)


def configured_url(setting: str = "") -> str:
    """The council database URL: the environment wins over the stored setting; '' means not opted in."""
    return os.environ.get(ENV_URL, "").strip() or setting.strip()


EXTRAS_HINT = "pip install 'safety-tui[{extra}]' (with pipx: pipx install 'safety-tui[{extra}]')"


def require(module: str, extra: str) -> None:
    """Import an optional dependency (``psycopg`` for ``council``, ``textual_serve`` for ``serve``), or raise
    the project's own error saying which extra to install."""
    import importlib

    from safety_tui.common.errors import CouncilError

    try:
        importlib.import_module(module)
    except ImportError:
        raise CouncilError(
            f"this needs the optional '{extra}' part of safety-tui, which is not installed: "
            + EXTRAS_HINT.format(extra=extra)
        ) from None
