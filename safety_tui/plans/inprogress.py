"""Which plan "the plan in progress" means when none is named. Core: no Textual, no pydantic."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Protocol, TypeVar

from safety_tui.plans.lifecycle import Status


class _Scheduled(Protocol):
    @property
    def ref(self) -> str: ...

    @property
    def status(self) -> Status: ...

    @property
    def due_at(self) -> datetime | None: ...


PlanT = TypeVar("PlanT", bound=_Scheduled)


def in_progress(plans: Iterable[PlanT], first: str | None = None) -> list[PlanT]:
    """The plans in progress, due first; the plan ``first`` (the row the councillor is on) leads.

    With more than one, a check-in asks which: this is the order it offers them in.
    """
    active = sorted(
        (p for p in plans if p.status is Status.IN_PROGRESS), key=lambda p: (p.due_at is None, p.due_at, p.ref)
    )
    return sorted(active, key=lambda p: p.ref != first)  # stable: the rest stay due first


def due_first(plans: Iterable[PlanT]) -> PlanT | None:
    """The plan in progress that is due first (finish + grace), or None if none is in progress.

    Drafts and ready plans are never chosen: checking in is for the visit you are on.
    """
    active = [p for p in plans if p.status is Status.IN_PROGRESS]
    if not active:
        return None
    return min(active, key=lambda p: (p.due_at is None, p.due_at, p.ref))
