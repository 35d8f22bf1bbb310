"""Is a council database configured? Light on purpose: no psycopg import, so the local
lifecycle pays nothing when a councillor has not opted in."""

from __future__ import annotations

import os

ENV_URL = "SAFETY_TUI_DATABASE_URL"
SETTING_URL = "council_url"


def configured_url(setting: str = "") -> str:
    """The council database URL: the environment wins over the stored setting; '' means not opted in."""
    return os.environ.get(ENV_URL, "").strip() or setting.strip()
