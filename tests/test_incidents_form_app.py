"""The incident form through the real app: where the cursor is shows without colour, What happened
takes several lines, and the hint names the keys that work in the field the cursor is in."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from safety_tui.incidents import IncidentLog
from safety_tui.ui.screens.incidents import open_quick_capture
from safety_tui.wiring import open_store
from tests.helpers import build_app, screen_lines, seen


def row_of(app, text: str) -> str:
    return next(line for line in screen_lines(app) if text in line)


def cursor_is_drawn(widget) -> bool:
    """The focused field draws its cursor with an attribute (reverse), which survives NO_COLOR."""
    return any(
        segment.style is not None and segment.style.reverse
        for y in range(widget.size.height)
        for segment in widget.render_line(y)
    )


async def test_the_focused_field_has_a_marker_and_a_cursor_without_colour(data_dir, clock, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(data_dir, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        open_quick_capture(app)
        for _ in range(100):  # until the form has drawn its focus (a busy machine may take a few frames)
            await pilot.pause(0.05)
            if row_of(app, "What happened").lstrip().startswith("›"):
                break
        assert row_of(app, "What happened").lstrip().startswith("› What happened")
        assert not row_of(app, "When").lstrip().startswith("›")
        assert isinstance(app.focused, TextArea) and cursor_is_drawn(app.focused)
        assert "In What happened: typing goes here; Enter: new line; Tab: next field." in await seen(pilot)
        await pilot.press("tab")
        for _ in range(100):  # until the next field has drawn its focus
            await pilot.pause(0.05)
            if isinstance(app.focused, Input) and cursor_is_drawn(app.focused):
                break
        assert row_of(app, "When").lstrip().startswith("› When")
        assert not row_of(app, "What happened").lstrip().startswith("›")
        assert isinstance(app.focused, Input) and app.focused.id == "f-when" and cursor_is_drawn(app.focused)
        assert "In When: typing goes here; Enter or Tab: next field" in await seen(pilot)
        await pilot.press("tab", "tab")
        assert row_of(app, "Channel").lstrip().startswith("› Channel")
        assert "On Channel: Enter opens the list" in await seen(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "In the list for Channel: ↑/↓ choose, Enter takes it, Escape closes the list." in await seen(pilot)
        assert row_of(app, "Channel").lstrip().startswith("› Channel")


async def test_what_happened_takes_several_lines(app, data_dir):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        open_quick_capture(app)
        await pilot.pause()
        for key in ["R", "a", "n", "g", "enter", "T", "h", "e", "n", "space", "c", "a", "m", "e"]:
            await pilot.press(key)
        await pilot.press("tab", "tab")
        for key in "Jo Bloggs":
            await pilot.press("space" if key == " " else key)
        assert "In Who: typing goes here; ; between people" in await seen(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    with open_store(data_dir) as store:
        [incident] = IncidentLog.of(store).incidents()
    assert incident.what == "Rang\nThen came" and [p.label for p in incident.people] == ["Jo Bloggs"]
