"""Writes the hostile-input corpus and its expectations (tests/corpus/expected.tsv).

Run `python tests/corpus/generate.py` after changing a case. The two largest cases
(a 10 MB file and 50,000 nested brackets) are written by the test itself into a
temporary folder rather than stored in git.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))  # run as a script: make `tests` importable

from tests.conftest import valid_yaml  # noqa: E402

def good(n: int) -> str:
    """The shared valid checklist (tests/conftest.py), one id per case."""
    return valid_yaml(id=f"case-{n}", title="Good list").lstrip("\n")


def sub(n: int, old: str, new: str) -> str:
    text = good(n)
    assert old in text, old
    return text.replace(old, new, 1)


# (file name, content as str or bytes, expected "line:col: message start" or "OK")
CASES: list[tuple[str, str | bytes, str]] = []


def case(name: str, content: str | bytes, expected: str) -> None:
    CASES.append((name, content, expected))


n = 0


def nid() -> int:
    global n
    n += 1
    return n


# -- schema errors ------------------------------------------------------------
case("unknown-key.yaml", sub(nid(), "title: Good list", "titel: Good list"), "3:1: unknown key 'titel', did you mean 'title'?")
case("unknown-item-key.yaml", sub(nid(), "        critical: true", "        critcal: true"), "12:9: sections[0].items[0]: unknown key 'critcal', did you mean 'critical'?")
case("missing-id.yaml", good(nid()).replace("id: case-", "# id: case-", 1), "1:1: missing required key 'id'")
case("missing-sections.yaml", good(nid()).split("sections:")[0], "1:1: missing required key 'sections'")
case("bad-format.yaml", sub(nid(), "format: 1", "format: 2"), "1:9: format: expected 1, got the number 2")
case("bad-visit-type.yaml", sub(nid(), "[home-visit]", "[home_visit]"), "5:15: visit_types[0]: expected 'surgery'")
case("bad-item-type.yaml", sub(nid(), "type: question", "type: questoin"), "14:15: sections[0].items[1].type: expected 'check' or 'question', got 'questoin'")
case("bad-slug.yaml", sub(nid(), "id: tell-someone", "id: Tell Someone"), "9:13: sections[0].items[0].id: 'Tell Someone' is not a valid id")
case("bad-ref.yaml", sub(nid(), 'ref: "2.4.3"', "ref: section two"), "11:14: sections[0].items[0].ref: 'section two' is not a guidance reference like '2.4.3'")
case("empty-text.yaml", sub(nid(), "text: Tell someone where you are going.", 'text: ""'), "10:15: sections[0].items[0].text: must not be empty")
case("text-is-list.yaml", sub(nid(), "text: Tell someone where you are going.", "text: [a, b]"), "10:15: sections[0].items[0].text: expected text, got a list")
case("items-not-list.yaml", sub(nid(), "    items:\n", "    items: nothing\n    other:\n"), "8:12: sections[0].items: expected a list")
case("no-items.yaml", good(nid()).split("    items:")[0] + "    items: []\n", "8:12: sections[0].items: needs at least one entry")
case("bad-answer.yaml", sub(nid(), "answer: yes}", "answer: maybe}"), "18:41: sections[0].items[2].show_if.answer: expected 'yes' or 'no', got 'maybe'")
case("critical-not-bool.yaml", sub(nid(), "critical: true", "critical: very"), "12:19: sections[0].items[0].critical: expected true or false, got 'very'")
case("travel-without-mode.yaml", sub(nid(), "[home-visit]", "[travel]"), "5:1: 'visit_types' includes travel, so a 'mode' is needed")
case("mode-without-travel.yaml", sub(nid(), "visit_types: [home-visit]", "visit_types: [home-visit]\nmode: car"), "6:1: 'mode' is only for travel checklists")
case("too-long-text.yaml", sub(nid(), "text: Tell someone where you are going.", "text: " + "x" * 600), "10:15: sections[0].items[0].text: is too long (at most 500 characters)")
# -- checks beyond the schema ------------------------------------------------
case("duplicate-key.yaml", sub(nid(), "description: A test checklist.", "description: A test checklist.\ndescription: Again."), "5:1: duplicate key 'description' (first given at line 4)")
case("duplicate-item-key.yaml", sub(nid(), "        critical: true", "        critical: true\n        critical: false"), "13:9: duplicate key 'critical' (first given at line 12)")
case("duplicate-item-id.yaml", sub(nid(), "id: neutral-venue", "id: tell-someone"), "16:13: duplicate item id 'tell-someone' (first used at line 9)")
case("show-if-unknown.yaml", sub(nid(), "{item: doubts,", "{item: doubt,"), "18:25: show_if: no item 'doubt' in this checklist, did you mean 'doubts'?")
case("show-if-check.yaml", sub(nid(), "{item: doubts,", "{item: tell-someone,"), "18:25: show_if: 'tell-someone' is a check, not a question")
case("show-if-self.yaml", sub(nid(), "{item: doubts, answer: yes}", "{item: neutral-venue, answer: yes}"), "18:25: show_if: item 'neutral-venue' cannot depend on itself")
# -- structure ------------------------------------------------------------------
case("empty.yaml", "", "1:1: file is empty")
case("whitespace-only.yaml", "   \n\t\n   \n", "1:1: file is empty")
case("comment-only.yaml", "# nothing here\n", "1:1: file is empty")
case("top-level-list.yaml", "- format: 1\n- id: x\n", "1:1: a checklist file must be a mapping of keys")
case("top-level-scalar.yaml", "hello\n", "1:1: a checklist file must be a mapping of keys (format, id, title, ...), found 'hello'")
case("two-documents.yaml", good(nid()) + "---\nformat: 1\n", "19:1: only one YAML document per file")
case("tab-indent.yaml", sub(nid(), "  - title: Before", "\t- title: Before"), "7:1: tab used for indentation; YAML needs spaces")
case("syntax-error.yaml", "format: 1\nid: [unclosed\n", "3:1: YAML syntax error")
case("key-is-mapping.yaml", "? {a: 1}\n: value\n", "1:3: a key must be plain text")
# -- YAML 1.1 traps: these must load, meaning unchanged ------------------------
case("trap-answer-no.yaml", sub(nid(), "answer: yes}", "answer: no}"), "OK")
case("trap-times-and-yes.yaml", sub(nid(), "title: Before", "title: 16:30").replace("text: Meet at a neutral venue.", "text: on"), "OK")
case("trap-octal-and-float.yaml", sub(nid(), "title: Good list", "title: 0755").replace("format: 1", "format: 1\nversion: 1.10"), "OK")
case("trap-number-title.yaml", sub(nid(), "title: Good list", "title: 2024").replace("format: 1", "format: 1\nversion: 3"), "OK")
# -- hostile ------------------------------------------------------------------
case("billion-laughs.yaml", "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")), "1:4: anchors ('&a') are not allowed")
case("quadratic-blowup.yaml", "x: &x " + "y" * 5000 + "\n" + "z: [" + ", ".join(["*x"] * 5000) + "]\n", "1:4: anchors ('&x') are not allowed")
case("alias-only.yaml", "title: *missing\n", "1:8: ")
case("python-object.yaml", "title: !!python/object/apply:os.system ['echo pwned']\n", "1:8: YAML tag '!!python/object/apply:os.system' is not allowed")
case("python-name.yaml", "title: !!python/name:os.system\n", "1:8: YAML tag '!!python/name:os.system' is not allowed")
case("custom-tag.yaml", "title: !secret x\n", "1:8: YAML tag '!secret' is not allowed")
case("binary-tag.yaml", "title: !!binary aGVsbG8=\n", "1:8: YAML tag '!!binary' is not allowed")
case("set-tag.yaml", "visit_types: !!set {home-visit: null}\n", "1:14: YAML tag '!!set' is not allowed")
case("deep-flow.yaml", "a: " + "[" * 40 + "]" * 40 + "\n", "1:19: nested more than 16 levels deep")
case("deep-block.yaml", "a:\n" + "".join("  " * i + "- b:\n" for i in range(1, 30)), "9:19: nested more than 16 levels deep")
# -- bytes and encodings ----------------------------------------------------------
case("latin1.yaml", b"format: 1\ntitle: Caf\xe9\n", "2:11: not valid UTF-8 (byte 0xe9)")
case("utf16.yaml", "format: 1\n".encode("utf-16"), "1:1: file is encoded as UTF-16; save it as UTF-8")
case("binary.yaml", bytes(range(256)) * 4, "1:1: NUL byte: is this a binary file?")
case("nul-in-middle.yaml", b"format: 1\nid: a\x00b\n", "2:6: NUL byte: is this a binary file?")
case("bom.yaml", b"\xef\xbb\xbf" + good(nid()).encode(), "OK")
case("crlf.yaml", good(nid()).replace("\n", "\r\n").encode(), "OK")
case("very-long-line.yaml", "format: 1\n# " + "x" * 200_000 + "\nid: [\n", "4:1: YAML syntax error")
# -- markup and escapes in every text field ---------------------------------------
MARKUP = "[red]x[/red] [link=http://evil]y[/link] [$accent]z [Bold]w"
case("markup-everywhere.yaml", good(nid()).replace("title: Good list", f"title: '{MARKUP}'").replace(
    "description: A test checklist.", f"description: '{MARKUP}'").replace(
    "title: Before", f"title: '{MARKUP}'").replace("text: Tell someone where you are going.", f"text: '{MARKUP}'").replace(
    "text: Any doubts about the premises?", f"text: '{MARKUP}'\n        help: '{MARKUP}'"), "OK")
case("ansi-in-title.yaml", sub(nid(), "title: Good list", 'title: "\\e[2J\\e[31mRed"'), "3:8: title: control character U+001B is not allowed in text")
case("osc-in-text.yaml", sub(nid(), "text: Tell someone where you are going.", 'text: "\\e]0;pwned\\a title"'), "10:15: sections[0].items[0].text: control character U+001B is not allowed")
case("c1-csi-in-help.yaml", sub(nid(), "text: Meet at a neutral venue.", 'text: Meet.\n        help: "\\x9b31m red"'), "18:15: sections[0].items[2].help: control character U+009B is not allowed")
case("raw-esc-byte.yaml", b"format: 1\ntitle: a\x1b[31mb\n", "2:9: control character U+001B is not allowed")
case("bell-in-section.yaml", sub(nid(), "title: Before", 'title: "ding\\a"'), "7:12: sections[0].title: control character U+0007 is not allowed")


def main() -> None:
    for old in HERE.glob("*.yaml"):
        old.unlink()
    lines = []
    for name, content, expected in CASES:
        path = HERE / name
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        lines.append(f"{name}\t{expected}")
    (HERE / "expected.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(CASES)} cases written")


if __name__ == "__main__":
    main()
