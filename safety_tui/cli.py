"""Command line entry point.

``safety-tui`` alone starts the Textual app. Every other command is
non-interactive and never imports Textual, so it stays fast enough for a shell
prompt or cron job.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from safety_tui import __version__

from safety_tui.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_OVERDUE, EXIT_STORE, EXIT_USAGE  # noqa: F401


def _catalog(args: argparse.Namespace):
    from safety_tui.loader import load_catalog, search_path

    org = Path(args.checklists) if getattr(args, "checklists", None) else None
    return load_catalog(search_path(org))


def cmd_validate(args: argparse.Namespace) -> int:
    from safety_tui.loader import load_paths

    if args.paths:
        loaded, errors = load_paths([Path(p) for p in args.paths])
        count = len(loaded)
    else:
        catalog = _catalog(args)
        errors, count = catalog.errors, len(catalog.checklists)
        from safety_tui.incidents.routes import load_routes  # issue 12: routes.yaml layers too

        errors = [*errors, *load_routes().errors]
    for error in errors:
        print(error)
    files = len({e.path for e in errors})
    if errors:
        print(f"{len(errors)} error(s) in {files} file(s); {count} checklist(s) valid", file=sys.stderr)
        return EXIT_ERROR
    print(f"all {count} checklist(s) valid", file=sys.stderr)
    return EXIT_OK


def cmd_checklists(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    rows = [("ID", "TITLE", "FOR", "ITEMS", "CRITICAL", "SOURCE")]
    for lc in catalog.sorted():
        c = lc.checklist
        kinds = ", ".join(v.value for v in c.visit_types)
        if c.mode is not None:
            kinds = f"travel: {c.mode.value}"
        rows.append((c.id, c.title, kinds, str(len(c.items())), str(c.critical_count), f"{lc.layer}: {lc.path}"))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) if i < 5 else cell for i, cell in enumerate(row)).rstrip())
    for override in catalog.overrides:
        print(f"override: {override.checklist_id}: {override.winner} replaces {override.loser}")
    if catalog.errors:
        print(f"\n{len(catalog.errors)} error(s) while loading; these files were skipped:", file=sys.stderr)
        for error in catalog.errors:
            print(error, file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from safety_tui.checklist import json_schema_text

    sys.stdout.write(json_schema_text())
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from safety_tui.app import create_app  # the only path that imports Textual

    app = create_app(organisation_dir=Path(args.checklists) if args.checklists else None)
    app.run()
    return app.return_code or 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safety-tui",
        description="Pre-visit safety planner. With no command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"safety-tui {__version__}")
    parser.add_argument(
        "--checklists",
        metavar="DIR",
        help="organisation checklist folder (default: $SAFETY_TUI_CHECKLISTS)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="start the app (the default)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("validate", help="check checklist files; exit 1 if any is invalid")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: the whole search path)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("checklists", help="list the loaded checklists and what overrides what")
    p.set_defaults(func=cmd_checklists)

    p = sub.add_parser("schema", help="print the JSON Schema of the checklist format")
    p.set_defaults(func=cmd_schema)

    from safety_tui import plan_cli

    plan_cli.add_commands(sub)
    from safety_tui import incident_cli  # issue 12: incidents, incident ..., routes

    incident_cli.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_run)
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # e.g. `safety-tui plans | head`: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
