"""Actions shared by screens that show one plan: copy, QR, calendar export, extend, check in."""

from __future__ import annotations

from safety_tui.errors import PlanNotFound
from safety_tui.export import buddy_message, ics_for_contact, ics_for_councillor, sms_payload
from safety_tui.paths import export_dir, write_private


class PlanLookup:
    """``plan()`` for screens that show one plan, surviving its deletion elsewhere.

    If the plan was deleted (``safety-tui forget`` in another window), the screen says
    so once and goes back, instead of failing on the next key press.
    """

    def plan(self):
        from safety_tui.plan import Plan

        try:
            return self.app.store.get_plan(self.ref)  # type: ignore[attr-defined]
        except PlanNotFound:
            if not getattr(self, "_plan_gone", False):
                self._plan_gone = True
                self.app.notify(  # type: ignore[attr-defined]
                    f"Plan {self.ref} no longer exists (deleted in another window?).",  # type: ignore[attr-defined]
                    severity="warning",
                    timeout=6,
                )
                self.app.call_later(self._leave_deleted_plan)  # type: ignore[attr-defined]
            return Plan(ref=self.ref)  # type: ignore[attr-defined]

    def _leave_deleted_plan(self) -> None:
        if self.app.screen is self:  # type: ignore[attr-defined]
            self.app.pop_screen()  # type: ignore[attr-defined]


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
            write_private(folder / f"safety-{plan.ref}.ics", mine, make_parents=True)
            write_private(folder / f"safety-{plan.ref}-contact.ics", theirs, make_parents=True)
        except (OSError, ValueError) as exc:
            self.notify(f"Could not export: {exc}", severity="error")  # type: ignore[attr-defined]
            return
        self.notify(f"Saved safety-{plan.ref}.ics (yours) and -contact.ics (to send) in {folder}", timeout=6)  # type: ignore[attr-defined]
