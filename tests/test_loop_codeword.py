"""The code word as part of telling: agreed before Who's told, told with the place and times,
in the contact's message by default, drawn at random from a long list of innocent phrases."""

from __future__ import annotations

import pytest

from safety_tui.cli.main import main
from safety_tui.common import paths
from safety_tui.common.clock import SystemClock
from safety_tui.plans.codewords import PHRASES, fresh_code_word, suggestions
from safety_tui.ui.screens.codeword import CodeWordStep
from safety_tui.ui.screens.contacts import ContactsStep
from safety_tui.wiring import open_store
from tests.helpers import fill as type_text
from tests.helpers import full_plan, seen, wizard_step


def test_suggestions_are_drawn_at_random_from_a_long_list_never_the_old_word():
    assert len(set(PHRASES)) >= 60
    firsts = {suggestions(8)[0] for _ in range(40)}
    assert len(firsts) > 5  # not the same first idea for every councillor
    for _ in range(50):
        drawn = suggestions(8, avoid="The Blue Folder ")
        assert len(set(drawn)) == 8 and "the blue folder" not in drawn
        assert fresh_code_word("the green file") != "the green file"


@pytest.mark.slow
async def test_the_code_word_is_agreed_before_whos_told_and_told_with_it(app, store):
    async with app.run_test(size=(80, 30), notifications=True) as pilot:
        await pilot.press("n")
        await app.wait_for_catalog()
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")  # Visit, Details, Checklists
        assert isinstance(wizard_step(app), CodeWordStep)
        text = await seen(pilot)
        assert "4 Code word › 5 Who's told" in text
        assert "tell each person the code word" in text
        await type_text(pilot, "walrus")
        await pilot.press("ctrl+n")
        assert isinstance(wizard_step(app), ContactsStep)
        text = await seen(pilot)
        assert 'and the code word "•••••" (Ctrl+R shows it)' in text and "walrus" not in text
        await pilot.press("ctrl+r")
        assert 'the code word "walrus"' in await seen(pilot)
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await type_text(pilot, "07700900123")
        await pilot.press("enter", "shift+tab", "t")
        assert "[x] told" in await seen(pilot)
    plan = store.get_plan(store.resolve("last"))
    assert plan.code_word == "walrus" and plan.contacts[0].told


def test_the_contacts_message_carries_the_code_word_unless_left_out(capsys):
    store = open_store(paths.data_dir())
    plan = full_plan(store, SystemClock())
    assert main(["export", plan.ref, "-f", "message"]) == 0
    out = capsys.readouterr().out
    assert 'says "blue folder" on the phone' in out and "it means: call the police" in out
    assert main(["export", plan.ref, "-f", "sms", "--no-code-word"]) == 0
    assert "blue folder" not in capsys.readouterr().out
    assert main(["export", plan.ref, "-f", "sms", "--code-word"]) == 0  # the old flag still works
    assert "blue folder" in capsys.readouterr().out
    assert main(["export", plan.ref, "-f", "text"]) == 0  # the record: masked unless asked for
    assert "blue folder" not in capsys.readouterr().out
