"""A screen styled once when it is first shown, not twice."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.message_pump import MessagePump


class StyledOnce(MessagePump):
    """Put before a Screen class in the bases: the screen's first ScreenResume keeps the styles.

    Textual styles every widget as it is mounted, then restyles the screen's whole tree again on
    the ScreenResume that follows a push, although nothing changed in between: for a wizard step
    that is about a sixth of the time from the key to the drawn screen. So the first ScreenResume
    a screen receives (the one posted by the push that showed it) asks for no restyle. Every later
    one (the screen shown again after a dialog or another screen) is left as Textual posts it: the
    app's theme or the screen's state may have changed while it was hidden.
    """

    _resumed_before = False

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self._resumed_before:
            self._resumed_before = True
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)
