"""Incident commands of the CLI. No Textual import: quick for scripts.

Everything printed from the log goes through ``text.printable``. Nothing from an
incident is ever logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_STORE, EXIT_USAGE
from safety_tui.common.text import printable

if TYPE_CHECKING:
    from safety_tui.incidents import IncidentLog
    from safety_tui.store.repository import Store

    Command = Callable[[argparse.Namespace, IncidentLog, Store], int]

CHANNELS = ("in-person", "phone", "letter", "email", "social-media", "at-home", "property-damage", "other")
CATEGORIES = ("threat", "threatening", "assault", "damage", "harassment", "hate", "malicious-communication", "abusive", "other")
ACTIONS = ("council", "police", "platform", "register", "warning", "blocked")
FIELD_OPTIONS = (
    ("--where", "PLACE", None), ("--exact-words", "TEXT", "the exact words used"), ("--witnesses", "TEXT", None),
    ("--effect", "TEXT", "how it affected you"), ("--platform", "NAME", "social media platform"),
    ("--link", "URL", "link to the post or message"), ("--description", "TEXT", "what identifies them"),
    ("--vehicle", "TEXT", None), ("--plate", "PLATE", None),
    ("--calling-number", "NUMBER", "the number that called (include unanswered calls)"),
    ("--plan", "PLAN", "the plan (visit) it happened on"),
)
FIELDS = tuple(flag[2:].replace("-", "_") for flag, _, _ in FIELD_OPTIONS)


def say(text: str, *, err: bool = False) -> None:
    print(printable(text), file=sys.stderr if err else sys.stdout)


def _reading_log(func: Command) -> Callable[[argparse.Namespace], int]:
    return _with_log(func, read_only=True)  # only reads: works on a read-only copy, or a full disk


def _with_log(func: Command, read_only: bool = False) -> Callable[[argparse.Namespace], int]:
    @wraps(func)
    def wrapper(args: argparse.Namespace) -> int:
        from safety_tui.common.errors import SafetyError, StoreError, UsageError
        from safety_tui.incidents import IncidentLog
        from safety_tui.wiring import open_store

        try:
            store = open_store(read_only=read_only)
        except StoreError as exc:
            say(f"safety-tui: {exc}", err=True)
            return EXIT_STORE
        try:
            return func(args, IncidentLog.of(store), store)
        except SafetyError as exc:
            say(f"safety-tui: {exc}", err=True)
            return EXIT_STORE if isinstance(exc, StoreError) else EXIT_USAGE if isinstance(exc, UsageError) else EXIT_ERROR
        except OSError as exc:
            say(f"safety-tui: cannot write {exc.filename or 'the file'}: {exc.strerror or exc}", err=True)
            return EXIT_ERROR
        finally:
            store.close()

    return wrapper


def recorder(store: Store, given: str | None = None) -> str:
    """Who signs an entry: ``--by``, else your name in the settings, else your login name."""
    from safety_tui.incidents.validate import default_recorder

    return given or default_recorder(store)


def _routes() -> Any:
    from safety_tui.incidents.routes import load_routes

    loaded = load_routes()
    for error in loaded.errors:
        say(f"safety-tui: {error}", err=True)
    return loaded.routes


@_reading_log
def cmd_incidents(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.incidents import report
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
    todo = outstanding(log.incidents(), _routes())
    if args.json:
        data = {
            "incidents": [report.as_json(i) for i in incidents],
            "people": [{"person": s.person.label, "incidents": s.count, "pattern": s.pattern,
                        "last": s.last.isoformat() if s.last else None} for s in people],
            "todo": [{"incident": i.id, "prompt": p.key, "text": p.text, "section": p.section} for i, p in todo],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=True) + "\n")  # ASCII: every control is a JSON escape
        return EXIT_OK
    check = log.verify()
    if not check.ok:
        say("safety-tui: warning: the incident log failed its hash-chain check; see 'safety-tui incidents verify'", err=True)
    if not incidents:
        say("no incidents recorded" + (" with that person" if person else ""))
    for incident in incidents:
        say(f"{incident.id:>4}  {report.short_when(incident.happened_at, incident.tz)}  "
            f"{incident.category.label:<38}  {incident.who}")
    patterns = [s for s in people if s.pattern]
    for summary in patterns:
        say(f"pattern: {pattern_line(summary.person.label, summary.counting)}")
    for incident, prompt in todo:
        say(f"to do (incident {incident.id}): {prompt.line()}")
    return EXIT_OK


@_reading_log
def cmd_show(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.incidents.prompts import is_done, prompts_for
    from safety_tui.incidents.report import record_lines

    incident = log.get(args.id)
    for line in record_lines(incident):
        say(line)
    if incident.deleted_at is None:
        for prompt in prompts_for(incident, log.incidents(), _routes()):
            say(f"{'done' if is_done(incident, prompt) else 'next'}: {prompt.line()}")
    return EXIT_OK


@_with_log
def cmd_add(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.common.errors import SafetyError, StoreError
    from safety_tui.incidents.prompts import prompts_for
    from safety_tui.incidents.report import parse_happened
    from safety_tui.plans.timeparse import local_zone_name

    tz = args.tz or local_zone_name()
    happened = parse_happened(args.when or "now", store.clock.now(), tz)
    people: list[tuple[str, bool]] = [(p, False) for p in args.person or []]
    people += [(d, True) for d in args.person_description or []]
    fields = {k: getattr(args, k) for k in FIELDS if getattr(args, k)}
    signer = recorder(store, args.by)
    try:  # one transaction with its evidence: a refused file records nothing at all
        incident = log.record(what=args.what, recorder=signer, tz=tz, happened_at=happened, people=people,
                              channel=args.channel, category=args.category,
                              evidence=[Path(p) for p in args.evidence or []], **fields)
    except SafetyError as exc:
        say(f"safety-tui: {exc}; nothing was recorded", err=True)
        return EXIT_STORE if isinstance(exc, StoreError) else EXIT_ERROR
    say(f"recorded incident {incident.id}")
    for prompt in prompts_for(incident, log.incidents(), _routes()):
        say(f"next: {prompt.line()}")
    return EXIT_OK


@_with_log
def cmd_amend(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from safety_tui.incidents.report import parse_happened

    current = log.get(args.id)
    changes: dict[str, Any] = {k: getattr(args, k) for k in (*FIELDS, "what", "channel", "category") if getattr(args, k) is not None}
    if args.when:
        changes["happened_at"] = parse_happened(args.when, store.clock.now(), args.tz or current.tz)
    if args.tz:
        changes["tz"] = args.tz
    people = [(p, False) for p in args.person or []] + [(d, True) for d in args.person_description or []]
    before = len(current.revisions)
    incident = log.amend(args.id, recorder(store, args.by), people=people or None, **changes)
    say(f"incident {incident.id}: " + (incident.revisions[-1].summary if len(incident.revisions) > before else "nothing changed"))
    return EXIT_OK


@_with_log
def cmd_action(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    from datetime import date

    on = date.fromisoformat(args.on) if args.on else None
    incident = log.add_action(args.id, recorder(store, args.by), args.kind, on=on, reference=args.ref or "", note=args.note or "")
    say(f"incident {incident.id}: {incident.actions[-1].label} on {incident.actions[-1].on:%d %b %Y}")
    return EXIT_OK


@_with_log
def cmd_evidence(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    incident = log.add_evidence(args.id, recorder(store, args.by), Path(args.file))
    item = incident.evidence[-1]
    say(f"incident {incident.id}: kept {item.name} (SHA-256 {item.sha256})")
    return EXIT_OK


@_with_log
def cmd_dismiss(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    log.dismiss(args.id, recorder(store, args.by), args.prompt)
    say(f"incident {args.id}: '{args.prompt}' dismissed")
    return EXIT_OK


@_with_log
def cmd_delete(args: argparse.Namespace, log: IncidentLog, store: Store) -> int:
    incident = log.get(args.id)
    if not args.yes:
        if not sys.stdin.isatty():
            say("safety-tui: add --yes to delete an incident without a prompt", err=True)
            return EXIT_USAGE
        answer = input(f"Delete incident {incident.id} and its evidence copies? It may be needed as evidence later. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            say("kept")
            return EXIT_OK
    log.delete(incident.id, recorder(store, args.by))
    say(f"incident {incident.id}: deleted")
    return EXIT_OK


@_reading_log
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
    info = PackInfo(subject=subject, prepared_by=recorder(store, args.by), generated_at=store.clock.now(),
                    tz=local_zone_name(), verification=log.verify(council=True))
    if args.format != "markdown" and not args.output:
        say(f"safety-tui: -f {args.format} needs -o FILE", err=True)
        return EXIT_USAGE
    if not args.output:
        sys.stdout.write(markdown_pack(incidents, info))
        return EXIT_OK
    data, left_out = bundle_zip(incidents, info, log.data_dir, Path(args.output).name) if args.format == "bundle" else (
        pdf_pack(incidents, info) if args.format == "pdf" else markdown_pack(incidents, info).encode("utf-8"), [])
    paths.write_private(Path(args.output), data)
    say(f"wrote {args.output} ({len(incidents)} incident(s); readable by you only)")
    for problem in left_out:
        say(f"safety-tui: warning: {problem}", err=True)
    if not info.verification.ok:
        say("safety-tui: warning: the incident log failed its hash-chain check; the pack says so", err=True)
    return EXIT_ERROR if left_out else EXIT_OK


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
        p.add_argument("--person-description", action="append", metavar="TEXT", help="who, when you do not know the name")
        p.add_argument("--channel", choices=CHANNELS, default="other" if p is add else None)
        p.add_argument("--category", choices=CATEGORIES, default="other" if p is add else None)
        p.add_argument("--when", metavar="TIME", help="when it happened: now (default), 14:30, 'yesterday 14:30', '2h ago'")
        p.add_argument("--tz", help="time zone of --when (default: this machine's)")
        for flag, metavar, text in FIELD_OPTIONS:
            p.add_argument(flag, metavar=metavar, help=text)
        p.add_argument("--by", metavar="NAME", help="who records it (default: your name in settings)")
    add.add_argument("--evidence", action="append", metavar="FILE", help="copy FILE into the private store (repeatable)")
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

    p = isub.add_parser("export", help="the evidence pack for a person or one incident (PDF, Markdown, or a zip bundle)")
    p.add_argument("subject", metavar="PERSON_OR_ID", help="a person's name (all their incidents) or an incident id")
    p.add_argument("-f", "--format", choices=["pdf", "markdown", "bundle"], default="markdown")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (readable by you only); PDF and bundle need it")
    p.add_argument("--by", metavar="NAME", help="who prepared the pack (default: your name in settings)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("routes", help="the council's reporting routes (routes.yaml) in force; --check FILE validates")
    p.add_argument("--check", nargs="+", metavar="FILE", help="check routes files; exit 1 if any is invalid")
    p.add_argument("--schema", action="store_true", help="print the JSON Schema of routes.yaml")
    p.set_defaults(func=cmd_routes)
