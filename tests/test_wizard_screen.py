"""The wizard is one screen whose steps are panes; footers offer only the keys that apply; the
code word is masked on Review as a part of the message, never by searching for its letters."""

from __future__ import annotations

from textual.widgets import Footer, Header, Static

from safety_tui.plans.export import MessagePart, contact_message, contact_message_parts, message_text
from safety_tui.plans.lifecycle import Status
from safety_tui.plans.summary import MASK
from safety_tui.ui.screens.contacts import ContactsStep
from safety_tui.ui.screens.details import DetailsStep
from safety_tui.ui.screens.review import ReviewStep
from safety_tui.ui.screens.step import WizardStep
from safety_tui.ui.screens.today import TodayScreen
from safety_tui.ui.screens.walk import WalkStep
from safety_tui.ui.screens.wizard import WizardScreen
from tests.helpers import (
    fill,
    flat_text,
    full_plan,
    open_highlighted,
    running_plan,
    screen_lines,
    seen,
    settle,
    today_settled,
    wait_until,
    wizard_step,
)


def footer(app) -> str:
    """The key bar, as the terminal shows it (its last row)."""
    return screen_lines(app)[-1]


async def next_step_composed(pilot) -> None:
    """Wait until the step after the one shown has been composed ahead, out of sight."""

    def ready() -> bool:
        steps = list(pilot.app.screen.query(WizardStep))
        return len(steps) == 2 and all(step.is_mounted for step in steps)

    await wait_until(pilot, ready, "the next step composed ahead")
    await settle(pilot)


async def test_the_wizard_is_one_screen_with_one_header_and_footer(app, wizard_draft):
    wizard_draft("details")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_highlighted(pilot)
        screen = app.screen
        assert isinstance(screen, WizardScreen) and isinstance(wizard_step(app), DetailsStep)
        header, bar = screen.query_one(Header), screen.query_one(Footer)
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), WalkStep)
        assert app.screen is screen  # a pane switched, not a screen
        assert list(screen.query(Header)) == [header] and list(screen.query(Footer)) == [bar]
        await pilot.press("escape")
        assert isinstance(wizard_step(app), DetailsStep) and app.screen is screen
        assert app.store.get_plan(app.store.resolve("last")).wizard_step == "details"  # a restart resumes here


async def test_a_step_composed_ahead_shows_what_the_step_before_saved(app, wizard_draft):
    """Who's told is composed while the code word is still being agreed: shown, it has the word."""
    wizard_draft("codeword", code_word="")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_highlighted(pilot)
        await next_step_composed(pilot)
        assert "No code word yet" in str(app.screen.query_one("#tell-them", Static).render())  # composed ahead
        await fill(pilot, "walrus tusk")
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), ContactsStep)
        text = await seen(pilot)
        assert f'the code word "{MASK}"' in text and "No code word yet" not in text
        assert "walrus tusk" not in text  # masked until Ctrl+R
        await pilot.press("ctrl+r")
        assert 'the code word "walrus tusk"' in await seen(pilot)


async def test_the_walk_offers_only_the_answers_the_item_takes(app, store, wizard_draft):
    ref = wizard_draft("walk")
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await open_highlighted(pilot)
        walk = wizard_step(app)
        assert walk.current()[1].id == "decide-to-go"  # a to-do: done, not done, n/a
        keys = footer(app)
        assert "Done" in keys and "Not done" in keys and "N/A" in keys
        assert "Yes" not in keys and " No " not in keys
        await pilot.press("y")  # not an answer a to-do takes: nothing happens
        assert "This item takes" not in await seen(pilot)
        assert (
            walk.current()[1].id == "decide-to-go" and store.get_plan(ref).answer("home-visit", "decide-to-go") is None
        )
        await pilot.press("d")
        assert walk.current()[1].id == "doubts-about-premises"  # a question: yes, no
        await settle(pilot)
        keys = footer(app)
        assert "Yes" in keys and " No " in keys
        assert "Done" not in keys and "N/A" not in keys
        await pilot.press("d", "x", "a")  # none of them answers a question
        await settle(pilot)
        assert walk.current()[1].id == "doubts-about-premises"
        assert store.get_plan(ref).answer("home-visit", "doubts-about-premises") is None
        await pilot.press("n")
        assert store.get_plan(ref).answer("home-visit", "doubts-about-premises").value.value == "no"


async def test_today_offers_im_safe_and_extend_only_with_a_plan_in_progress(app, store):
    draft = store.create_plan("home-visit", tz="Europe/London", title="Not yet")
    async with app.run_test(size=(160, 30), notifications=True) as pilot:
        await today_settled(pilot)
        keys = footer(app)
        assert "I'm safe" not in keys and "Extend" not in keys
        assert "Start" in keys  # a draft can start
        await pilot.press("c")  # nothing in progress: the key does nothing
        assert "No plan is in progress" not in await seen(pilot)
        assert isinstance(app.screen, TodayScreen)
        store.cancel(draft.ref)
        running_plan(store, "Visit")
        app.plans_changed()
        await wait_until(pilot, lambda: "I'm safe" in footer(app), "I'm safe offered")
        keys = footer(app)
        assert "Extend" in keys
        assert "Start" not in keys  # nothing left to start
        await pilot.press("c")
        await settle(pilot)
    assert store.get_plan("last").status is Status.FINISHED  # checked in: safe


def test_only_the_code_word_part_of_the_message_is_masked(store, clock):
    """A code word that is also part of the address: the address stays as it is."""
    plan = full_plan(store, clock, code_word="Acacia")  # 12 Acacia Avenue, Ward End
    parts = contact_message_parts(plan, include_code_word=True, phone="")
    assert [part.text for part in parts if part.code_word] == ["Acacia"]
    masked = message_text(parts, mask=MASK)
    assert "Where:  12 Acacia Avenue, Ward End" in masked
    assert f'says "{MASK}" on the phone' in masked and masked.count("Acacia") == 1
    revealed = contact_message(plan, include_code_word=True, phone="")
    assert revealed == message_text(parts) and 'says "Acacia" on the phone' in revealed
    assert message_text([MessagePart("a\x1b]0;x\x07", code_word=True)]) == "a\\x1b]0;x\\x07"  # the one filter


async def test_review_masks_the_code_word_not_the_same_word_in_the_address(app, store, clock):
    plan = full_plan(store, clock, code_word="Acacia")
    store.update(plan.ref, wizard_step="review")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), ReviewStep)
        message = str(app.screen.query_one("#message", Static).render())
        assert "Where:  12 Acacia Avenue, Ward End" in message
        assert f'says "{MASK}" on the phone' in message and 'says "Acacia"' not in message
        await pilot.press("r")
        await settle(pilot)
        message = str(app.screen.query_one("#message", Static).render())
        assert 'says "Acacia" on the phone' in message


async def test_a_critical_item_not_done_asks_why_and_review_shows_the_reason(app, wizard_draft):
    """Every day (the whole typed journey runs in make test-all): `x` on a critical item asks for a
    reason, the note is stored with the answer, and Review shows both."""
    from safety_tui.checklists.vocabulary import Answer
    from safety_tui.ui.dialogs.text_prompt import TextPrompt

    ref = wizard_draft("walk")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), WalkStep)
        await pilot.press("x")  # the first item, deciding to go, is critical
        assert isinstance(app.screen, TextPrompt)
        await fill(pilot, "will text later")
        await pilot.press("enter")
        await settle(pilot)
        answers = [a for a in app.store.get_plan(ref).answers.values() if a.value is Answer.NOT_DONE]
        assert [a.note for a in answers] == ["will text later"]
        await pilot.press("ctrl+w")  # closed half way: saved as it went
        await settle(pilot)
        app.store.update(ref, wizard_step="review")
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), ReviewStep)
        assert "(reason: will text later)" in flat_text(app)


async def test_g_on_review_starts_the_plan_and_today_shows_it_in_progress(app, store, clock):
    plan = full_plan(store, clock)
    store.update(plan.ref, wizard_step="review")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_highlighted(pilot)
        assert isinstance(wizard_step(app), ReviewStep)
        await pilot.press("g")
        await settle(pilot)
        assert "Before you start" in flat_text(app)  # the rule's questions: items not done yet
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        assert "In progress: Mrs Smith re damp" in flat_text(app)
    assert store.get_plan(plan.ref).status is Status.IN_PROGRESS


async def test_a_step_composed_ahead_is_laid_out_out_of_sight_and_out_of_reach(app, wizard_draft, monkeypatch):
    """The next step is laid out once before it is shown (so showing it is one layout, not three),
    off the window and disabled: while it is there, no key or Tab reaches it and nothing of it shows."""
    from safety_tui.ui.screens import wizard

    monkeypatch.setattr(wizard, "LAY_OUT_SECONDS", 60.0)  # hold it there for the test
    wizard_draft("type")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot)
        await next_step_composed(pilot)
        details = app.screen.query_one(DetailsStep)
        assert details.display and details.size.width == 80  # laid out: it has its size
        assert "Your contact should worry" not in flat_text(app)  # not on screen
        for _ in range(8):
            await pilot.press("tab")
            assert app.focused is None or details not in app.focused.ancestors_with_self
        await pilot.press("ctrl+n")  # shown before it was put away: it works as any step
        assert wizard_step(app) is details and not details.disabled
        assert "Your contact should worry" in await seen(pilot)
        assert app.focused is not None and details in app.focused.ancestors_with_self


async def test_a_step_put_away_keeps_its_sizes_for_the_switch(app, wizard_draft):
    wizard_draft("type")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_highlighted(pilot)
        await next_step_composed(pilot)
        details = app.screen.query_one(DetailsStep)
        await wait_until(pilot, lambda: not details.display, "the step laid out and put away")
        assert not details.disabled
        assert all(label.virtual_size.width > 0 for label in details.query("Label"))
        await pilot.press("ctrl+n")
        assert "Your contact should worry" in await seen(pilot)
