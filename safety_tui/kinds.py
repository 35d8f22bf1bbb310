"""Deprecated: kinds.py was dissolved. Import from the module that owns each name:

- clock: UTC, Clock, SystemClock, FixedClock
- vocabulary: VisitType, TravelMode, ItemType, Answer, VISIT_LABELS, MODE_LABELS
- lifecycle: Status, TRANSITIONS, check_transition, due_at, is_overdue, state, Scheduled
- timefmt: format_duration (and format_when, format_span)
- errors: PlanError

This shim only re-exports them until every caller has moved; then it is deleted.
"""

from __future__ import annotations

from safety_tui.clock import UTC, Clock, FixedClock, SystemClock
from safety_tui.errors import PlanError
from safety_tui.lifecycle import TRANSITIONS, Status, check_transition, due_at, is_overdue, state
from safety_tui.timefmt import format_duration
from safety_tui.vocabulary import MODE_LABELS, PLAN_VISIT_TYPES, VISIT_LABELS, Answer, ItemType, TravelMode, VisitType

__all__ = [
    "MODE_LABELS", "PLAN_VISIT_TYPES", "TRANSITIONS", "UTC", "VISIT_LABELS", "Answer", "Clock", "FixedClock", "ItemType", "PlanError",
    "Status", "SystemClock", "TravelMode", "VisitType", "check_transition", "due_at", "format_duration",
    "is_overdue", "state",
]
