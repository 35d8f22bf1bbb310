"""One rule for `safety-tui validate` and the JSON Schema editors check against.

The rule: values have the types YAML 1.2 gives them (what yaml-language-server reads), and
nothing is coerced. So `critical: yes` is text (refused: write true), an unquoted `ref: 2.10`
is the number 2.1 (refused: quote it), `title: 2024` is a number (refused: quote it).
"""

from __future__ import annotations

import json
import math
import re

import jsonschema
import pytest
from pydantic import ValidationError

from safety_tui.checklists.loader.characters import bad_char
from safety_tui.checklists.loader.problems import ChecklistFileError
from safety_tui.checklists.loader.validate import parse_checklist
from safety_tui.checklists.loader.yamlparse import parse_yaml
from safety_tui.checklists.model import TEXT_PATTERN, Checklist, json_schema
from tests.conftest import REPO, valid_yaml

SHIPPED = json.loads((REPO / "schema" / "checklist.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "plain, value",
    [
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("", None),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("0", 0),
        ("-19", -19),
        ("0o14", 12),
        ("0x1F", 31),
        ("0755", 755),
        ("2.10", 2.1),
        (".5", 0.5),
        ("+12e03", 12000.0),
        ("-2E+05", -200000.0),
        ("1.", 1.0),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("16:30", "16:30"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("2.4.3", "2.4.3"),
        ("nul", "nul"),
        (".5.", ".5."),
    ],
)
def test_plain_values_are_read_as_yaml_12_reads_them(plain, value):
    """The YAML 1.2 core schema (spec 10.3.2), which editors use; PyYAML's 1.1 differs."""
    assert parse_yaml(f"a: {plain}\n").value == {"a": value}
    assert parse_yaml(f"a: '{plain}'\n").value == {"a": plain}  # quoted: always text


def test_infinity_and_not_a_number_are_numbers_too():
    values = parse_yaml("a: [.inf, -.Inf, +.INF, .nan, .NaN, .NAN]\n").value["a"]
    assert values[:3] == [math.inf, -math.inf, math.inf]
    assert all(math.isnan(v) for v in values[3:])


def _variant(old: str, new: str) -> str:
    text = valid_yaml()
    assert old in text, old
    return text.replace(old, new, 1)


VARIANTS = [
    ("", ""),
    ("critical: true", "critical: True"),
    ("critical: true", "critical: yes"),
    ("critical: true", "critical: on"),
    ("critical: true", 'critical: "true"'),
    ("critical: true", "critical: 1"),
    ('ref: "2.4.3"', "ref: 2.10"),
    ('ref: "2.4.3"', "ref: 2"),
    ('ref: "2.4.3"', "ref: 2.4.3"),  # two dots: text in YAML 1.2, and a valid reference
    ('ref: "2.4.3"', 'ref: "2.10"'),
    ('ref: "2.4.3"', 'ref: "\\u0662.\\u0663"'),
    ('ref: "2.4.3"', 'ref: "2."'),
    ("format: 1", 'format: "1"'),
    ("format: 1", "format: true"),
    ("format: 1", "format: 2"),
    ("format: 1", "format: 0x1"),
    ("title: Test list", "title: 2024"),
    ("title: Test list", "title: '2024'"),
    ("title: Test list", "title: 16:30"),
    ("title: Test list", "title: yes"),
    ("title: Test list", "title: ~"),
    ("title: Test list", "title: ''"),
    ("title: Test list", "title: '   '"),
    ("title: Test list", "title: .inf"),
    ("title: Test list", 'title: "Test\\_list"'),
    ("title: Test list", 'title: "Test\\e[31m"'),
    ("title: Test list", 'title: "Test\\u202elist"'),
    ("title: Test list", 'title: "Test\\tlist"'),
    ("title: Test list", 'title: "Test\\Nlist"'),
    ("format: 1", "format: 1\nversion: 1.10"),
    ("format: 1", "format: 1\nversion: '1.10'"),
    ("format: 1", "format: 1\nversion: ''"),
    ("format: 1", "format: 1\nversion: ~"),
    ("[home-visit]", "[travel]"),
    ("[home-visit]", "[travel]\nmode: car"),
    ("[home-visit]", "[travel, home-visit]"),
    ("[home-visit]", "[travel, home-visit]\nmode: car"),
    ("[home-visit]", "[home-visit]\nmode: car"),
    ("[home-visit]", "[home-visit]\nmode: ~"),
    ("[home-visit]", "home-visit"),
    ("[home-visit]", "[]"),
    ("[home-visit]", "[home-visit, phone-call]"),  # kept for stored plans; nothing walks it
    ("[home-visit]", "[home-security]"),
    ("[home-visit]", "[home-visit, card]"),
    ("format: 1", "format: 1\norder: 5"),
    ("format: 1", "format: 1\norder: 0"),
    ("format: 1", "format: 1\norder: 1000"),
    ("format: 1", "format: 1\norder: '5'"),
    ("format: 1", "format: 1\norder: true"),
    ("format: 1", "format: 1\norder: ~"),
    ("answer: yes}", "answer: no}"),
    ("answer: yes}", "answer: true}"),
    ("type: question", "type: Question"),
    ("        critical: true", "        critical: true\n        help: ~"),
    ("        critical: true", "        critical: true\n        colour: red"),
]


@pytest.mark.parametrize("old, new", VARIANTS, ids=[new or "valid" for _, new in VARIANTS])
def test_validate_and_the_shipped_schema_agree(old, new):
    text = _variant(old, new) if old else valid_yaml()
    try:
        parse_checklist(text.encode("utf-8"), "variant.yaml")
        loader_ok = True
    except ChecklistFileError:
        loader_ok = False
    editor_sees = parse_yaml(text).value  # YAML 1.2 values, as the editor reads them
    schema_ok = jsonschema.Draft7Validator(SHIPPED).is_valid(editor_sees)
    assert loader_ok == schema_ok, (loader_ok, schema_ok)


def test_the_shipped_schema_is_the_generated_one():
    assert SHIPPED == json_schema()
    jsonschema.Draft7Validator.check_schema(SHIPPED)


def test_schema_pattern_refuses_exactly_the_characters_the_loader_refuses():
    pattern = re.compile(TEXT_PATTERN)
    disagree = [
        f"U+{code:04X}"
        for code in range(0x10000)
        if not 0xD800 <= code <= 0xDFFF
        and code != 0x0A
        and (pattern.search(f"a{chr(code)}b") is None) != (bad_char(f"a{chr(code)}b") is not None)
    ]
    assert disagree == []


# -- rules that hold for every field, including fields added later -------------------------

BODY = Checklist.model_validate(parse_yaml(valid_yaml()).value).model_dump(mode="json", exclude_none=True)
WHERE = {
    "Checklist": (),
    "Section": ("sections", 0),
    "Item": ("sections", 0, "items", 0),
    "ShowIf": ("sections", 0, "items", 2, "show_if"),
}


def _fields_of_type(kind: str) -> list[tuple[str, str]]:
    schema = Checklist.model_json_schema()
    models = {"Checklist": schema, **schema["$defs"]}
    found = []
    for name, model in models.items():
        for field, spec in model.get("properties", {}).items():
            types = {spec.get("type")} | {option.get("type") for option in spec.get("anyOf", [])}
            if kind in types and name in WHERE:
                found.append((name, field))
    return found


def _with(path: tuple, field: str, value: object) -> dict:
    body = json.loads(json.dumps(BODY))
    node = body
    for part in path:
        node = node[part]
    node[field] = value
    return body


@pytest.mark.parametrize("model, field", _fields_of_type("boolean"))
def test_every_boolean_field_takes_only_true_or_false(model, field):
    for value in (True, False):
        Checklist.model_validate(_with(WHERE[model], field, value))
    for value in ("yes", "true", "on", 1, 0):
        with pytest.raises(ValidationError):
            Checklist.model_validate(_with(WHERE[model], field, value))


def test_there_is_a_boolean_field_to_check():
    assert ("Item", "critical") in _fields_of_type("boolean")


def _string_leaves(node: object, path: tuple = ()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _string_leaves(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _string_leaves(value, path + (index,))
    elif isinstance(node, str):
        yield path


LEAVES = list(_string_leaves(BODY))


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f", "\x9b", "\u202e", "\u2066", "\u00a0", "\u200b"])
def test_every_string_in_a_file_refuses_control_and_invisible_characters(char):
    """Every value (ids, enum values, text, version...) and every key, at its own line."""
    assert len(LEAVES) > 15
    for path in LEAVES:
        body = json.loads(json.dumps(BODY))
        node = body
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = f"{node[path[-1]]}{char}x"
        data = json.dumps(body, indent=1).encode()  # JSON is YAML; "\u001b" is an escape
        with pytest.raises(ChecklistFileError) as info:
            parse_checklist(data, "bad.json")
        expected = f"U+{ord(char):04X}"
        assert any(expected in e.message for e in info.value.errors), (path, info.value.errors)
    keyed = json.dumps({**BODY, f"note{char}": "x"}, indent=1).encode()
    with pytest.raises(ChecklistFileError) as info:
        parse_checklist(keyed, "bad.json")
    assert any(e.message.startswith("key: ") and f"U+{ord(char):04X}" in e.message for e in info.value.errors)
