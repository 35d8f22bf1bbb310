"""One checklist item as the walk shows it (also the officers' preview)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from safety_tui.checklists.compose import source_label
from safety_tui.checklists.model import Checklist, Item
from safety_tui.checklists.vocabulary import ANSWER_LABELS, ItemType
from safety_tui.plans.model import ItemAnswer
from safety_tui.ui.widgets import literal


class ItemCard(Vertical):
    """One checklist item as the walk shows it: big text, help, reference, answer."""

    DEFAULT_CSS = """
    ItemCard {
        height: auto;
        min-height: 9;
        border: round $primary;
        padding: 0 2;
        margin-top: 1;
    }
    ItemCard.-critical {
        border: heavy $warning;
    }
    ItemCard #card-where {
        color: $text-muted;
    }
    ItemCard #card-text {
        text-style: bold;
        margin: 1 0;
    }
    ItemCard #card-help {
        color: $text-muted;
    }
    ItemCard #card-meta {
        margin-top: 1;
    }
    ItemCard #card-answer {
        color: $success;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="card-where")
        yield Static(id="card-text")
        yield Static(id="card-help")
        yield Static(id="card-meta")
        yield Static(id="card-answer")

    def show(self, checklist: Checklist, item: Item, answer: ItemAnswer | None) -> None:
        section = checklist.section_of(item.id)
        where = literal(f"{checklist.title} › {section.title if section else ''}")
        self.query_one("#card-where", Static).update(where)
        self.query_one("#card-text", Static).update(literal(item.text))
        self.query_one("#card-help", Static).update(literal(item.help or ""))
        self.query_one("#card-help", Static).display = bool(item.help)
        meta: list[Content] = []
        if item.critical:
            meta.append(Content.styled(" CRITICAL ", "bold reverse"))
        label = source_label(item)
        if label:
            meta.append(literal(f"  {label[0].upper()}{label[1:]}"))
        kind = "yes / no question" if item.type is ItemType.QUESTION else "check"
        meta.append(Content.styled(f"  ({kind})", "dim"))
        self.query_one("#card-meta", Static).update(Content("").join(meta))
        self.set_class(item.critical, "-critical")
        self.show_answer(answer)

    def show_answer(self, answer: ItemAnswer | None) -> None:
        label = self.query_one("#card-answer", Static)
        if answer is None:
            label.update(Content.styled("Not answered yet", "dim italic"))
            return
        text = f"Answer: {ANSWER_LABELS[answer.value]}"
        if answer.note:
            text += f"  Note: {answer.note}"
        label.update(literal(text))

    def show_message(self, title: str, text: str) -> None:
        self.query_one("#card-where", Static).update(literal(title))
        self.query_one("#card-text", Static).update(literal(text))
        for name in ("#card-help", "#card-meta", "#card-answer"):
            self.query_one(name, Static).update("")
        self.set_class(False, "-critical")
