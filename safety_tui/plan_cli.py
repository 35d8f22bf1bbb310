"""Plan commands of the CLI (filled in by the visit-plan work). No Textual import."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001 - argparse API
    return None
