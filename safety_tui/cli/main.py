"""Command line entry point.

``safety-tui`` alone starts the Textual app. Every other command is
non-interactive and never imports Textual, so it stays fast enough for a shell
prompt or cron job.

The shape, one way only: this module builds the parser from the command modules
in :data:`COMMAND_MODULES` (each has ``add_commands(sub)``); they import
:mod:`safety_tui.cli.support` (the one error boundary, the store) and
:mod:`safety_tui.cli.console` (the one way to the terminal), never this module.
Everything a command prints, and argparse's own messages, go through
:func:`safety_tui.common.text.printable`.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from safety_tui import __version__
from safety_tui.cli.console import safe_output
from safety_tui.cli.support import report, run_command
from safety_tui.common.errors import SafetyError
from safety_tui.common.exitcodes import EXIT_ERROR, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from safety_tui.checklists.loader.catalog import Catalog

# The modules whose commands the CLI offers, in help order. Each has add_commands(sub).
COMMAND_MODULES = (
    "safety_tui.cli.plans",
    "safety_tui.cli.exports",
    "safety_tui.cli.settings",
    "safety_tui.cli.incidents",
    "safety_tui.cli.desk",
    "safety_tui.cli.council",
)


def _catalog(args: argparse.Namespace) -> "Catalog":
    from safety_tui.checklists.loader.catalog import load_catalog, search_path

    org = Path(args.checklists) if getattr(args, "checklists", None) else None
    return load_catalog(search_path(org))


def cmd_validate(args: argparse.Namespace) -> int:
    from safety_tui.checklists.loader.catalog import load_catalog, load_paths, replacing
    from safety_tui.common.paths import bundled_checklists_dir

    if args.paths:
        loaded, errors = load_paths([Path(p) for p in args.paths])
        count = len(loaded)
        # Files given by name are checked as the council's layer over the bundled checklists.
        bundled = load_catalog([("bundled", bundled_checklists_dir())]).checklists
        overrides = [replacing(lc, bundled[lc.checklist.id]) for lc in loaded if lc.checklist.id in bundled]
        warnings = sorted(w for w in (o.warning() for o in overrides) if w is not None)
    else:
        catalog = _catalog(args)
        errors, count, warnings = catalog.errors, len(catalog.checklists), catalog.warnings
        from safety_tui.incidents.routes import load_routes  # the routes.yaml layers too

        errors = [*errors, *load_routes().errors]
    for problem in sorted([*errors, *warnings]):
        print(problem)
    files = len({e.path for e in errors})
    noted = f"; {len(warnings)} warning(s)" if warnings else ""
    if errors:
        print(f"{len(errors)} error(s) in {files} file(s); {count} checklist(s) valid{noted}", file=sys.stderr)
        return EXIT_ERROR
    print(f"all {count} checklist(s) valid{noted}")
    return EXIT_OK


def cmd_checklists(args: argparse.Namespace) -> int:
    if args.visit is not None or args.travel or args.json:
        return cmd_visit(args)
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


def cmd_visit(args: argparse.Namespace) -> int:
    """`checklists --visit TYPE [--travel MODE] [--json]`: what the app composes for that visit."""
    from safety_tui.checklists.compose import compose, travel_modes_of, visit_type_of
    from safety_tui.checklists.visit_outline import visit_json_text, visit_text
    from safety_tui.common.errors import ChecklistError

    if args.visit is None:
        print("safety-tui checklists: --travel and --json need --visit TYPE", file=sys.stderr)
        return EXIT_USAGE
    try:
        visit = visit_type_of(args.visit)
        modes = travel_modes_of(m for value in args.travel for m in value.split(",") if m)
    except ChecklistError as exc:
        print(f"safety-tui checklists: {exc}", file=sys.stderr)
        return EXIT_USAGE
    catalog = _catalog(args)
    composition = compose(catalog, visit, modes)
    versions = catalog.version_notes()  # every replacement: one may have taken another visit's id
    sys.stdout.write((visit_json_text if args.json else visit_text)(composition, visit, modes, versions))
    for error in catalog.errors:
        print(error, file=sys.stderr)
    return EXIT_ERROR if catalog.errors else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    if args.path:  # where the installed package keeps it: for the editor modeline
        from safety_tui.common.paths import schema_file

        print(schema_file().resolve())
        return EXIT_OK
    from safety_tui.checklists.model import json_schema_text

    sys.stdout.write(json_schema_text())
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    # Start-up makes many objects that live as long as the app and few that die in cycles: the
    # garbage collector stays off until the checklists have loaded (the app freezes what is loaded
    # by then and turns it on again), rather than walking them all a hundred times before Today shows.
    gc.disable()
    try:
        from safety_tui.ui.app import create_app  # the only path that imports Textual

        app = create_app(organisation_dir=Path(args.checklists) if args.checklists else None)
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0


# The commands this module defines: asked for one of these, the parser needs no other command module.
OWN_COMMANDS = frozenset({"run", "validate", "checklists", "schema"})


def command_asked(arguments: Sequence[str]) -> str | None:
    """The command word in ``arguments`` (after the global ``--checklists DIR``), or None."""
    rest = list(arguments)
    while rest:
        word = rest.pop(0)
        if word == "--checklists":
            rest = rest[1:]
        elif not word.startswith("--checklists="):
            return word
    return None


def build_parser(own_commands_only: bool = False) -> argparse.ArgumentParser:
    """The whole parser; with ``own_commands_only``, without the command modules (a command of this
    module was asked for: ``validate`` need not import every other command first)."""
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
    p.add_argument("--visit", metavar="TYPE", help="show what a plan of this kind gets: before, during and after")
    p.add_argument(
        "--travel",
        metavar="MODE",
        action="append",
        default=[],
        help="with --visit: how you travel (repeat, or car,taxi)",
    )
    p.add_argument(
        "--json", action="store_true", help="with --visit: as a JSON object with lists before, during, after"
    )
    p.set_defaults(func=cmd_checklists)

    p = sub.add_parser("schema", help="print the JSON Schema of the checklist format")
    p.add_argument("--path", action="store_true", help="print where the installed schema file is instead")
    p.set_defaults(func=cmd_schema)

    for name in () if own_commands_only else COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    return parser


def _exit_status(exc: SystemExit) -> int:
    if exc.code is None:
        return EXIT_OK
    return exc.code if isinstance(exc.code, int) else EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (:mod:`safety_tui.common.exitcodes`)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if not arguments:  # the app, as most start it: no parser of every command to build first
        return run_app(argparse.Namespace(checklists=None))
    with safe_output():
        try:
            args = build_parser(command_asked(arguments) in OWN_COMMANDS).parse_args(arguments)
        except SystemExit as exc:  # --help, --version, or a usage error argparse has printed
            return _exit_status(exc)
        func = getattr(args, "func", cmd_run)
        if func is not cmd_run:
            return run_command(func, args)
    return run_app(args)


def run_app(args: argparse.Namespace) -> int:
    try:
        return cmd_run(args)  # the app owns the terminal: not wrapped
    except SafetyError as exc:
        with safe_output():
            return report(exc)
