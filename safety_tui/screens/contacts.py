"""Step 4: who was told, and what they should do if you do not check in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, OptionList
from textual.widgets.option_list import Option

from safety_tui.screens.wizard import WizardScreen
from safety_tui.widgets import literal, literal_cell


class ContactsScreen(WizardScreen):
    STEP = "contacts"
    BINDINGS = [
        Binding("t", "toggle_told", "Told / not told"),
        Binding("delete", "remove", "Remove"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_top()
        with VerticalScroll():
            yield Label("Who knows where you are going and when you will finish?", classes="question")
            yield DataTable(id="contacts", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="add-row"):
                yield Input(placeholder="name", id="contact-name", max_length=100)
                yield Input(placeholder="phone", id="contact-phone", max_length=40)
                yield Button("Add", id="add-contact")
            with Vertical(id="saved-box"):
                yield Label("Saved contacts (Enter adds; Delete forgets one):", classes="hint")
                yield OptionList(id="saved")
            yield Label("If there is no check-in by the finish time plus grace, they should:", classes="question")
            yield Input(self.plan().escalation, id="escalation", max_length=2000)
        yield from self.compose_bottom()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Phone", "Told")
        self._refresh_contacts()
        self._fill_saved()
        self.query_one("#contact-name", Input).focus()

    def _fill_saved(self) -> None:
        saved = self.query_one("#saved", OptionList)
        saved.clear_options()
        self.saved = self.store.saved_contacts()
        for index, contact in enumerate(self.saved):
            saved.add_option(Option(literal(f"{contact.name}  {contact.phone}"), id=str(index)))
        if self.saved:
            saved.highlighted = 0  # Enter and Delete always have a visible target
        self.query_one("#saved-box").display = bool(self.saved)

    def _refresh_contacts(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        plan = self.plan()
        for contact in plan.contacts:
            told = f"told {plan.local(contact.told_at):%H:%M}" if contact.told_at else "NOT YET"
            table.add_row(literal_cell(contact.name), literal_cell(contact.phone), told, key=str(contact.id))

    def _add(self, name: str, phone: str) -> None:
        if not name.strip():
            self.notify("Give the contact a name.", severity="warning")
            return
        if any(c.name == name.strip() and c.phone == phone.strip() for c in self.plan().contacts):
            self.notify(f"{name.strip()} is already on the list.", severity="warning", timeout=3)
            return
        if self.guarded(self.store.add_contact, self.ref, name, phone, told=True) is not None:
            self.notify(f"Added {name.strip()}, marked as told now. Press t to change.", timeout=3)
        self._refresh_contacts()

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
            self.guarded(self.store.update, self.ref, escalation=event.value)

    def _selected(self) -> int | None:
        """The contact id of the highlighted row (a stable id, never a list position)."""
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
        return int(row_key.value) if row_key.value is not None else None

    def action_toggle_told(self) -> None:
        contact_id = self._selected()
        if contact_id is None:
            return
        contact = next((c for c in self.plan().contacts if c.id == contact_id), None)
        if contact is not None:
            self.guarded(self.store.set_told, self.ref, contact_id, not contact.told)
        else:
            self.notify("That contact was removed in another window.", severity="warning", timeout=4)
        self._refresh_contacts()

    def action_remove(self) -> None:
        saved = self.query_one("#saved", OptionList)
        if saved.has_focus:
            if saved.highlighted is not None and self.saved:
                contact = self.saved[saved.highlighted]
                if self.guarded(self.store.forget_saved_contact, contact.name, contact.phone) is not None:
                    self.notify(f"{contact.name} removed from saved contacts.", timeout=3)
                self._fill_saved()
            return
        contact_id = self._selected()
        if contact_id is not None:
            self.guarded(self.store.remove_contact, self.ref, contact_id)
            self._refresh_contacts()

    def save(self) -> bool:
        plan = self.plan()
        if not plan.contacts:
            self.notify("Nobody told yet: this will show as a risk at review.", severity="warning", timeout=4)
        return True
