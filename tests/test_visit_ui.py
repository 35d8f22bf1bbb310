"""Planning in the app: the walk is the composition, the briefing, cards, reviews, repeat and quick plans.

Every test drives the real app with keys, reads the screen and checks the store.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import SelectionList

from safety_tui.checklists.compose import compose
from safety_tui.checklists.vocabulary import PLAN_VISIT_TYPES, VISIT_LABELS, ItemType
from tests.helpers import T0, bundled_catalog, fill, flat_text, seen, settle, wizard_step


def home_visit_draft(store, step: str = "walk", modes=("car",)):
    """A home-visit draft (by car) with the checklists the app chooses, left at ``step``."""
    catalog = bundled_catalog()
    chosen = [catalog.get(i) for i in catalog.matching("home-visit", list(modes))]
    plan = store.create_plan("home-visit", list(modes), chosen, tz="Europe/London", title="Mrs Smith")
    store.update(plan.ref, wizard_step=step)
    return plan.ref


async def walk_to_the_end(pilot, app) -> list[str]:
    """Answer the walk ('n' to questions, 'd' to checks) and return each item's 'where' line as shown."""
    shown: list[str] = []
    await settle(pilot)
    for _ in range(60):
        current = wizard_step(app).current()  # the item on screen, None once the walk is done
        if current is None:
            assert "Every item has an answer" in await seen(pilot)
            return shown
        where = str(app.screen.query_one("#card-where").render())
        shown.append(where)
        await pilot.press("n" if current[1].type is ItemType.QUESTION else "d")  # waits until it is handled
    raise AssertionError("the walk did not end")


@pytest.mark.slow  # a journey through several screens
async def test_the_walk_is_the_composition_in_order_and_steps_are_not_asked(app, store):
    """Main visit checklist, then travel, then basics; tell someone / code word left to their steps."""
    ref = home_visit_draft(store)
    composition = compose(bundled_catalog(), "home-visit", ["car"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        text = await seen(pilot)
        assert (
            "Not asked here: 1 done by the Code word step; 3 done by the Who's told step; 1 asked once already." in text
        )
        shown = await walk_to_the_end(pilot, app)
    titles = [where.split(" › ")[0] for where in shown]
    order = [c.title for c in composition.checklists]
    assert order == ["Home visit", "Travelling by car", "Personal safety basics"]
    assert titles == sorted(titles, key=order.index)  # never back to an earlier checklist
    assert set(titles) == set(order)
    plan = store.get_plan(ref)
    asked = {e.key for e in composition.walk({c.id: plan.answers_for(c.id) for c in composition.checklists})}
    assert set(plan.answers) == asked
    for satisfied in ("home-visit/tell-someone", "home-visit/code-word", "personal-safety-basics/someone-knows"):
        assert satisfied not in plan.answers
    assert plan.progress() == (len(asked), len(asked))
    assert plan.open_items() == (0, 0)


@pytest.mark.slow  # a journey through several screens
async def test_advice_shared_by_two_checklists_is_asked_once(app, store):
    """Ward surgery and the basics both say 'phone' and 'alarm': the walk asks the surgery's items only."""
    catalog = bundled_catalog()
    chosen = [catalog.get(i) for i in catalog.matching("surgery", [])]
    plan = store.create_plan("surgery", [], chosen, tz="Europe/London", title="Ward surgery")
    store.update(plan.ref, wizard_step="walk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        text = await seen(pilot)
        assert "2 asked once already" in text
        shown = await walk_to_the_end(pilot, app)
    answers = store.get_plan(plan.ref).answers
    assert "ward-surgery/phone-ready" in answers and "ward-surgery/personal-alarm" in answers
    assert "personal-safety-basics/phone-charged" not in answers
    assert "personal-safety-basics/personal-alarm" not in answers
    assert len(shown) == len(answers)
    assert shown[0].startswith("Ward surgery")


def answer_the_walk(store, ref: str) -> None:
    """Answer what the walk asks through the store, as ``walk_to_the_end`` does with keys ('no' to
    questions, 'done' to checks): a test of the steps after the walk does not walk it again."""
    while True:
        plan = store.get_plan(ref)
        composition = plan.composition()
        walk = composition.walk({c.id: plan.answers_for(c.id) for c in composition.checklists})
        unanswered = [entry for entry in walk if entry.key not in plan.answers]
        if not unanswered:
            return
        entry = unanswered[0]
        answer = "no" if entry.item.type is ItemType.QUESTION else "done"
        store.set_answer(ref, entry.checklist_id, entry.item.id, answer)


@pytest.mark.slow  # a journey through several screens
async def test_review_counts_only_what_the_walk_asks(app, store):
    """After the walk, Review finds no unanswered items: the step-carried ones are not counted."""
    ref = home_visit_draft(store)
    answer_the_walk(store, ref)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        assert "Every item has an answer" in await seen(pilot)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        text = await seen(pilot)
        assert "Review" in text
        assert "not answered yet" not in text
        assert "Nobody has been told" in text and "No code word agreed." in text
    assert store.get_plan(ref).open_items() == (0, 0)


async def test_a_critical_item_not_done_is_a_risk_only_when_the_walk_asks_it(store):
    """The plan's risk rule: a 'not done' on an item a step carries out is not a risk."""
    ref = home_visit_draft(store)
    store.set_answer(ref, "home-visit", "code-word", "not-done", note="old answer")
    store.set_answer(ref, "personal-safety-basics", "phone-charged", "not-done", note="flat")
    risks = store.get_plan(ref).risks(T0)
    assert any("reason: flat" in r for r in risks)
    assert not any("old answer" in r for r in risks)


async def test_the_visit_step_offers_plan_visit_types_and_visit_checklists_only(app):
    """Visit types with their labels; cards and periodic reviews are not offered as checklists."""
    catalog = bundled_catalog()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.press("n")
        text = await seen(pilot)
        for visit in PLAN_VISIT_TYPES:
            assert VISIT_LABELS[visit] in text
        options: SelectionList[str] = app.screen.query_one("#checklists", SelectionList)
        offered = {options.get_option_at_index(i).value for i in range(options.option_count)}
    from safety_tui.checklists.compose import for_visits

    expected = {c.id for c in for_visits(lc.checklist for lc in catalog.sorted())}
    assert offered == expected
    assert "phone-call" not in offered and "home-security" not in offered
    assert "home-visit" in offered


# -- 2. the briefing ------------------------------------------------------------------------------
def ready_home_visit(store, clock, title: str = "Mrs Smith re damp"):
    """A complete home visit by car (contact told, code word, times), left at Review."""
    from tests.helpers import full_plan

    plan = full_plan(store, clock)
    store.update(plan.ref, wizard_step="review", title=title)
    return plan.ref


@pytest.mark.slow  # a journey through several screens
async def test_review_shows_the_briefing_grouped_before_starting(app, store, clock):
    """Review carries the plan's during advice as a short card, grouped; b shows it alone."""
    ref = ready_home_visit(store, clock)
    composition = store.get_plan(ref).composition()
    groups = [g.title for g in composition.briefing()]
    assert "On arrival" in groups and "If it turns nasty" in groups and "If you are followed" in groups
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        text = await seen(pilot)
        assert "Briefing: read before you go" in text
        await pilot.press("b")
        text = await seen(pilot)
        assert "Briefing: during the visit" in text
        assert "On arrival" in text
        first = composition.briefing()[0].items[0].text
        assert first[:40] in text
        await pilot.press("escape")
        assert "Briefing: read before you go" in await seen(pilot)  # back on Review


async def test_b_on_today_opens_the_briefing_of_the_plan_in_progress(app, store, clock):
    """While a plan is in progress one key on Today opens its briefing; none in progress says so."""
    ref = ready_home_visit(store, clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("b")
        assert "No plan is in progress" in await seen(pilot)
        store.start(ref)
        app.plans_changed(ref)
        text = await seen(pilot)
        assert "b shows the briefing" in text
        await pilot.press("b")
        text = await seen(pilot)
        assert "Briefing: Mrs Smith re damp" in text and "On arrival" in text


def test_the_exports_carry_the_briefing(store, clock):
    """The text and Markdown summaries include the grouped briefing (compose.briefing_text)."""
    from safety_tui.plans.summary import markdown_summary, text_summary

    plan = store.get_plan(ready_home_visit(store, clock))
    markdown, text = markdown_summary(plan), text_summary(plan)
    assert "## Briefing: during the visit" in markdown and "### If it turns nasty" in markdown
    assert "Briefing: during the visit" in text and "If it turns nasty" in text
    assert "##" not in text


# -- 3. quick-reference cards ---------------------------------------------------------------------
async def test_k_on_today_lists_the_cards_and_shows_one_literally(app):
    """k offers the five cards in the guidance's order; Enter shows the card's own text."""
    from safety_tui.checklists.cards import cards, find_card

    loaded = [lc.checklist for lc in bundled_catalog().checklists.values()]
    first_five = [c.id for c in cards(loaded)][:5]
    assert first_five == ["phone-call", "unannounced-caller", "demonstration", "being-followed", "serious-situation"]
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("k")
        text = await seen(pilot)
        for card_id in first_five:
            assert find_card(loaded, card_id).title in text
        await pilot.press("down", "down", "down", "enter")  # being followed
        text = await seen(pilot)
        card = find_card(loaded, "being-followed")
        assert "Quick-reference card" in text and card.title in text
        assert card.sections[0].items[0].text[:30] in text


async def test_a_card_with_markup_in_its_text_is_shown_literally(tmp_path, data_dir, clock):
    """An officer's card with [b]markup[/b] in its title and text shows the brackets, never styles."""
    from tests.conftest import write_yaml
    from tests.helpers import build_app

    org = tmp_path / "org"
    write_yaml(
        org,
        "card.yaml",
        """
        format: 1
        id: zz-card
        title: "A [b]bold[/b] card"
        description: For testing.
        visit_types: [card]
        sections:
          - title: What to do
            items:
              - id: stay-calm
                text: "Stay [red]calm[/red] and call 999."
                when: during
    """,
    )
    app = build_app(data_dir, clock, org)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        from safety_tui.ui.screens import visit_commands

        visit_commands.show_card(app, "zz-card")
        text = await seen(pilot)
        assert "A [b]bold[/b] card" in text
        assert "Stay [red]calm[/red] and call 999." in text


async def test_the_command_palette_offers_the_cards(app):
    """The palette lists 'Quick-reference cards' and finds each card by name."""
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Quick-reference cards" in titles
        assert any(t.startswith("Card: ") and "followed" in t.lower() for t in titles)
        await pilot.press("ctrl+p")
        await fill(pilot, "cards")
        await pilot.press("enter")
        assert "Quick-reference cards: what to do when" in await seen(pilot)


# -- 5. repeat and quick plans ----------------------------------------------------------------------
def finished_home_visit(store, clock):
    """Last week's home visit (on foot, no travel checklist), finished: the plan to repeat."""
    catalog = bundled_catalog()
    chosen = [catalog.get(i) for i in catalog.matching("home-visit", [])]
    plan = store.create_plan("home-visit", [], chosen, tz="Europe/London", owner_name="Cllr Jo Bloggs")
    store.update(
        plan.ref,
        title="Mrs Smith re damp",
        location="12 Acacia Avenue",
        start=clock.now() - timedelta(hours=3),
        finish=clock.now() - timedelta(hours=2),
        code_word="the blue folder",
        code_meaning="call the police",
        escalation="Ring me, then ring 999.",
    )
    store.add_contact(plan.ref, "Sam Partner", "07700 900123", told=True)
    store.set_answer(plan.ref, "home-visit", "doubts-about-premises", "no")
    store.set_answer(plan.ref, "travel-car", "dark-on-return", "no")  # a standing answer, copied
    store.set_answer(plan.ref, "home-visit", "daylight-hours", "done")
    clock.advance(hours=-4)  # it was started before its finish, then checked in
    store.start(plan.ref)
    clock.advance(hours=4)
    store.check_in(plan.ref)
    return plan.ref


class CountingPilot:
    """pilot.press that counts every key: the press budget is measured, not estimated."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.presses = 0

    async def press(self, *keys: str) -> None:
        self.presses += len(keys)
        await self.pilot.press(*keys)


@pytest.mark.slow  # a journey through several screens
async def test_a_repeat_home_visit_is_saved_and_started_within_25_presses(app, store, clock):
    """From Today, every key a person really presses: r, Enter (newest plan), Enter after reading the
    new code word, the new start time typed, the walk, Code word, t (telling the contact), start."""
    from safety_tui.plans.lifecycle import Status

    old_ref = finished_home_visit(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        keys = CountingPilot(pilot)
        await keys.press("r", "enter")
        text = await seen(pilot)
        new_word = store.get_plan(store.resolve("last")).code_word
        assert "The new code word for this visit" in text and new_word in text  # shown clearly, once
        await keys.press("enter")  # read it
        text = await seen(pilot)
        assert "Details" in text and new_word not in text  # masked from now on
        await keys.press(*"18:30")  # the new start, typed over the suggestion; the finish moves with it
        assert "Wed 25 Nov 18:30 to 19:30" in await seen(pilot)
        await keys.press("ctrl+n")
        for _ in range(20):  # the walk: the standing answer is copied, the checks are asked again
            text = await seen(pilot)
            if "Every item has an answer" in text:
                break
            await keys.press("right" if "Answer: no" in text else "d")  # a copied answer stands
        await keys.press("ctrl+n", "ctrl+n")  # Code word (the fresh one), Who's told (the copied contact)
        text = await seen(pilot)
        assert "Tell each person where and when, what to do, and the code word" in text
        await keys.press("t", "ctrl+n")  # told Sam (with the new code word), Review
        assert "Sam Partner (told)" in await seen(pilot)
        await keys.press("g")
        if "Before you start" in await seen(pilot):
            await keys.press("y")
        text = await seen(pilot)
        assert "In progress: Mrs Smith re damp" in text
    print(f"repeat presses: {keys.presses}")
    assert keys.presses <= 25, keys.presses
    new_ref = store.resolve("last")
    assert new_ref != old_ref
    old, new = store.get_plan(old_ref), store.get_plan(new_ref)
    assert new.status is Status.IN_PROGRESS
    assert (new.visit_type, new.travel_modes, new.title, new.location, new.escalation, new.code_meaning) == (
        old.visit_type,
        old.travel_modes,
        old.title,
        old.location,
        old.escalation,
        old.code_meaning,
    )
    assert [(c.name, c.phone, c.told) for c in new.contacts] == [("Sam Partner", "07700 900123", True)]
    assert new.code_word and new.code_word != old.code_word
    assert new.answer("home-visit", "doubts-about-premises").value.value == "no"  # a standing answer
    assert new.start > clock.now() and new.start != old.start  # new times


def test_a_repeat_never_copies_the_code_word_or_the_checks(store, clock):
    """The old code word is never suggested again; checks (actions) are asked again, not copied."""
    from safety_tui.plans.codewords import fresh_code_word
    from safety_tui.plans.shortcuts import repeat_plan

    old_ref = finished_home_visit(store, clock)
    for _ in range(30):
        assert fresh_code_word("The Blue Folder ") != "the blue folder"
    new = repeat_plan(store, bundled_catalog(), old_ref)
    assert new.answer("home-visit", "daylight-hours") is None
    assert new.wizard_step == "details" and new.start is None


async def test_history_r_repeats_the_highlighted_plan(app, store, clock):
    """From History, one key repeats the highlighted plan and opens its Details."""
    old_ref = finished_home_visit(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("h", "r")
        assert "The new code word for this visit" in await seen(pilot)
        await pilot.press("enter")
        text = await seen(pilot)
        assert "Details" in text
    assert store.resolve("last") != old_ref
    assert store.get_plan(store.resolve("last")).title == "Mrs Smith re damp"


@pytest.mark.slow  # a journey through several screens
async def test_a_quick_plan_walks_only_the_critical_items(app, store, clock):
    """q, pick Home visit: the walk asks only the critical items (and the questions they hang from)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        from safety_tui.checklists.vocabulary import VisitType

        await pilot.press("q", *["down"] * PLAN_VISIT_TYPES.index(VisitType.HOME_VISIT), "enter")
        assert "Details" in await seen(pilot)
        await pilot.press("ctrl+n")
        text = await seen(pilot)
        assert "Item 1 of " in text
        shown = await walk_to_the_end(pilot, app)
    ref = store.resolve("last")
    plan = store.get_plan(ref)
    critical = {e.key for e in compose(bundled_catalog(), "home-visit").before if e.critical}
    asked = set(plan.answers)
    assert asked and len(shown) == len(asked) < 8
    assert plan.open_items() == (0, 0)
    assert {k for k in critical if k in {e.key for e in plan.walk_items()}} <= asked
    assert "personal-safety-basics/phone-charged" in asked


# -- 4. periodic reviews ----------------------------------------------------------------------------
@pytest.mark.slow  # a journey through several screens
async def test_today_reminds_of_due_reviews_and_walking_one_records_the_date(app, store, clock):
    """Never done: due now, on Today. v, Enter walks Home security through; the date is stored and
    the review is next due six months on; it is due again when the clock passes that."""
    from safety_tui.checklists import reviews

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await app.wait_for_catalog()
        text = await seen(pilot)
        assert "Review due: Home security review, Online footprint review, Personal safety review (press v)." in text
        await pilot.press("v")
        text = await seen(pilot)
        assert "Home security review: due now (never done)" in text
        await pilot.press("enter")  # the first: Home security review (due, by title)
        for _ in range(40):
            if "Review recorded" in await seen(pilot):
                break
            await pilot.press("n" if "y yes" in flat_text(app) else "d")
        text = await seen(pilot)
        assert "Home security review done. Next due Tue 25 May 2027." in text
        assert "Review due: Online footprint review, Personal safety review (press v)." in text
    stored = store.setting(reviews.DONE_KEY_PREFIX + "home-security")
    assert stored.startswith("2026-11-25T13:00")
    loaded = [lc.checklist for lc in bundled_catalog().checklists.values()]
    assert [s.review_id for s in reviews.statuses(store, loaded, clock.now()) if s.due] == [
        "online-footprint",
        "personal-safety-review",
    ]
    later = T0 + timedelta(days=182)
    assert "home-security" in [s.review_id for s in reviews.statuses(store, loaded, later) if s.due]


async def test_leaving_a_review_half_way_records_nothing(app, store):
    """Escape in the middle of a review: it stays due."""
    from safety_tui.checklists import reviews

    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_catalog()
        await pilot.press("v", "enter", "d", "d", "escape")
        assert "Review due: Home security review" in await seen(pilot)
    assert store.setting(reviews.DONE_KEY_PREFIX + "home-security") == ""


def test_the_review_interval_is_a_setting(capsys):
    """settings --review-months 3 changes when reviews fall due; a bad value changes nothing."""
    from safety_tui.checklists import reviews
    from safety_tui.cli.main import main

    assert main(["settings", "--review-months", "3"]) == 0
    assert "review-months: 3" in capsys.readouterr().out
    assert main(["settings", "--review-months", "0"]) != 0
    from safety_tui.wiring import open_store

    reopened = open_store()
    try:
        assert reviews.every_months(reopened) == 3
    finally:
        reopened.close()


# -- 6. the README's table stays true ---------------------------------------------------------------
def test_the_readme_table_of_checklists_per_visit_type_is_what_the_app_composes():
    """Each row of the README's table names the checklists compose.choose gives that visit type."""
    import re
    from pathlib import Path

    from safety_tui.checklists.compose import choose

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| [^|]*\(`([a-z-]+)`\) \| ([^|]+) \|$", readme, flags=re.M)
    assert {visit for visit, _ in rows} == {v.value for v in PLAN_VISIT_TYPES}
    loaded = [lc.checklist for lc in bundled_catalog().checklists.values()]
    for visit, listed in rows:
        titles = [t.strip() for t in listed.split(",") if t.strip() != "travel"]
        assert titles == [c.title for c in choose(loaded, visit)], visit
