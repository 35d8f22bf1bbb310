"""``safety-tui desk``: the duty officer's live list of plans in progress across the council.

Overdue plans are at the top, in red, with the bell and the minutes overdue, judged
by the server's clock. The feed is LISTEN/NOTIFY (see :mod:`safety_tui.ui.desk.live`);
every notification and every reconnect re-reads the whole board. A watchdog shows
"desk disconnected" as soon as the heartbeat is late; losing the database shows
"connection lost, retrying" and the desk catches up when it returns.

The app is made of parts: its ``database`` (:mod:`safety_tui.ui.desk.work`, the work done off
the event loop), its ``duty`` actions (:mod:`safety_tui.ui.desk.actions`, what the keys do)
and its ``feed`` (:mod:`safety_tui.ui.desk.live`).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from safety_tui.common.text import printable
from safety_tui.council import desk_data
from safety_tui.council.db import masked
from safety_tui.council.desk_data import Board, DeskPlan
from safety_tui.council.desk_rows import BadRow
from safety_tui.ui.desk import render
from safety_tui.ui.desk.actions import DutyActions
from safety_tui.ui.desk.live import Changed, Connected, Heartbeat, LiveEvent, LiveFeed, Lost
from safety_tui.ui.desk.table import BoardTable
from safety_tui.ui.desk.work import LOST, BoardLoaded, DeskDatabase, Problem
from safety_tui.ui.widgets.crash import CrashHandling
from safety_tui.ui.widgets.footer import Footer

DISCONNECTED = "desk disconnected: the list may be out of date"
LOUD_EVERY = 20.0  # seconds between bells while an alert nobody claimed stays open


class Live(Message):
    def __init__(self, event: LiveEvent) -> None:
        super().__init__()
        self.event = event


class DeskApp(CrashHandling):
    CSS_PATH = "desk.tcss"
    TITLE = "safety-tui duty desk"
    CRASH_MESSAGE = (
        "The duty desk stopped because of a bug ({kind}). The plans are safe on the council's server: "
        "start the desk again at once (safety-tui desk).\n{where}"
    )
    BINDINGS = [
        Binding("a", "acknowledge", "Ack"),
        Binding("c", "record('called-councillor')", "Called"),
        Binding("k", "record('called-contact')", "Contact"),
        Binding("p", "record('escalated-police')", "Police"),
        Binding("s", "safe", "Safe"),
        Binding("o", "close_alert", "Close"),
        Binding("r", "reveal", "Reveal"),
        Binding("x", "export", "CSV"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, url: str, *, heartbeat: float = 2.0, stale_after: float = 6.0, retry: float = 1.0) -> None:
        super().__init__()
        self.url = url
        self.heartbeat, self.stale_after, self.retry = heartbeat, stale_after, retry
        self.board: Board | None = None
        self.connected = False
        self.lost_reason = ""
        self._server_at = (datetime.now().astimezone(), time.monotonic())
        self._last_beat = time.monotonic()
        self._seen_overdue: set[tuple[int, datetime]] = set()
        self._last_loud = 0.0
        self._shown_second = -1
        self._seen_bad: set[int] = set()
        self.database = DeskDatabase(self, url, retry=retry)
        self.duty = DutyActions(self, self.database)
        self.feed = LiveFeed(url, self._post_live, heartbeat=heartbeat, retry=retry)

    def _post_live(self, event: LiveEvent) -> None:
        self.post_message(Live(event))  # thread-safe

    def compose(self) -> ComposeResult:
        yield Static(id="status", markup=False)
        yield Static(id="alarm", markup=False)
        table: DataTable[object] = DataTable(id="board", cursor_type="row", zebra_stripes=True)
        self.table = BoardTable(table, table.add_columns("State", "Due", "Councillor", "Claimed by", "Phone", "Visit"))
        yield table
        yield Static(id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._set_status(f"connecting to {masked(self.url)}")
        self.feed.start()
        self.set_interval(0.5, self._tick)

    def on_unmount(self) -> None:
        self.database.stop()
        self.feed.stop()

    # -- the duty officer's keys: the duty part does the work ---------------------------------
    def action_acknowledge(self) -> None:
        self.duty.acknowledge()

    def action_record(self, kind: str) -> None:
        self.duty.record(kind)

    def action_safe(self) -> None:
        self.duty.safe()

    def action_close_alert(self) -> None:
        self.duty.close_alert()

    def action_reveal(self) -> None:
        self.duty.reveal()

    def action_export(self) -> None:
        self.duty.export()

    # -- the server's clock -------------------------------------------------------------------
    def server_now(self) -> datetime:
        at, mono = self._server_at
        return at + timedelta(seconds=time.monotonic() - mono)

    def _clock(self, server_now: datetime) -> None:
        self._server_at = (server_now, time.monotonic())
        self._last_beat = time.monotonic()

    # -- live feed ------------------------------------------------------------------------------
    @on(Live)
    def _live(self, message: Live) -> None:
        event = message.event
        if not self._on_screen():
            return
        if isinstance(event, Connected):
            self.connected, self.lost_reason = True, ""
            self._clock(event.server_now)
            self.database.reload()  # notifications sent while we were away are lost: read everything again
        elif isinstance(event, Changed):
            self.database.reload()
        elif isinstance(event, Heartbeat):
            self._clock(event.server_now)
        elif isinstance(event, Lost):
            self.connected, self.lost_reason = False, event.reason
        self._refresh_status()

    @on(BoardLoaded)
    def _loaded(self, message: BoardLoaded) -> None:
        self.board = message.board
        if not self._on_screen():
            return
        self._clock(message.board.server_now)
        self._draw()

    @on(Problem)
    def _problem(self, message: Problem) -> None:
        self.notify(message.text, severity="error", markup=False)

    # -- drawing ----------------------------------------------------------------------------------
    def _set_status(self, text: str, style: str = "") -> None:
        self.query_one("#status", Static).update(Content.styled(text, style), layout=False)  # one line, always

    def _refresh_status(self) -> None:
        stale = time.monotonic() - self._last_beat > self.stale_after
        if not self.connected and self.lost_reason:
            self._set_status(f"{LOST} ({self.lost_reason})", "bold white on red")
        elif stale or not self.connected:
            self._set_status(DISCONNECTED, "bold white on red")
        else:
            count = len(self.board.plans) if self.board else 0
            bad = len(self.board.bad) if self.board else 0
            overdue = self._open_alerts()
            unreadable = f", {bad} that cannot be read" if bad else ""
            self._set_status(
                f"Duty desk: {count} plan(s) on the desk, {len(overdue)} overdue{unreadable}. "
                f"Server time {render.clock(self.server_now())}.",
                "bold red" if overdue or bad else "",
            )

    def _open_alerts(self) -> list[DeskPlan]:
        if self.board is None:
            return []
        now = self.server_now()
        return [p for p in self.board.plans if (a := p.alert(now, self.board.ladder)) is not None and not a.outcome]

    def _tick(self) -> None:
        if not self._on_screen():
            return
        self._refresh_status()
        if self.board is None:
            return
        now = self.server_now()
        new = [p for p in self._open_alerts() if (p.id, p.due_at) not in self._seen_overdue]
        if {b.id for b in self.board.bad} - self._seen_bad:  # a row nobody can judge rings once
            self._seen_bad.update(b.id for b in self.board.bad)
            self.bell()
        if new:
            self._seen_overdue.update((p.id, p.due_at) for p in new)
            self.bell()
            self.database.run(lambda conn: desk_data.raise_alerts(conn, [p.id for p in new]), reload=False)
        late = [p for p in self._open_alerts() if (a := p.alert(now, self.board.ladder)) is not None and a.late]
        alarm = self.query_one("#alarm", Static)
        if late:
            names = ", ".join(printable(p.name or p.owner) for p in late[:3])
            alarm.update(
                Content.styled(
                    f"!! ESCALATE: {len(late)} alert(s) unclaimed or behind the ladder: {names}", "bold white on red"
                ),
                layout=not alarm.display,
            )
            alarm.display = True
            if time.monotonic() - self._last_loud > LOUD_EVERY:
                self._last_loud = time.monotonic()
                self.bell()
        else:
            alarm.display = False
        if int(now.timestamp()) != self._shown_second:  # the countdown ticks every second
            self._draw()

    def _draw(self) -> None:
        if self.board is None:
            return
        now = self.server_now()
        self._shown_second = int(now.timestamp())
        self.table.show(
            [
                (f"bad-{row.id}", render.bad_cells(row))
                if isinstance(row, BadRow)
                else (str(row.id), render.row_cells(row, row.alert(now, self.board.ladder), now))
                for row in self.board.rows(now)
            ]
        )
        self._draw_detail()
        self._refresh_status()

    def _draw_detail(self) -> None:
        plan = self.selected()
        panel = self.query_one("#detail", Static)
        bad = self.selected_bad()
        if bad is not None:
            panel.update(render.bad_detail(bad), layout=False)  # a fixed height: no layout on each key press
            return
        if plan is None or self.board is None:
            panel.update("No plans in progress." if self.board is not None else "", layout=False)
            return
        alert = plan.alert(self.server_now(), self.board.ladder)
        panel.update(render.detail(plan, alert, self.board.ladder, self.duty.revealed.get(plan.id)), layout=False)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        if self._on_screen():
            self._draw_detail()

    def _on_screen(self) -> bool:
        """False while the app starts or shuts down (late messages then have nothing to draw on)."""
        return self.is_running and bool(self.screen.query("#board"))

    def _selected_key(self) -> str | None:
        return self.table.selected_key() if self.board is not None else None

    def selected(self) -> DeskPlan | None:
        key = self._selected_key()
        if key is None or self.board is None:
            return None
        return next((p for p in self.board.plans if str(p.id) == key), None)

    def selected_bad(self) -> BadRow | None:
        """The highlighted row when it is one the desk cannot read (no action applies to it)."""
        key = self._selected_key()
        if key is None or self.board is None:
            return None
        return next((b for b in self.board.bad if f"bad-{b.id}" == key), None)
