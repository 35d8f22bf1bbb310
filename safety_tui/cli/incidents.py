"""Incident commands of the CLI: the log (list, verify), the routes, and every incident command's parser.

The commands on one incident are in :mod:`safety_tui.cli.incident_commands`. No Textual import:
quick for scripts.

Everything printed from the log goes through ``text.printable``. Nothing from an
incident is ever logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from safety_tui.cli.incident_access import reading_log, routes_in_force, say
from safety_tui.cli.incident_commands import (
    FIELD_OPTIONS,
    cmd_action,
    cmd_add,
    cmd_amend,
    cmd_delete,
    cmd_dismiss,
    cmd_evidence,
    cmd_export,
    cmd_show,
)
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from safety_tui.incidents import IncidentLog
    from safety_tui.store.repository import Store

CHANNELS = ("in-person", "phone", "letter", "email", "social-media", "at-home", "property-damage", "other")
CATEGORIES = (
    "threat",
    "threatening",
    "assault",
    "damage",
    "harassment",
    "hate",
    "malicious-communication",
    "abusive",
    "other",
)
ACTIONS = ("council", "police", "platform", "register", "warning", "blocked")


@reading_log
def cmd_incidents(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.incidents import wording
    from safety_tui.incidents.prompts import outstanding, pattern_line

    if args.action == "verify":
        result = log.verify(args.head, council=True)
        say(str(result), err=not result.ok)
        return EXIT_OK if result.ok else EXIT_ERROR
    if args.head:
        say("safety-tui: --head goes with 'incidents verify'", err=True)
        return EXIT_USAGE
    person = log.find_person(args.person) if args.person else None
    incidents = log.incidents(person=person)
    people = log.people()
    todo = outstanding(log.incidents(), routes_in_force())
    if args.json:
        data = {
            "incidents": [wording.as_json(i) for i in incidents],
            "people": [
                {
                    "person": s.person.label,
                    "incidents": s.count,
                    "pattern": s.pattern,
                    "last": s.last.isoformat() if s.last else None,
                }
                for s in people
            ],
            "todo": [{"incident": i.id, "prompt": p.key, "text": p.text, "section": p.section} for i, p in todo],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=True) + "\n")  # ASCII: every control is a JSON escape
        return EXIT_OK
    check = log.verify()
    if not check.ok:
        say(
            "safety-tui: warning: the incident log failed its hash-chain check; see 'safety-tui incidents verify'",
            err=True,
        )
    if not incidents:
        say("no incidents recorded" + (" with that person" if person else ""))
    for incident in incidents:
        say(
            f"{incident.id:>4}  {wording.short_when(incident.happened_at, incident.tz)}  "
            f"{incident.category.label:<38}  {incident.who}"
        )
    patterns = [s for s in people if s.pattern]
    for summary in patterns:
        say(f"pattern: {pattern_line(summary.person.label, summary.counting)}")
    for incident, prompt in todo:
        say(f"to do (incident {incident.id}): {prompt.line()}")
    return EXIT_OK


def cmd_routes(args: argparse.Namespace) -> int:
    from safety_tui.incidents.routes import check_files, json_schema_text, load_routes

    if args.schema:
        sys.stdout.write(json_schema_text())
        return EXIT_OK
    if args.check:
        lines, ok = check_files(args.check)
        for line in lines:
            say(line)
        return EXIT_OK if ok else EXIT_ERROR
    loaded = load_routes()
    for error in loaded.errors:
        say(str(error), err=True)
    for layer, path in loaded.sources:
        say(f"from {layer}: {path}")
    for line in loaded.routes.lines():
        say(line)
    return EXIT_ERROR if loaded.errors else EXIT_OK


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("incidents", help="list recorded incidents, the pattern per person and reports to make")
    p.add_argument("action", nargs="?", choices=["verify"], help="verify: check the log (exit 1 if tampered)")
    p.add_argument("--head", metavar="HASH", help="verify: a chain head written down earlier (from a pack)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--person", help="only incidents with this person")
    p.set_defaults(func=cmd_incidents)

    incident = sub.add_parser("incident", help="record, show, export or delete one incident")
    isub = incident.add_subparsers(dest="incident_command", metavar="ACTION", required=True)
    p = isub.add_parser("show", help="show an incident with its revisions, evidence and actions")
    p.add_argument("id", type=int)
    p.set_defaults(func=cmd_show)

    add = isub.add_parser("add", help="record an incident (for scripts; details can be added later)")
    add.add_argument("--what", required=True, help="what happened, in a few words")
    amend = isub.add_parser("amend", help="add a dated revision: only the fields you give change")
    amend.add_argument("id", type=int)
    amend.add_argument("--what", help="what happened")
    for p in (add, amend):
        p.add_argument("--person", action="append", metavar="NAME", help="who (repeat for several; amend: replaces)")
        p.add_argument(
            "--person-description", action="append", metavar="TEXT", help="who, when you do not know the name"
        )
        p.add_argument("--channel", choices=CHANNELS, default="other" if p is add else None)
        p.add_argument("--category", choices=CATEGORIES, default="other" if p is add else None)
        p.add_argument(
            "--when", metavar="TIME", help="when it happened: now (default), 14:30, 'yesterday 14:30', '2h ago'"
        )
        p.add_argument("--tz", help="time zone of --when (default: this machine's)")
        for flag, metavar, text in FIELD_OPTIONS:
            p.add_argument(flag, metavar=metavar, help=text)
        p.add_argument("--by", metavar="NAME", help="who records it (default: your name in settings)")
    add.add_argument(
        "--evidence", action="append", metavar="FILE", help="copy FILE into the private store (repeatable)"
    )
    add.set_defaults(func=cmd_add)
    amend.set_defaults(func=cmd_amend)

    p = isub.add_parser("action", help="record a dated action: reported to the council, police (--ref), ...")
    p.add_argument("id", type=int)
    p.add_argument("kind", choices=ACTIONS)
    p.add_argument("--on", metavar="YYYY-MM-DD", help="the date (default today)")
    p.add_argument("--ref", help="crime or platform reference")
    p.add_argument("--note")
    p.add_argument("--by", metavar="NAME")
    p.set_defaults(func=cmd_action)

    p = isub.add_parser("evidence", help="copy a file into the private store as evidence (the original is untouched)")
    p.add_argument("id", type=int)
    p.add_argument("file")
    p.add_argument("--by", metavar="NAME")
    p.set_defaults(func=cmd_evidence)

    p = isub.add_parser("dismiss", help="dismiss a to-do (e.g. council, police) for an incident")
    p.add_argument("id", type=int)
    p.add_argument("prompt")
    p.add_argument("--by", metavar="NAME")
    p.set_defaults(func=cmd_dismiss)

    p = isub.add_parser("delete", help="delete an incident and its evidence copies (asks first)")
    p.add_argument("id", type=int)
    p.add_argument("--yes", action="store_true", help="do not ask")
    p.add_argument("--by", metavar="NAME")
    p.set_defaults(func=cmd_delete)

    p = isub.add_parser(
        "export", help="the evidence pack for a person or one incident (PDF, Markdown, or a zip bundle)"
    )
    p.add_argument("subject", metavar="PERSON_OR_ID", help="a person's name (all their incidents) or an incident id")
    p.add_argument("-f", "--format", choices=["pdf", "markdown", "bundle"], default="markdown")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (readable by you only); PDF and bundle need it"
    )
    p.add_argument("--by", metavar="NAME", help="who prepared the pack (default: your name in settings)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("routes", help="the council's reporting routes (routes.yaml) in force; --check FILE validates")
    p.add_argument("--check", nargs="+", metavar="FILE", help="check routes files; exit 1 if any is invalid")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema of routes.yaml")
    p.set_defaults(func=cmd_routes)
