"""How the desk draws a plan: table cells and the detail panel. Untrusted text stays literal.

Every field comes from a councillor's device, so it goes through the one printable
filter and into ``rich.text.Text`` / ``Content`` as plain text, never as markup.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.content import Content

from safety_tui.council.desk_data import AlertState, DeskPlan, LadderStep
from safety_tui.plans.lifecycle import Status
from safety_tui.common.timefmt import format_duration
from safety_tui.common.text import printable

MASK = "\u2022" * 6  # the same length whatever the code word


def clock(when: datetime | None) -> str:
    """A time on the desk, in the desk's own time zone."""
    return when.astimezone().strftime("%H:%M") if when is not None else "-"


def state_cell(plan: DeskPlan, alert: AlertState | None, now: datetime) -> Text:
    if alert is not None:
        if alert.outcome:
            return Text(f"closed: {alert.outcome}", style="dim")
        style = "bold white on red" if alert.late else "bold red"
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


def ladder_line(alert: AlertState | None, ladder: list[LadderStep]) -> str:
    if alert is None:
        return "Not overdue."
    if alert.outcome:
        return f"Alert closed: {alert.outcome}."
    who = f"claimed by {printable(alert.claimed_by)}" if alert.claimed_by else "NOBODY HAS ACKNOWLEDGED (press a)"
    if alert.step is None:
        return f"Ladder done, still open: keep calling until someone confirms they are safe. {who}"
    return (f"Step {alert.step_number} of {len(ladder)}: {alert.step.step} "
            f"(acknowledge within {alert.step.ack_minutes} min). {who}")


def detail(plan: DeskPlan, alert: AlertState | None, ladder: list[LadderStep], code_word: str | None) -> Content:
    contacts = "; ".join(f"{printable(c['name'])} {printable(c['phone'])}".strip() for c in plan.contacts) or "none given"
    word = printable(code_word) if code_word is not None else f"{MASK} (r reveals it; the reveal is recorded)"
    history = "; ".join(f"{clock(a.at)} {printable(a.by)} {a.label}" for a in plan.actions[-6:]) or "none yet"
    late = alert is not None and alert.late
    return Content.assemble(
        (printable(plan.name or plan.owner), "bold"), "  ", (printable(plan.phone), "bold"),
        f"  (role {printable(plan.owner)})\n",
        ("Visit: ", "bold"), printable(plan.title), " at ", printable(plan.place),
        f"; {clock(plan.start_at)} to {clock(plan.finish_at)}, grace {plan.grace_minutes} min, due {clock(plan.due_at)}\n",
        ("Contacts: ", "bold"), contacts, "\n",
        ("Escalation: ", "bold"), printable(plan.escalation), "\n",
        ("Code word: ", "bold"), word, "  ", ("Meaning: ", "bold"), printable(plan.code_meaning), "\n",
        ("Ladder: ", "bold"), (ladder_line(alert, ladder), "bold red" if late else ""), "\n",
        ("Actions: ", "bold"), history,
    )
