"""The look every dialog shares: centred, a bordered box that fits an 80x24 terminal."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from safety_tui.ui.widgets.styled_once import StyledOnce

ResultType = TypeVar("ResultType")


class Dialog(StyledOnce, ModalScreen[ResultType]):
    """A modal dialog; answer with ``self.dismiss(value)``."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
    }
    Dialog .dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 2;
    }
    Dialog .dialog > Label {
        width: 100%;
    }
    Dialog .dialog-title {
        text-style: bold;
        margin-bottom: 1;
    }
    Dialog .dialog-hint {
        color: $text-muted;
    }
    Dialog .dialog-error {
        color: $error;
        display: none;
    }
    Dialog .dialog-error.-shown {
        display: block;
    }
    """
