"""The key bar at the bottom: Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    """Textual's Footer rebuilds all its keys each time the screen says its bindings changed, and a
    screen says so several times while it opens (focus moves, the stack changes): six rebuilds for
    one wizard step. This one lets the signals that arrive before a pending rebuild join it, and
    rebuilds only when what it would show differs from what it shows.

    Each key it builds also starts in the style it will keep: Textual's FooterKey starts compact
    and is then bound to the footer's (not compact) setting, so every key was restyled twice as
    it mounted (about a sixth of an app test's CPU)."""

    rebuild_pending = False
    showing: tuple[object, ...] | None = None
    """The keys shown: (key, action, description, enabled, tooltip, group) of each."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.rebuild_pending:
            return
        super().bindings_changed(screen)  # schedules a rebuild when this footer's screen is in front
        self.rebuild_pending = screen.app.app_focus and self.is_attached and screen is self.screen

    def keys_to_show(self) -> tuple[object, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return tuple(
            (key, binding.action, binding.description, enabled, tooltip, binding.group)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The palette key is not bound to the footer's setting: it keeps its own.
                compact = widget.compact if widget.has_class("-command-palette") else self.compact
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    async def recompose(self) -> None:
        self.rebuild_pending = False
        if not self.is_attached:
            return
        keys = self.keys_to_show()
        if keys == self.showing:
            return
        self.showing = keys
        await super().recompose()
