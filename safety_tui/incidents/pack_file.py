"""The app's evidence pack as a PDF file in the exports folder (readable by you only). Core: no Textual.

One incident, or every incident with the incident's first person.

Any failure (an incident gone, a folder that cannot be made, a file that cannot be written) is one
:class:`PackNotWritten` whose message is what the app shows.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from safety_tui.common import paths
from safety_tui.common.errors import SafetyError
from safety_tui.incidents.log import IncidentLog
from safety_tui.incidents.pack import PackInfo, pdf_pack


class PackNotWritten(SafetyError):
    """The evidence pack could not be written; the message says why."""


def write_pdf_pack(
    log: IncidentLog, incident_id: int, *, person: bool, prepared_by: str, tz: str, now: datetime, folder: Path
) -> Path:
    """Write the pack for incident ``incident_id`` (``person``: every incident with its first person) into
    ``folder``; the file's path is returned."""
    try:
        incident = log.get(incident_id)
        if person and incident.people:
            who = incident.people[0]
            incidents, subject, name = log.incidents(person=who), who.label, f"incidents-person-{who.id}.pdf"
        else:
            incidents, subject, name = [incident], f"incident {incident.id}", f"incident-{incident.id}.pdf"
        info = PackInfo(subject=subject, prepared_by=prepared_by, generated_at=now, tz=tz, verification=log.verify())
        folder.mkdir(parents=True, exist_ok=True)
        paths.write_private(folder / name, pdf_pack(incidents, info))
    except (SafetyError, OSError) as exc:
        raise PackNotWritten(f"Could not write the evidence pack: {exc}") from None
    return folder / name
