"""The plan store: one SQLite database, crash-safe and private. Core: no Textual import.

- ``schema``: the tables, forward migrations, and the check that a file is as we left it.
- ``opening``: the data folder and file safety; the store's own opener (the app and the CLI open it
  through :func:`safety_tui.wiring.open_store`, with the parts and the hook that come with it).
- ``rows``: the plan <-> row mapping, written once; :class:`PlanSummary`.
- ``repository``: :class:`Store`, every read and write, made of parts that share one
  ``database.Database`` (the connection, its transactions, the clock): ``records`` (plans),
  ``contacts`` (the contact book) and ``wiping`` (deleting for good).
- ``failures``: every ``sqlite3.Error`` becomes one clear :class:`~safety_tui.common.errors.StoreError`.
"""

from __future__ import annotations

from safety_tui.common.errors import PlanNotFound, StoreError
from safety_tui.store.database import DEFAULT_RETENTION_DAYS
from safety_tui.store.opening import DB_NAME, database_path
from safety_tui.store.repository import Store
from safety_tui.store.rows import PlanSummary
from safety_tui.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from safety_tui.store.wiping import NOT_WIPED, PurgeResult

__all__ = [
    "APPLICATION_ID",
    "DB_NAME",
    "DEFAULT_RETENTION_DAYS",
    "MIGRATIONS",
    "NOT_WIPED",
    "SCHEMA_VERSION",
    "PlanNotFound",
    "PlanSummary",
    "PurgeResult",
    "Store",
    "StoreError",
    "database_path",
]
