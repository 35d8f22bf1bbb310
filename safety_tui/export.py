"""Exports a person can act on: buddy message, calendar files, summary, QR code.

Core module: no Textual import. The code word appears only where the caller
asks for it (``include_code_word=True`` / ``reveal=True``).
"""

from __future__ import annotations

import re
from datetime import datetime

from safety_tui.checklist import visible_items
from safety_tui.plan import ANSWER_LABELS, MODE_LABELS, VISIT_LABELS, Plan

MASK = "•••••"
SMS_LIMIT = 160


def _when(plan: Plan, when: datetime | None, with_date: bool = True) -> str:
    local = plan.local(when)
    if local is None:
        return "(not set)"
    time = local.strftime("%H:%M")
    return f"{local.strftime('%a %d %b')} {time}" if with_date else time


def _who(plan: Plan) -> str:
    return plan.owner_name or "I"


def _place(plan: Plan) -> str:
    return plan.location or plan.title or "(no location given)"


def sms_message(plan: Plan, include_code_word: bool = False) -> str:
    """The short form: one SMS where possible."""
    who = _who(plan)
    verb = "am" if who == "I" else "is"
    text = (
        f"{who} {verb} at {_place(plan)}, {_when(plan, plan.start)}-{_when(plan, plan.finish, with_date=False)}. "
        f"No word by {_when(plan, plan.due_at, with_date=False)}? {plan.escalation}"
    )
    if include_code_word and plan.code_word:
        text += f' Code word "{plan.code_word}" = {plan.code_meaning or "call the police to this address"}.'
    return text


def buddy_message(plan: Plan, include_code_word: bool = False) -> str:
    """The long form, for e-mail or a messaging app."""
    who = plan.owner_name or "Your councillor"
    lines = [
        f"Safety check-in arrangement ({VISIT_LABELS.get(plan.visit_type, plan.visit_type.value)})",
        "",
        f"Who:    {who}",
        f"What:   {plan.title or VISIT_LABELS.get(plan.visit_type, '')}",
        f"Where:  {_place(plan)}",
        f"From:   {_when(plan, plan.start)}",
        f"Until:  {_when(plan, plan.finish)} (expected finish)",
    ]
    if plan.travel_modes:
        lines.append(f"Travel: {', '.join(MODE_LABELS[m] for m in plan.travel_modes)}")
    lines += [
        "",
        f"If you have not heard from {who} by {_when(plan, plan.due_at)}:",
        f"  {plan.escalation}",
    ]
    if include_code_word and plan.code_word:
        lines += [
            "",
            f'Code word: if {who} says "{plan.code_word}" on the phone,',
            f"  it means: {plan.code_meaning or 'call the police to this address'}",
        ]
    lines += ["", f"Plan {plan.ref}, made with safety-tui."]
    return "\n".join(lines) + "\n"


def _summary(plan: Plan, reveal: bool, now: datetime | None, markdown: bool) -> str:
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
        field("Status", plan.state(now) if now else plan.status.value),
        field("Visit", VISIT_LABELS.get(plan.visit_type, plan.visit_type.value)),
        field("Travel", ", ".join(MODE_LABELS[m] for m in plan.travel_modes) or "not given"),
        field("Where", _place(plan)),
        field("Start", f"{_when(plan, plan.start)} ({plan.tz})"),
        field("Expected finish", _when(plan, plan.finish)),
        field("Worry from", f"{_when(plan, plan.due_at)} (after {plan.grace_minutes} min grace)"),
        field("Code word", (plan.code_word if reveal else MASK) if plan.code_word else "none"),
        field("Code word means", plan.code_meaning or "not given"),
        field("If no check-in", plan.escalation),
        "",
    ]
    out += heading(2, "Who was told")
    if plan.contacts:
        for c in plan.contacts:
            told = f"told {_when(plan, c.told_at)}" if c.told_at else "NOT YET TOLD"
            out.append(f"{bullet}{c.name} {c.phone} ({told})".replace("  (", " ("))
    else:
        out.append(f"{bullet}nobody")
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
                mark = ANSWER_LABELS[answer.value] if answer else "not answered"
                flag = (" **(critical)**" if markdown else " (critical)") if item.critical else ""
                line = f"{bullet}[{mark}] {item.text}{flag}"
                if answer and answer.note:
                    line += f"  \n  Note: {answer.note}" if markdown else f"\n      Note: {answer.note}"
                out.append(line)
    if plan.audit:
        out += [""] + heading(2, "Audit trail")
        for entry in plan.audit:
            out.append(f"{bullet}{_when(plan, entry.at)}: {entry.event}{' (' + entry.detail + ')' if entry.detail else ''}")
    return "\n".join(out) + "\n"


def markdown_summary(plan: Plan, reveal: bool = False, now: datetime | None = None) -> str:
    """The whole plan with every answer, as Markdown, for the record."""
    return _summary(plan, reveal, now, markdown=True)


def text_summary(plan: Plan, reveal: bool = False, now: datetime | None = None) -> str:
    """The same as plain text, for the terminal (no markup of any kind)."""
    return _summary(plan, reveal, now, markdown=False)


def _calendar(plan: Plan, summary: str, start: datetime, end: datetime, alarm_at: datetime, alarm_text: str, description: str, uid_suffix: str = ""):
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//safety-tui//visit plan//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", plan.uid + uid_suffix)  # random per plan: never collides, kept when re-exported
    event.add("sequence", plan.sequence)  # goes up each time the schedule changes
    event.add("dtstamp", plan.updated_at or plan.created_at or start)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if plan.location:
        event.add("location", plan.location)
    event.add("description", description)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", alarm_text)
    alarm.add("trigger", alarm_at)  # absolute UTC time: right across DST changes
    event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()


def _need_times(plan: Plan) -> tuple[datetime, datetime, datetime]:
    if plan.start is None or plan.finish is None or plan.due_at is None:
        raise ValueError("the plan needs a start and expected finish time for a calendar file")
    return plan.start, plan.finish, plan.due_at


def ics_for_councillor(plan: Plan) -> bytes:
    """Event start to expected finish, alarm at the finish: time to check in."""
    start, finish, _ = _need_times(plan)
    told = ", ".join(c.name for c in plan.contacts) or "the person you told"
    return _calendar(
        plan,
        summary=plan.title or VISIT_LABELS.get(plan.visit_type, "Visit"),
        start=start,
        end=finish,
        alarm_at=finish,
        alarm_text=f"Check in with {told}: tell them you are safe.",
        description=buddy_message(plan, include_code_word=False),
    )


def ics_for_contact(plan: Plan, include_code_word: bool = False) -> bytes:
    """For the person told: event until finish + grace, alarm at finish + grace."""
    start, _, due = _need_times(plan)
    who = plan.owner_name or "your councillor"
    return _calendar(
        plan,
        summary=f"Safety check-in: {who}",
        start=start,
        end=due,
        alarm_at=due,
        alarm_text=f"No word from {who}? {plan.escalation}",
        description=buddy_message(plan, include_code_word=include_code_word),
        uid_suffix="-contact",  # the contact's event is another event than the councillor's
    )


def sms_payload(plan: Plan, include_code_word: bool = False) -> str:
    """An ``SMSTO:number:text`` QR payload for the first contact with a phone number.

    The number keeps only digits and a leading +: phones read "07700 900123" badly.
    """
    phone = next((c.phone for c in plan.contacts if c.phone), "")
    number = ("+" if phone.strip().startswith("+") else "") + re.sub(r"\D", "", phone)
    return f"SMSTO:{number}:{sms_message(plan, include_code_word)}"


def qr_text(payload: str, border: int = 2) -> str:
    """A QR code drawn with half blocks: two modules per character cell.

    Light modules are drawn as blocks so the code scans on a dark terminal.
    """
    import segno

    # Level L gives the smallest code (fits more terminals); segno raises the level
    # whenever that costs no extra size.
    qr = segno.make(payload, error="l", micro=False, boost_error=True)
    rows = [list(r) for r in qr.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    glyph = {(0, 0): "█", (0, 1): "▀", (1, 0): "▄", (1, 1): " "}
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2]):
        lines.append("".join(glyph[(bool(a), bool(b))] for a, b in zip(top, bottom)))
    return "\n".join(lines) + "\n"


def export(plan: Plan, fmt: str, include_code_word: bool = False, now: datetime | None = None) -> str | bytes:
    if fmt == "message":
        return buddy_message(plan, include_code_word)
    if fmt == "sms":
        return sms_message(plan, include_code_word) + "\n"
    if fmt == "ics":
        return ics_for_councillor(plan)
    if fmt == "ics-contact":
        return ics_for_contact(plan, include_code_word)
    if fmt == "markdown":
        return markdown_summary(plan, reveal=include_code_word, now=now)
    if fmt == "text":
        return text_summary(plan, reveal=include_code_word, now=now)
    if fmt == "qr":
        return qr_text(sms_payload(plan, include_code_word))
    raise ValueError(f"unknown format {fmt!r}")


FORMATS = ("message", "sms", "ics", "ics-contact", "markdown", "text", "qr")
