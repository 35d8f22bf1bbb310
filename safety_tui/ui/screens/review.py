"""Step 6: everything on one screen, risks first; then save as ready or start now."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Label, Static
from textual.worker import get_current_worker

from safety_tui.checklists.compose import BriefingGroup, compose_plan
from safety_tui.checklists.vocabulary import MODE_LABELS, VISIT_LABELS
from safety_tui.common.timefmt import format_span, format_when
from safety_tui.plans.export import contact_message_parts, message_text
from safety_tui.plans.lifecycle import Status
from safety_tui.plans.model import Plan
from safety_tui.plans.settings import owner_phone, set_title_in_message, title_in_message
from safety_tui.plans.summary import MASK
from safety_tui.store.repository import Store
from safety_tui.ui.dialogs.briefing import ReadingDialog, briefing_card
from safety_tui.ui.screens import plan_commands
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.step import WizardStep, unless_taken_down
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.bullets import BulletText


def summary_lines(plan: Plan, revealed: bool) -> list[str]:
    answered, total = plan.progress()
    told = ", ".join(f"{c.name} ({'told' if c.told else 'NOT told'})" for c in plan.contacts) or "nobody"
    code = (plan.code_word if revealed else MASK) if plan.code_word else "none"
    when = (
        f"When: {format_span(plan.start, plan.finish, plan.tz)}, "
        f"worry from {format_when(plan.due_at, plan.tz, same_day_as=plan.start)}"
        if plan.start and plan.finish
        else "When: (not set)"
    )
    return [
        f"{VISIT_LABELS.get(plan.visit_type, '')}: {plan.title or '(no title)'}",
        f"Where: {plan.location or '(not given)'}",
        when,
        f"Travel: {', '.join(MODE_LABELS[m] for m in plan.travel_modes) or 'not given'}",
        f"Told: {told}",
        f"Code word: {code}  means: {plan.code_meaning or '(not given)'}",
        f"Checklists: {answered} of {total} items answered",
    ]


READING_INCIDENTS = "Checking earlier incidents at this place and with this person..."


class ReviewStep(WizardStep):
    DEFAULT_CSS = """
    ReviewStep #review {
        padding: 0 1;
    }
    ReviewStep #risks {
        margin: 0 1;
        color: $success;
    }
    ReviewStep #risks.-has-risks {
        color: $error;
        text-style: bold;
    }
    ReviewStep #summary, ReviewStep #briefing, ReviewStep .message {
        margin: 0 1;
    }
    ReviewStep .message {
        border: round $secondary;
        padding: 0 1;
        height: auto;
    }
    """
    # Short labels: at 80 columns the footer must show the two that finish the plan.
    BINDINGS = [
        Binding("g", "start_plan", "Start"),
        Binding("s", "save_ready", "Save"),
        Binding("c", "copy_message", "Copy"),
        Binding("q", "show_qr", "QR"),
        Binding("i", "export_ics", ".ics"),
        Binding("r", "toggle_reveal", "Show"),
        Binding("w", "toggle_code_word_in_message", "Code word in msg", show=False),
        Binding("t", "toggle_title_in_message", "Title in msg", show=False),
        Binding("b", "briefing", "Briefing", show=False),  # the briefing is on the page too
        Binding("p", "phone_link", "Phone link", show=False),  # with a council duty desk: the check-in link's QR
    ]

    def __init__(self, ref: str, *, id: str | None = None) -> None:
        super().__init__(ref, id=id)
        # The contact's message carries the code word and its meaning unless the councillor leaves it
        # out (w), as `export --no-code-word` does; on screen it stays masked until asked for (r).
        self.code_word_in_message = True

    revealed: reactive[bool] = reactive(False, init=False)
    """Whether the code word is shown (masked until asked for)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="review"):
            yield Label("Risks", classes="section-title")
            yield Static(id="risks")
            yield Label("The plan", classes="section-title")
            yield Static(id="summary")
            yield Label(
                "Check in from your phone (p shows the link as a QR code to scan)",
                id="checkin-title",
                classes="section-title",
            )
            yield Static(id="checkin")
            yield Label("Briefing: read before you go (b shows it alone)", classes="section-title")
            yield BulletText(id="briefing")
            yield Label(
                "Message for your contact (c copies; w: code word in or out; t: title in or out)",
                classes="section-title",
            )
            yield Static(id="message", classes="message")

    earlier_incidents: list[str] | None = None
    """Risks from earlier incidents at this place or with this person: read once per visit to Review
    (the place and the title are set on Details)."""

    @unless_taken_down
    def on_mount(self) -> None:
        self.show_plan()
        self.refresh_checkin_address()

    def shown(self, fresh: bool) -> None:
        if not fresh:  # every step before may have changed what this page shows
            self.earlier_incidents = None
            self.show_plan()
            self.refresh_checkin_address()
        self.put_cursor(self.query_one("#review"))

    def refresh_checkin_address(self) -> None:
        """With a council duty desk: read the council's address for check-in links (in the background)."""
        from safety_tui.council.config import SETTING_URL, configured_url

        url = configured_url(self.app.store.setting(SETTING_URL))
        if url:
            self.run_worker(
                lambda: self._read_checkin_address(url),
                thread=True,
                exit_on_error=False,
                description="read the check-in address",
            )

    def _read_checkin_address(self, url: str) -> None:
        from safety_tui.council.checkin_link import read_base_url
        from safety_tui.council.db import connect

        try:
            with connect(url) as conn:
                base = read_base_url(conn)
        except Exception:  # noqa: BLE001 - offline or refused: the address read last time stays
            return
        self.app.call_from_thread(self._remember_checkin_address, base)

    @reports_errors
    def _remember_checkin_address(self, base: str | None) -> None:
        from safety_tui.council.checkin_link import remember_base_url

        remember_base_url(self.app.store, base)
        self.show_plan()

    @work(
        thread=True,
        exclusive=True,
        group="review-incidents",
        exit_on_error=False,
        description="read the earlier incidents at this place",
    )
    def read_earlier_incidents(self, store: Store, plan: Plan) -> None:
        """Earlier incidents at this place or with this person (2.4.2), on a connection of the worker's own."""
        from safety_tui.common.errors import SafetyError
        from safety_tui.incidents import IncidentLog
        from safety_tui.incidents.own_connection import own_connection
        from safety_tui.incidents.visits import earlier_incident_lines

        try:
            with own_connection(store) as own:
                incidents = IncidentLog.of(own).incidents()
            lines = earlier_incident_lines(
                incidents, location=plan.location or "", title=plan.title or "", visit_type=plan.visit_type
            )
        except SafetyError as exc:  # said as a risk: the check the guidance asks for could not be made
            lines = [f"Earlier incidents could not be read: {exc}"]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_earlier_incidents, lines)

    def _show_earlier_incidents(self, lines: list[str]) -> None:
        self.earlier_incidents = lines
        self.show_plan()

    def watch_revealed(self) -> None:
        self.show_plan()

    @reports_errors
    def show_plan(self) -> None:
        """Draw the page from the plan as stored, read once and composed once (the composition is
        kept per version of the plan's checklists, shared with the walk and the exports)."""
        plan = self.plan()
        composition, answers = compose_plan(plan)
        from safety_tui.council.hook import sharing_line

        if self.earlier_incidents is None:  # read in a thread: the whole incident log, never on the UI thread
            self.earlier_incidents = [READING_INCIDENTS]
            self.read_earlier_incidents(self.app.store, plan)
        risks = plan.risks(self.app.clock.now()) + self.earlier_incidents
        risks += [line for line in (sharing_line(self.app.store),) if line]  # the duty desk has not had it yet
        risk_box = self.query_one("#risks", Static)
        risk_box.update(
            literal("\n".join(f"! {r}" for r in risks) if risks else "No risks found. Stay alert all the same.")
        )
        risk_box.set_class(bool(risks), "-has-risks")
        self.query_one("#briefing", BulletText).show(briefing_card(composition.briefing(answers)))
        self.query_one("#summary", Static).update(literal("\n".join(summary_lines(plan, self.revealed))))
        from safety_tui.council.checkin_link import link_lines

        phone = link_lines(self.app.store, plan)
        self.query_one("#checkin", Static).update(literal("\n".join(phone)))
        for box in ("#checkin", "#checkin-title"):
            self.query_one(box).display = bool(phone)
        parts = contact_message_parts(
            plan,
            include_code_word=self.code_word_in_message,
            phone=owner_phone(self.app.store),
            include_title=title_in_message(self.app.store, plan.uid),
        )
        # The code word is a part of its own: masked on screen until asked for, like the plan.
        self.query_one("#message", Static).update(literal(message_text(parts, mask=None if self.revealed else MASK)))

    @staticmethod
    def _briefing(plan: Plan) -> list[BriefingGroup]:
        composition, answers = compose_plan(plan)
        return composition.briefing(answers)

    @reports_errors
    def action_briefing(self) -> None:
        from safety_tui.council.checkin_link import link_lines

        plan = self.plan()
        phone = link_lines(self.app.store, plan)  # the phone check-in link, with a council duty desk
        card = "\n".join(phone + [""] if phone else []) + briefing_card(self._briefing(plan))
        self.app.push_screen(ReadingDialog("Briefing: during the visit", card))

    @reports_errors
    def action_phone_link(self) -> None:
        from safety_tui.council.checkin_link import plan_link
        from safety_tui.plans.qr import qr_text
        from safety_tui.ui.dialogs.qr import QrDialog

        link = plan_link(self.app.store, self.plan())
        if link is None:
            self.notify("Check-in from your phone needs a council duty desk (safety-tui council connect).", timeout=5)
            return
        self.app.push_screen(QrDialog(qr_text(link), "Scan with your phone to open its check-in page. Escape closes."))

    # -- the plan's own commands, with this page's choice of code word in or out ----------
    def action_copy_message(self) -> None:
        plan_commands.copy_message(self.app, self.ref, include_code_word=self.code_word_in_message)

    def action_show_qr(self) -> None:
        plan_commands.show_qr(self.app, self.ref, include_code_word=self.code_word_in_message)

    def action_export_ics(self) -> None:
        plan_commands.export_ics(self.app, self.ref, include_code_word=self.code_word_in_message)

    def action_start_plan(self) -> None:
        plan_commands.start(self.app, self.ref, self._started)

    def _started(self) -> None:
        self.app.pop_screen()  # the plan runs: back to Today

    def action_toggle_reveal(self) -> None:
        self.revealed = not self.revealed

    def action_toggle_code_word_in_message(self) -> None:
        """Put the code word and its meaning in the message (c, q) or take them out again."""
        self.code_word_in_message = not self.code_word_in_message
        where = "in the message (masked here until r)" if self.code_word_in_message else "left out of the message"
        self.notify(f"Code word {where}.", timeout=3)
        self.show_plan()

    @reports_errors
    def action_toggle_title_in_message(self) -> None:
        """Name the plan's title (the constituent, the case) in the message, or leave it out: kept per plan."""
        plan = self.plan()
        shown = set_title_in_message(self.app.store, plan.uid, not title_in_message(self.app.store, plan.uid))
        where = "named in the message" if shown else "left out of the message (the place and times stay)"
        self.notify(f"The title is {where}.", timeout=3)
        self.show_plan()

    @reports_errors
    def action_save_ready(self) -> None:
        if self.plan().status is Status.DRAFT:
            self.app.store.mark_ready(self.ref)
        self.app.store.update(self.ref, wizard_step="review")
        self.notify(f"Plan {self.ref} saved as ready. Start it from Today when you set off.", timeout=4)
        self.app.plans_changed(self.ref)
        self.app.pop_screen()
