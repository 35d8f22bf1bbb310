"""Is the incident log still what was recorded? The one check the CLI, the packs and the screens use.

Core: no Textual. :func:`verify_log` checks, in order:

1. the hash chain, that recorded times never go backwards, that every person is
   named as the chained entries name them, and that no incident lost its entries
   (:func:`safety_tui.incidents.chain.verify_chain`);
2. with ``head`` (from a pack, or written down): that the log still holds it, and
   which entries came after it;
3. with ``council=True`` and a council database configured: the anchors the
   server recorded; a log that passes everything is then anchored there if the
   server has not seen its newest entries (the "next successful contact");
4. every kept evidence file against its recorded SHA-256.

The app calls :func:`log_status` for its one-line warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safety_tui.common.errors import CouncilError, UsageError
from safety_tui.incidents.chain import GENESIS, Anchor, Verification, is_head, verify_chain
from safety_tui.incidents.evidence import evidence_problem

if TYPE_CHECKING:
    from safety_tui.incidents.log import IncidentLog

TAMPERED = "The incident log FAILED its integrity check"


def _anchors(url: str) -> tuple[list[Anchor] | None, str]:
    from safety_tui.council.anchor import anchors

    try:
        return anchors(url), ""
    except CouncilError as exc:
        return None, f"not compared with the council server's anchors: {exc}"


def verify_log(log: IncidentLog, head: str | None = None, *, council: bool = False, files: bool = True) -> Verification:
    """Everything :mod:`this module <safety_tui.incidents.integrity>` lists; never writes to the local store."""
    if head is not None and not is_head(head.strip()):
        raise UsageError("a chain head is the 64 hexadecimal digits printed in a pack or by 'incidents verify'")
    if not log.ready:  # nothing was ever recorded in this store
        problems = [f"the chain head you gave ({head.strip()}) is not in the log: it is empty"] if head else []
        return Verification(ok=not problems, entries=0, head=GENESIS, problems=problems)
    anchors, unreachable = (None, "")
    if council and log.anchor_url:
        anchors, unreachable = _anchors(log.anchor_url)
    chain = verify_chain(log.conn, head=head.strip() if head else None, anchors=anchors)
    notes = list(chain.notes) + ([unreachable] if unreachable else [])
    problems = chain.problems[:-1]  # without its closing count: counted again below, with the evidence
    if not problems and files:  # the evidence is read only from a chain that checks (its names come from it)
        problems = [
            f"evidence {item.name} of incident {incident.id}: {problem}"
            for incident in log.incidents()
            for item in incident.evidence
            if (problem := evidence_problem(log.data_dir, item.stored, item.sha256))
        ]
    if problems:
        problems.append(f"the incident log FAILED verification: {len(problems)} problem(s) in {chain.entries} entries")
    elif anchors is not None and chain.entries and max((a.count for a in anchors), default=0) < chain.entries:
        from safety_tui.council.anchor import anchor_now

        problem = anchor_now(log.anchor_url, chain.entries, chain.head, log.clock.now())
        notes.append(problem or f"anchored on the council server now: {chain.entries} entries")
    return Verification(ok=not problems, entries=chain.entries, head=chain.head, problems=problems, notes=notes)


def log_status(log: IncidentLog, *, council: bool = False, files: bool = True) -> tuple[Verification, str]:
    """The verification, and one line for the log's screens: '' when the log checks, else the warning.

    ``files=False`` skips re-hashing the evidence copies (the Incidents screen, in its worker);
    ``council=True`` waits for the network: call it from a worker too.
    """
    result = verify_log(log, council=council, files=files)
    if result.ok:
        return result, ""
    first = result.problems[0] if result.problems else ""
    return result, f"{TAMPERED}: {first} (safety-tui incidents verify lists every problem)"
