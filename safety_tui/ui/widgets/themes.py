"""The app's own theme: high contrast (white on black, yellow for what matters), kept in the settings."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="safety-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaf00",
    error="#ff5f5f",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1c1c1c",
    dark=True,
    text_alpha=1.0,
    variables={
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-cursor-background": "#ffff00",
        "input-cursor-foreground": "#000000",
        "border": "#ffffff",
        "border-blurred": "#808080",
        "footer-key-foreground": "#ffff00",
    },
)
THEMES = (HIGH_CONTRAST,)


def use_saved_theme(app: App[Any], saved: str) -> None:
    """Offer the app's own themes beside Textual's, and start with the one chosen last time (if any)."""
    for theme in THEMES:
        app.register_theme(theme)
    if saved in app.available_themes:
        app.theme = saved
