"""What a councillor gets for a kind of visit, for an officer to read (``checklists --visit``). Core.

Text or JSON of a :class:`~safety_tui.checklists.compose.Composition`: the before items in walk
order, the items a wizard step (or an earlier item) satisfies, the briefing and the
debrief. Every string from a checklist goes through :func:`safety_tui.common.text.printable`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from safety_tui.checklists.compose import Composition, WalkItem, item_line, source_label
from safety_tui.checklists.vocabulary import MODE_LABELS, VISIT_LABELS, TravelMode, VisitType
from safety_tui.common.text import printable


def item_json(entry: WalkItem) -> dict[str, Any]:
    """One item: at least checklist, id, text, critical and ref."""
    item = entry.item
    data: dict[str, Any] = {
        "checklist": entry.checklist_id,
        "id": item.id,
        "text": item.text,
        "critical": entry.critical,
        "ref": item.ref,
        "when": item.when.value,
        "type": item.type.value,
        "derived": item.derived,
        "section": entry.section,
        "show_if": item.show_if.model_dump(mode="json") if item.show_if is not None else None,
    }
    if entry.satisfied_by is not None:
        data["satisfied_by"] = {"step": entry.step.value if entry.step else None, "item": entry.same_as_key}
    return data


def visit_json(
    composition: Composition, visit: VisitType, modes: list[TravelMode], versions: Sequence[str] = ()
) -> dict[str, Any]:
    """The object printed by ``checklists --visit TYPE --json``; ``versions``: the catalog's version notes."""
    return {
        "visit": visit.value,
        "travel": [m.value for m in modes],
        "checklists": [c.id for c in composition.checklists],
        "replaced": list(versions),
        "before": [item_json(e) for e in composition.before],
        "satisfied": [item_json(e) for e in composition.satisfied],
        "during": [item_json(e) | {"group": e.section} for e in composition.during],
        "after": [item_json(e) for e in composition.after],
    }


def visit_json_text(
    composition: Composition, visit: VisitType, modes: list[TravelMode], versions: Sequence[str] = ()
) -> str:
    # ensure_ascii keeps any odd character escaped: JSON output is safe to print as it is.
    return json.dumps(visit_json(composition, visit, modes, versions), indent=2, ensure_ascii=True) + "\n"


def _condition(composition: Composition, entry: WalkItem) -> str:
    condition = entry.item.show_if
    if condition is None:
        return ""
    checklist = next(c for c in composition.checklists if c.id == entry.checklist_id)
    question = next((i.text for i in checklist.items() if i.id == condition.item), condition.item)
    return f"\n       only if '{question}' is {condition.answer}"


def visit_text(
    composition: Composition, visit: VisitType, modes: list[TravelMode], versions: Sequence[str] = ()
) -> str:
    """The plain-text report: before (numbered, walk order), satisfied, during (grouped), after.

    ``versions``: a line for each checklist that replaces another (``Home visit: the council's version, 14 items``).
    """
    travel = ", ".join(MODE_LABELS[m] for m in modes) or "no travel chosen"
    titles = ", ".join(c.title for c in composition.checklists) or "none"
    out = [
        f"{VISIT_LABELS[visit]} ({travel}): {len(composition.before)} item(s) to check before, "
        f"{len(composition.during)} to read during, {len(composition.after)} for afterwards.",
        f"Checklists in walk order: {titles}",
        *(f"Replaced: {note}" for note in versions),
        "",
        "Before the visit (asked in the walk, in this order)",
    ]
    for number, entry in enumerate(composition.before, start=1):
        flags = [entry.checklist_id, source_label(entry.item) or "no ref"]
        flags += ["critical"] if entry.critical else []
        flags += ["question"] if entry.item.type.value == "question" else []
        out.append(f"  {number:>2}. {entry.text} ({', '.join(flags)}){_condition(composition, entry)}")
    if composition.satisfied:
        out += ["", "Not asked in the walk (satisfied elsewhere)"]
        out += [f"  - {e.text} ({e.checklist_id}): {e.satisfied_by}" for e in composition.satisfied]
    out += ["", "During the visit (the briefing: read, never ticked)"]
    for group in composition.briefing():
        out.append(f"  {group.title}")
        out += [f"  {item_line(e.item)}" for e in group.items]
    if not composition.during:
        out.append("  (nothing)")
    out += ["", "Afterwards (the debrief)"]
    out += [item_line(e.item) for e in composition.after] or ["  (nothing)"]
    return "\n".join(printable(line) for line in out) + "\n"
