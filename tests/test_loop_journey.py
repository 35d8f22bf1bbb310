"""A first home-visit plan by car, from Today to started, counting every key a person presses
(each typed character included). The README reports these numbers."""

from __future__ import annotations

import pytest

from safety_tui.plans.lifecycle import Status
from tests.helpers import seen

pytestmark = pytest.mark.slow


class KeyCounter:
    """pilot.press that counts commands (Enter, Tab, Ctrl+N, d, ...) and typed characters apart."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.commands = 0
        self.characters = 0

    async def press(self, *keys: str) -> None:
        self.commands += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        self.characters += len(text)
        await self.pilot.press(*["space" if ch == " " else ch for ch in text])

    @property
    def total(self) -> int:
        return self.commands + self.characters


TITLE, PLACE, NAME, PHONE = "Mrs Smith, damp", "12 Acacia Avenue", "Jo Bloggs", "07700 900123"
CONTACT, CONTACT_PHONE = "Sam Patel", "07700 900456"


async def test_a_first_home_visit_by_car_is_planned_and_started(app, store):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await app.wait_for_catalog()
        keys = KeyCounter(pilot)
        await keys.press("n")
        text = await seen(pilot)
        assert "(•) Home visit" in text  # already chosen, and it says so
        await keys.press("tab", "space", "ctrl+n")  # travel: Car; on to Details
        await keys.type(TITLE)
        await keys.press("tab")
        await keys.type(PLACE)
        await keys.press("tab")
        await keys.type(NAME)
        await keys.press("tab")
        await keys.type(PHONE)
        await keys.press("tab")
        await keys.type("18:30")  # the start; the finish follows it (an hour)
        await keys.press("ctrl+n")
        for _ in range(40):  # the walk: every before item, one key each
            text = await seen(pilot)
            if "Every item has an answer" in text:
                break
            await keys.press("n" if "y yes" in text else "d")
        await keys.press("ctrl+n")  # Code word
        await keys.press("tab", "tab", "enter")  # past the meaning, take the first idea drawn at random
        await keys.press("ctrl+n")  # Who's told
        await keys.type(CONTACT)
        await keys.press("enter")
        await keys.type(CONTACT_PHONE)
        await keys.press("enter", "shift+tab", "t")  # add; to the list; told (with the code word)
        await keys.press("ctrl+n")  # Review
        text = await seen(pilot)
        assert f"{CONTACT} (told)" in text
        await keys.press("g")
        if "Before you start" in await seen(pilot):
            await keys.press("y")
        assert "In progress" in await seen(pilot)
    print(f"first home visit by car: {keys.total} presses ({keys.commands} keys, {keys.characters} characters)")
    [plan] = [store.get_plan(p.ref) for p in store.list_plans()]
    assert plan.status is Status.IN_PROGRESS and plan.code_word and plan.contacts[0].told
    assert [m.value for m in plan.travel_modes] == ["car"]
    assert keys.commands <= 40, keys.commands
