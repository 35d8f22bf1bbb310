"""The new-incident form's rules, in the core: the screen only collects text. No Textual.

The form saves a draft as you type (``IncidentLog.save_draft``); :func:`save_form`
turns the draft into a recorded incident, or into one amendment of an existing
incident with only the fields that changed; :func:`save_with_prompts` does that and reads what
to do next, in one go for the form's worker thread.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from safety_tui.common.errors import SafetyError
from safety_tui.incidents.evidence import MAX_EVIDENCE_BYTES
from safety_tui.incidents.log import IncidentLog
from safety_tui.incidents.model import TEXT_FIELDS, EvidenceError, Incident, IncidentError
from safety_tui.incidents.validate import evidence_name
from safety_tui.incidents.wording import parse_happened

if TYPE_CHECKING:
    from safety_tui.incidents.prompts import Prompt
    from safety_tui.incidents.routes import Routes

# Quick capture first (what, when, who), then the details.
QUICK_FIELDS = ("what", "when", "people")
# The details: how and what kind, then every text field the incident holds but "what" (asked first).
DETAIL_TEXT_FIELDS = tuple(name for name in TEXT_FIELDS if name != "what")
DETAIL_FIELDS = ("channel", "category", *DETAIL_TEXT_FIELDS)
FORM_FIELDS = QUICK_FIELDS + DETAIL_FIELDS
PEOPLE_SEPARATOR = ";"


class EvidenceKeptPartly(EvidenceError):
    """The incident was recorded, but an evidence file changed after it was checked and was not kept."""

    def __init__(self, incident: Incident, message: str) -> None:
        super().__init__(message)
        self.incident = incident


def check_evidence_file(source: Path) -> int:
    """Before anything is recorded: a readable regular file (never a FIFO or a device, which could
    hang or never end), small enough, with a name that can be kept. Returns its size in bytes."""
    try:
        info = os.stat(source)
    except OSError as exc:
        raise EvidenceError(f"{source}: {exc.strerror or 'cannot be read'}") from None
    if not stat.S_ISREG(info.st_mode):
        raise EvidenceError(f"{source} is not a regular file (a folder, FIFO or device cannot be evidence)")
    if info.st_size > MAX_EVIDENCE_BYTES:
        raise EvidenceError(f"{source} is {info.st_size:,} bytes; evidence files may be at most {MAX_EVIDENCE_BYTES:,}")
    if not os.access(source, os.R_OK):
        raise EvidenceError(f"{source} cannot be read (permission denied)")
    evidence_name(source)
    return info.st_size


def draft_key(incident_id: int | None) -> str:
    return "new" if incident_id is None else f"amend-{incident_id}"


def split_people(text: str) -> list[str]:
    """'John Smith; man in a red cap' -> two people (a name may contain a comma)."""
    return [part.strip() for part in text.split(PEOPLE_SEPARATOR) if part.strip()]


def form_values(incident: Incident) -> dict[str, str]:
    """An incident as the form shows it, for amending."""
    values = {name: str(getattr(incident, name)) for name in DETAIL_TEXT_FIELDS}
    values.update(
        what=incident.what,
        when=f"{incident.happened_local:%Y-%m-%d %H:%M}",
        people=f"{PEOPLE_SEPARATOR} ".join(p.label for p in incident.people),
        channel=incident.channel.value,
        category=incident.category.value,
    )
    return values


def save_form(
    log: IncidentLog,
    values: dict[str, Any],
    *,
    recorder: str,
    tz: str,
    now: datetime,
    incident_id: int | None = None,
    draft: str | None = None,
    evidence: Sequence[Path] = (),
) -> Incident:
    """Record (or amend) from the form's text, then keep the evidence files attached to the form;
    the draft is discarded once saved. Every file is checked before anything is recorded."""
    unknown = set(values) - set(FORM_FIELDS)
    if unknown:
        raise IncidentError(f"the form has no field {', '.join(sorted(unknown))}")
    for source in evidence:
        check_evidence_file(source)
    text = {name: str(values.get(name, "")) for name in FORM_FIELDS if name in values}
    happened = parse_happened(text.get("when", "now"), now, tz)
    people = split_people(text.get("people", ""))
    details = {k: v for k, v in text.items() if k in DETAIL_TEXT_FIELDS}
    if incident_id is None:
        incident = log.record(
            what=text.get("what", ""),
            recorder=recorder,
            tz=tz,
            happened_at=happened,
            people=people,
            channel=text.get("channel") or "other",
            category=text.get("category") or "other",
            evidence=list(evidence),  # one transaction: the incident with every file, or nothing
            **{k: v for k, v in details.items() if v.strip()},
        )
        log.discard_draft(draft or draft_key(None))
        return incident
    else:
        current = log.get(incident_id)
        changes: dict[str, Any] = dict(details)
        if "what" in text:
            changes["what"] = text["what"]
        if "when" in text and text["when"].strip() != form_values(current)["when"]:
            changes["happened_at"] = happened
        for name in ("channel", "category"):
            if text.get(name):
                changes[name] = text[name]
        incident = log.amend(incident_id, recorder, people=people if "people" in text else None, **changes)
    log.discard_draft(draft or draft_key(incident_id))
    if evidence:
        try:
            incident = log.add_evidence(incident.id, recorder, *evidence)  # all the files or none
        except EvidenceError as exc:  # changed since it was checked: the amendment stands, never saved twice
            raise EvidenceKeptPartly(
                incident, f"Incident {incident.id} was saved, but {exc}. Add the files again from its timeline (a)."
            ) from None
    return incident


@dataclass(frozen=True)
class SavedIncident:
    """What saving the form gives: the incident, what to do next, and what went wrong after it was
    recorded (an evidence file not kept, the rest of the log unreadable): each is said, none undoes it."""

    incident: Incident
    prompts: list[Prompt]
    problems: list[SafetyError] = field(default_factory=list)


def save_with_prompts(
    log: IncidentLog,
    values: dict[str, Any],
    *,
    recorder: str,
    tz: str,
    now: datetime,
    routes: Routes,
    incident_id: int | None = None,
    draft: str | None = None,
    evidence: Sequence[Path] = (),
) -> SavedIncident:
    """:func:`save_form` (a refusal records nothing and is raised), then the prompts for what was saved."""
    from safety_tui.incidents.prompts import prompts_for

    problems: list[SafetyError] = []
    try:
        incident = save_form(
            log, values, recorder=recorder, tz=tz, now=now, incident_id=incident_id, draft=draft, evidence=evidence
        )
    except EvidenceKeptPartly as partly:  # recorded, one file not kept
        problems.append(partly)
        incident = partly.incident
    prompts: list[Prompt] = []
    try:
        prompts = prompts_for(incident, log.incidents(), routes)
    except SafetyError as error:
        problems.append(error)
    return SavedIncident(incident, prompts, problems)
