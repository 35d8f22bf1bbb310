"""What the incident screens share: the log and the routes through the app's typed services.

Every incident screen is an :class:`IncidentScreen`, a
:class:`~safety_tui.ui.screens.base.SafetyScreen`: ``self.app`` is the typed
:class:`~safety_tui.ui.app_base.SafetyAppBase`, and a handler that may meet a refusal of the core is
decorated with :func:`~safety_tui.ui.screens.base.reports_errors` (or runs inside
``app.reporting_errors()``), so the app shows the core's message, the same way everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safety_tui.incidents.log import IncidentLog
from safety_tui.incidents.validate import default_recorder
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.base import SafetyScreen

if TYPE_CHECKING:
    from safety_tui.incidents.routes import Routes


def incident_log(app: SafetyAppBase) -> IncidentLog:
    """The incident log in the app's store (StoreError, for the boundary, when the store is not open)."""
    return IncidentLog.of(app.store)


def routes_in_force(app: SafetyAppBase) -> Routes:
    """The council's reporting routes; a broken routes.yaml is a warning, and the bundled routes apply."""
    from safety_tui.incidents.routes import load_routes

    loaded = load_routes()
    if loaded.errors:
        app.notify(f"routes.yaml: {loaded.errors[0]}", severity="warning", timeout=6)
    return loaded.routes


class IncidentScreen(SafetyScreen):
    """A full screen about incidents: the log, who signs an entry, the routes."""

    @property
    def records(self) -> IncidentLog:
        """The incident log in the app's store."""
        return incident_log(self.app)

    def recorder(self) -> str:
        """Who signs an entry: your name in the settings, else your login name."""
        return default_recorder(self.app.store)
