"""The CLI's commands on one incident: show, add, amend, action, evidence, dismiss, delete, export.

No Textual import: quick for scripts. Everything printed from the log goes through
``text.printable`` (:func:`~safety_tui.cli.incident_access.say`); nothing from an incident is
ever logged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safety_tui.cli.incident_access import reading_log, recorder, routes_in_force, say, with_log
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_STORE, EXIT_USAGE

if TYPE_CHECKING:
    from safety_tui.incidents import IncidentLog
    from safety_tui.store.repository import Store

# The details an incident may have, as options of 'incident add' and 'incident amend'.
FIELD_OPTIONS = (
    ("--where", "PLACE", None),
    ("--exact-words", "TEXT", "the exact words used"),
    ("--witnesses", "TEXT", None),
    ("--effect", "TEXT", "how it affected you"),
    ("--platform", "NAME", "social media platform"),
    ("--link", "URL", "link to the post or message"),
    ("--description", "TEXT", "what identifies them"),
    ("--vehicle", "TEXT", None),
    ("--plate", "PLATE", None),
    ("--calling-number", "NUMBER", "the number that called (include unanswered calls)"),
    ("--plan", "PLAN", "the plan (visit) it happened on"),
)
FIELDS = tuple(flag[2:].replace("-", "_") for flag, _, _ in FIELD_OPTIONS)


@reading_log
def cmd_show(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.incidents.prompts import is_done, prompts_for
    from safety_tui.incidents.wording import record_lines

    incident = log.get(args.id)
    for line in record_lines(incident):
        say(line)
    if incident.deleted_at is None:
        for prompt in prompts_for(incident, log.incidents(), routes_in_force()):
            say(f"{'done' if is_done(incident, prompt) else 'next'}: {prompt.line()}")
    return EXIT_OK


@with_log
def cmd_add(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.common.errors import SafetyError, StoreError
    from safety_tui.incidents.prompts import prompts_for
    from safety_tui.incidents.wording import parse_happened
    from safety_tui.plans.timeparse import local_zone_name

    tz = args.tz or local_zone_name()
    happened = parse_happened(args.when or "now", store.clock.now(), tz)
    people: list[tuple[str, bool]] = [(p, False) for p in args.person or []]
    people += [(d, True) for d in args.person_description or []]
    fields = {k: getattr(args, k) for k in FIELDS if getattr(args, k)}
    signer = recorder(store, args.by)
    try:  # one transaction with its evidence: a refused file records nothing at all
        incident = log.record(
            what=args.what,
            recorder=signer,
            tz=tz,
            happened_at=happened,
            people=people,
            channel=args.channel,
            category=args.category,
            evidence=[Path(p) for p in args.evidence or []],
            **fields,
        )
    except SafetyError as exc:
        say(f"safety-tui: {exc}; nothing was recorded", err=True)
        return EXIT_STORE if isinstance(exc, StoreError) else EXIT_ERROR
    say(f"recorded incident {incident.id}")
    for prompt in prompts_for(incident, log.incidents(), routes_in_force()):
        say(f"next: {prompt.line()}")
    return EXIT_OK


@with_log
def cmd_amend(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.incidents.wording import parse_happened

    current = log.get(args.id)
    changes: dict[str, Any] = {
        k: getattr(args, k) for k in (*FIELDS, "what", "channel", "category") if getattr(args, k) is not None
    }
    if args.when:
        changes["happened_at"] = parse_happened(args.when, store.clock.now(), args.tz or current.tz)
    if args.tz:
        changes["tz"] = args.tz
    people = [(p, False) for p in args.person or []] + [(d, True) for d in args.person_description or []]
    before = len(current.revisions)
    incident = log.amend(args.id, recorder(store, args.by), people=people or None, **changes)
    say(
        f"incident {incident.id}: "
        + (incident.revisions[-1].summary if len(incident.revisions) > before else "nothing changed")
    )
    return EXIT_OK


@with_log
def cmd_action(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from datetime import date

    on = date.fromisoformat(args.on) if args.on else None
    incident = log.add_action(
        args.id, recorder(store, args.by), args.kind, on=on, reference=args.ref or "", note=args.note or ""
    )
    say(f"incident {incident.id}: {incident.actions[-1].label} on {incident.actions[-1].on:%d %b %Y}")
    return EXIT_OK


@with_log
def cmd_evidence(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    incident = log.add_evidence(args.id, recorder(store, args.by), Path(args.file))
    item = incident.evidence[-1]
    say(f"incident {incident.id}: kept {item.name} (SHA-256 {item.sha256})")
    return EXIT_OK


@with_log
def cmd_dismiss(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    log.dismiss(args.id, recorder(store, args.by), args.prompt)
    say(f"incident {args.id}: '{args.prompt}' dismissed")
    return EXIT_OK


@with_log
def cmd_delete(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    incident = log.get(args.id)
    if not args.yes:
        if not sys.stdin.isatty():
            say("safety-tui: add --yes to delete an incident without a prompt", err=True)
            return EXIT_USAGE
        answer = input(
            f"Delete incident {incident.id} and its evidence copies? It may be needed as evidence later. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            say("kept")
            return EXIT_OK
    log.delete(incident.id, recorder(store, args.by))
    say(f"incident {incident.id}: deleted")
    return EXIT_OK


@reading_log
def cmd_export(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.common import paths
    from safety_tui.incidents.bundle import bundle_zip
    from safety_tui.incidents.pack import PackInfo, markdown_pack, pdf_pack
    from safety_tui.plans.timeparse import local_zone_name

    target = args.subject.strip()
    if target.isdigit():
        incidents, subject = [log.get(int(target))], f"incident {int(target)}"
        if incidents[0].deleted_at is not None:
            say(f"safety-tui: incident {target} was deleted", err=True)
            return EXIT_ERROR
    else:
        person = log.find_person(target)
        incidents, subject = log.incidents(person=person), person.label
    info = PackInfo(
        subject=subject,
        prepared_by=recorder(store, args.by),
        generated_at=store.clock.now(),
        tz=local_zone_name(),
        verification=log.verify(council=True),
    )
    if args.format != "markdown" and not args.output:
        say(f"safety-tui: -f {args.format} needs -o FILE", err=True)
        return EXIT_USAGE
    if not args.output:
        sys.stdout.write(markdown_pack(incidents, info))
        return EXIT_OK
    data, left_out = (
        bundle_zip(incidents, info, log.data_dir, Path(args.output).name)
        if args.format == "bundle"
        else (pdf_pack(incidents, info) if args.format == "pdf" else markdown_pack(incidents, info).encode("utf-8"), [])
    )
    paths.write_private(Path(args.output), data)
    say(f"wrote {args.output} ({len(incidents)} incident(s); readable by you only)")
    for problem in left_out:
        say(f"safety-tui: warning: {problem}", err=True)
    if not info.verification.ok:
        say("safety-tui: warning: the incident log failed its hash-chain check; the pack says so", err=True)
    return EXIT_ERROR if left_out else EXIT_OK
