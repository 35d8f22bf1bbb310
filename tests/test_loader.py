"""The loader: every hand-written file gets a precise error, never a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from safety_tui.checklists.loader.catalog import load_catalog, load_checklist_file, load_paths
from safety_tui.checklists.loader.problems import ChecklistFileError
from safety_tui.checklists.loader.validate import parse_checklist
from safety_tui.checklists.vocabulary import ItemType
from tests.conftest import valid_yaml, write_yaml


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ChecklistFileError) as info:
        load_checklist_file(path)
    return [str(e) for e in info.value.errors]


def test_valid_file_loads(tmp_path):
    path = write_yaml(tmp_path, "ok.yaml", valid_yaml())
    checklist = load_checklist_file(path)
    assert checklist.id == "test-list"
    assert [i.id for i in checklist.items()] == ["tell-someone", "doubts", "neutral-venue"]
    assert checklist.items()[0].critical is True


def test_unknown_key_suggests_the_likely_one(tmp_path):
    path = write_yaml(tmp_path, "typo.yaml", valid_yaml().replace("title: Test list", "titel: Test list"))
    errs = errors_of(path)
    assert f"{path}:3:1: unknown key 'titel', did you mean 'title'?" in errs
    assert f"{path}:1:1: missing required key 'title'" in errs


def test_unknown_item_key_points_at_the_key(tmp_path):
    text = valid_yaml().replace("        critical: true", "        critcal: true")
    path = write_yaml(tmp_path, "item.yaml", text)
    assert errors_of(path) == [
        f"{path}:12:9: section 1, item 1 'tell-someone': unknown key 'critcal', did you mean 'critical'?"
    ]


def test_bad_enum_value_says_what_was_expected(tmp_path):
    path = write_yaml(tmp_path, "enum.yaml", valid_yaml().replace("type: question", "type: questoin"))
    [err] = errors_of(path)
    assert err.startswith(
        f"{path}:14:15: section 1, item 2 'doubts', type: expected 'check' or 'question', got 'questoin'"
    )
    assert err.endswith("did you mean 'question'?")


def test_several_errors_in_one_file_are_all_reported(tmp_path):
    text = (
        valid_yaml()
        .replace("titel", "x")
        .replace("title: Test list", "titel: x")
        .replace("[home-visit]", "[home_visit]")
    )
    path = write_yaml(tmp_path, "many.yaml", text)
    errs = errors_of(path)
    assert len(errs) == 3
    assert (
        f"{path}:5:15: visit_types, entry 1: expected 'surgery', 'home-visit', 'meeting', 'demonstration', 'travel', 'caller-at-home', 'home-security', 'phone-call', 'other', 'review' or 'card', got 'home_visit', did you mean 'home-visit'?"
        in errs
    )


def test_duplicate_mapping_keys_are_rejected(tmp_path):
    text = valid_yaml().replace("description: A test checklist.", "description: A test checklist.\ndescription: Again.")
    path = write_yaml(tmp_path, "dup.yaml", text)
    assert errors_of(path) == [f"{path}:5:1: duplicate key 'description' (first given at line 4); remove one of them"]


def test_duplicate_item_ids_are_rejected(tmp_path):
    path = write_yaml(tmp_path, "ids.yaml", valid_yaml().replace("id: neutral-venue", "id: tell-someone"))
    assert errors_of(path) == [f"{path}:16:13: duplicate item id 'tell-someone' (first used at line 9)"]


def test_show_if_unknown_item(tmp_path):
    path = write_yaml(tmp_path, "showif.yaml", valid_yaml().replace("{item: doubts,", "{item: doubt,"))
    assert errors_of(path) == [f"{path}:18:25: show_if: no item 'doubt' in this checklist, did you mean 'doubts'?"]


def test_show_if_naming_a_check_not_a_question(tmp_path):
    path = write_yaml(tmp_path, "showif.yaml", valid_yaml().replace("{item: doubts,", "{item: tell-someone,"))
    assert errors_of(path) == [
        f"{path}:18:25: show_if: 'tell-someone' is a check, not a question; only yes/no questions can show other items"
    ]


def test_travel_checklist_needs_a_mode(tmp_path):
    path = write_yaml(tmp_path, "travel.yaml", valid_yaml().replace("[home-visit]", "[travel]"))
    assert errors_of(path) == [
        f"{path}:5:1: 'visit_types' includes travel, so a 'mode' is needed (car, public-transport, taxi, cycling, walking)"
    ]


@pytest.mark.parametrize(
    "content, expected",
    [
        ("", "1:1: file is empty"),
        ("   \n\n  \n", "1:1: file is empty"),
        ("# only a comment\n", "1:1: file is empty"),
        ("- a\n- b\n", "1:1: a checklist file must be a mapping of keys (format, id, title, ...), found a list"),
        ("just text\n", "1:1: a checklist file must be a mapping of keys (format, id, title, ...), found 'just text'"),
        ("format: 1\n\tid: x\n", "2:1: tab used for indentation; YAML needs spaces"),
        ("a: 1\n---\nb: 2\n", "2:1: only one YAML document per file"),
        ("a: [1, 2\n", "2:1: YAML syntax error"),
    ],
)
def test_structural_errors(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    [err] = errors_of(path)
    assert err.startswith(f"{path}:{expected}")


def test_non_utf8_bytes_are_located(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"format: 1\ntitle: Caf\xe9\n")
    assert errors_of(path) == [f"{path}:2:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_nul_byte_is_reported_as_binary(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"format: 1\nid: \x00\x01\x02")
    assert errors_of(path) == [f"{path}:2:5: NUL byte: is this a binary file?"]


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + valid_yaml().replace("\n", "\r\n").encode())
    assert load_checklist_file(path).title == "Test list"


# -- YAML 1.1 traps ---------------------------------------------------------


def test_answer_no_stays_the_answer_no(tmp_path):
    text = valid_yaml().replace("answer: yes", "answer: no")
    checklist = load_checklist_file(write_yaml(tmp_path, "no.yaml", text))
    assert checklist.items()[2].show_if.answer == "no"


def test_times_and_yes_on_off_stay_text(tmp_path):
    text = (
        valid_yaml()
        .replace("title: Before", "title: 16:30")
        .replace("text: Meet at a neutral venue.", "text: yes")
        .replace("title: Test list", "title: off")
    )
    checklist = load_checklist_file(write_yaml(tmp_path, "traps.yaml", text))
    assert checklist.sections[0].title == "16:30"
    assert checklist.items()[2].text == "yes"
    assert checklist.title == "off"


def test_critical_yes_is_refused_as_the_editor_refuses_it(tmp_path):
    """One rule with the JSON Schema: booleans are true/false; `yes` is text in YAML 1.2."""
    text = valid_yaml().replace("critical: true", "critical: yes")
    path = write_yaml(tmp_path, "c.yaml", text)
    assert errors_of(path) == [
        f"{path}:12:19: section 1, item 1 'tell-someone', critical: expected true or false, got 'yes'; "
        "write true or false (yes, no, on and off are text)"
    ]


def test_quoted_version_and_title_stay_text(tmp_path):
    text = valid_yaml().replace("format: 1", "format: 1\nversion: '1.10'").replace("title: Test list", "title: '2024'")
    checklist = load_checklist_file(write_yaml(tmp_path, "c.yaml", text))
    assert (checklist.version, checklist.title) == ("1.10", "2024")


def test_unquoted_ref_says_how_to_write_it(tmp_path):
    path = write_yaml(tmp_path, "r.yaml", valid_yaml().replace('ref: "2.4.3"', "ref: 2.10"))
    assert errors_of(path) == [
        f"{path}:11:14: section 1, item 1 'tell-someone', ref: the number 2.10 is not text: "
        'YAML reads it as 2.1; write the reference in quotes: ref: "2.10"'
    ]


# -- hostile files ------------------------------------------------------------

BILLION_LAUGHS = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_rejected_at_the_first_anchor(tmp_path):
    path = write_yaml(tmp_path, "lol.yaml", BILLION_LAUGHS)
    assert errors_of(path) == [f"{path}:1:4: anchors ('&a') are not allowed in checklists; write the text out in full"]


def test_alias_without_anchor_is_rejected(tmp_path):
    path = write_yaml(tmp_path, "alias.yaml", "a: *nothing\n")
    [err] = errors_of(path)
    assert err.startswith(f"{path}:1:4:")


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    path = write_yaml(
        tmp_path,
        "tag.yaml",
        f"title: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    assert errors_of(path) == [
        f"{path}:1:8: YAML tag '!!python/object/apply:os.system' is not allowed in checklists; remove it"
    ]
    assert not marker.exists()


@pytest.mark.slow
def test_deep_nesting_does_not_crash_the_process(tmp_path):
    """libyaml's composer recurses per level; 50,000 '[' would kill the interpreter."""
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 50_000, encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from safety_tui.checklists.loader import load_checklist_file, ChecklistFileError\n"
        f"try:\n    load_checklist_file(Path({str(path)!r}))\nexcept ChecklistFileError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "nested more than 16 levels deep" in result.stdout


def test_nesting_deeper_than_the_limit_in_block_style(tmp_path):
    text = "a:\n" + "".join("  " * i + "- b:\n" for i in range(1, 30))
    path = write_yaml(tmp_path, "deep2.yaml", text)
    [err] = errors_of(path)
    assert "nested more than 16 levels deep" in err


def test_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    [err] = errors_of(path)
    assert err == f"{path}:1:1: file is 2,000,003 bytes; a checklist may be at most 1,000,000 bytes"


def test_escape_sequences_in_text_are_refused(tmp_path):
    text = valid_yaml().replace("text: Tell someone where you are going.", 'text: "Tell \\e[31msomeone"')
    path = write_yaml(tmp_path, "esc.yaml", text)
    [err] = errors_of(path)
    assert err.startswith(
        f"{path}:10:15: section 1, item 1 'tell-someone', text: control character U+001B (ESC) is not allowed"
    )


def test_markup_in_text_is_kept_literally(tmp_path):
    text = valid_yaml().replace("text: Tell someone where you are going.", 'text: "[red]Tell[/red] [link=x]someone"')
    checklist = load_checklist_file(write_yaml(tmp_path, "markup.yaml", text))
    assert checklist.items()[0].text == "[red]Tell[/red] [link=x]someone"


def test_random_garbage_never_raises_anything_else():
    import random

    rng = random.Random(1234)
    for _ in range(300):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
        try:
            parse_checklist(data, "fuzz.yaml")
        except ChecklistFileError:
            pass


# -- folders and the search path -------------------------------------------


def test_same_id_in_two_files_of_one_folder_refuses_both_naming_each_other(tmp_path):
    first = write_yaml(tmp_path, "a.yaml", valid_yaml())
    second = write_yaml(tmp_path, "b.yaml", valid_yaml(title="Other"))
    loaded, errors = load_paths([tmp_path])
    assert loaded == []
    rest = "in the same folder, so neither file is used (an earlier layer's checklist of that id stays in force); give each file its own id"
    assert [str(e) for e in errors] == [
        f"{first}:2:5: checklist id 'test-list' is also used by b.yaml {rest}",
        f"{second}:2:5: checklist id 'test-list' is also used by a.yaml {rest}",
    ]


def test_broken_file_never_hides_the_good_ones(tmp_path):
    write_yaml(tmp_path, "good.yaml", valid_yaml())
    write_yaml(tmp_path, "broken.yaml", "format: [\n")
    catalog = load_catalog([("organisation", tmp_path)])
    assert list(catalog.checklists) == ["test-list"]
    assert len(catalog.errors) == 1 and "broken.yaml:2:1:" in str(catalog.errors[0])


def test_later_layers_override_earlier_by_id(tmp_path):
    bundled = tmp_path / "bundled"
    org = tmp_path / "org"
    user = tmp_path / "user"
    write_yaml(bundled, "x.yaml", valid_yaml(title="Bundled"))
    write_yaml(bundled, "y.yaml", valid_yaml(id="other", title="Untouched"))
    write_yaml(org, "x.yaml", valid_yaml(title="Council"))
    write_yaml(user, "mine.yaml", valid_yaml(title="Mine"))
    catalog = load_catalog([("bundled", bundled), ("organisation", org), ("user", user)])
    assert catalog.get("test-list").title == "Mine"
    assert catalog.get("other").title == "Untouched"
    assert [(o.winner.parent.name, o.loser.parent.name) for o in catalog.overrides] == [
        ("org", "bundled"),
        ("user", "org"),
    ]


def test_missing_organisation_folder_is_reported(tmp_path):
    catalog = load_catalog([("organisation", tmp_path / "nope")])
    assert [e.message for e in catalog.errors] == ["checklist folder does not exist"]


def test_question_type_parses(tmp_path):
    checklist = load_checklist_file(write_yaml(tmp_path, "ok.yaml", valid_yaml()))
    assert checklist.items()[1].type is ItemType.QUESTION


# -- officer messages that say how to fix it --------------------------------------------


def test_no_break_space_from_word_is_named_at_its_own_line_and_column(tmp_path):
    """Pasted after a colon it used to give parser jargon two lines later."""
    path = write_yaml(tmp_path, "word.yaml", valid_yaml().replace("text: Any doubts", "text:\u00a0Any doubts"))
    assert errors_of(path) == [
        f"{path}:15:14: invisible character U+00A0 (no-break space) (often pasted from Word or a web page): "
        "replace it with an ordinary space"
    ]


@pytest.mark.parametrize(
    "char, name, fix",
    [
        ("\u2007", "U+2007 (figure space)", "replace it with an ordinary space"),
        ("\u202f", "U+202F (narrow no-break space)", "replace it with an ordinary space"),
        ("\u200b", "U+200B (zero width space)", "delete it"),
        ("\ufeff", "U+FEFF (zero width no-break space)", "delete it"),
        ("\u2028", "U+2028 (line separator)", "replace it with an ordinary line break"),
    ],
)
def test_other_invisible_characters_are_named_with_their_fix(tmp_path, char, name, fix):
    path = write_yaml(tmp_path, "x.yaml", valid_yaml().replace("title: Before", f"title: Be{char}fore"))
    [err] = errors_of(path)
    assert err.startswith(f"{path}:7:14: invisible character {name}")
    assert fix in err


def test_many_invisible_characters_are_listed_up_to_a_limit(tmp_path):
    text = valid_yaml().replace("description: A test checklist.", "description: " + "a\u00a0" * 100)
    path = write_yaml(tmp_path, "many.yaml", text)
    errs = errors_of(path)
    assert len(errs) == 21 and errs[-1].endswith(":4:55: 80 more refused characters from here on")


def test_unclosed_quote_names_the_line_where_it_opened(tmp_path):
    text = valid_yaml().replace("text: Any doubts about the premises?", 'text: "Any doubts about the premises?')
    path = write_yaml(tmp_path, "quote.yaml", text.replace('ref: "2.4.3"', "ref: 2.4.3"))
    assert errors_of(path) == [
        f"{path}:15:15: YAML syntax error: the quote opened here (line 15) is never closed; "
        "add the closing quote at the end of the text"
    ]


def test_text_cut_short_by_a_comment_is_flagged(tmp_path):
    text = valid_yaml().replace("text: Tell someone where you are going.", "text: Ring 999 #1 priority")
    [err] = errors_of(write_yaml(tmp_path, "hash.yaml", text))
    assert ":10:24: text: the text stops here, because YAML reads ' #' and what follows as a comment" in err
    assert "put the whole text in quotes" in err


def test_comments_after_other_values_and_quoted_text_are_fine(tmp_path):
    text = (
        valid_yaml()
        .replace("type: question", "type: question   # yes / no")
        .replace("text: Tell someone where you are going.", "text: 'Ring 999 #1 priority'  # quoted: kept whole")
        .replace("title: Test list", "title: Test list\n# a note on its own line")
    )
    checklist = load_checklist_file(write_yaml(tmp_path, "ok.yaml", text))
    assert checklist.items()[0].text == "Ring 999 #1 priority"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "text: Meet at a neutral venue.",
            "text: Note: meet at a neutral venue.",
            "17:19: YAML syntax error: mapping values are not allowed in this context; a ': ' inside a value starts a new key; "
            "if the text contains a colon, put the whole text in quotes",
        ),
        (
            "        text: Tell someone",
            "       text: Tell someone",
            "10:8: YAML syntax error: did not find expected '-' indicator (while parsing a block collection); check the indentation",
        ),
    ],
)
def test_yaml_syntax_errors_come_with_a_plain_hint(tmp_path, old, new, expected):
    path = write_yaml(tmp_path, "syntax.yaml", valid_yaml().replace(old, new))
    [err] = errors_of(path)
    assert err.startswith(f"{path}:{expected}")


@pytest.mark.parametrize(
    "value, message",
    [
        ('"1"', "format: expected the number 1 (the checklist format version), got the text '1'; remove the quotes"),
        ("true", "format: expected the number 1 (the checklist format version), got true"),
        ("one", "format: expected the number 1 (the checklist format version), got 'one'"),
    ],
)
def test_format_gets_a_sensible_message(tmp_path, value, message):
    path = write_yaml(tmp_path, "f.yaml", valid_yaml().replace("format: 1", f"format: {value}"))
    assert errors_of(path) == [f"{path}:1:9: {message}"]


def test_item_positions_count_from_one_and_name_the_item(tmp_path):
    text = valid_yaml().replace("answer: yes}", "answer: maybe}").replace("id: tell-someone", "id: Tell")
    errs = errors_of(write_yaml(tmp_path, "pos.yaml", text))
    assert any(":9:13: section 1, item 1, id: 'Tell' is not a valid id" in e for e in errs)
    assert any(":18:41: section 1, item 3 'neutral-venue', show_if.answer: expected 'yes' or 'no'" in e for e in errs)


def test_many_escapes_in_values_are_listed_up_to_a_limit(tmp_path):
    entries = "".join(f'  - "x\\e[{n}m"\n' for n in range(50))
    path = write_yaml(tmp_path, "esc.yaml", valid_yaml().replace("format: 1", "format: 1\nnotes:\n" + entries))
    errs = errors_of(path)
    assert len(errs) == 22  # 20 listed, the count of the rest, and the unknown key 'notes'
    assert f"{path}:23:5: 30 more values with refused characters from here on" in errs
