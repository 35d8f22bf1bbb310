"""What a duty officer does on the desk: claim, record, close, reveal, export.

The base of :class:`safety_tui.ui.desk.app.DeskApp`; every database write runs off the
event loop through the app's ``_db`` and is followed by a fresh read of the board.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from textual.app import App
from textual.message import Message

from safety_tui.common import paths
from safety_tui.council import desk_data, report
from safety_tui.council.db import Conn
from safety_tui.council.desk_data import DeskPlan
from safety_tui.ui.desk.dialogs import CloseAlert, Reason


class Problem(Message):
    """Something the officer must read (posted from worker threads)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class DeskActions(App[int]):
    """Key actions; the desk app below provides the methods declared here."""

    def _db(self, job: Callable[[Conn], object], *, reload: bool = True) -> None:
        raise NotImplementedError

    def selected(self) -> DeskPlan | None:
        raise NotImplementedError

    def server_now(self) -> datetime:
        raise NotImplementedError

    _revealed: dict[int, str]

    def _overdue_selected(self) -> DeskPlan | None:
        plan = self.selected()
        if plan is None or not (plan.is_overdue(self.server_now()) or plan.help_open()):
            self.notify("Choose an overdue plan (or a call for help) first.", severity="warning")
            return None
        return plan

    def action_acknowledge(self) -> None:
        if (plan := self._overdue_selected()) is None:
            return

        def claim(conn: Conn) -> None:
            if not desk_data.acknowledge(conn, plan.id):
                self.post_message(Problem("Another duty officer has already claimed this alert."))

        self._db(claim)

    def action_record(self, kind: str) -> None:
        if (plan := self.selected()) is None:
            return

        def write(conn: Conn) -> None:
            if plan.is_overdue(self.server_now()):
                desk_data.acknowledge(conn, plan.id)  # acting on an unclaimed alert claims it
            desk_data.record(conn, plan.id, kind)

        self._db(write)
        self.notify(f"Recorded: {desk_data.KINDS[kind]}.")

    def action_safe(self) -> None:
        if (plan := self._overdue_selected()) is None:
            return

        def reasoned(reason: str | None) -> None:
            if not reason:
                return

            def write(conn: Conn) -> None:
                desk_data.acknowledge(conn, plan.id)
                desk_data.record(conn, plan.id, "reached-safe", reason)
                desk_data.close(conn, plan.id, "safe", reason)

            self._db(write)

        self.push_screen(Reason("Reached and safe: how do you know? (it goes into their audit trail)"), reasoned)

    def action_close_alert(self) -> None:
        if (plan := self._overdue_selected()) is None:
            return

        def chosen(outcome: str | None) -> None:
            if not outcome:
                return

            def reasoned(reason: str | None) -> None:
                if reason:
                    self._db(lambda conn: (desk_data.acknowledge(conn, plan.id),
                                           desk_data.close(conn, plan.id, outcome, reason)))

            label = desk_data.OUTCOMES[outcome]
            self.push_screen(Reason(f"Close as {label}: why? (it goes into their audit trail)"), reasoned)

        self.push_screen(CloseAlert(), chosen)

    def action_reveal(self) -> None:
        if (plan := self.selected()) is None:
            return

        def reveal(conn: Conn) -> None:
            self._revealed[plan.id] = desk_data.reveal_code_word(conn, plan.id)

        self._db(reveal)

    def action_export(self) -> None:
        def export(conn: Conn) -> None:
            data = report.action_log_csv(conn).encode()
            target = paths.export_dir() / f"duty-log-{self.server_now():%Y-%m-%d}.csv"
            try:
                paths.write_private(target, data, make_parents=True)
            except OSError as exc:
                self.post_message(Problem(f"cannot write {target}: {exc.strerror or exc}"))
                return
            self.call_from_thread(self.notify, f"Action log saved to {target}", markup=False)

        self._db(export, reload=False)
