"""Step 2: title, place and times, with forgiving time entry and inline errors."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Input, Label, Static

from safety_tui.common.timefmt import format_duration, format_span, format_when
from safety_tui.plans import settings as personal
from safety_tui.plans.lifecycle import add_real_time, reschedule_start, visit_length
from safety_tui.plans.timeparse import (
    FinishBeforeStart,
    TimeParseError,
    default_start,
    entry_text,
    parse_finish,
    parse_when,
)
from safety_tui.ui.screens.step import WizardStep, unless_taken_down
from safety_tui.ui.widgets import show_literal
from safety_tui.ui.widgets.text_input import TextInput

TEXT_FIELDS = ("title", "location", "owner_name")
PAST_START_SLACK = timedelta(minutes=1)  # times are kept to the minute: 'now' is never 'in the past'


class DetailsStep(WizardStep):
    BINDINGS = [Binding("ctrl+y", "next_day", "Finish next day", show=False)]
    DEFAULT_CSS = """
    DetailsStep #details-grid {
        grid-size: 2;
        grid-columns: 18 1fr;
        grid-rows: 3;
        height: auto;
        margin: 0 1;
    }
    DetailsStep .field-label {
        padding: 1 1 0 0;
        text-align: right;
        width: 100%;
    }
    DetailsStep #details-summary {
        margin: 0 1;
        color: $success;
    }
    DetailsStep #details-error {
        height: auto;
    }
    """

    def compose(self) -> ComposeResult:
        plan = self.plan()
        self.plan_tz = plan.tz
        # A repeat (title and place copied) needs only its new times: the cursor starts there.
        self.first_field = "#start" if plan.title and plan.location and plan.start is None else "#title"
        now = self.app.clock.now()
        start = plan.local(plan.start) or default_start(now, plan.tz)
        finish = plan.local(plan.finish) or add_real_time(start, timedelta(hours=1))
        with VerticalScroll():
            # Result and errors first: always in view, even on a 24-row terminal.
            yield Static(id="details-error", classes="error")
            yield Static(id="details-summary")
            with Grid(id="details-grid"):
                yield Label("Title", classes="field-label")
                yield TextInput(plan.title, placeholder="e.g. Mrs Smith, damp complaint", id="title", max_length=200)
                yield Label("Where", classes="field-label")
                yield TextInput(plan.location, placeholder="address or venue", id="location", max_length=500)
                yield Label("Your name", classes="field-label")
                yield TextInput(
                    plan.owner_name, placeholder="as your contact knows you", id="owner_name", max_length=100
                )
                yield Label("Your phone", classes="field-label")
                yield TextInput(
                    personal.owner_phone(self.app.store),
                    placeholder="the number your contact rings (kept for next time)",
                    id="phone",
                    max_length=40,
                )
                yield Label("Start", classes="field-label")
                yield TextInput(
                    entry_text(start, plan.tz, now=now), placeholder="14:30, 2:30pm, tomorrow 10:00", id="start"
                )
                yield Label("Expected finish", classes="field-label")
                yield TextInput(entry_text(finish, plan.tz, same_day_as=start), placeholder="15:30 or +1h", id="finish")
                yield Label("Grace (minutes)", classes="field-label")
                yield TextInput(str(plan.grace_minutes), id="grace", type="integer", max_length=4)

    @unless_taken_down
    def on_mount(self) -> None:
        self.next_day: datetime | None = None  # offered when the finish typed is before the start
        self.last_times: tuple[datetime, datetime] | None = None
        self._check()

    def shown(self, fresh: bool) -> None:
        self.put_cursor(
            self.query_one(self.first_field if fresh else "#title", Input)
        )  # only this step sets what it shows

    @on(Input.Changed, "#title, #location, #owner_name")
    def _text_changed(self, event: Input.Changed) -> None:
        field = event.input.id
        if field not in TEXT_FIELDS:
            return
        self.stage(**{field: event.value})
        if field == "owner_name":
            self.stage_setting(personal.NAME_KEY, event.value.strip())

    @on(Input.Changed, "#phone")
    def _phone_changed(self, event: Input.Changed) -> None:
        self.stage_setting(personal.PHONE_KEY, event.value.strip())

    @on(Input.Changed, "#start")
    def _start_changed(self) -> None:
        self._keep_length()
        self._check()

    @on(Input.Changed, "#finish, #grace")
    def _times_changed(self) -> None:
        self._check()

    def _keep_length(self) -> None:
        """A new start moves an absolute finish with it, so the visit keeps its length (the core's rule)."""
        if self.last_times is None:
            return
        old_start, old_finish = self.last_times
        now = self.app.clock.now()
        finish_box = self.query_one("#finish", Input)
        try:
            new_start = parse_when(self.query_one("#start", Input).value, now, self.plan_tz)
        except (TimeParseError, ValueError):
            return
        try:  # a finish that reads the same from the new start is absolute (15:30), else relative (+1h)
            relative = parse_finish(finish_box.value, new_start, now, self.plan_tz) != old_finish
        except FinishBeforeStart:
            relative = False  # 15:30 is now before the start: it is a time of day, so it moves
        except (TimeParseError, ValueError):
            return
        if relative or new_start == old_start:
            return  # '+1h' already follows the start
        moved = reschedule_start(old_start, old_finish, new_start)
        if moved.finish is not None:
            finish_box.value = entry_text(moved.finish, self.plan_tz, same_day_as=new_start)

    def action_next_day(self) -> None:
        """The finish typed was before the start: make it that time on the next day."""
        if self.next_day is None:
            return
        start = parse_when(self.query_one("#start", Input).value, self.app.clock.now(), self.plan_tz)
        self.query_one("#finish", Input).value = entry_text(self.next_day, self.plan_tz, same_day_as=start)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.screen.focus_next()

    def _parse(self) -> tuple[datetime, datetime, int]:
        now = self.app.clock.now()
        start = parse_when(self.query_one("#start", Input).value, now, self.plan_tz)
        finish = parse_finish(self.query_one("#finish", Input).value, start, now, self.plan_tz)
        grace = int(self.query_one("#grace", Input).value.strip() or "0")  # its range: the plan's rule
        return start, finish, grace

    def _check(self) -> bool:
        """Parse the times, show the result or the error inline, stage them when valid."""
        error = self.query_one("#details-error", Static)
        summary = self.query_one("#details-summary", Static)
        self.next_day = None
        try:
            start, finish, grace = self._parse()
        except FinishBeforeStart as exc:
            self.next_day = exc.next_day
            when = format_when(exc.next_day, self.plan_tz)
            show_literal(error, f"{exc}  Press Ctrl+Y to finish on the next day ({when}).")
            return False
        except (TimeParseError, ValueError) as exc:
            show_literal(error, str(exc))
            return False
        self.last_times = (start, finish)
        self.stage(start=start, finish=finish, grace_minutes=grace)
        show_literal(error, "")
        due = add_real_time(finish, timedelta(minutes=grace))
        text = (
            f"{format_span(start, finish, self.plan_tz)} ({format_duration(visit_length(start, finish))}). "
            f"Your contact should worry from {format_when(due, self.plan_tz, same_day_as=start)}."
        )
        if start < self.app.clock.now() - PAST_START_SLACK:  # 'now' typed a moment ago is not the past
            text += "  Note: the start is in the past."
        show_literal(summary, text)
        return True

    def save(self) -> bool:
        return self._check() and self.flush()
