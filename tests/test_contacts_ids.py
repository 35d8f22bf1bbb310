"""Contacts are named by a stable id: after a removal, `t` acts on the row it is on."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from textual.widgets import DataTable

from safety_tui.common import paths
from safety_tui.common.clock import FixedClock
from safety_tui.ui.app import create_app
from safety_tui.wiring import open_store
from tests.helpers import fill, open_highlighted, settle, wizard_draft, wizard_step

T0 = datetime(2026, 11, 25, 13, 0, tzinfo=timezone.utc)


def _app(tmp_path: Path):
    return create_app(
        data_dir=tmp_path / "data",
        clock=FixedClock(T0),
        tz="Europe/London",
        layers=[("bundled", paths.bundled_checklists_dir())],
    )


async def _to_contacts(pilot, app) -> None:
    await open_highlighted(pilot)
    assert app.screen.query_one("#contacts", DataTable) is not None


async def _add(pilot, name: str, phone: str) -> None:
    await fill(pilot, name)
    await pilot.press("enter")
    await fill(pilot, phone)
    await pilot.press("enter")


def _contacts(app):
    plan = app.store.get_plan(app.store.resolve("last"))
    return {c.name: c for c in plan.contacts}, plan


async def test_told_after_a_removal_toggles_the_highlighted_contact(tmp_path):
    app = _app(tmp_path)
    with open_store(tmp_path / "data", FixedClock(T0)) as store:
        wizard_draft(store, FixedClock(T0), "contacts")
    async with app.run_test(size=(80, 30)) as pilot:
        await _to_contacts(pilot, app)
        for name, phone in (("Ann", "0111"), ("Bob", "0222"), ("Cy", "0333")):
            await _add(pilot, name, phone)
        before, _ = _contacts(app)
        table = app.screen.query_one("#contacts", DataTable)
        table.focus()
        await pilot.press("down", "delete")  # remove Bob, the second row
        await settle(pilot)
        after_removal, _ = _contacts(app)
        assert set(after_removal) == {"Ann", "Cy"}
        table.move_cursor(row=1)  # Cy's row now
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        contacts, plan = _contacts(app)
        assert contacts["Cy"].told is not before["Cy"].told  # the row under the cursor changed
        assert contacts["Ann"].told is before["Ann"].told  # and nobody else
        last = plan.audit[-1]
        assert (last.event, last.detail) == (
            "told" if contacts["Cy"].told else "not told",
            f"contact {contacts['Cy'].id}",
        )
        assert "Cy" in str(table.get_row_at(table.cursor_row)[0]) or table.row_count == 2


async def test_a_contact_removed_in_another_window_is_said_not_crashed_on(tmp_path):
    app = _app(tmp_path)
    with open_store(tmp_path / "data", FixedClock(T0)) as store:
        wizard_draft(store, FixedClock(T0), "contacts")
    async with app.run_test(size=(80, 30)) as pilot:
        await _to_contacts(pilot, app)
        await _add(pilot, "Ann", "0111")
        await _add(pilot, "Bob", "0222")
        contacts, plan = _contacts(app)
        other = open_store(tmp_path / "data", FixedClock(T0))  # a second window on the same draft
        other.remove_contact(plan.ref, contacts["Ann"].id)
        other.close()
        table = app.screen.query_one("#contacts", DataTable)
        table.focus()
        table.move_cursor(row=0)  # the screen still shows Ann there
        await pilot.press("t")  # on a contact that is gone: said, not crashed on, nobody else touched
        await settle(pilot)
        assert app.is_running and type(wizard_step(app)).__name__ == "ContactsStep"
        after, _ = _contacts(app)
        assert set(after) == {"Bob"} and after["Bob"].told is contacts["Bob"].told
        assert table.row_count == 1  # the list was refreshed: Bob is the highlighted row now
        await pilot.press("t")
        await settle(pilot)
        final, _ = _contacts(app)
        assert final["Bob"].told is not contacts["Bob"].told
