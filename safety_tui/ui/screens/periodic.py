"""A periodic review (home security, your online footprint), walked one item at a time.

Walking to the end records the date (``reviews.record_done``); the review is next due after the
interval in the settings. Escape leaves without recording: an unfinished review is still due.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Header, Static

from safety_tui.checklists.model import Checklist, Item, visible_items
from safety_tui.checklists.vocabulary import Answer, ItemType
from safety_tui.common.clock import zone
from safety_tui.ui.screens.base import SafetyScreen, reports_errors
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.footer import Footer
from safety_tui.ui.widgets.item_card import ItemCard

KEYS = {"d": Answer.DONE, "x": Answer.NOT_DONE, "a": Answer.NOT_APPLICABLE, "y": Answer.YES, "n": Answer.NO}


class PeriodicReviewScreen(SafetyScreen):
    DEFAULT_CSS = """
    PeriodicReviewScreen #periodic {
        height: 1fr;
        padding: 0 1;
    }
    PeriodicReviewScreen #periodic-status {
        margin-top: 1;
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Leave (not recorded)"),
        Binding("d", "answer('d')", "Done"),
        Binding("x", "answer('x')", "Not done"),
        Binding("a", "answer('a')", "N/A"),
        Binding("y", "answer('y')", "Yes", show=False),
        Binding("n", "answer('n')", "No", show=False),
    ]

    position: reactive[int] = reactive(0, always_update=True, init=False)

    def __init__(self, review: Checklist) -> None:
        super().__init__()
        self.review = review
        self.given: dict[str, str] = {}  # this walk's answers: only the date is kept afterwards

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="periodic"):
            yield ItemCard(id="card")
            yield Static(id="periodic-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.review.title
        self.position = 0

    def sequence(self) -> list[Item]:
        return visible_items(self.review, self.given)

    def watch_position(self) -> None:
        items = self.sequence()
        card = self.query_one(ItemCard)
        if self.position >= len(items):
            card.show_message(self.review.title, "Every item has been looked at.")
            return
        item = items[self.position]
        card.show(self.review, item, None)  # each item is looked at once, in order
        keys = "y yes · n no" if item.type is ItemType.QUESTION else "d done · x not done · a n/a"
        self.query_one("#periodic-status", Static).update(
            literal(f"Item {self.position + 1} of {len(items)} · {keys} · Escape leaves (the date is not recorded)")
        )

    @reports_errors
    def action_answer(self, key: str) -> None:
        items = self.sequence()
        if self.position >= len(items):
            return
        item = items[self.position]
        if (item.type is ItemType.QUESTION) != (key in ("y", "n")):
            self.notify("This item takes " + ("y or n." if item.type is ItemType.QUESTION else "d, x or a."), timeout=3)
            return
        self.given[item.id] = KEYS[key].value
        if self.position + 1 >= len(self.sequence()):
            self._finish()
            return
        self.position += 1

    def _finish(self) -> None:
        from safety_tui.checklists import reviews

        now = self.app.clock.now()
        reviews.record_done(self.app.store, self.review.id, now)
        due = reviews.next_due(now, reviews.every_months(self.app.store))
        when = f"{due.astimezone(zone(self.app.tz)):%a %d %b %Y}" if due else "now"
        self.notify(f"{self.review.title} done. Next due {when}.", title="Review recorded", timeout=6)
        self.app.pop_screen()
