"""Shorter ways to plan: repeat a previous plan, or a quick plan. Core: no Textual.

- ``repeat_plan`` copies the visit type, travel, title, place, your name, what the contact should do
  (escalation), what the code word means, the grace period, the contacts (marked NOT told: tell
  them again) and the standing answers (``Composition.standing_answers``: the questions about the
  place or the person). It takes today's checklists for that kind of visit, leaves the times for
  the councillor to give and suggests a fresh code word: the old one is never copied.
- ``quick_checklists`` cuts checklists down to the quick plan's walk (``Composition.quick``): only
  the critical before items and the questions they hang from; advice for during and after stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from safety_tui.checklists.compose import compose, compose_checklists, compose_plan
from safety_tui.checklists.model import Checklist, When
from safety_tui.checklists.vocabulary import ItemType, TravelMode, VisitType
from safety_tui.plans.codewords import fresh_code_word
from safety_tui.plans.model import Plan

if TYPE_CHECKING:
    from safety_tui.checklists.loader.catalog import Catalog
    from safety_tui.store.repository import Store

QUICK_NOTE = "Quick plan: only the critical items before you go."
COPIED_FIELDS = ("title", "location", "owner_name", "escalation", "code_meaning", "grace_minutes")


def repeat_plan(store: Store, catalog: Catalog, ref: str) -> Plan:
    """A new draft like plan ``ref``, waiting at the Details step for its new times."""
    old = store.get_plan(ref)
    modes = [m.value for m in old.travel_modes]
    chosen = [c for c in (catalog.get(i) for i in catalog.matching(old.visit_type.value, modes)) if c is not None]
    copied: dict[str, Any] = {name: getattr(old, name) for name in COPIED_FIELDS}
    new = store.create_plan(
        old.visit_type,
        old.travel_modes,
        chosen,
        tz=old.tz,
        code_word=fresh_code_word(old.code_word),
        wizard_step="details",
        **copied,
    )
    for contact in old.contacts:
        store.add_contact(new.ref, contact.name, contact.phone, told=False, remember=False)
    composition, answers = compose_plan(old)
    asked_now = {e.key for e in compose_plan(store.get_plan(new.ref))[0].before if e.item.type is ItemType.QUESTION}
    for checklist_id, given in composition.standing_answers(answers).items():
        for item_id, value in given.items():
            if f"{checklist_id}/{item_id}" in asked_now:
                store.set_answer(new.ref, checklist_id, item_id, value)
    return store.get_plan(new.ref)


def quick_checklists(checklists: Iterable[Checklist], modes: Sequence[TravelMode] = ()) -> list[Checklist]:
    """The checklists cut down to the quick walk; a checklist left with nothing is dropped."""
    composition = compose_checklists(checklists, modes)
    keep = {e.key for e in composition.quick()}
    out: list[Checklist] = []
    for checklist in composition.checklists:
        sections = []
        for section in checklist.sections:
            items = [
                item.model_dump(mode="json", exclude_none=True)
                for item in section.items
                if item.when is not When.BEFORE or item.step is not None or f"{checklist.id}/{item.id}" in keep
            ]
            if items:
                sections.append({**section.model_dump(mode="json", exclude_none=True), "items": items})
        if sections:
            body = checklist.model_dump(mode="json", exclude_none=True)
            body.update(sections=sections, description=f"{QUICK_NOTE} {checklist.description}")
            out.append(Checklist.model_validate(body))
    return out


def quick_plan(store: Store, catalog: Catalog, visit_type: VisitType | str, tz: str, *, escalation: str = "") -> Plan:
    """A new quick draft of this kind (no travel), waiting at the Details step for its times.

    ``escalation`` is what the contact should do, as for a full plan (the council's routes, ending
    "Then tell the council"): the caller reads the routes, which live above plans."""
    chosen = quick_checklists(compose(catalog, visit_type).checklists)
    return store.create_plan(visit_type, [], chosen, tz=tz, wizard_step="details", escalation=escalation)
