"""The order a councillor walks checklists in: the visit's own, then travel, then the basics. Core.

One rule, used by the catalog (which checklists a plan of a kind gets) and by the composition
(the walk, the briefing and the debrief).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from safety_tui.checklists.model import Checklist
from safety_tui.checklists.vocabulary import PLAN_VISIT_TYPES, TravelMode


def walk_rank(checklist: Checklist) -> int:
    """0: the visit's own checklists; 1: travel (has a mode); 2: the basics (for every kind of visit)."""
    if checklist.mode is not None:
        return 1
    if set(PLAN_VISIT_TYPES) <= set(checklist.visit_types):
        return 2
    return 0


NO_ORDER = 1000  # after every checklist that gives an ``order`` (1 to 999)


def walk_order(checklists: Iterable[Checklist], modes: Sequence[TravelMode] = ()) -> list[Checklist]:
    """Main visit checklists first, then travel (in the order the modes were chosen), then the basics.

    Within each, a lower ``order`` first, then those without one (the bundled visit checklists are 10,
    so a council's extra one follows Home visit unless it says 1 to 9); the title only breaks ties.
    """

    def key(checklist: Checklist) -> tuple[int, int, int, str, str]:
        mode_index = modes.index(checklist.mode) if checklist.mode in modes else len(modes)
        order = checklist.order if checklist.order is not None else NO_ORDER
        return (walk_rank(checklist), mode_index, order, checklist.title.lower(), checklist.id)

    return sorted(checklists, key=key)
