"""The phone check-in page: HTML made for a small screen, and the headers every answer carries. Core: no Textual.

The page shows the due time and five big buttons, nothing else: no title, place, name or
code word, so a phone seen by someone else gives nothing away. ``help`` is answered with
exactly the page an extension of 15 minutes gets. No script, no cookie, no outside resource;
the style is allowed by its hash in the Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import html
from datetime import datetime, timezone

from safety_tui.common.timefmt import format_when

ACTIONS = ("safe", "extend-15", "extend-30", "extend-60", "help")
BUTTONS = (
    ("safe", "I'm safe", "safe"),
    ("extend-15", "Extend 15 min", "extend"),
    ("extend-30", "Extend 30 min", "extend"),
    ("extend-60", "Extend 60 min", "extend"),
    ("help", "Help", "help"),
)

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:0;padding:16px;background:#fff;color:#111}"
    "p{font-size:20px;margin:8px 0 16px}"
    ".due{font-size:28px;font-weight:bold}"
    "form{display:flex;flex-direction:column;gap:14px}"
    "button{font-size:24px;padding:22px 12px;border:0;border-radius:12px;width:100%}"
    ".safe{background:#176c2c;color:#fff}.extend{background:#e4e8ee;color:#111}.help{background:#8a1c1c;color:#fff}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    # No Referer ever leaves for another site (the link is the key); a same-origin form post keeps its Origin.
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}


def _page(body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>Check in</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def _due_line(due: datetime, tz: str) -> str:
    when = format_when(due, tz, same_day_as=datetime.now(timezone.utc))  # the date only when it is not today
    return f'<p>Due <span class="due" id="due">{html.escape(when)}</span></p>'


def checkin_page(due: datetime, tz: str, *, noted: bool = False) -> str:
    """The page with the buttons; ``noted`` after an extension (and after help, which must look the same)."""
    top = '<p id="noted">Noted.</p>' if noted else ""
    buttons = "".join(
        f'<button type="submit" name="action" value="{value}" class="{cls}">{html.escape(label)}</button>'
        for value, label, cls in BUTTONS
    )
    return _page(f'{top}{_due_line(due, tz)}<form method="post">{buttons}</form>')


def safe_page() -> str:
    """After "I'm safe" the link is spent (the desk has closed the plan), so the page says what to
    do if anything happens after all: ring 999 (a tap on a phone), then your contact."""
    return _page(
        '<p id="done">You are checked in as safe. This link no longer works.</p>'
        '<p id="after">If you are in danger after all, <a href="tel:999">ring 999</a>, then your contact.</p>'
    )


def message_page(text: str) -> str:
    return _page(f'<p id="message">{html.escape(text)}</p>')


NOT_FOUND = "This link does not work: the visit is finished, or the link is wrong or out of date."
NOT_RECORDED = "Could not record: ring your contact."
UNREACHABLE = "The check-in service cannot be reached just now: ring your contact."
TOO_MANY = "Too many tries from here. Wait a minute, or ring your contact."
FORBIDDEN = "Refused: open the link itself and use its buttons."
BAD_ACTION = "Not a check-in action: open the link again and use its buttons."
