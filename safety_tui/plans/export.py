"""Exports a person can act on: the contact's message (long and SMS), calendar files, QR codes.

Core module: no Textual import. The code word appears only where the caller
asks for it (``include_code_word=True`` / ``reveal=True``). The app and the CLI
build the contact's message with the same functions, :func:`contact_message` and
:func:`contact_sms`, given the councillor's own phone number
(:func:`safety_tui.plans.settings.owner_phone`). Every text made here goes through
:func:`safety_tui.common.text.printable`: a stored field saved before control characters
were refused is shown escaped, in a file as on a screen.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from safety_tui.checklists.vocabulary import MODE_LABELS, VISIT_LABELS
from safety_tui.common.errors import ExportError
from safety_tui.common.text import printable
from safety_tui.common.timefmt import format_span, format_when
from safety_tui.plans.model import Plan
from safety_tui.plans.qr import qr_text
from safety_tui.plans.summary import MASK, markdown_summary, text_summary

__all__ = [
    "FORMATS",
    "MASK",
    "MessagePart",
    "contact_message",
    "contact_message_parts",
    "contact_sms",
    "contact_sms_parts",
    "export",
    "ics_for_contact",
    "ics_for_councillor",
    "markdown_summary",
    "message_text",
    "qr_text",
    "sms_message",
    "sms_payload",
    "text_summary",
]

SMS_LIMIT = 160
NO_PHONE = "number not given"
# "Ring me", "call me", "phone me" in what to do, not already followed by a number.
_RING_ME = re.compile(r"\b(?:ring|call|phone) me\b(?!\s+on\b)", re.IGNORECASE)


def _who(plan: Plan) -> str:
    return plan.owner_name or "I"


def _place(plan: Plan, include_title: bool = False) -> str:
    return plan.location or (plan.title if include_title else "") or "(no location given)"


def what_to_do(plan: Plan, phone: str) -> str:
    """The plan's escalation with the number to ring: "Ring me on 07700 900123. ..."

    Without a phone number it says so, rather than "Ring me" with no number.
    """
    text = plan.escalation
    if phone:
        return _RING_ME.sub(lambda m: f"{m.group(0)} on {phone}", text, count=1)
    return _RING_ME.sub(lambda m: f"{m.group(0)} ({NO_PHONE})", text, count=1)


def _code_word_meaning(plan: Plan) -> str:
    return plan.code_meaning or "call the police to this address"


class MessagePart(NamedTuple):
    """A piece of the contact's message. The code word is a part of its own, so a screen masks
    exactly it (and not the same letters in a title or a street name)."""

    text: str
    code_word: bool = False


def message_text(parts: list[MessagePart], *, mask: str | None = None) -> str:
    """The message from its parts, through the printable filter: the code word as it is, or
    shown as ``mask`` (on screen, until asked for)."""
    return printable("".join(mask if part.code_word and mask is not None else part.text for part in parts))


def contact_sms_parts(
    plan: Plan, *, include_code_word: bool, phone: str, include_title: bool = False
) -> list[MessagePart]:
    """The short form, as one text message where the plan allows, in parts."""
    who = _who(plan)
    verb = "am" if who == "I" else "is"
    todo = what_to_do(plan, phone)
    if phone and phone not in todo:
        todo += f" My number: {phone}."
    # The finish (and the time to act) carry their date whenever they fall on another day than the start.
    parts = [
        MessagePart(
            f"{who} {verb} at {_place(plan, include_title)}, {format_span(plan.start, plan.finish, plan.tz, sep='-')}. "
            f"No word by {format_when(plan.due_at, plan.tz, same_day_as=plan.start)}? {todo}"
        )
    ]
    if include_code_word and plan.code_word:
        parts += [
            MessagePart(' Code word "'),
            MessagePart(plan.code_word, code_word=True),
            MessagePart(f'" = {_code_word_meaning(plan)}.'),
        ]
    return parts


def contact_sms(plan: Plan, *, include_code_word: bool, phone: str, include_title: bool = False) -> str:
    """The short form, as one text message where the plan allows."""
    return message_text(
        contact_sms_parts(plan, include_code_word=include_code_word, phone=phone, include_title=include_title)
    )


def contact_message_parts(
    plan: Plan, *, include_code_word: bool, phone: str, include_title: bool = False
) -> list[MessagePart]:
    """The long form, for e-mail or a messaging app: who, where, when, and what to do, in parts.

    The plan's title (often the constituent's name and case) is left out unless
    ``include_title``: the contact needs the place, the times and what to do.
    """
    kind = VISIT_LABELS.get(plan.visit_type, plan.visit_type.value)
    what = f"{kind}: {plan.title}" if include_title and plan.title else kind
    who = plan.owner_name or "Your councillor"
    phone_line = phone or f"{NO_PHONE}: ask {plan.owner_name or 'your councillor'} for it before the visit"
    lines = [
        f"Safety check-in arrangement ({VISIT_LABELS.get(plan.visit_type, plan.visit_type.value)})",
        "",
        f"Who:    {who}",
        f"Phone:  {phone_line}",
        f"What:   {what}",
        f"Where:  {_place(plan, include_title)}",
        f"From:   {format_when(plan.start, plan.tz)}",
        f"Until:  {format_when(plan.finish, plan.tz)} (expected finish)",
    ]
    if plan.travel_modes:
        lines.append(f"Travel: {', '.join(MODE_LABELS[m] for m in plan.travel_modes)}")
    lines += [
        "",
        f"If you have not heard from {who} by {format_when(plan.due_at, plan.tz)}:",
        f"  {what_to_do(plan, phone)}",
        "",
    ]
    parts = [MessagePart("\n".join(lines) + "\n")]
    if include_code_word and plan.code_word:
        parts += [
            MessagePart(f'Code word: if {who} says "'),
            MessagePart(plan.code_word, code_word=True),
            MessagePart(f'" on the phone,\n  it means: {_code_word_meaning(plan)}\n\n'),
        ]
    parts.append(MessagePart(f"Plan {plan.ref}, made with safety-tui.\n"))
    return parts


def contact_message(plan: Plan, *, include_code_word: bool, phone: str, include_title: bool = False) -> str:
    """The long form (:func:`contact_message_parts`) as one text, the code word in it when asked."""
    return message_text(
        contact_message_parts(plan, include_code_word=include_code_word, phone=phone, include_title=include_title)
    )


def sms_message(plan: Plan, include_code_word: bool = False, phone: str = "", include_title: bool = False) -> str:
    """:func:`contact_sms` under its old name (callers that do not pass the phone yet)."""
    return contact_sms(plan, include_code_word=include_code_word, phone=phone, include_title=include_title)


def _calendar(
    plan: Plan,
    summary: str,
    start: datetime,
    end: datetime,
    alarm_at: datetime,
    alarm_text: str,
    description: str,
    uid_suffix: str = "",
) -> bytes:
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
    event.add("summary", printable(summary))
    if plan.location:
        event.add("location", printable(plan.location))
    event.add("description", printable(description))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", printable(alarm_text))
    alarm.add("trigger", alarm_at)  # absolute UTC time: right across DST changes
    event.add_component(alarm)
    cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _need_times(plan: Plan) -> tuple[datetime, datetime, datetime]:
    if plan.start is None or plan.finish is None or plan.due_at is None:
        raise ExportError("the plan needs a start and expected finish time for a calendar file")
    return plan.start, plan.finish, plan.due_at


def ics_for_councillor(plan: Plan, *, phone: str = "") -> bytes:
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
        description=contact_message(plan, include_code_word=False, phone=phone),
    )


def ics_for_contact(
    plan: Plan, include_code_word: bool = False, *, phone: str = "", include_title: bool = False
) -> bytes:
    """For the person told: event until finish + grace, alarm at finish + grace."""
    start, _, due = _need_times(plan)
    who = plan.owner_name or "your councillor"
    return _calendar(
        plan,
        summary=f"Safety check-in: {who}",
        start=start,
        end=due,
        alarm_at=due,
        alarm_text=f"No word from {who}? {what_to_do(plan, phone)}",
        description=contact_message(
            plan, include_code_word=include_code_word, phone=phone, include_title=include_title
        ),
        uid_suffix="-contact",  # the contact's event is another event than the councillor's
    )


def sms_payload(plan: Plan, include_code_word: bool = False, *, phone: str = "", include_title: bool = False) -> str:
    """An ``SMSTO:number:text`` QR payload for the first contact with a phone number.

    The contact's number keeps only digits and a leading +: phones read "07700 900123"
    badly. ``phone`` is the councillor's own number, for the text.
    """
    theirs = next((c.phone for c in plan.contacts if c.phone), "")
    number = ("+" if theirs.strip().startswith("+") else "") + re.sub(r"\D", "", theirs)
    text = contact_sms(plan, include_code_word=include_code_word, phone=phone, include_title=include_title)
    return f"SMSTO:{number}:{text}"


FORMATS = ("message", "sms", "ics", "ics-contact", "markdown", "text", "qr")
# The formats that carry the contact's message (and so want the councillor's phone number).
MESSAGE_FORMATS = ("message", "sms", "ics", "ics-contact", "qr")


def export(
    plan: Plan,
    fmt: str,
    include_code_word: bool = False,
    now: datetime | None = None,
    *,
    phone: str = "",
    include_title: bool = False,
    checkin_link: str | None = None,
) -> str | bytes:
    """One export as text (or bytes for calendar files); ``qr`` is the text drawing. The record
    (``markdown``, ``text``) carries the phone check-in link when one is given."""
    if fmt == "message":
        return contact_message(plan, include_code_word=include_code_word, phone=phone, include_title=include_title)
    if fmt == "sms":
        return contact_sms(plan, include_code_word=include_code_word, phone=phone, include_title=include_title) + "\n"
    if fmt == "ics":
        return ics_for_councillor(plan, phone=phone)
    if fmt == "ics-contact":
        return ics_for_contact(plan, include_code_word, phone=phone, include_title=include_title)
    if fmt == "markdown":
        return markdown_summary(plan, reveal=include_code_word, now=now, checkin_link=checkin_link)
    if fmt == "text":
        return text_summary(plan, reveal=include_code_word, now=now, checkin_link=checkin_link)
    if fmt == "qr":
        return qr_text(sms_payload(plan, include_code_word, phone=phone, include_title=include_title))
    raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
