"""The walk a councillor gets: order, advice asked once, items a wizard step carries out, targets."""

from __future__ import annotations

import pytest

from safety_tui.checklists.cards import card_text
from safety_tui.checklists.compose import briefing_text, compose, compose_checklists, compose_plan, for_visits
from safety_tui.checklists.model import Checklist, Step, When
from safety_tui.common.errors import ChecklistError
from tests.helpers import bundled_catalog, full_plan, make_store


def ids(entries):
    return [e.key for e in entries]


def small(checklist_id: str, items: list[dict], visit_types=("home-visit",), mode=None) -> Checklist:
    data = {
        "format": 1,
        "id": checklist_id,
        "title": checklist_id.title(),
        "description": "A test list.",
        "visit_types": list(visit_types),
        "sections": [{"title": "Things", "items": items}],
    }
    if mode:
        data["mode"] = mode
    return Checklist.model_validate(data)


def test_main_visit_checklist_first_then_travel_then_basics():
    catalog = bundled_catalog()
    assert [c.id for c in compose(catalog, "surgery", ["car"]).checklists] == [
        "ward-surgery",
        "travel-car",
        "personal-safety-basics",
    ]
    walk = compose(catalog, "home-visit", ["walking", "public-transport"])
    assert [c.id for c in walk.checklists] == [
        "home-visit",
        "travel-walking",
        "travel-public-transport",
        "personal-safety-basics",
    ]
    assert walk.before[0].key == "home-visit/decide-to-go"  # 2.4.2: the decision comes first
    assert walk.before[-1].checklist_id == "personal-safety-basics"


def test_a_plans_snapshots_are_put_in_walk_order_whatever_order_they_were_stored_in():
    catalog = bundled_catalog()
    stored = [catalog.get("personal-safety-basics"), catalog.get("travel-car"), catalog.get("home-visit")]
    assert ids(compose_checklists(stored, ["car"]).before) == ids(compose(catalog, "home-visit", ["car"]).before)


def test_the_same_advice_in_two_chosen_checklists_is_asked_once():
    walk = compose(bundled_catalog(), "surgery", ["walking"])
    asked = ids(walk.before)
    assert "ward-surgery/phone-ready" in asked and "personal-safety-basics/phone-charged" not in asked
    assert "ward-surgery/personal-alarm" in asked
    assert "travel-walking/alarm-accessible" not in asked and "personal-safety-basics/personal-alarm" not in asked
    by_key = {e.key: e for e in walk.satisfied}
    assert by_key["personal-safety-basics/phone-charged"].same_as_key == "ward-surgery/phone-ready"
    assert by_key["travel-walking/alarm-accessible"].satisfied_by == "the same advice as ward-surgery/personal-alarm"
    assert len(asked) == len(set(asked))


def test_asked_once_counts_as_critical_if_any_of_the_same_advice_is():
    first = small("first", [{"id": "phone", "text": "Take your phone.", "same_as": "phone"}])
    second = small("second", [{"id": "mobile", "text": "Charge your mobile.", "same_as": "phone", "critical": True}])
    walk = compose_checklists([first, second])
    assert ids(walk.before) == ["first/phone"] and walk.before[0].critical
    assert ids(walk.satisfied) == ["second/mobile"]


def test_conditional_copies_of_the_same_advice_are_each_asked_in_their_place():
    question = {"id": "dark", "type": "question", "text": "After dark?"}
    first = small(
        "first",
        [question, {"id": "torch", "text": "Torch.", "same_as": "torch", "show_if": {"item": "dark", "answer": "yes"}}],
    )
    second = small(
        "second",
        [question, {"id": "lamp", "text": "Torch.", "same_as": "torch", "show_if": {"item": "dark", "answer": "yes"}}],
    )
    walk = compose_checklists([first, second])
    assert ids(walk.before) == ["first/dark", "first/torch", "second/dark", "second/lamp"]
    assert ids(walk.walk({"first": {"dark": "yes"}, "second": {"dark": "no"}})) == [
        "first/dark",
        "first/torch",
        "second/dark",
    ]


def test_items_a_wizard_step_carries_out_are_satisfied_by_that_step_not_asked():
    walk = compose(bundled_catalog(), "home-visit", ["car"])
    asked = ids(walk.before)
    steps = {e.key: e.step for e in walk.satisfied}
    assert steps["home-visit/tell-someone"] is Step.CONTACTS
    assert steps["home-visit/expected-finish"] is Step.CONTACTS
    assert steps["home-visit/code-word"] is Step.CODE_WORD
    assert steps["personal-safety-basics/someone-knows"] is Step.CONTACTS
    assert not set(steps) & set(asked)
    assert {e.satisfied_by for e in walk.satisfied} == {
        "the Who's told step",
        "the Code word step",
        "the same advice as home-visit/decide-to-go",
    }  # "take extra care if anyone is unknown" is part of the 2.4.2 decision, asked first


def test_targets_home_visit_by_car_and_ward_surgery_at_most_20_before_items():
    catalog = bundled_catalog()
    assert len(compose(catalog, "home-visit", ["car"]).before) <= 20
    assert len(compose(catalog, "surgery", []).before) <= 20


def test_during_and_after_are_never_walked_and_never_critical():
    walk = compose(bundled_catalog(), "home-visit", ["car"])
    assert all(e.when is When.BEFORE for e in walk.before)
    assert all(e.when is When.DURING and not e.critical for e in walk.during)
    assert all(e.when is When.AFTER and not e.critical for e in walk.after)


def test_briefing_is_grouped_on_arrival_first_and_includes_if_it_turns_nasty_and_if_followed():
    walk = compose(bundled_catalog(), "home-visit", ["car"])
    titles = [g.title for g in walk.briefing()]
    assert titles[0] == "On arrival"
    assert {"If it turns nasty", "If you are followed"} <= set(titles)
    parking = [e.key for g in walk.briefing() for e in g.items if "park" in e.id]
    # Two pieces of advice, both kept: 2.4.4 (drive away easily, well lit) and 2.9.1 (left-hand side,
    # facing the way out, not blocked in). Neither hides the other.
    assert {"home-visit/park-facing-out", "travel-car/park-facing-way-out"} <= set(parking)
    text = briefing_text(walk)
    assert (
        "Park on the left-hand side of the road facing the way you want to drive off, where you will not be blocked in."
        in text
    )


def test_the_walk_follows_answers_and_a_hidden_question_hides_its_items():
    walk = compose(bundled_catalog(), "home-visit", [])
    first = ["doubts-about-premises", "about-the-premises", "neutral-venue"]

    def shown(answers):
        return [e.id for e in walk.walk({"home-visit": answers}) if e.id in first]

    assert shown({}) == ["doubts-about-premises"]
    assert shown({"doubts-about-premises": "yes"}) == first[:2]
    assert shown({"doubts-about-premises": "yes", "about-the-premises": "no"}) == first
    assert shown({"doubts-about-premises": "yes", "about-the-premises": "yes"}) == first[:2]
    # The answer below stays stored, but a hidden question hides what hangs from it.
    assert shown({"doubts-about-premises": "no", "about-the-premises": "no"}) == first[:1]


def test_other_gets_the_basics_and_a_short_debrief_not_after_an_incident():
    walk = compose(bundled_catalog(), "other", [])
    assert [c.id for c in walk.checklists] == ["personal-safety-basics"]
    assert [e.id for e in walk.debrief()] == ["record-incidents", "report-incidents", "hate-incident"]


def test_briefing_text_plain_and_markdown():
    walk = compose(bundled_catalog(), "home-visit", ["car"])
    text = briefing_text(walk)
    assert text.startswith("Briefing: during the visit\n\nOn arrival\n  - If you drive, park so you can")
    assert "(guidance 2.4.4)" in text and "If you are followed" in text
    assert (
        "attract attention. (guidance 2.4.6)\n    The use of reasonable force to protect yourself can be a last resort.\n"
        in text
    )
    markdown = briefing_text(walk, markdown=True, level=3)
    assert markdown.startswith("### Briefing: during the visit\n\n#### On arrival\n\n- If you drive")
    assert briefing_text(compose(bundled_catalog(), "other", [])) == ""


def test_derived_advice_is_marked_in_the_briefing_and_the_cards():
    walk = compose(bundled_catalog(), "travel", ["walking"])
    assert "not from the guidance" not in briefing_text(walk)
    card = bundled_catalog().get("online-attack")
    text = card_text(card)
    assert (
        "Save the evidence before you mute, block, delete or report anything. (not from the guidance; drawn from guidance 4.3.3)"
        in text
    )
    assert "(guidance 4.4.1)" in text and "guidance 4.4.1; not" not in text


@pytest.mark.parametrize(
    ("visit", "modes"), [("card", []), ("review", []), ("phone-call", []), ("party", []), ("surgery", ["jetpack"])]
)
def test_only_kinds_of_visit_and_ways_of_travelling_are_accepted(visit, modes):
    with pytest.raises(ChecklistError):
        compose(bundled_catalog(), visit, modes)


def test_cards_and_reviews_are_not_offered_for_a_visit_but_a_protest_card_is_also_a_visit_checklist():
    offered = [c.id for c in for_visits(lc.checklist for lc in bundled_catalog().checklists.values())]
    assert "demonstration" in offered and "travel-taxi" in offered
    assert not {"phone-call", "home-security", "online-footprint", "after-an-incident", "being-followed"} & set(offered)
    assert offered.index("home-visit") < offered.index("travel-car") < offered.index("personal-safety-basics")


def test_the_quick_plan_asks_only_critical_before_items_and_the_questions_they_hang_from():
    walk = compose(bundled_catalog(), "home-visit", ["car"])
    assert ids(walk.quick()) == [
        "home-visit/decide-to-go",
        "home-visit/doubts-about-premises",
        "home-visit/about-the-premises",
        "home-visit/neutral-venue",
        "personal-safety-basics/phone-charged",
    ]  # tell someone, the finish and the code word are the quick plan's own steps
    surgery = ids(compose(bundled_catalog(), "surgery", []).quick())
    assert surgery[:3] == [
        "ward-surgery/safe-to-hold",
        "ward-surgery/alone-in-building",
        "ward-surgery/find-receptionist",
    ]
    assert all(e.critical or e.item.type.value == "question" for e in compose(bundled_catalog(), "surgery", []).quick())


def test_a_question_is_always_asked_in_its_place_even_with_a_step_or_same_as():
    first = small(
        "first", [{"id": "dark", "type": "question", "text": "After dark?", "same_as": "dark", "step": "contacts"}]
    )
    second = small(
        "second",
        [
            {"id": "dark", "type": "question", "text": "After dark?", "same_as": "dark"},
            {"id": "torch", "text": "Torch.", "show_if": {"item": "dark", "answer": "yes"}},
        ],
    )
    walk = compose_checklists([first, second])
    assert ids(walk.before) == ["first/dark", "second/dark", "second/torch"] and walk.satisfied == ()
    assert ids(walk.walk({"second": {"dark": "yes"}})) == ["first/dark", "second/dark", "second/torch"]


def test_a_stored_plan_composes_from_its_snapshots_with_its_answers(tmp_path):
    store, clock = make_store(tmp_path)
    plan = full_plan(store, clock)
    store.set_answer(plan.ref, "home-visit", "doubts-about-premises", "yes")
    composition, answers = compose_plan(store.get_plan(plan.ref))
    assert [c.id for c in composition.checklists] == ["home-visit", "travel-car", "personal-safety-basics"]
    walk = [e.id for e in composition.walk(answers)]
    assert walk[:4] == ["decide-to-go", "doubts-about-premises", "about-the-premises", "daylight-hours"]
    text = briefing_text(composition, markdown=True, answers=answers)
    assert text.startswith("## Briefing: during the visit\n\n### On arrival\n")


def test_a_repeat_plan_copies_the_answers_to_questions_only():
    walk = compose(bundled_catalog(), "home-visit", ["car"])
    answers = {
        "home-visit": {
            "doubts-about-premises": "yes",
            "about-the-premises": "no",
            "neutral-venue": "done",
            "gone": "yes",
        },
        "travel-car": {"enough-fuel": "done"},
    }
    assert walk.standing_answers(answers) == {
        "home-visit": {"doubts-about-premises": "yes", "about-the-premises": "no"}
    }
