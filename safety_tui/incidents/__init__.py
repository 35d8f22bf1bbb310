"""The councillor's incident log (issue 12). Core: no Textual import anywhere in this package.

- :mod:`.model`: what a record holds (channels, categories, actions, people).
- :mod:`.log`: :class:`IncidentLog`, append-only, in the plan store's SQLite file.
- :mod:`.chain`: the hash chain and ``verify``.
- :mod:`.prompts`: what to do next, in plain words, with the guidance section.
- :mod:`.routes`: the council's reporting routes (``routes.yaml``).
- :mod:`.pack`: the evidence pack (Markdown and PDF).
"""

from safety_tui.incidents.chain import Verification
from safety_tui.incidents.log import IncidentLog
from safety_tui.incidents.model import (
    Action, ActionKind, Category, Channel, Evidence, EvidenceError, Incident, IncidentError, IncidentNotFound,
    Person, PersonSummary, Revision,
)
from safety_tui.incidents.schema import migrate_incidents

__all__ = [
    "Action", "ActionKind", "Category", "Channel", "Evidence", "EvidenceError", "Incident", "IncidentError",
    "IncidentLog", "IncidentNotFound", "Person", "PersonSummary", "Revision", "Verification", "migrate_incidents",
]
