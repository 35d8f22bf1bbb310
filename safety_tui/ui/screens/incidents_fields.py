"""The incident form's words: each field's name, its placeholder, and the hint naming the keys that
work where the cursor is (a "›" marks that field without colour).
"""

from __future__ import annotations

LABELS = {
    "what": "What happened",
    "when": "When",
    "people": "Who (; between)",
    "where": "Where",
    "exact_words": "Exact words",
    "witnesses": "Witnesses",
    "effect": "Effect on you",
    "platform": "Platform",
    "link": "Link",
    "description": "Description",
    "vehicle": "Vehicle",
    "plate": "Plate",
    "calling_number": "Calling number",
    "plan": "Plan",
    "channel": "Channel",
    "category": "Category",
}
MARKER = "› "  # beside the name of the field the cursor is in: a character, not only a shade
HINTS = {  # the keys of the field the cursor is in; Ctrl+S, Ctrl+O and Esc are in the footer
    "text-area": "In {field}: typing goes here; Enter: new line; Tab: next field.",
    "input": "In {field}: typing goes here; Enter or Tab: next field; Shift+Tab: back.",
    "select": "On {field}: Enter opens the list, ↑/↓ and Enter choose; Tab: next field.",
    "people": "In Who: typing goes here; ; between people; Tab: next field. A description "
    '("a man") is never matched to anyone else.',
}
PLACEHOLDERS = {
    "what": "in a few words",
    "when": "now, 14:30, yesterday 18:00, 2h ago",
    "people": "a name, or a description",
    "exact_words": "what they said or wrote, word for word",
    "calling_number": "include unanswered calls",
}
