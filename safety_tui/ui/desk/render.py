"""How the desk draws a plan: table cells and the detail panel. Untrusted text stays literal.

Every field comes from a councillor's device, so it goes through the one printable
filter and into ``rich.text.Text`` / ``Content`` as plain text, never as markup.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.content import Content

from safety_tui.common.text import printable
from safety_tui.common.timefmt import format_duration
from safety_tui.council.desk_data import AlertState, DeskPlan, LadderStep
from safety_tui.council.desk_rows import BadRow
from safety_tui.plans.lifecycle import Status

MASK = "\u2022" * 6  # the same length whatever the code word
BAD_ROW = "!! BAD ROW: check"
BAD_DATA = " (bad data)"


def clock(when: datetime | None) -> str:
    """A time on the desk, in the desk's own time zone."""
    return when.astimezone().strftime("%H:%M") if when is not None else "-"


def state_cell(plan: DeskPlan, alert: AlertState | None, now: datetime) -> Text:
    cell = _state(plan, alert, now)
    if plan.warnings:
        cell.append(BAD_DATA, style="bold magenta")
    return cell


def _state(plan: DeskPlan, alert: AlertState | None, now: datetime) -> Text:
    if alert is not None:
        if alert.outcome:
            return Text(f"closed: {alert.outcome}", style="dim")
        style = "bold white on red" if alert.late else "bold red"
        if alert.help:
            return Text(f"!! HELP {alert.minutes_overdue}m", style=style)
        return Text(f"!! OVERDUE {alert.minutes_overdue}m", style=style)
    if plan.status is Status.IN_PROGRESS:
        return Text(f"due in {format_duration(plan.due_at - now)}")
    return Text(plan.status.value, style="dim")


def row_cells(plan: DeskPlan, alert: AlertState | None, now: datetime) -> tuple[Text, ...]:
    claimed = alert.claimed_by if alert is not None and alert.claimed_by else ""
    return (
        state_cell(plan, alert, now),
        Text(clock(plan.due_at)),
        Text(printable(plan.name or plan.owner)),
        Text(printable(claimed)),
        Text(printable(plan.phone)),
        Text(printable(plan.title)),
    )


def bad_cells(row: BadRow) -> tuple[Text, ...]:
    """A row the desk cannot judge: marked, with whatever could be read, so someone calls to check."""
    return (
        Text(BAD_ROW, style="bold white on magenta"),
        Text("?"),
        Text(printable(row.name or row.owner)),
        Text(""),
        Text(printable(row.phone)),
        Text(printable(row.title)),
    )


def bad_detail(row: BadRow) -> Content:
    return Content.assemble(
        (printable(row.name or row.owner), "bold"),
        "  ",
        (printable(row.phone), "bold"),
        f"  (role {printable(row.owner)})\n",
        ("This plan cannot be read: ", "bold white on magenta"),
        printable(row.problem),
        ".\n",
        "The desk cannot tell when it is due. Call the councillor to check they are safe, and tell the council's "
        "database administrator (plan id ",
        str(row.id),
        ").",
    )


def contacts_line(plan: DeskPlan) -> str:
    shown = "; ".join(f"{printable(c['name'])} {printable(c['phone'])}".strip() for c in plan.contacts)
    if plan.more_contacts:
        return f"{shown or 'none readable'}; and {plan.more_contacts} more"
    return shown or "none given"


def ladder_line(alert: AlertState | None, ladder: list[LadderStep]) -> str:
    if alert is None:
        return "Not overdue."
    if alert.outcome:
        return f"Alert closed: {alert.outcome}."
    who = f"claimed by {printable(alert.claimed_by)}" if alert.claimed_by else "NOBODY HAS ACKNOWLEDGED (press a)"
    if alert.help:
        who = "HELP asked silently from the councillor's phone: do not ring the councillor first. " + who
    if alert.step is None:
        return f"Ladder done, still open: keep calling until someone confirms they are safe. {who}"
    return (
        f"Step {alert.step_number} of {len(ladder)}: {alert.step.step} "
        f"(acknowledge within {alert.step.ack_minutes} min). {who}"
    )


# -- the councillor's clock, as the server measured it (from the publication side) ---------------------
def skew_line(plan: DeskPlan) -> str:
    """'' unless the councillor's clock was more than two minutes off when they published."""
    from safety_tui.council.schema_trust import SKEW_SHOWN_SECONDS

    skew = plan.clock_skew_seconds
    if abs(skew) <= SKEW_SHOWN_SECONDS:
        return ""
    way = "fast" if skew > 0 else "slow"
    return (
        f"Their clock is {format_duration(timedelta(minutes=round(skew / 60)))} {way}: the due time above is the server's; "
        "times they typed may be off by that much.\n"
    )


def detail(plan: DeskPlan, alert: AlertState | None, ladder: list[LadderStep], code_word: str | None) -> Content:
    contacts = contacts_line(plan)
    word = printable(code_word) if code_word is not None else f"{MASK} (r reveals it; the reveal is recorded)"
    history = "; ".join(f"{clock(a.at)} {printable(a.by)} {a.label}" for a in plan.actions[-6:]) or "none yet"
    late = alert is not None and alert.late
    return Content.assemble(
        (printable(plan.name or plan.owner), "bold"),
        "  ",
        (printable(plan.phone), "bold"),
        f"  (role {printable(plan.owner)})\n",
        ("Visit: ", "bold"),
        printable(plan.title),
        " at ",
        printable(plan.place),
        f"; {clock(plan.start_at)} to {clock(plan.finish_at)}, grace {plan.grace_minutes} min, due {clock(plan.due_at)}\n",
        (skew_line(plan), "bold yellow"),
        ("Contacts: ", "bold"),
        contacts,
        "\n",
        ("Escalation: ", "bold"),
        printable(plan.escalation),
        "\n",
        ("Code word: ", "bold"),
        word,
        "  ",
        ("Meaning: ", "bold"),
        printable(plan.code_meaning),
        "\n",
        ("Ladder: ", "bold"),
        (ladder_line(alert, ladder), "bold red" if late else ""),
        "\n",
        ("Actions: ", "bold"),
        history,
        *((("\nBad data: ", "bold magenta"), printable("; ".join(plan.warnings))) if plan.warnings else ()),
    )
