"""The Who's told step: who was told (with the code word), and what they should do if you do not check in.

Telling a contact means telling them where and when, what to do, and the code word with its
meaning: the Code word step comes first, so the word exists when they are marked told.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from safety_tui.plans.model import Contact, Plan
from safety_tui.plans.summary import MASK
from safety_tui.ui.screens.base import reports_errors
from safety_tui.ui.screens.step import WizardStep, unless_taken_down
from safety_tui.ui.widgets import literal, literal_cell
from safety_tui.ui.widgets.text_input import TextInput


def contact_keys(plan: Plan) -> list[int]:
    """The store's stable id of each of the plan's contacts, in order (never a list position)."""
    return [c.id for c in plan.contacts if c.id is not None]


def tell_them(plan: Plan, revealed: bool) -> str:
    """What telling someone means on this step: the place and times, and the code word (masked until Ctrl+R)."""
    if not plan.code_word:
        return "Tell each person where and when and what to do. No code word yet: Esc goes back to agree one."
    word = plan.code_word if revealed else MASK
    shown = "" if revealed else " (Ctrl+R shows it)"
    meaning = plan.code_meaning or "call the police to this address"
    return f'Tell each person where and when, what to do, and the code word "{word}"{shown}: it means {meaning}'


class ContactsStep(WizardStep):
    DEFAULT_CSS = """
    ContactsStep #contacts {
        height: auto;
        max-height: 8;
        margin: 0 1;
    }
    ContactsStep #add-row {
        height: 3;
        margin: 1 1 0 1;
    }
    ContactsStep #add-row Input {
        width: 1fr;
    }
    ContactsStep #add-row Button {
        width: 9;
        min-width: 9;
        margin-right: 1;
    }
    ContactsStep #saved-box {
        height: auto;
    }
    ContactsStep #saved {
        height: auto;
        max-height: 5;
        margin: 0 1;
    }
    ContactsStep #escalation {
        margin: 0 1;
    }
    """
    BINDINGS = [
        Binding("t", "toggle_told", "Told / not told"),
        Binding("delete", "remove", "Remove"),
        Binding("ctrl+r", "reveal", "Show code word"),
    ]
    # What the keys do where the cursor is: a hint never names a key that would be typed into a box.
    HINTS = {
        "contacts": "On the list: t marks the highlighted person told (t again undoes it); Delete removes them.",
        "contact-name": "Type a name; Enter goes to the phone, Enter again adds them. Shift+Tab goes to the list.",
        "contact-phone": "Enter adds this person. Then tell them, and press t on their row in the list.",
        "saved": "Enter adds the highlighted saved contact; Delete forgets them.",
        "escalation": "What your contact should do. Ctrl+N goes on.",
    }

    def __init__(self, ref: str, *, id: str | None = None) -> None:
        super().__init__(ref, id=id)
        self.saved: list[Contact] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Who knows where you are going and when you will finish?", classes="question")
            yield Static(id="tell-them", classes="hint")
            yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
            yield Static(id="key-hint", classes="hint")
            with Horizontal(id="add-row"):
                yield TextInput(placeholder="name", id="contact-name", max_length=100)
                yield TextInput(placeholder="phone", id="contact-phone", max_length=40)
                yield Button("Add", id="add-contact")
            with Vertical(id="saved-box"):
                yield Label("Saved contacts (Enter adds; Delete forgets one):", classes="hint")
                yield OptionList(id="saved")
            yield Label("If there is no check-in by the finish time plus grace, they should:", classes="question")
            yield TextInput(self.plan().escalation, id="escalation", max_length=2000)

    @unless_taken_down
    def on_mount(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        table.add_columns("Name", "Phone", "Told")
        self.code_revealed = False
        self.show_plan()
        self._fill_saved()

    def shown(self, fresh: bool) -> None:
        if not fresh:
            self.show_plan()  # the code word, agreed on the step before
        if self.plan().contacts:  # a repeat: the people are listed, t is what is needed
            self.put_cursor(self.query_one(DataTable))
        else:
            self.put_cursor(self.query_one("#contact-name", Input))

    def on_descendant_focus(self) -> None:
        focused = self.screen.focused
        hint = self.HINTS.get(focused.id or "", "") if focused is not None else ""
        self.query_one("#key-hint", Static).update(literal(hint))

    def action_reveal(self) -> None:
        self.code_revealed = not self.code_revealed
        self.show_plan()

    def _fill_saved(self) -> None:
        saved = self.query_one("#saved", OptionList)
        saved.clear_options()
        self.saved = self.app.store.saved_contacts()
        for index, contact in enumerate(self.saved):
            saved.add_option(Option(literal(f"{contact.name}  {contact.phone}"), id=str(index)))
        if self.saved:
            saved.highlighted = 0  # Enter and Delete always have a visible target
        self.query_one("#saved-box").display = bool(self.saved)

    @reports_errors
    def show_plan(self) -> None:
        table: DataTable[object] = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        plan = self.plan()
        self.query_one("#tell-them", Static).update(literal(tell_them(plan, self.code_revealed)))
        for key, contact in zip(contact_keys(plan), plan.contacts, strict=True):
            told_at = plan.local(contact.told_at)
            told = f"[x] told {told_at:%H:%M}" if told_at else "[ ] NOT YET (t when told)"
            table.add_row(literal_cell(contact.name), literal_cell(contact.phone), literal_cell(told), key=str(key))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    @reports_errors
    def _add(self, name: str, phone: str) -> None:
        if not name.strip():
            self.notify("Give the contact a name.", severity="warning")
            return
        if any(c.name == name.strip() and c.phone == phone.strip() for c in self.plan().contacts):
            self.notify(f"{name.strip()} is already on the list.", severity="warning", timeout=3)
            return
        self.app.store.add_contact(self.ref, name, phone, told=False)
        self.notify(
            f"Added {name.strip()}. Tell them where and when, and the code word; then Shift+Tab to the list "
            "and press t on their row.",
            timeout=6,
        )
        self.show_plan()

    @on(Button.Pressed, "#add-contact")
    @on(Input.Submitted, "#contact-phone")
    def _add_typed(self) -> None:
        name_input = self.query_one("#contact-name", Input)
        phone_input = self.query_one("#contact-phone", Input)
        self._add(name_input.value, phone_input.value)
        name_input.value = phone_input.value = ""
        name_input.focus()

    @on(Input.Submitted, "#contact-name")
    def _next_field(self) -> None:
        self.query_one("#contact-phone", Input).focus()

    @on(OptionList.OptionSelected, "#saved")
    def _add_saved(self, event: OptionList.OptionSelected) -> None:
        contact = self.saved[int(event.option.id or 0)]
        self._add(contact.name, contact.phone)

    @on(Input.Changed, "#escalation")
    def _escalation(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.stage(escalation=event.value)

    def _selected(self) -> int | None:
        """The store key of the highlighted contact."""
        table: DataTable[object] = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    @reports_errors
    def action_toggle_told(self) -> None:
        key = self._selected()
        if key is None:
            return
        plan = self.plan()
        contact = dict(zip(contact_keys(plan), plan.contacts, strict=True)).get(key)
        if contact is None:
            self.notify("That contact was removed in another window.", severity="warning", timeout=4)
        else:
            self.app.store.set_told(self.ref, key, not contact.told)
        self.show_plan()

    @reports_errors
    def action_remove(self) -> None:
        saved = self.query_one("#saved", OptionList)
        if saved.has_focus:
            if saved.highlighted is not None and self.saved:
                contact = self.saved[saved.highlighted]
                self.app.store.forget_saved_contact(contact.name, contact.phone)
                self.notify(f"{contact.name} removed from saved contacts.", timeout=3)
                self._fill_saved()
            return
        key = self._selected()
        if key is not None:
            self.app.store.remove_contact(self.ref, key)
            self.show_plan()

    def save(self) -> bool:
        if not self.flush():
            return False
        plan = self.plan()
        if not plan.contacts:
            self.notify("Nobody told yet: this will show as a risk at review.", severity="warning", timeout=4)
        elif not any(c.told for c in plan.contacts):
            self.notify(
                "Nobody marked as told yet (t): this will show as a risk at review.", severity="warning", timeout=4
            )
        return True
