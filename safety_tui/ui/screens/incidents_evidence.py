"""Evidence in the app: the file picker for the forms and the timeline, the list with original
names and sizes, where the kept copies are, and opening their folder.

The rules (what a file must be, how it is kept) are the core's
(:mod:`safety_tui.incidents.form`, :meth:`IncidentLog.add_evidence`); a refusal is shown
by the app's one error boundary (``app.show_error``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from safety_tui.incidents.evidence import EVIDENCE_DIR
from safety_tui.incidents.model import Incident

if TYPE_CHECKING:
    from safety_tui.ui.app_base import SafetyAppBase

OPENER = "xdg-open"
NO_EVIDENCE = "No evidence files yet."


def human_size(size: int) -> str:
    """1 234 567 -> '1.2 MB' (decimal units, as file managers show them)."""
    if size < 1000:
        return "1 byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in ("kB", "MB"):
        value /= 1000
        if value < 1000:
            return f"{value:.1f} {unit}"
    return f"{value / 1000:.1f} GB"


def evidence_folder_of(data_dir: Path) -> Path:
    return data_dir / EVIDENCE_DIR


def evidence_lines(incident: Incident | None, pending: list[tuple[Path, int]], data_dir: Path) -> list[str]:
    """The evidence of an incident (kept) and of the form (to attach on save), with names and sizes."""
    lines: list[str] = []
    kept = incident.evidence if incident is not None else []
    for item in kept:
        lines.append(f"• {item.name} ({human_size(item.size)}), kept as {item.stored}")
    for path, size in pending:
        lines.append(f"• {path.name} ({human_size(size)}), from {path.parent}: copied when you save")
    if kept:
        lines.append(
            f"Kept copies are in {evidence_folder_of(data_dir)} (readable by you only), named by their SHA-256."
        )
    if not lines:
        lines.append(NO_EVIDENCE)
    return lines


def can_open_folders(environ: dict[str, str] | None = None) -> bool:
    """Only with a desktop session: in a bare terminal (or over SSH) xdg-open could take over the terminal."""
    env = os.environ if environ is None else environ
    return bool(shutil.which(OPENER) and (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")))


def open_folder(folder: Path, notify: Callable[..., Any]) -> None:
    """Open ``folder`` in the desktop's file manager when there is one; always say where it is."""
    if not can_open_folders():
        notify(f"The evidence files are in {folder}", timeout=12)
        return
    opener = shutil.which(OPENER)
    assert opener is not None
    try:
        subprocess.Popen(  # noqa: S603 - a fixed program and a path we made, no shell
            [opener, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        notify(
            f"Could not open the folder ({exc.strerror or exc}); the evidence files are in {folder}",
            severity="warning",
            timeout=12,
        )
        return
    notify(f"Opening {folder}", timeout=6)


def pick_file(app: SafetyAppBase, title: str, chosen: Callable[[Path], None]) -> None:
    """Show the file picker; ``chosen`` gets the path (the caller has the core check it)."""
    from safety_tui.ui.dialogs.file_picker import FilePicker

    def done(path: Path | None) -> None:
        if path is not None:
            chosen(path)

    app.push_screen(FilePicker(title), done)
