"""What the guidance says about each category of incident, and that a record is not legal advice.

The words and the sections are the council's intimidation guidance's; each category of
:class:`~safety_tui.incidents.model.Category` has one entry here (its label, one line on what it
means, and where the guidance says so). Core: no Textual.
"""

from __future__ import annotations

# By the category's value: (label, one line of explanation, guidance section).
CATEGORY_WORDS: dict[str, tuple[str, str, str]] = {
    "threat": (
        "Threat to kill, rape or serious violence",
        "A threat to kill, rape or do serious violence should be reported to the police.",
        "5.4.2",
    ),
    "threatening": (
        "Threatening words or behaviour (not serious violence)",
        "Threatening or abusive words or behaviour that may cause harassment, alarm or distress can be an offence "
        "(Public Order Act 1986, sections 4 and 4A). You can decide if you want to inform the police.",
        "5.2, 2.3.2",
    ),
    "assault": (
        "Assault",
        "Actual or common assault, including being put in fear of violence, should be reported to the police.",
        "5.4.2",
    ),
    "damage": (
        "Damage to property",
        "Damage to property, such as arson, or a threat to damage it, should be reported to the police.",
        "5.4.2",
    ),
    "harassment": (
        "Harassment or stalking",
        "According to the police, harassment means a 'course of conduct' (two or more related occurrences); it need "
        "not be violent, but must be oppressive and have caused some alarm or distress. Harassment and stalking "
        "would also require police involvement.",
        "4.5.4, 5.4.3",
    ),
    "hate": (
        "Hate incident",
        "Targeted because of race, religion, disability, sexual orientation or transgender status; you have a duty to report it.",
        "2.10.2",
    ),
    "malicious-communication": (
        "Malicious or offensive communication",
        "A message that is grossly offensive, indecent, obscene, threatening or menacing can be an offence on its own.",
        "4.5.5",
    ),
    "abusive": (
        "Abusive (none of the above)",
        "Keep a record even if you mean to ignore it: incidents may escalate. Report it to the council.",
        "4.2.1",
    ),
    "other": (
        "Other",
        "Anything that caused you concern is worth recording.",
        "5.4.5",
    ),
}

NOT_LEGAL_ADVICE = (
    'These labels are a record, not legal advice: the guidance "does not take the place of legal advice or '
    'personalised advice from the police" (guidance section 1), and "it does not necessarily follow that the '
    'police or courts will regard it as intimidatory behaviour in law" (guidance 4.1.3).'
)

NOT_LEGAL_ADVICE_SHORT = (
    "A record, not legal advice: the police or courts may not regard it as intimidation in law "
    "(guidance section 1, 4.1.3)."
)
