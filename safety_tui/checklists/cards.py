"""Quick-reference cards for what cannot be planned. Core: no Textual.

A card is an ordinary checklist file whose ``visit_types`` include ``card``, so
officers write, validate and override cards exactly like checklists. Its items
are advice (``when: during``) and what to do afterwards (``when: after``).
"""

from __future__ import annotations

from collections.abc import Iterable

from safety_tui.checklists.compose import item_line
from safety_tui.checklists.model import Checklist
from safety_tui.checklists.vocabulary import VisitType
from safety_tui.common.errors import ChecklistError

# The bundled cards, in the order they are offered; any other card follows, by title.
CARD_ORDER = (
    "phone-call",  # an intimidating phone call (1.3)
    "unannounced-caller",  # an unannounced caller at your home (2.5)
    "demonstration",  # a protest at your home (2.8)
    "being-followed",  # being followed (2.9.1)
    "serious-situation",  # a serious situation (2.4.5-2.4.6)
    "online-attack",  # online abuse as it happens (section 4)
    "after-an-incident",  # what to do afterwards (1.2, 2.10, 5.4)
    "social-media",  # posting on social media (section 3): read before posting
)


def is_card(checklist: Checklist) -> bool:
    return VisitType.CARD in checklist.visit_types


def cards(checklists: Iterable[Checklist]) -> list[Checklist]:
    """Every card among ``checklists``: the bundled ones in CARD_ORDER, then others by title."""

    def key(card: Checklist) -> tuple[int, str, str]:
        rank = CARD_ORDER.index(card.id) if card.id in CARD_ORDER else len(CARD_ORDER)
        return (rank, card.title.lower(), card.id)

    return sorted((c for c in checklists if is_card(c)), key=key)


def find_card(checklists: Iterable[Checklist], card_id: str) -> Checklist:
    available = cards(checklists)
    for card in available:
        if card.id == card_id:
            return card
    names = ", ".join(c.id for c in available) or "none loaded"
    raise ChecklistError(f"no quick-reference card '{card_id}' (cards: {names})")


def card_text(card: Checklist, *, markdown: bool = False) -> str:
    """The card as plain text (or Markdown): title, what it is for, then each section's advice."""
    out = [f"# {card.title}", "", card.description] if markdown else [card.title, card.description]
    for section in card.sections:
        out += ["", f"## {section.title}", ""] if markdown else ["", section.title]
        out += [item_line(item, markdown=markdown, with_help=True) for item in section.items]
    return "\n".join(out) + "\n"
