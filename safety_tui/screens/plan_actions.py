"""Actions shared by screens that show one plan: copy, QR, calendar export, extend, check in."""

from __future__ import annotations

import os
from pathlib import Path

from safety_tui.export import buddy_message, ics_for_contact, ics_for_councillor, sms_payload


def export_dir() -> Path:
    override = os.environ.get("SAFETY_TUI_EXPORT_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_downloads_dir())


def write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


class PlanActions:
    """Mixin for a Screen with ``ref``, ``store``, ``plan()`` and ``guarded()``."""

    def action_copy_message(self) -> None:
        self.app.copy_to_clipboard(buddy_message(self.plan(), include_code_word=False))  # type: ignore[attr-defined]
        self.notify("Message copied (without the code word). Paste it into a text or e-mail.", timeout=4)  # type: ignore[attr-defined]

    def action_show_qr(self) -> None:
        from safety_tui.screens.qr import QrScreen

        self.app.push_screen(QrScreen(sms_payload(self.plan())))  # type: ignore[attr-defined]

    def action_export_ics(self) -> None:
        plan = self.plan()  # type: ignore[attr-defined]
        try:
            mine = ics_for_councillor(plan)
            theirs = ics_for_contact(plan)
            folder = export_dir()
            write_private(folder / f"safety-{plan.ref}.ics", mine)
            write_private(folder / f"safety-{plan.ref}-contact.ics", theirs)
        except (OSError, ValueError) as exc:
            self.notify(f"Could not export: {exc}", severity="error")  # type: ignore[attr-defined]
            return
        self.notify(f"Saved safety-{plan.ref}.ics (yours) and -contact.ics (to send) in {folder}", timeout=6)  # type: ignore[attr-defined]
