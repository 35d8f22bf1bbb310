"""The councillor's incident log. Core: no Textual import anywhere in this package.

- :mod:`.model`: what a record holds (channels, categories, actions, people).
- :mod:`.log`: :class:`IncidentLog`, append-only, in the plan store's SQLite file.
- :mod:`.chain`: the hash chain and ``verify``.
- :mod:`.prompts`: what to do next, in plain words, with the guidance section.
- :mod:`.routes`: the council's reporting routes (``routes.yaml``).
- :mod:`.pack`: the evidence pack (Markdown and PDF).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safety_tui.incidents.chain import Verification
    from safety_tui.incidents.log import IncidentLog
    from safety_tui.incidents.model import (
        Action,
        ActionKind,
        Category,
        Channel,
        Evidence,
        EvidenceError,
        Incident,
        IncidentError,
        IncidentNotFound,
        Person,
        PersonSummary,
        Revision,
    )
    from safety_tui.incidents.schema import migrate_incidents

# Imported on first use: the store imports ``incidents.schema`` on every open (``safety-tui status``
# included), and that must not pull in pydantic through this package's models.
_WHERE = {
    "Verification": "chain",
    "IncidentLog": "log",
    "migrate_incidents": "schema",
    **dict.fromkeys(
        (
            "Action",
            "ActionKind",
            "Category",
            "Channel",
            "Evidence",
            "EvidenceError",
            "Incident",
            "IncidentError",
            "IncidentNotFound",
            "Person",
            "PersonSummary",
            "Revision",
        ),
        "model",
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"safety_tui.incidents.{_WHERE[name]}"), name)


__all__ = [
    "Action",
    "ActionKind",
    "Category",
    "Channel",
    "Evidence",
    "EvidenceError",
    "Incident",
    "IncidentError",
    "IncidentLog",
    "IncidentNotFound",
    "Person",
    "PersonSummary",
    "Revision",
    "Verification",
    "migrate_incidents",
]
