"""The debrief at check-in: three quick questions, each skipped by Enter. Core: no Textual.

Used by the app's check-in (``screens/plan_commands.check_in``) and by ``safety-tui checkin``:

1. "Did anything worrying happen?" yes -> a new incident filled in from the plan (time,
   place, the visit's title, the plan's ``after`` items shown beside it);
2. "How are you?" not okay -> the support routes from ``routes.yaml`` (1.4.1);
3. only when the plan went overdue: "Did your contact act?" -> one line in the plan's
   audit trail (the answer only; nothing secret).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from safety_tui.incidents.model import Incident
from safety_tui.incidents.routes import Routes
from safety_tui.incidents.visits import form_from_plan, people_in_title

if TYPE_CHECKING:
    from safety_tui.plans.model import Plan
    from safety_tui.store.repository import Store

WORRYING = "worrying"
FEELING = "feeling"
CONTACT = "contact"
YES, NO, UNSURE = "yes", "no", "unsure"
CONTACT_ACTED_EVENT = "debrief: did your contact act?"


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    choices: tuple[tuple[str, str, str], ...]  # (key to press, value, label)

    def hint(self) -> str:
        return "   ".join(f"{k}: {label}" for k, _, label in self.choices) + "   Enter: skip"

    def value_for(self, answer: str) -> str | None:
        """The value for a typed answer ('y', 'yes', 'n', ...); None skips."""
        typed = answer.strip().casefold()
        for key, value, label in self.choices:
            if typed and typed in (key, value, label.casefold()):
                return value
        return None


def went_overdue(plan: Plan) -> bool:
    """Whether the plan was overdue when it was checked in (or is now, if still open)."""
    due = plan.due_at
    ended = plan.checked_in_at or plan.ended_at
    return due is not None and ended is not None and ended > due


def questions(plan: Plan) -> list[Question]:
    asked = [
        Question(WORRYING, "Did anything worrying happen?", (("y", YES, "yes"), ("n", NO, "no"))),
        Question(FEELING, "How are you?", (("y", YES, "okay"), ("n", NO, "not okay"))),
    ]
    if went_overdue(plan):
        asked.append(
            Question(
                CONTACT,
                "You checked in after the time your contacts were told to act. Did your contact act?",
                (("y", YES, "yes"), ("n", NO, "no"), ("d", UNSURE, "don't know")),
            )
        )
    return asked


def support_lines(routes: Routes) -> list[str]:
    """Who can help, from the council's routes (guidance 1.4.1)."""
    officer = routes.nominated_officer
    if officer.phone or officer.email or officer.url:
        lines = [f"Your council's nominated officer: {officer.line()}"]
    else:  # no number configured: say how to reach them, not the title twice
        lines = ["Your council's nominated officer: ask your council's member services for their name and number."]
    if routes.member_services is not None:
        lines.append(f"Member services: {routes.member_services.line()}")
    lines += [f"Party support: {c.line()}" for c in routes.party_support] or ["Your political group's support contact."]
    lines.append("Your GP, if it is affecting your sleep, eating or daily routine, or worrying you.")
    lines += [f"{c.line()}" + (f" ({c.note})" if c.note else "") for c in routes.support_lines]
    lines.append(
        f"In danger now: ring {routes.emergency}. Concerned about your safety: contact your local police "
        "(guidance section 1)."
    )
    return lines


def after_items(plan: Plan) -> list[str]:
    """The plan's own 'after' items (from its checklist snapshots), one line each with the section."""
    from safety_tui.checklists.compose import compose_plan

    composition, answers = compose_plan(plan)
    return [f"{entry.text}" + (f" ({entry.ref})" if entry.ref else "") for entry in composition.debrief(answers)]


def incident_form(plan: Plan, now: datetime, earlier: list[Incident] | None = None) -> dict[str, str]:
    """ "Did anything worrying happen? Yes": the new incident's form, filled in from the plan (time, place,
    title; the person, when an earlier incident's person is named in the title)."""
    people = people_in_title(earlier or [], plan.title or "")
    form = form_from_plan(
        ref=plan.ref, location=plan.location, start=plan.start, finish=plan.finish, tz=plan.tz, now=now, people=people
    )
    if plan.title:
        form["what"] = f"At the visit ({plan.title}): "
    return form


def record_contact_acted(store: Store, ref: str, answer: str) -> None:
    """The answer to "Did your contact act?" as one line in the plan's audit trail."""
    if answer not in (YES, NO, UNSURE):
        return
    with store.transaction():
        store.audit(store.plan_id(ref), CONTACT_ACTED_EVENT, {YES: "yes", NO: "no", UNSURE: "don't know"}[answer])


def run_debrief(store: Store, plan: Plan, ask: Callable[[str], str | None], tell: Callable[[str], None]) -> None:
    """The debrief as a conversation (``safety-tui checkin``): ``ask`` returns a line, or None at end of input.

    Enter skips a question. A worrying event typed here is recorded as an incident, filled in from the plan.
    """
    from safety_tui.incidents.form import save_form
    from safety_tui.incidents.log import IncidentLog
    from safety_tui.incidents.prompts import prompts_for
    from safety_tui.incidents.routes import load_routes
    from safety_tui.incidents.validate import default_recorder

    answers: dict[str, str] = {}
    for question in questions(plan):
        line = ask(f"{question.text} [{question.hint()}] ")
        if line is None:
            break
        value = question.value_for(line)
        if value is not None:
            answers[question.key] = value
    if CONTACT in answers:
        record_contact_acted(store, plan.ref, answers[CONTACT])
        tell("Noted in the plan's audit trail.")
    routes = load_routes().routes
    if answers.get(FEELING) == NO:
        tell("Support is there for you:")
        for line in support_lines(routes):
            tell(f"  - {line}")
    if answers.get(WORRYING) != YES:
        return
    items = after_items(plan)
    if items:
        tell("After this visit (your checklists):")
        for item in items:
            tell(f"  - {item}")
    what = (ask("What happened, in a few words? (Enter: record it later) ") or "").strip()
    if not what:
        tell(f"Record it later with: safety-tui incident add --where ... (the plan is {plan.ref}), or i in the app.")
        return
    log = IncidentLog.of(store)
    form = incident_form(plan, store.clock.now(), log.incidents())
    known = f" [Enter: {form['people']}]" if form["people"] else " (Enter skips)"
    who = (ask(f"Who was it? (a name or a description){known} ") or "").strip()
    form.update(what=form["what"] + what, people=who or form["people"])
    incident = save_form(
        log, form, recorder=default_recorder(store), tz=plan.tz, now=store.clock.now(), draft=f"debrief-{plan.ref}"
    )
    tell(f"Incident {incident.id} recorded (safety-tui incident show {incident.id}). What to do next:")
    for prompt in prompts_for(incident, log.incidents(), routes):
        tell(f"  - {prompt.line()}")
