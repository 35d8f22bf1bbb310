"""What every screen shares: typed access to the app's services and the one error boundary.

Screens reach the services through ``app = getters.app(SafetyAppBase)`` (the app as screens see
it, in :mod:`safety_tui.ui.app_base`); a :class:`~safety_tui.common.errors.SafetyError` a screen
method raises is shown by the app, through the :func:`reports_errors` decorator.
"""

from __future__ import annotations

import functools
from typing import Callable, Concatenate, ParamSpec, Protocol, TypeVar

from textual import events, getters, on
from textual.screen import Screen

from safety_tui.ui.app_base import PlansChanged as PlansChanged  # screens handle it by this name
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.widgets.styled_once import StyledOnce

P = ParamSpec("P")
R = TypeVar("R")


class ShowsErrors(Protocol):
    """A screen, or a part of one (a wizard step), that reaches the app's one error boundary."""

    @property
    def app(self) -> SafetyAppBase: ...


S = TypeVar("S", bound=ShowsErrors)


def reports_errors(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R | None]:
    """Decorate a screen (or wizard step) method: a SafetyError it raises is shown by the app, and it returns None."""

    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R | None:
        with self.app.reporting_errors():
            return method(self, *args, **kwargs)
        return None

    functools.update_wrapper(wrapper, method)  # keeps the name and signature Textual reads
    return wrapper


class SafetyScreen(StyledOnce, Screen[None]):
    """A full screen of the app, with typed access to the app's services."""

    app = getters.app(SafetyAppBase)

    @on(events.Mount)
    def _subscribe_to_plan_changes(self) -> None:
        self.app.plans_signal.subscribe(self, lambda ref: self.post_message(PlansChanged(ref)))

    def flush(self) -> bool:
        """Write anything typed but not yet saved (the wizard's steps); True when all is saved."""
        return True
