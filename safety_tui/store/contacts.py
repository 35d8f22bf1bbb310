"""Who was told: a plan's contacts, each with a stable id, and the saved address book.

A contact is always named by its ``id`` (``Contact.id``), never by its place in
a list: another window may have removed or added one meanwhile. Core: no Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from safety_tui.common.errors import PlanError
from safety_tui.plans.lifecycle import check_editable
from safety_tui.store.database import Database
from safety_tui.store.rows import contact_from_row

if TYPE_CHECKING:
    from safety_tui.plans.model import Contact


class ContactBook:
    """A plan's contacts and the saved address book: the store's ``contact_book``."""

    def __init__(self, db: Database):
        self.db = db

    def add_contact(self, ref: str, name: str, phone: str = "", told: bool = False, remember: bool = True) -> int:
        """Add someone to the plan (checked by the model's rules: a ``PlanError``); returns their contact id."""
        from safety_tui.plans.model import Contact, validated

        contact = validated(Contact, name=name, phone=phone)
        plan_id = self.db.plan_id(ref)
        with self.db.transaction() as c:
            check_editable(self.db.status_in(c, plan_id))
            position = c.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM plan_contacts WHERE plan_id = ?", (plan_id,)
            ).fetchone()[0]
            cursor = c.execute(
                "INSERT INTO plan_contacts(plan_id, position, name, phone, told_utc) VALUES (?, ?, ?, ?, ?)",
                (plan_id, position, contact.name, contact.phone, self.db.now_text() if told else None),
            )
            contact_id = int(cursor.lastrowid or 0)
            if remember:
                c.execute(
                    """INSERT INTO saved_contacts(name, phone, last_used_utc) VALUES (?, ?, ?)
                       ON CONFLICT(name, phone) DO UPDATE SET last_used_utc = excluded.last_used_utc""",
                    (contact.name, contact.phone, self.db.now_text()),
                )
            self.db.audit(plan_id, "contact added", f"contact {contact_id}")
        return contact_id

    def contacts(self, ref: str) -> list[Contact]:
        plan_id = self.db.plan_id(ref)
        return [
            contact_from_row(r, self.db.path, ref)
            for r in self.db.rows("SELECT * FROM plan_contacts WHERE plan_id = ? ORDER BY position, id", (plan_id,))
        ]

    def set_told(self, ref: str, contact_id: int, told: bool = True) -> None:
        """Mark one contact told (now) or not told. A contact removed meanwhile is a ``PlanError``."""
        plan_id = self.db.plan_id(ref)
        with self.db.transaction() as c:
            cursor = c.execute(
                "UPDATE plan_contacts SET told_utc = ? WHERE plan_id = ? AND id = ?",
                (self.db.now_text() if told else None, plan_id, contact_id),
            )
            if cursor.rowcount == 0:
                raise PlanError("that contact is no longer on this plan (it was removed, perhaps in another window)")
            self.db.audit(plan_id, "told" if told else "not told", f"contact {contact_id}")

    def remove_contact(self, ref: str, contact_id: int) -> None:
        """Take one contact off the plan. Removing one already gone changes nothing."""
        plan_id = self.db.plan_id(ref)
        with self.db.transaction() as c:
            check_editable(self.db.status_in(c, plan_id))
            cursor = c.execute("DELETE FROM plan_contacts WHERE plan_id = ? AND id = ?", (plan_id, contact_id))
            if cursor.rowcount:
                self.db.audit(plan_id, "contact removed", f"contact {contact_id}")

    def forget_saved_contact(self, name: str, phone: str) -> None:
        """Remove someone from the address book (plans that told them keep their record)."""
        with self.db.transaction() as c:
            c.execute("DELETE FROM saved_contacts WHERE name = ? AND phone = ?", (name, phone))

    def saved_contacts(self) -> list[Contact]:
        from safety_tui.plans.model import Contact

        return [
            Contact.model_construct(name=r[0], phone=r[1])
            for r in self.db.rows("SELECT name, phone FROM saved_contacts ORDER BY last_used_utc DESC, name")
        ]
