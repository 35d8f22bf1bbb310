"""Property-based tests: round trips and the loader's error contract, on random input."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safety_tui.checklists.loader.problems import ChecklistFileError, Fail
from safety_tui.checklists.loader.validate import parse_checklist
from safety_tui.checklists.loader.yamlparse import parse_yaml
from safety_tui.checklists.model import Checklist
from safety_tui.common.clock import FixedClock
from safety_tui.common.errors import PlanError
from safety_tui.plans.model import ItemAnswer
from safety_tui.wiring import open_store
from tests.conftest import REPO, valid_yaml

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: the profile (conftest)

slug = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
# Letters, digits, punctuation, symbols and ordinary spaces: no control, invisible or line-separator characters.
text = (
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N", "P", "S"), whitelist_characters=" "),
        min_size=1,
        max_size=80,
    )
    .map(str.strip)
    .filter(bool)
)
ref = st.from_regex(r"[0-9](\.[0-9]{1,2}){0,3}", fullmatch=True)


@st.composite
def checklists(draw) -> dict:
    item_ids = draw(st.lists(slug, min_size=1, max_size=12, unique=True))
    items, questions = [], []
    for item_id in item_ids:
        item: dict = {"id": item_id, "text": draw(text)}
        if draw(st.booleans()):
            item["help"] = draw(text)
        if draw(st.booleans()):
            item["ref"] = draw(ref)
        if draw(st.booleans()):
            item["critical"] = True
        if draw(st.booleans()):
            item["type"] = "question"
        elif questions and draw(st.booleans()):
            item["show_if"] = {"item": draw(st.sampled_from(questions)), "answer": draw(st.sampled_from(["yes", "no"]))}
        if item.get("type") == "question":
            questions.append(item_id)
        items.append(item)
    cut = draw(st.integers(min_value=1, max_value=len(items)))
    sections = [{"title": draw(text), "items": items[:cut]}]
    if items[cut:]:
        sections.append({"title": draw(text), "items": items[cut:]})
    body = {
        "format": 1,
        "id": draw(slug),
        "title": draw(text),
        "description": draw(text),
        "visit_types": draw(
            st.lists(
                st.sampled_from(["surgery", "home-visit", "meeting", "demonstration", "other"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        ),
        "sections": sections,
    }
    if draw(st.booleans()):
        body["version"] = draw(text.filter(lambda v: len(v) <= 40))  # the format allows 40 characters
    return body


class Yaml12Dumper(yaml.SafeDumper):
    """PyYAML writes YAML 1.1; quote the text that YAML 1.2 (and the loader) would read as a number."""


Yaml12Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+.0123456789"),
)


@SETTINGS
@given(checklists(), st.booleans())
def test_valid_checklists_survive_a_yaml_round_trip(body, flow_style):
    expected = Checklist.model_validate(body)
    dumped = yaml.dump(
        body, Dumper=Yaml12Dumper, allow_unicode=True, sort_keys=False, default_flow_style=flow_style, width=60
    )
    loaded, _ = parse_checklist(dumped.encode("utf-8"), "random.yaml")
    assert loaded == expected
    assert loaded.content_hash() == expected.content_hash()


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_only_ever_raise_the_loaders_error(data):
    try:
        parse_checklist(data, "random.bin")
    except ChecklistFileError as exc:
        assert exc.errors and all(e.line >= 1 and e.column >= 1 for e in exc.errors)


@SETTINGS
@given(st.text(alphabet="abc:-[]{}&*!|>'\"#\n\t 01yesno?,.%@`", max_size=400))
def test_random_yaml_like_text_only_ever_raises_the_loaders_error(source):
    try:
        parse_checklist(source.encode("utf-8"), "random.yaml")
    except ChecklistFileError as exc:
        assert exc.errors


SCHEMA = jsonschema.Draft7Validator(json.loads((REPO / "schema" / "checklist.schema.json").read_text(encoding="utf-8")))
FIELDS = ["title: Test list", 'ref: "2.4.3"', "critical: true", "format: 1", "type: question", "answer: yes}"]


@SETTINGS
@given(st.sampled_from(FIELDS), st.text(alphabet="0123456789.+-eEox_abfinlNTrusy~:' ", min_size=1, max_size=10))
def test_validate_and_the_schema_agree_on_any_plain_value(line, value):
    """Whatever an officer types as a value, `validate` and the editor's schema check agree."""
    key = line.split(":")[0]
    closing = "}" if line.endswith("}") else ""
    source = valid_yaml().replace(line, f"{key}: {value}{closing}", 1)
    try:
        editor_sees = parse_yaml(source).value
    except Fail:  # not YAML at all: no schema check to compare with
        return
    try:
        parse_checklist(source.encode("utf-8"), "value.yaml")
        loader_ok = True
    except ChecklistFileError:
        loader_ok = False
    assert loader_ok == SCHEMA.is_valid(editor_sees)


T0 = datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)  # one hour before the UK clocks go forward

edits = st.one_of(
    st.tuples(st.just("title"), text),
    st.tuples(st.just("location"), text),
    st.tuples(st.just("code_word"), text),
    st.tuples(st.just("times"), st.integers(-600, 600), st.integers(1, 600)),
    st.tuples(st.just("grace"), st.integers(0, 120)),
    st.tuples(
        st.just("answer"),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from(["done", "not-done", "n/a", "yes", "no"]),
        st.text(max_size=20),
    ),
    st.tuples(st.just("contact"), text),
    st.tuples(st.just("tick"), st.integers(1, 10_000)),
)


@SETTINGS
@given(st.lists(edits, max_size=25))
def test_random_plan_edits_then_reload_give_the_same_plan(steps):
    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock(T0)
        store = open_store(Path(folder), clock)
        ref = store.create_plan("home-visit", tz="Europe/London").ref
        expected: dict = {"answers": {}, "contacts": []}
        for step in steps:
            kind = step[0]
            if kind in ("title", "location", "code_word"):
                store.update(ref, **{kind: step[1]})
                expected[kind] = step[1]
            elif kind == "times":
                start = clock.now() + timedelta(minutes=step[1])
                store.update(ref, start=start, finish=start + timedelta(minutes=step[2]))
                expected["start"], expected["finish"] = start, start + timedelta(minutes=step[2])
            elif kind == "grace":
                store.update(ref, grace_minutes=step[1])
                expected["grace_minutes"] = step[1]
            elif kind == "answer":
                try:
                    note = ItemAnswer.clean_note(step[3])
                except PlanError:  # a note with control characters is refused, and nothing is saved
                    with pytest.raises(PlanError):
                        store.set_answer(ref, "list", step[1], step[2], step[3])
                    continue
                store.set_answer(ref, "list", step[1], step[2], step[3])
                expected["answers"][f"list/{step[1]}"] = (step[2], note, clock.now())
            elif kind == "contact":
                store.add_contact(ref, step[1], "", told=True)
                expected["contacts"].append((step[1], clock.now()))
            else:
                clock.advance(seconds=step[1])
        before = store.get_plan(ref)
        store.close()
        after = open_store(Path(folder), clock).get_plan(ref)
        assert after.model_dump() == before.model_dump()
        for field in ("title", "location", "code_word", "start", "finish", "grace_minutes"):
            if field in expected:
                assert getattr(after, field) == expected[field], field
        assert {k: (a.value.value, a.note, a.answered_at) for k, a in after.answers.items()} == expected["answers"]
        assert [(c.name, c.told_at) for c in after.contacts] == expected["contacts"]
