"""What the incident screens share: the log through the app's typed services, and its thread workers.

The workers read and write the log while the UI thread keeps answering keys.

Every incident screen is an :class:`IncidentScreen`, a
:class:`~safety_tui.ui.screens.base.SafetyScreen`: ``self.app`` is the typed
:class:`~safety_tui.ui.app_base.SafetyAppBase`, and a handler that may meet a refusal of the core is
decorated with :func:`~safety_tui.ui.screens.base.reports_errors` (or runs inside
``app.reporting_errors()``), so the app shows the core's message, the same way everywhere.

Reading and writing the log happen in thread workers (:meth:`IncidentScreen.read_log`,
:meth:`IncidentScreen.write_log`), each on a connection of its own
(:func:`~safety_tui.incidents.own_connection.own_connection`). The core computes an immutable
result; the worker posts one :class:`IncidentScreen.Done` message and the UI thread only shows it.
A refusal of the core in a worker is shown by the same boundary. One write at a time: a second
(Ctrl+S pressed twice) is refused while the first is in flight, and the screen says it is busy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from safety_tui.common.errors import SafetyError
from safety_tui.incidents.log import IncidentLog
from safety_tui.incidents.own_connection import own_connection
from safety_tui.incidents.validate import default_recorder
from safety_tui.ui.app_base import SafetyAppBase
from safety_tui.ui.screens.base import SafetyScreen

if TYPE_CHECKING:
    from safety_tui.store.repository import Store

T = TypeVar("T")


def incident_log(app: SafetyAppBase) -> IncidentLog:
    """The incident log in the app's store (StoreError, for the boundary, when the store is not open)."""
    return IncidentLog.of(app.store)


@dataclass(frozen=True)
class LogInThread:
    """What a worker's job gets: the log and the store on the worker's own connection."""

    store: Store
    log: IncidentLog

    def recorder(self) -> str:
        """Who signs an entry: your name in the settings, else your login name."""
        return default_recorder(self.store)


class IncidentScreen(SafetyScreen):
    """A full screen about incidents: the log, who signs an entry, the routes, the workers."""

    writing = ""
    """What the write in flight is doing ("Saving", ...), '' when none is."""

    @dataclass(repr=False)  # its repr goes to Textual's log: it carries plans and incidents
    class Done(Message):
        """A worker finished: ``apply`` shows its result (or its refusal) on the UI thread."""

        apply: Callable[[], None]

    @property
    def records(self) -> IncidentLog:
        """The incident log in the app's store (on the UI thread: for drafts, kept as you type)."""
        return incident_log(self.app)

    def recorder(self) -> str:
        """Who signs an entry: your name in the settings, else your login name."""
        return default_recorder(self.app.store)

    # -- the workers ----------------------------------------------------------------------
    def read_log(
        self, job: Callable[[LogInThread], T], show: Callable[[T], None], failed: Callable[[], None] | None = None
    ) -> None:
        """Run ``job`` in a thread (a newer read replaces one still running); ``show`` its result here.
        A refusal is shown by the boundary, after ``failed()`` (the screen says it cannot show it)."""
        with self.app.reporting_errors():  # the store not open: said at once
            self._read_worker(self.app.store, job, show, failed)

    def write_log(self, busy: str, job: Callable[[LogInThread], T], done: Callable[[T], None]) -> bool:
        """Run ``job`` (a write) in a thread unless one is in flight; ``done`` with its result here.
        While it runs the screen says ``busy`` ("Saving"); False (and said) when refused."""
        if self.writing:
            self.notify(
                f"{self.writing}: wait until it is done (nothing was done twice).", severity="warning", timeout=4
            )
            return False
        with self.app.reporting_errors():
            store = self.app.store
            self.set_writing(busy)
            self._write_worker(store, job, done)
            return True
        return False

    def set_writing(self, busy: str) -> None:
        """Say (or stop saying) that a write is in flight; screens show it their own way."""
        self.writing = busy

    @work(thread=True, exclusive=True, group="incident-read", description="read the incident log")
    def _read_worker(
        self,
        store: Store,
        job: Callable[[LogInThread], T],
        show: Callable[[T], None],
        failed: Callable[[], None] | None,
    ) -> None:
        outcome = self._run_job(store, job, show, write=False, failed=failed)
        if not get_current_worker().is_cancelled:  # a newer read is on its way: this one is stale
            self.post_message(self.Done(outcome))

    @work(thread=True, group="incident-write", description="write to the incident log")
    def _write_worker(self, store: Store, job: Callable[[LogInThread], T], done: Callable[[T], None]) -> None:
        outcome = self._run_job(store, job, done, write=True)

        def finish() -> None:
            self.set_writing("")
            outcome()

        self.post_message(self.Done(finish))

    @staticmethod
    def _run_job(
        store: Store,
        job: Callable[[LogInThread], T],
        then: Callable[[T], Any],
        *,
        write: bool,
        failed: Callable[[], None] | None = None,
    ) -> Callable[[], None]:
        """In the worker: the job on a connection of its own; what to do with the result on the UI thread."""
        try:
            with own_connection(store, write=write) as own:
                result = job(LogInThread(own, IncidentLog.of(own)))
        except SafetyError as error:
            return partial(_refused, error, failed)  # shown by the boundary on the UI thread
        return partial(then, result)

    def on_incident_screen_done(self, message: Done) -> None:
        with self.app.reporting_errors():
            message.apply()


def _refused(error: SafetyError, failed: Callable[[], None] | None) -> None:
    if failed is not None:
        failed()
    raise error
