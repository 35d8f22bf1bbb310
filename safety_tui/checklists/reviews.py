"""Periodic reviews (home security, your online footprint) and when each is next due. Core: no Textual.

A review is an ordinary checklist file whose ``visit_types`` include ``review``;
officers add or override reviews like any checklist. The store keeps when each
review was last done; this module only decides, from those dates, what is due:

    statuses = review_status(review_checklists(loaded), last_done={"home-security": when}, now=now)
    due = [s for s in statuses if s.due]

A review never done is due now. Otherwise it is next due ``every_months`` after
it was last done (default six months; the day is kept where the month has it,
else the month's last day: 31 August + 6 months is 28 or 29 February).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

from safety_tui.checklists.model import Checklist
from safety_tui.checklists.vocabulary import VisitType
from safety_tui.common.errors import ChecklistError

DEFAULT_EVERY_MONTHS = 6
MAX_EVERY_MONTHS = 60


@dataclass(frozen=True)
class ReviewStatus:
    review_id: str
    title: str
    last_done: datetime | None
    next_due: datetime | None  # None: never done, so due now
    due: bool


def is_review(checklist: Checklist) -> bool:
    return VisitType.REVIEW in checklist.visit_types


def review_checklists(checklists: Iterable[Checklist]) -> list[Checklist]:
    """Every review among ``checklists``, by title."""
    return sorted((c for c in checklists if is_review(c)), key=lambda c: (c.title.lower(), c.id))


def check_every_months(months: int) -> int:
    """The review interval setting, checked: a whole number of months from 1 to 60."""
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_EVERY_MONTHS:
        raise ChecklistError(f"a review interval must be 1 to {MAX_EVERY_MONTHS} months, not {months!r}")
    return months


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months, keeping the day where the month has it."""
    year, month_index = divmod(moment.month - 1 + months, 12)
    year += moment.year
    if not 1 <= year <= 9999:
        raise ChecklistError("that review date is out of range")
    day = min(moment.day, calendar.monthrange(year, month_index + 1)[1])
    return moment.replace(year=year, month=month_index + 1, day=day)


def next_due(last_done: datetime | None, every_months: int = DEFAULT_EVERY_MONTHS) -> datetime | None:
    """When a review done at ``last_done`` is next due; None when it was never done (due now)."""
    check_every_months(every_months)
    if last_done is None:
        return None
    _aware(last_done)
    return add_months(last_done, every_months)


def review_status(
    reviews: Iterable[Checklist],
    last_done: Mapping[str, datetime],
    now: datetime,
    every_months: int = DEFAULT_EVERY_MONTHS,
) -> list[ReviewStatus]:
    """Each review with its last-done date, next-due date and whether it is due at ``now``.

    Due reviews come first (never done, then the longest overdue), then the rest by next-due date.
    ``last_done`` maps a review's checklist id to an aware datetime; missing ids were never done.
    """
    _aware(now)
    out = []
    for review in reviews:
        done = last_done.get(review.id)
        due_at = next_due(done, every_months)
        out.append(ReviewStatus(review.id, review.title, done, due_at, due_at is None or due_at <= now))
    return sorted(out, key=lambda s: (not s.due, s.next_due is not None, s.next_due or now, s.title.lower()))


def due_reviews(
    reviews: Iterable[Checklist],
    last_done: Mapping[str, datetime],
    now: datetime,
    every_months: int = DEFAULT_EVERY_MONTHS,
) -> list[ReviewStatus]:
    """Only the reviews due at ``now`` (what Today reminds the councillor of)."""
    return [status for status in review_status(reviews, last_done, now, every_months) if status.due]


def _aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ChecklistError("review dates must carry a time zone (store them in UTC)")


# -- kept in the store's settings table -----------------------------------------------------------
EVERY_MONTHS_KEY = "review_every_months"
DONE_KEY_PREFIX = "review_done:"  # + the review's checklist id; the value is an ISO 8601 UTC time


class SettingsStore(Protocol):
    def setting(self, key: str, default: str = "") -> str: ...

    def set_setting(self, key: str, value: str) -> None: ...


def every_months(store: SettingsStore) -> int:
    """The review interval setting; the default when unset (or unreadable: a damaged value never blocks)."""
    try:
        return check_every_months(int(store.setting(EVERY_MONTHS_KEY, str(DEFAULT_EVERY_MONTHS))))
    except (ValueError, ChecklistError):
        return DEFAULT_EVERY_MONTHS


def set_every_months(store: SettingsStore, months: int) -> None:
    store.set_setting(EVERY_MONTHS_KEY, str(check_every_months(months)))


def last_done(store: SettingsStore, reviews: Iterable[Checklist]) -> dict[str, datetime]:
    """When each review was last done; a review never done (or with an unreadable date) is left out."""
    out: dict[str, datetime] = {}
    for review in reviews:
        try:
            when = datetime.fromisoformat(store.setting(DONE_KEY_PREFIX + review.id))
        except ValueError:
            continue
        if when.tzinfo is not None and when.utcoffset() is not None:
            out[review.id] = when
    return out


def record_done(store: SettingsStore, review_id: str, when: datetime) -> None:
    """A review was walked through at ``when`` (aware): it is next due ``every_months`` later."""
    _aware(when)
    store.set_setting(DONE_KEY_PREFIX + review_id, when.astimezone(timezone.utc).isoformat())


def statuses(store: SettingsStore, checklists: Iterable[Checklist], now: datetime) -> list[ReviewStatus]:
    """Every loaded review's status from the store's settings (what Today and the reviews list show)."""
    reviews = review_checklists(checklists)
    return review_status(reviews, last_done(store, reviews), now, every_months(store))
