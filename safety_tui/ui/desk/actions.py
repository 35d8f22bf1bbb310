"""What a duty officer does on the desk: claim, record, close, reveal, export.

:class:`DutyActions` is the desk app's ``duty`` part: it holds the desk (for the highlighted
plan, the server's clock and the dialogs) and its database (every write runs off the event
loop and is followed by a fresh read of the board). The app's key actions call it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safety_tui.common import paths
from safety_tui.council import action_log, desk_data
from safety_tui.council.db import Conn
from safety_tui.council.desk_data import DeskPlan
from safety_tui.ui.desk.dialogs import CloseAlert, Reason
from safety_tui.ui.desk.work import DeskDatabase, Problem

if TYPE_CHECKING:
    from safety_tui.ui.desk.app import DeskApp


class DutyActions:
    """Claim, record, close, reveal and export, on the plan highlighted on the desk."""

    def __init__(self, desk: DeskApp, database: DeskDatabase) -> None:
        self.desk = desk
        self.database = database
        self.revealed: dict[int, str] = {}  # code words shown on the desk, by plan id

    def _overdue_selected(self) -> DeskPlan | None:
        plan = self.desk.selected()
        if plan is None or not (plan.is_overdue(self.desk.server_now()) or plan.help_open()):
            self.desk.notify("Choose an overdue plan (or a call for help) first.", severity="warning")
            return None
        return plan

    def acknowledge(self) -> None:
        if (plan := self._overdue_selected()) is None:
            return

        def claim(conn: Conn) -> None:
            if not desk_data.acknowledge(conn, plan.id):
                self.desk.post_message(Problem("Another duty officer has already claimed this alert."))

        self.database.run(claim)

    def record(self, kind: str) -> None:
        if (plan := self.desk.selected()) is None:
            return

        def write(conn: Conn) -> None:
            if plan.is_overdue(self.desk.server_now()):
                desk_data.acknowledge(conn, plan.id)  # acting on an unclaimed alert claims it
            desk_data.record(conn, plan.id, kind)

        self.database.run(write)
        self.desk.notify(f"Recorded: {desk_data.KINDS[kind]}.")

    def safe(self) -> None:
        if (plan := self._overdue_selected()) is None:
            return

        def reasoned(reason: str | None) -> None:
            if not reason:
                return

            def write(conn: Conn) -> None:
                desk_data.acknowledge(conn, plan.id)
                desk_data.record(conn, plan.id, "reached-safe", reason)
                desk_data.close(conn, plan.id, "safe", reason)

            self.database.run(write)

        self.desk.push_screen(Reason("Reached and safe: how do you know? (it goes into their audit trail)"), reasoned)

    def close_alert(self) -> None:
        if (plan := self._overdue_selected()) is None:
            return

        def chosen(outcome: str | None) -> None:
            if not outcome:
                return

            def reasoned(reason: str | None) -> None:
                if reason:
                    self.database.run(
                        lambda conn: (
                            desk_data.acknowledge(conn, plan.id),
                            desk_data.close(conn, plan.id, outcome, reason),
                        )
                    )

            label = desk_data.OUTCOMES[outcome]
            self.desk.push_screen(Reason(f"Close as {label}: why? (it goes into their audit trail)"), reasoned)

        self.desk.push_screen(CloseAlert(), chosen)

    def reveal(self) -> None:
        if (plan := self.desk.selected()) is None:
            return

        def reveal(conn: Conn) -> None:
            self.revealed[plan.id] = desk_data.reveal_code_word(conn, plan.id)

        self.database.run(reveal)

    def export(self) -> None:
        def export(conn: Conn) -> None:
            data = action_log.action_log_csv(conn).encode()
            target = paths.export_dir() / f"duty-log-{self.desk.server_now():%Y-%m-%d}.csv"
            try:
                paths.write_private(target, data, make_parents=True)
            except OSError as exc:
                self.desk.post_message(Problem(f"cannot write {target}: {exc.strerror or exc}"))
                return
            self.desk.call_from_thread(self.desk.notify, f"Action log saved to {target}", markup=False)

        self.database.run(export, reload=False)
