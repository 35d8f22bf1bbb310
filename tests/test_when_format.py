"""The format's `when`, `derived`, `step` and `same_as`: old files load unchanged, misuse is a precise error."""

from __future__ import annotations

import pytest

from safety_tui.checklists.loader.catalog import load_checklist_file
from safety_tui.checklists.loader.problems import ChecklistFileError
from safety_tui.checklists.model import Step, When, visible_items
from safety_tui.cli.main import main
from tests.conftest import valid_yaml, write_yaml


def errors_of(path):
    with pytest.raises(ChecklistFileError) as info:
        load_checklist_file(path)
    return [str(e) for e in info.value.errors]


def test_a_format_1_file_without_the_new_keys_loads_unchanged(tmp_path):
    checklist = load_checklist_file(write_yaml(tmp_path, "old.yaml", valid_yaml()))
    assert [(i.when, i.derived, i.step, i.same_as) for i in checklist.items()] == [(When.BEFORE, False, None, None)] * 3
    assert checklist.critical_count == 1


def test_the_new_keys_load(tmp_path):
    text = (
        valid_yaml()
        .replace(
            '        ref: "2.4.3"\n', '        ref: "2.4.3"\n        step: contacts\n        same_as: tell-someone\n'
        )
        .replace(
            "        text: Meet at a neutral venue.\n",
            "        text: Meet at a neutral venue.\n        when: during\n        derived: true\n",
        )
    )
    checklist = load_checklist_file(write_yaml(tmp_path, "new.yaml", text))
    tell, _, venue = checklist.items()
    assert (tell.step, tell.same_as, venue.when, venue.derived) == (Step.CONTACTS, "tell-someone", When.DURING, True)
    assert [i.id for i in checklist.items(When.DURING)] == ["neutral-venue"]


def test_critical_on_a_during_item_is_an_error_at_the_critical_key(tmp_path):
    path = write_yaml(
        tmp_path,
        "bad.yaml",
        valid_yaml().replace('        ref: "2.4.3"\n', '        ref: "2.4.3"\n        when: during\n'),
    )
    assert errors_of(path) == [
        f"{path}:13:9: section 1, item 1 'tell-someone', critical: critical is only for 'before' items; a 'during' "
        "item is advice, never a risk: remove 'critical: true' or make it 'when: before'"
    ]  # where it is, as every other message says it


def test_a_question_or_a_step_after_the_visit_is_an_error(tmp_path):
    text = (
        valid_yaml()
        .replace("        type: question\n", "        type: question\n        when: after\n")
        .replace("        critical: true\n", "        critical: true\n        step: code-word\n")
        .replace('        ref: "2.4.3"\n', '        ref: "2.4.3"\n        when: after\n')
    )
    path = write_yaml(tmp_path, "bad.yaml", text)
    errors = errors_of(path)
    item1, item2 = "section 1, item 1 'tell-someone'", "section 1, item 2 'doubts'"
    assert (
        f"{path}:13:9: {item1}, critical: critical is only for 'before' items; an 'after' item is advice, never a risk: remove 'critical: true' or make it 'when: before'"
        in errors
    )
    assert (
        f"{path}:14:9: {item1}, step: 'step' is only for 'before' items (a wizard step carries them out), not 'after'"
        in errors
    )
    assert len(errors) == 3
    assert (
        f"{path}:16:9: {item2}, type: a question is answered when planning, so it must be 'when: before', not 'after'"
        in errors
    )


def test_an_unknown_when_names_the_choices(tmp_path, capsys):
    path = write_yaml(
        tmp_path,
        "bad.yaml",
        valid_yaml().replace('        ref: "2.4.3"\n', '        ref: "2.4.3"\n        when: later\n'),
    )
    assert main(["validate", str(path)]) == 1
    assert (
        f"{path}:12:15: section 1, item 1 'tell-someone', when: expected 'before', 'during' or 'after', got 'later'"
        in capsys.readouterr().out
    )


def test_a_hidden_question_hides_everything_that_hangs_from_it(tmp_path):
    text = valid_yaml().replace(
        "        show_if: {item: doubts, answer: yes}\n",
        "        show_if: {item: doubts, answer: yes}\n"
        "      - id: about\n        type: question\n        text: About the premises?\n        show_if: {item: doubts, answer: yes}\n"
        "      - id: elsewhere\n        text: Meet elsewhere.\n        show_if: {item: about, answer: no}\n",
    )
    checklist = load_checklist_file(write_yaml(tmp_path, "chain.yaml", text))
    shown = lambda answers: [i.id for i in visible_items(checklist, answers)]  # noqa: E731
    assert shown({"doubts": "yes", "about": "no"}) == ["tell-someone", "doubts", "neutral-venue", "about", "elsewhere"]
    assert shown({"doubts": "no", "about": "no"}) == ["tell-someone", "doubts"]
    assert [i.id for i in visible_items(checklist, {}, When.DURING)] == []


def test_the_readme_example_is_a_valid_checklist(tmp_path):
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## The checklist format") :]
    example = section[
        section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", section.index("```yaml\n") + 8)
    ]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    checklist = load_checklist_file(path)
    assert [i.when for i in checklist.items()].count(When.DURING) == 2
    assert [i.id for i in checklist.items() if i.derived] == ["council-lone-working"]
