"""Step 3: the checklist walk, one item at a time, single keys to answer."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Label, ProgressBar, Static

from safety_tui.checklists.compose import Composition, WalkItem
from safety_tui.checklists.model import Checklist, Item
from safety_tui.checklists.vocabulary import Answer, ItemType, valid_answers
from safety_tui.plans.model import ItemAnswer, Plan, answer_key
from safety_tui.ui.dialogs.jump import JumpDialog, JumpEntry
from safety_tui.ui.dialogs.text_prompt import TextPrompt
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.step import WizardStep, unless_taken_down
from safety_tui.ui.widgets import literal
from safety_tui.ui.widgets.item_card import ItemCard

ANSWER_KEYS = {
    "d": Answer.DONE,
    "x": Answer.NOT_DONE,
    "a": Answer.NOT_APPLICABLE,
    "y": Answer.YES,
    "n": Answer.NO,
}


class WalkStep(WizardStep, can_focus=True):
    """The walk takes the focus: its single keys answer the item shown."""

    DEFAULT_CSS = """
    WalkStep #walk {
        height: 1fr;
        padding: 0 1;
    }
    WalkStep #answer-buttons {
        height: 1;
        margin-top: 1;
    }
    WalkStep #answer-buttons Button {
        margin-right: 2;
    }
    WalkStep .progress-row {
        height: 1;
        margin-top: 1;
    }
    WalkStep .progress-label {
        width: 16;
    }
    WalkStep #walk-status {
        margin-top: 1;
        color: $text-muted;
    }
    WalkStep #walk-satisfied {
        color: $text-muted;
    }
    """
    BINDINGS = [
        Binding("d", "answer('d')", "Done"),
        Binding("x", "answer('x')", "Not done"),
        Binding("a", "answer('a')", "N/A"),
        Binding("y", "answer('y')", "Yes"),
        Binding("n", "answer('n')", "No"),
        Binding("m", "note", "Note"),
        Binding("left,k", "move(-1)", "Prev"),
        Binding("right,j", "move(1)", "Next item"),
        Binding("g", "jump", "Jump"),
    ]

    position: reactive[int] = reactive(0, always_update=True, init=False)
    """Index in ``sequence`` of the item shown; len(sequence) when every item has an answer."""

    def __init__(self, ref: str, *, id: str | None = None) -> None:
        super().__init__(ref, id=id)
        self.composition: Composition | None = None
        self.checklists: list[Checklist] = []
        self.sequence: list[tuple[Checklist, Item]] = []
        self.critical: set[str] = set()  # keys of the walk items counted as critical (a group's, too)
        self.answers: dict[str, ItemAnswer] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="walk"):
            yield ItemCard(id="card")
            with Horizontal(id="answer-buttons"):
                # The mouse works too: each button runs the same action as its key.
                yield Button("d Done", id="answer-d", compact=True, classes="check-answer")
                yield Button("x Not done", id="answer-x", compact=True, classes="check-answer")
                yield Button("a N/A", id="answer-a", compact=True, classes="check-answer")
                yield Button("y Yes", id="answer-y", compact=True, classes="question-answer")
                yield Button("n No", id="answer-n", compact=True, classes="question-answer")
            with Horizontal(classes="progress-row"):
                yield Label("This checklist", classes="progress-label")
                yield ProgressBar(id="progress-checklist", show_eta=False)
            with Horizontal(classes="progress-row"):
                yield Label("All checklists", classes="progress-label")
                yield ProgressBar(id="progress-all", show_eta=False)
            yield Static(id="walk-status")
            yield Static(id="walk-satisfied")

    @unless_taken_down
    def on_mount(self) -> None:
        self.load()

    def shown(self, fresh: bool) -> None:
        if not fresh:
            self.load()  # the checklists chosen on the first step
        self.put_cursor(self)

    @reports_errors
    def load(self) -> None:
        """Read the plan: its checklists composed, its answers, and the item to show."""
        plan = self.plan()
        self.composition = plan.composition()
        self.checklists = list(self.composition.checklists)
        self.critical = {e.key for e in self.composition.before if e.critical}
        self._rebuild(plan)
        self._show_satisfied()
        keys = [answer_key(c.id, i.id) for c, i in self.sequence]
        if plan.cursor in keys:
            self.position = keys.index(plan.cursor)
        else:
            self.position = self._first_unanswered(plan)

    # -- model ----------------------------------------------------------------
    def _rebuild(self, plan: Plan | None = None) -> None:
        plan = plan or self.plan()
        self.answers = plan.answers
        self.sequence = self._pairs(plan.walk_items())

    def _pairs(self, entries: list[WalkItem]) -> list[tuple[Checklist, Item]]:
        by_id = {c.id: c for c in self.checklists}
        return [(by_id[e.checklist_id], e.item) for e in entries]

    def _show_satisfied(self) -> None:
        """Items another step carries out (or asked once elsewhere) are named, never asked here."""
        satisfied = self.composition.satisfied if self.composition else ()
        steps = sorted({e.satisfied_by for e in satisfied if e.step is not None and e.satisfied_by})
        shared = sum(1 for e in satisfied if e.step is None)
        parts = [f"{sum(1 for e in satisfied if e.satisfied_by == s)} done by {s}" for s in steps]
        if shared:
            parts.append(f"{shared} asked once already")
        text = f"Not asked here: {'; '.join(parts)}." if parts else ""
        self.query_one("#walk-satisfied", Static).update(literal(text))

    def _first_unanswered(self, plan: Plan) -> int:
        for index, (checklist, item) in enumerate(self.sequence):
            if plan.answer(checklist.id, item.id) is None:
                return index
        return len(self.sequence)

    def current(self) -> tuple[Checklist, Item] | None:
        if 0 <= self.position < len(self.sequence):
            return self.sequence[self.position]
        return None

    # -- view -----------------------------------------------------------------
    def watch_position(self) -> None:
        self._show()
        self.refresh_bindings()  # the keys offered follow the item shown

    def _show(self) -> None:
        card = self.query_one(ItemCard)
        status = self.query_one("#walk-status", Static)
        current = self.current()
        total = len(self.sequence)
        answered = sum(1 for c, i in self.sequence if answer_key(c.id, i.id) in self.answers)
        bar_all = self.query_one("#progress-all", ProgressBar)
        bar_all.update(total=max(total, 1), progress=answered)
        if current is None:
            for button in self.query("#answer-buttons Button"):
                button.display = False
            card.show_message(
                "All checklists", f"Every item has an answer ({answered} of {total}). Press Ctrl+N for the code word."
            )
            self.query_one("#progress-checklist", ProgressBar).update(total=1, progress=1)
            status.update("")
            return
        checklist, item = current
        card.show(checklist, item, self.answers.get(answer_key(checklist.id, item.id)))
        question = item.type is ItemType.QUESTION
        for button in self.query(".check-answer"):
            button.display = not question
        for button in self.query(".question-answer"):
            button.display = question
        in_list = [(c, i) for c, i in self.sequence if c.id == checklist.id]
        done_here = sum(1 for c, i in in_list if answer_key(c.id, i.id) in self.answers)
        self.query_one("#progress-checklist", ProgressBar).update(total=len(in_list), progress=done_here)
        number = self.checklists.index(checklist) + 1
        keys = "y yes · n no" if item.type is ItemType.QUESTION else "d done · x not done · a n/a"
        status.update(
            literal(
                f"Item {self.position + 1} of {total} · list {number} of {len(self.checklists)} · {keys} · m note · g jump"
            )
        )

    # -- actions ----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the answers the item shown takes (a to-do: done, not done, n/a; a question:
        yes, no); none, and no note, once every item has an answer."""
        if action == "answer":
            current = self.current()
            key = str(parameters[0]) if parameters else ""
            return current is not None and key in ANSWER_KEYS and ANSWER_KEYS[key] in valid_answers(current[1].type)
        if action == "note":
            return self.current() is not None
        return True

    @on(Button.Pressed, "#answer-buttons Button")
    def _answer_button(self, event: Button.Pressed) -> None:
        """The mouse works too: each button gives the same answer as its key."""
        key = (event.button.id or "").removeprefix("answer-")
        if key in ANSWER_KEYS:
            self.action_answer(key)

    @reports_errors
    def action_answer(self, key: str) -> None:
        current = self.current()
        if current is None:
            return
        checklist, item = current
        value = ANSWER_KEYS[key]
        if value not in valid_answers(item.type):  # not offered (check_action): never recorded
            return
        existing = self.answers.get(answer_key(checklist.id, item.id))
        note = existing.note if existing else ""
        if value is Answer.NOT_DONE and answer_key(checklist.id, item.id) in self.critical:

            def with_reason(reason: str | None) -> None:
                if reason is not None:
                    self._record(checklist, item, value, reason)

            self.app.push_screen(
                TextPrompt("A critical item. Why is it not done? (a risk at review)", note, required=True),
                with_reason,
            )
            return
        self._record(checklist, item, value, note)

    @reports_errors
    def _record(self, checklist: Checklist, item: Item, value: Answer, note: str) -> None:
        # Work out where the walk goes next before saving, so the cursor is saved with the answer.
        plan = self.plan()
        given = {c.id: plan.answers_for(c.id) for c in self.checklists}
        given[checklist.id][item.id] = value.value
        composition = self.composition or plan.composition()
        sequence = self._pairs(composition.walk(given))
        here = next(n for n, (c, i) in enumerate(sequence) if c.id == checklist.id and i.id == item.id)
        after = sequence[here + 1] if here + 1 < len(sequence) else None
        cursor = answer_key(after[0].id, after[1].id) if after else "end"
        self.pending.pop("cursor", None)  # this answer saves the newer cursor
        self.app.store.set_answer(self.ref, checklist.id, item.id, value, note, cursor=cursor)
        # The plan was read once, above: the answer just saved joins it here, not by reading it again.
        saved = ItemAnswer(
            checklist_id=checklist.id,
            item_id=item.id,
            value=value,
            note=ItemAnswer.clean_note(note),
            answered_at=self.app.clock.now(),
        )
        self.answers = {**plan.answers, answer_key(checklist.id, item.id): saved}
        self.sequence = sequence
        self.position = here + 1

    def action_move(self, step: int) -> None:
        self.position = max(0, min(len(self.sequence), self.position + step))
        self._save_cursor()

    def _save_cursor(self) -> None:
        current = self.current()
        self.stage(cursor=answer_key(current[0].id, current[1].id) if current else "end")

    def action_note(self) -> None:
        current = self.current()
        if current is None:
            return
        checklist, item = current
        existing = self.answers.get(answer_key(checklist.id, item.id))
        if existing is None:
            self.notify("Answer the item first, then add a note.", severity="warning", timeout=3)
            return

        def save(note: str | None) -> None:
            if note is not None:
                self._save_note(checklist, item, note)

        self.app.push_screen(TextPrompt("Note on this item", existing.note, multiline=True), save)

    @reports_errors
    def _save_note(self, checklist: Checklist, item: Item, note: str) -> None:
        self.app.store.set_note(self.ref, checklist.id, item.id, note)
        self._rebuild()
        self._show()

    def action_jump(self) -> None:
        entries = [
            JumpEntry(answer_key(c.id, i.id), c.title, i.text, self.answers.get(answer_key(c.id, i.id)))
            for c, i in self.sequence
        ]

        def jump(key: str | None) -> None:
            if key is None:
                return
            keys = [answer_key(c.id, i.id) for c, i in self.sequence]
            if key in keys:
                self.position = keys.index(key)
                self._save_cursor()

        self.app.push_screen(JumpDialog(entries, self.position), jump)
