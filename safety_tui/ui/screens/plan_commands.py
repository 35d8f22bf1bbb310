"""What can be done to one plan from anywhere in the app: start, check in, extend, share.

Each command reports its errors through the app's one boundary and announces a change with
``app.plans_changed`` (a :class:`~safety_tui.ui.screens.base.PlansChanged` to every screen).
"""

from __future__ import annotations

from typing import Callable

from safety_tui.common.errors import PlanError, SafetyError
from safety_tui.common.paths import export_dir, write_private
from safety_tui.common.timefmt import format_duration, format_when
from safety_tui.plans.export import contact_message, ics_for_contact, ics_for_councillor, sms_payload
from safety_tui.plans.lifecycle import Status
from safety_tui.plans.qr import qr_text
from safety_tui.plans.settings import owner_phone, title_in_message
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.dialogs.confirm import ConfirmDialog
from safety_tui.ui.dialogs.extend import ExtendDialog
from safety_tui.ui.dialogs.qr import QrDialog

COPY_HINT = (
    "Message copied ({code}) through the terminal (OSC 52). "
    "If nothing pastes, your terminal does not support it: press q for the QR code, "
    "or i for calendar files, or read the message on the review screen."
)


def start(app: SafetyAppBase, ref: str, on_started: Callable[[], None] | None = None) -> None:
    """Start a plan if the rule allows it, asking the rule's questions first."""
    with app.reporting_errors():
        check = app.store.get_plan(ref).start_check(app.clock.now())
        if check.refusal:
            raise PlanError(check.refusal)

        def confirmed(answer: bool | None) -> None:
            if answer:
                _start_now(app, ref, on_started)

        if check.questions:
            app.push_screen(ConfirmDialog("Before you start", check.questions, yes="start now"), confirmed)
        else:
            _start_now(app, ref, on_started)


def _start_now(app: SafetyAppBase, ref: str, on_started: Callable[[], None] | None) -> None:
    with app.reporting_errors():
        app.store.start(ref)
        app.notify(f"Started {ref}. Press c on Today when you are safe.", timeout=5)
        app.plans_changed(ref)
        if on_started is not None:
            on_started()


def choose_in_progress(
    app: SafetyAppBase, verb: str, act: Callable[[SafetyAppBase, str], None], first: str | None = None
) -> None:
    """Act on the plan in progress; with more than one, ask which (``first``, the highlighted row,
    leads; then due first). Nothing is ever checked in or extended on a guess."""
    from safety_tui.common.timefmt import format_when
    from safety_tui.plans.inprogress import in_progress
    from safety_tui.ui.dialogs.choose import ChooseDialog

    with app.reporting_errors():
        active = in_progress(app.store.list_plans(statuses=[Status.IN_PROGRESS]), first)
        if not active:
            app.notify("No plan is in progress.", severity="warning", timeout=3)
            return
        if len(active) == 1:
            act(app, active[0].ref)
            return
        now = app.clock.now()
        entries = [
            (
                p.ref,
                f"{p.ref}  {p.title or '(untitled)'}  finish {format_when(p.finish, p.tz, same_day_as=now)}"
                + ("  OVERDUE" if p.is_overdue(now) else ""),
            )
            for p in active
        ]

        def chosen(ref: str | None) -> None:
            if ref:
                act(app, ref)

        app.push_screen(ChooseDialog(f"{len(active)} plans are in progress. Which one do you {verb}?", entries), chosen)


def check_in(app: SafetyAppBase, ref: str) -> None:
    """Check in safe, then the quick debrief (every question skipped by Enter)."""
    with app.reporting_errors():
        plan = app.store.check_in(ref)
        app.notify(f"Checked in safe ({ref}). Let the people you told know.", title="Safe", timeout=6)
        app.plans_changed(ref)
        from safety_tui.incidents.debrief import questions
        from safety_tui.ui.dialogs.debrief import DebriefDialog

        app.push_screen(
            DebriefDialog(f"You are safe. A quick debrief of {plan.ref}", questions(plan)),
            lambda answers: _debriefed(app, ref, answers or {}),
        )


def _debriefed(app: SafetyAppBase, ref: str, answers: dict[str, str]) -> None:
    """Act on the debrief: the contact's answer to the audit trail, support routes, a new incident."""
    from safety_tui.incidents import debrief
    from safety_tui.incidents.routes import load_routes
    from safety_tui.ui.dialogs.debrief import SupportDialog

    with app.reporting_errors():
        if debrief.CONTACT in answers:
            debrief.record_contact_acted(app.store, ref, answers[debrief.CONTACT])
            app.plans_changed(ref)

        def then_incident(_: object = None) -> None:
            if answers.get(debrief.WORRYING) == debrief.YES:
                from safety_tui.ui.screens.incidents import open_debrief_incident

                with app.reporting_errors():
                    open_debrief_incident(app, app.store.get_plan(ref))

        if answers.get(debrief.FEELING) == debrief.NO:
            app.push_screen(SupportDialog(debrief.support_lines(load_routes().routes)), then_incident)
        else:
            then_incident()


def extend(app: SafetyAppBase, ref: str) -> None:
    def extended(minutes: int | None) -> None:
        if not minutes:
            return
        with app.reporting_errors():
            plan = app.store.extend(ref, minutes)
            now = app.clock.now()
            finish = format_when(plan.finish, plan.tz, same_day_as=now)
            left = format_duration(plan.finish - now) if plan.finish and plan.finish > now else "now"
            app.notify(
                f"Extended by {minutes} minutes: new expected finish {finish} (in {left}). Tell the people you told.",
                title="Extended",
                timeout=8,
            )
            app.plans_changed(ref)

    app.push_screen(ExtendDialog(), extended)


def cancel(app: SafetyAppBase, ref: str) -> None:
    with app.reporting_errors():
        app.store.cancel(ref)
        app.notify(f"Plan {ref} cancelled.", timeout=4)
        app.plans_changed(ref)


def copy_message(app: SafetyAppBase, ref: str, *, include_code_word: bool = False) -> None:
    """The contact's message (with your phone; the code word only when you chose it) to the clipboard."""
    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        app.copy_to_clipboard(
            contact_message(
                plan,
                include_code_word=include_code_word,
                phone=owner_phone(app.store),
                include_title=title_in_message(app.store, plan.uid),
            )
        )
        code = "with the code word and its meaning" if include_code_word and plan.code_word else "without the code word"
        app.notify(COPY_HINT.format(code=code), title="Copied", timeout=8)


def show_qr(app: SafetyAppBase, ref: str, *, include_code_word: bool = False) -> None:
    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        payload = sms_payload(
            plan, include_code_word, phone=owner_phone(app.store), include_title=title_in_message(app.store, plan.uid)
        )
        try:
            code = qr_text(payload)
        except ValueError:  # segno: more text than any QR code holds
            raise SafetyError(
                "The message is too big for a QR code. Press c to copy it or i for calendar files."
            ) from None
        app.push_screen(QrDialog(code))


def export_ics(app: SafetyAppBase, ref: str, *, include_code_word: bool = True) -> None:
    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        folder = export_dir()
        try:
            write_private(folder / f"safety-{plan.ref}.ics", ics_for_councillor(plan), make_parents=True)
            write_private(
                folder / f"safety-{plan.ref}-contact.ics",
                ics_for_contact(plan, include_code_word, include_title=title_in_message(app.store, plan.uid)),
                make_parents=True,
            )
        except OSError as exc:
            raise SafetyError(f"Could not export to {folder}: {exc.strerror or exc}") from None
        app.notify(f"Saved safety-{plan.ref}.ics (yours) and -contact.ics (to send) in {folder}", timeout=6)


def delete_draft(app: SafetyAppBase, ref: str) -> None:
    """Today's ``d``: a draft is deleted for good once the councillor says so."""
    with app.reporting_errors():
        plan = app.store.get_plan(ref)
        if plan.status is not Status.DRAFT:
            raise PlanError("Only drafts can be deleted here; cancel a plan from its own screen (x).")

        def confirmed(answer: bool | None) -> None:
            if answer:
                forget(app, ref)

        lines = [f"{plan.ref}: {plan.title or '(untitled)'}", "Everything in it is deleted for good."]
        app.push_screen(ConfirmDialog("Delete this draft?", lines, yes="delete it"), confirmed)


def forget(app: SafetyAppBase, ref: str) -> None:
    """Delete a plan for good (Today offers it for drafts, after asking)."""
    with app.reporting_errors():
        if app.store.forget(ref):
            app.notify(f"Draft {ref} deleted.", timeout=4)
        else:  # gone from every list, but another reader still holds it: say so, never "deleted"
            app.notify(
                f"Draft {ref} removed, but not yet wiped from the disk: another program is reading the "
                "store. The wipe finishes the next time safety-tui opens it.",
                severity="warning",
                timeout=8,
            )
        app.plans_changed(ref)
