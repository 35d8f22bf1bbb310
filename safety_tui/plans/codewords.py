"""Code word suggestions: innocent phrases a councillor can say naturally on the phone. Core: no Textual.

Drawn at random (the ``secrets`` module) from a long list, so two councillors,
or two visits, rarely get the same first idea; a suggestion is never the old word.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from safety_tui.common.errors import PlanError

PHRASES = (
    "the blue folder",
    "Aunt Mary's birthday",
    "the parking permit",
    "the ward newsletter",
    "the green file",
    "my dentist appointment",
    "the recycling rota",
    "the red umbrella",
    "the library books",
    "the spare key",
    "the allotment shed",
    "Uncle Bill's retirement",
    "the bin collection",
    "the church fete",
    "the quiz night",
    "the brown envelope",
    "the minutes from Tuesday",
    "the old printer",
    "the yellow notebook",
    "the bus timetable",
    "the cricket scores",
    "the garden centre",
    "the choir rehearsal",
    "the boiler service",
    "the pension forms",
    "the school run",
    "the cake sale",
    "the dog's vet appointment",
    "the grey cardigan",
    "the photocopier code",
    "the summer barbecue",
    "the car's MOT",
    "the village hall keys",
    "the purple scarf",
    "the crossword",
    "the Christmas cards",
    "Grandma's recipe",
    "the plumber's number",
    "the new kettle",
    "the window cleaner",
    "the tennis club",
    "the orange highlighter",
    "the leaflet round",
    "the broken gate",
    "the jam jars",
    "the silver flask",
    "the bank holiday",
    "the lost gloves",
    "the meeting agenda",
    "the football tickets",
    "the bird feeder",
    "the walking boots",
    "the sandwich order",
    "the cousin's wedding",
    "the lawnmower",
    "the coffee morning",
    "the stamp collection",
    "the white van",
    "the paint samples",
    "the raffle prizes",
    "the fish and chips",
    "the bicycle pump",
    "the seed catalogue",
    "the harvest supper",
    "the knitting pattern",
    "the street party",
    "the fire alarm test",
    "the tea towels",
    "the hedge trimming",
    "the swimming lesson",
    "the blue biro",
    "the clock change",
    "the book club",
    "the spare charger",
    "the potato harvest",
    "the greenhouse",
    "the train times",
    "the jigsaw puzzle",
    "the porch light",
    "the flower show",
)


def suggestions(count: int = 8, avoid: str = "", phrases: Sequence[str] = PHRASES) -> list[str]:
    """``count`` different phrases drawn at random, never ``avoid`` (compared without case or spaces)."""
    used = avoid.strip().casefold()
    fresh = [p for p in phrases if p.strip().casefold() != used]
    return secrets.SystemRandom().sample(fresh, min(count, len(fresh)))


def fresh_code_word(old: str, phrases: Sequence[str] = PHRASES) -> str:
    """One suggested code word that is not ``old``."""
    drawn = suggestions(1, old, phrases)
    if not drawn:
        raise PlanError("no fresh code word to suggest: choose one yourself")
    return drawn[0]
