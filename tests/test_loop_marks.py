"""State and focus without colour: characters mark chosen options and the current row (NO_COLOR too);
a high-contrast theme kept in the settings; hints name only keys that work where the cursor is."""

from __future__ import annotations

import os
import stat

import pytest

from safety_tui.ui.dialogs.choose import ChooseDialog
from safety_tui.ui.screens.contacts import ContactsStep
from safety_tui.ui.screens.visit_type import VisitTypeStep
from tests.helpers import build_app, full_plan, seen, wizard_step
from tests.helpers import fill as type_text


@pytest.fixture
def no_color_app(data_dir, clock, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    return build_app(data_dir, clock)


async def test_with_no_color_the_chosen_visit_and_travel_read_in_characters(no_color_app, store):
    app = no_color_app
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color  # Textual's NO_COLOR filter is on: colour tells nothing
        await pilot.press("n")
        await app.wait_for_catalog()
        assert isinstance(wizard_step(app), VisitTypeStep)
        text = await seen(pilot)
        assert "(•) Home visit" in text and "( ) Ward surgery" in text
        assert "[ ] Car" in text and "[x] Home visit" in text  # travel unchosen; its checklist chosen
        assert "› ( ) Ward surgery" in text or "›( ) Ward surgery" in text  # the cursor, in the focused list
        await pilot.press("tab", "space")  # to the travel list: choose Car
        text = await seen(pilot)
        assert "›[x] Car" in text
        assert "›(" not in text and "› (" not in text  # the visit list no longer has the cursor
    plan = store.get_plan(store.resolve("last"))
    assert [m.value for m in plan.travel_modes] == ["car"]


async def test_the_choice_lists_mark_the_current_row(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("k")
        assert isinstance(app.screen, ChooseDialog)
        text = await seen(pilot)
        assert "› An intimidating phone call" in text
        await pilot.press("down")
        text = await seen(pilot)
        assert "› An unannounced caller at your home" in text and "› An intimidating" not in text


async def test_the_whos_told_hint_names_t_only_where_t_works(app, store, clock):
    plan = full_plan(store, clock)
    store.update(plan.ref, wizard_step="contacts")
    async with app.run_test(size=(80, 30), notifications=True) as pilot:
        await pilot.press("enter")
        assert isinstance(wizard_step(app), ContactsStep)
        text = await seen(pilot)
        assert "t marks the highlighted person told" in text  # a plan with contacts: the list has the cursor
        assert "[x] told" in text  # told, in characters
        await pilot.press("tab")  # into the name box
        text = await seen(pilot)
        assert "Type a name" in text and "t marks" not in text and "press t" not in text
        await type_text(pilot, "Ann")
        assert app.screen.query_one("#contact-name").value == "Ann"


async def test_the_high_contrast_theme_is_offered_and_kept(data_dir, clock):
    app = build_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "safety-high-contrast" in app.available_themes
        app.theme = "safety-high-contrast"  # what Ctrl+P, Theme sets
        await pilot.pause()
    again = build_app(data_dir, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "safety-high-contrast"


async def test_the_screenshot_command_writes_a_private_file(app, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    monkeypatch.setenv("SAFETY_TUI_EXPORT_DIR", str(folder))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "screenshot")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if folder.exists() and list(folder.iterdir()):
                break
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == ".svg"
    assert stat.S_IMODE(os.stat(files[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


async def test_the_focused_field_is_drawn_with_a_double_line(no_color_app):
    from tests.helpers import screen_lines

    app = no_color_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await app.wait_for_catalog()
        await pilot.press("ctrl+n")  # Details: the cursor in Title
        await seen(pilot)
        rows = {line.split()[0]: line for line in screen_lines(app) if line.strip().split(" ")[0] in ("Title", "Where")}
        assert "║" in rows["Title"] and "║" not in rows["Where"]
        await pilot.press("tab")
        await seen(pilot)
        rows = {line.split()[0]: line for line in screen_lines(app) if line.strip().split(" ")[0] in ("Title", "Where")}
        assert "║" in rows["Where"] and "║" not in rows["Title"]
