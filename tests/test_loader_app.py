"""What an officer's edit does to the app: a replaced checklist is named on Today and in the wizard,
and an edit saved while a plan is being made reaches the app, is announced, and applies to new plans
while the plan being made keeps its snapshot."""

from __future__ import annotations

import pytest
from textual.widgets import SelectionList

from safety_tui.ui.screens.visit_type import VisitTypeStep
from tests.conftest import valid_yaml, write_yaml
from tests.helpers import build_app, seen, wizard_step


@pytest.mark.slow
async def test_a_council_version_is_named_on_today_and_in_the_wizard(data_dir, clock, tmp_path):
    org = tmp_path / "org"
    write_yaml(org, "home-visit.yaml", valid_yaml(id="home-visit", title="Home visit"))
    app = build_app(data_dir, clock, org)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("escape")  # close nothing; Today resumes with the catalog loaded
        text = await seen(pilot)
        assert "In use: Home visit: the council's version, 3 items." in text
        await pilot.press("n")
        text = await seen(pilot)
        assert isinstance(wizard_step(app), VisitTypeStep)
        assert "In use: Home visit: the council's version, 3 items." in text
        options: SelectionList[str] = app.screen.query_one("#checklists", SelectionList)
        index = [options.get_option_at_index(i).value for i in range(options.option_count)].index("home-visit")
        await pilot.press("tab", "tab")  # the checklists of this visit
        await pilot.press(
            *["down"] * (index - (options.highlighted if options.highlighted is not None else -1)), "space"
        )
        assert "home-visit" not in [c.checklist_id for c in app.store.get_plan(app.screen.ref).checklists]
        assert "the council's version" not in await seen(pilot)


@pytest.mark.slow
async def test_bundled_only_says_nothing_about_versions(app):
    async with app.run_test(size=(100, 30)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("n")
        assert "In use:" not in await seen(pilot)


@pytest.mark.slow
async def test_an_edit_while_a_plan_is_made_is_announced_and_only_new_plans_get_it(data_dir, clock, tmp_path):
    org = tmp_path / "org"
    path = write_yaml(org, "home-visit.yaml", valid_yaml(id="home-visit", title="Home visit"))
    app = build_app(data_dir, clock, org)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await app.wait_for_catalog()
        await pilot.press("n")
        await seen(pilot)
        ref = app.screen.ref
        path.write_text(
            path.read_text(encoding="utf-8").replace("Meet at a neutral venue.", "Meet somewhere public."),
            encoding="utf-8",
        )
        app.watch_checklist_files()  # what the app's timer does every couple of seconds
        for _ in range(200):
            text = await seen(pilot)
            if "Checklist changed" in text:
                break
        # The toast wraps over the screen: its lines are read one by one.
        assert "Home visit changed. This plan keeps the" in text
        assert "version it was started with; new plans get the" in text
        kept = app.store.get_plan(ref).checklist("home-visit")
        assert [i.text for i in kept.items()][-1] == "Meet at a neutral venue."
        assert [i.text for i in app.catalog.get("home-visit").items()][-1] == "Meet somewhere public."
        await pilot.press("ctrl+w")  # close the wizard: the draft waits on Today
        await pilot.press("n")
        await seen(pilot)
        fresh = app.store.get_plan(app.screen.ref).checklist("home-visit")
        assert [i.text for i in fresh.items()][-1] == "Meet somewhere public."


async def test_an_edit_on_today_reloads_quietly(data_dir, clock, tmp_path):
    org = tmp_path / "org"
    path = write_yaml(org, "home-visit.yaml", valid_yaml(id="home-visit", title="Home visit"))
    app = build_app(data_dir, clock, org)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await app.wait_for_catalog()
        path.write_text(
            path.read_text(encoding="utf-8").replace("title: Home visit", "title: Council visit"), encoding="utf-8"
        )
        app.watch_checklist_files()
        for _ in range(200):
            await pilot.pause()
            if app.catalog.get("home-visit").title == "Council visit":
                break
        assert app.catalog.get("home-visit").title == "Council visit"
        text = await seen(pilot)
        assert "Checklist changed" not in text  # no plan is being made: nothing to warn about
        assert "In use: Council visit: the council's version, 3 items." in text


@pytest.mark.slow
async def test_the_checklists_screen_shows_a_replacement_that_drops_critical_items(data_dir, clock, tmp_path):
    from tests.test_loader_officer import _estate_walkabout

    _estate_walkabout(tmp_path / "org")
    app = build_app(data_dir, clock, tmp_path / "org")
    async with app.run_test(size=(160, 40)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("l")
        text = await seen(pilot)
        assert "0 error(s), 1 warning(s)" in text
        assert "warning: this checklist replaces the bundled version of 'home-visit'" in text
