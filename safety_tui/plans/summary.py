"""The whole plan with every answer and the audit trail, as Markdown or plain text.

Core module: no Textual import. The code word shows only with ``reveal=True``.
Stored text is shown through :func:`safety_tui.common.text.printable`, so a contact or note
saved before control characters were refused is shown escaped, in a file as on a screen.
"""

from __future__ import annotations

from datetime import datetime

from safety_tui.checklists.compose import Composition, briefing_text, compose_plan
from safety_tui.checklists.model import STEP_LABELS, Step, visible_items
from safety_tui.checklists.vocabulary import ANSWER_LABELS, MODE_LABELS, VISIT_LABELS
from safety_tui.common.text import printable
from safety_tui.common.timefmt import format_when
from safety_tui.plans.model import Plan

MASK = "•••••"


def _when(plan: Plan, when: datetime | None) -> str:
    """A moment of this plan, the one way (:func:`safety_tui.common.timefmt.format_when`), in its zone."""
    return format_when(when, plan.tz)


def _state(plan: Plan, now: datetime | None) -> str:
    """The plan's status as every list shows it: OVERDUE in capitals."""
    if now is None:
        return plan.status.value
    return "OVERDUE" if plan.is_overdue(now) else plan.state(now)


def _place(plan: Plan) -> str:
    return plan.location or plan.title or "(no location given)"


def step_done(plan: Plan, step: Step) -> bool:
    """Whether a wizard step has carried its items out: someone told, a code word agreed."""
    if step is Step.CONTACTS:
        return any(c.told for c in plan.contacts)
    return bool(plan.code_word)


def item_marks(plan: Plan, composition: Composition) -> dict[str, str]:
    """How each item the walk does not ask reads in the record, by ``checklist/item`` key:
    done by a step (or not yet), answered as the same advice elsewhere, advice for the visit,
    or for after it. Never "not answered" for an item nobody was meant to answer in the walk."""
    marks: dict[str, str] = {}
    for entry in composition.satisfied:
        if entry.step is not None:
            label = STEP_LABELS[entry.step]
            marks[entry.key] = (
                f"done by the {label} step" if step_done(plan, entry.step) else f"not yet: the {label} step"
            )
        elif entry.same_as_key is not None:
            other = plan.answers.get(entry.same_as_key)
            shown = ANSWER_LABELS[other.value] if other else "not answered"
            marks[entry.key] = f"{shown}, asked once as {entry.same_as_key}"
    for entry in composition.during:
        marks.setdefault(entry.key, "advice for the visit")
    for entry in composition.after:
        marks.setdefault(entry.key, "after the visit")
    return marks


def _summary(plan: Plan, reveal: bool, now: datetime | None, markdown: bool, checkin_link: str | None = None) -> str:
    """The whole plan with every answer: as Markdown for the record, or as plain text for screens."""

    def heading(level: int, text: str) -> list[str]:
        if markdown:
            return [f"{'#' * level} {text}", ""]
        return [text, ("=" if level == 1 else "-") * min(len(text), 70)] if level < 3 else [text]

    def field(label: str, value: str) -> str:
        return f"- **{label}:** {value}" if markdown else f"{label + ':':<17} {value}"

    bullet = "- " if markdown else "  "
    out = heading(1, f"{plan.title or 'Visit plan'} ({plan.ref})")
    if not markdown:
        out.append("")
    out += [
        field("Status", _state(plan, now)),
        field("Visit", VISIT_LABELS.get(plan.visit_type, plan.visit_type.value)),
        field("Travel", ", ".join(MODE_LABELS[m] for m in plan.travel_modes) or "not given"),
        field("Where", _place(plan)),
        field("Start", f"{_when(plan, plan.start)} ({plan.tz})"),
        field("Expected finish", _when(plan, plan.finish)),
        field("Worry from", f"{_when(plan, plan.due_at)} (after {plan.grace_minutes} min grace)"),
        field("Code word", (plan.code_word if reveal else MASK) if plan.code_word else "none"),
        field("Code word means", plan.code_meaning or "not given"),
        field("If no check-in", plan.escalation),
        *([field("Check in from your phone", checkin_link)] if checkin_link else []),
        "",
    ]
    out += heading(2, "Who was told")
    if plan.contacts:
        for c in plan.contacts:
            told = f"told {_when(plan, c.told_at)}" if c.told_at else "NOT YET TOLD"
            out.append(f"{bullet}{c.name} {c.phone} ({told})".replace("  (", " ("))
    else:
        out.append(f"{bullet}nobody")
    composition, answers = compose_plan(plan)
    marks = item_marks(plan, composition)
    briefing = briefing_text(composition, markdown=markdown, answers=answers, level=2)
    if briefing:  # the advice for the visit itself: read, never ticked
        out += [""] + briefing.rstrip("\n").split("\n")
    for snap in plan.checklists:
        checklist = snap.checklist()
        out += [""] + heading(2, checklist.title)
        about = f"{checklist.id}, version {checklist.version or '-'}, {snap.content_hash}"
        out.append(f"_{about}_" if markdown else about)
        shown = {item.id for item in visible_items(checklist, plan.answers_for(checklist.id))}
        for section in checklist.sections:
            out += [""] + heading(3, section.title) + ([""] if markdown else [])
            for item in section.items:
                answer = plan.answer(checklist.id, item.id)
                if item.id not in shown:
                    out.append(f"{bullet}[skipped: not needed] {item.text}")
                    continue
                mark = ANSWER_LABELS[answer.value] if answer else marks.get(f"{checklist.id}/{item.id}", "not answered")
                flag = (" **(critical)**" if markdown else " (critical)") if item.critical else ""
                line = f"{bullet}[{mark}] {item.text}{flag}"
                if answer and answer.note:
                    line += f"  \n  Note: {answer.note}" if markdown else f"\n      Note: {answer.note}"
                out.append(line)
    if plan.audit:
        out += [""] + heading(2, "Audit trail")
        for entry in plan.audit:
            out.append(
                f"{bullet}{_when(plan, entry.at)}: {entry.event}{' (' + entry.detail + ')' if entry.detail else ''}"
            )
    return printable("\n".join(out) + "\n")


def markdown_summary(
    plan: Plan, reveal: bool = False, now: datetime | None = None, checkin_link: str | None = None
) -> str:
    """The whole plan with every answer, as Markdown, for the record (with the phone check-in link when given)."""
    return _summary(plan, reveal, now, markdown=True, checkin_link=checkin_link)


def text_summary(plan: Plan, reveal: bool = False, now: datetime | None = None, checkin_link: str | None = None) -> str:
    """The same as plain text, for the terminal (no markup of any kind)."""
    return _summary(plan, reveal, now, markdown=False, checkin_link=checkin_link)
