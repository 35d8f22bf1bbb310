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
case("unknown-item-key.yaml", sub(nid(), "        critical: true", "        critcal: true"), "12:9: section 1, item 1 'tell-someone': unknown key 'critcal', did you mean 'critical'?")
case("missing-id.yaml", good(nid()).replace("id: case-", "# id: case-", 1), "1:1: missing required key 'id'")
case("missing-sections.yaml", good(nid()).split("sections:")[0], "1:1: missing required key 'sections'")
case("bad-format.yaml", sub(nid(), "format: 1", "format: 2"), "1:9: format: expected the number 1 (the checklist format version), got the number 2")
case("bad-visit-type.yaml", sub(nid(), "[home-visit]", "[home_visit]"), "5:15: visit_types, entry 1: expected 'surgery'")
case("bad-item-type.yaml", sub(nid(), "type: question", "type: questoin"), "14:15: section 1, item 2 'doubts', type: expected 'check' or 'question', got 'questoin'")
case("bad-slug.yaml", sub(nid(), "id: tell-someone", "id: Tell Someone"), "9:13: section 1, item 1, id: 'Tell Someone' is not a valid id")
case("bad-ref.yaml", sub(nid(), 'ref: "2.4.3"', "ref: section two"), "11:14: section 1, item 1 'tell-someone', ref: 'section two' is not a guidance reference like '2.4.3'")
case("empty-text.yaml", sub(nid(), "text: Tell someone where you are going.", 'text: ""'), "10:15: section 1, item 1 'tell-someone', text: must not be empty")
case("text-is-list.yaml", sub(nid(), "text: Tell someone where you are going.", "text: [a, b]"), "10:15: section 1, item 1 'tell-someone', text: expected text, got a list")
case("items-not-list.yaml", sub(nid(), "    items:\n", "    items: nothing\n    other:\n"), "8:12: section 1, items: expected a list")
case("no-items.yaml", good(nid()).split("    items:")[0] + "    items: []\n", "8:12: section 1, items: needs at least one entry")
case("bad-answer.yaml", sub(nid(), "answer: yes}", "answer: maybe}"), "18:41: section 1, item 3 'neutral-venue', show_if.answer: expected 'yes' or 'no', got 'maybe'")
case("critical-not-bool.yaml", sub(nid(), "critical: true", "critical: very"), "12:19: section 1, item 1 'tell-someone', critical: expected true or false, got 'very'")
case("travel-without-mode.yaml", sub(nid(), "[home-visit]", "[travel]"), "5:1: 'visit_types' includes travel, so a 'mode' is needed")
case("mode-without-travel.yaml", sub(nid(), "visit_types: [home-visit]", "visit_types: [home-visit]\nmode: car"), "6:1: 'mode' is only for travel checklists")
case("too-long-text.yaml", sub(nid(), "text: Tell someone where you are going.", "text: " + "x" * 600), "10:15: section 1, item 1 'tell-someone', text: is too long (at most 500 characters)")
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
case("trap-octal-and-float.yaml", sub(nid(), "title: Good list", "title: '0755'").replace("format: 1", "format: 1\nversion: \"1.10\""), "OK")
case("trap-number-title.yaml", sub(nid(), "title: Good list", "title: '2024'").replace("format: 1", "format: 1\nversion: \"3\""), "OK")
# -- one rule for the loader and the JSON Schema: YAML 1.2 types, no coercion -------
case("number-as-title.yaml", sub(nid(), "title: Good list", "title: 2024"), "3:8: title: expected text, got the number 2024; put it in quotes")
case("float-as-version.yaml", sub(nid(), "format: 1", "format: 1\nversion: 1.10"), "2:10: version: expected text, got the number 1.10")
case("ref-unquoted.yaml", sub(nid(), 'ref: "2.4.3"', "ref: 2.10"), "11:14: section 1, item 1 'tell-someone', ref: the number 2.10 is not text")
case("ref-unquoted-int.yaml", sub(nid(), 'ref: "2.4.3"', "ref: 2"), "11:14: section 1, item 1 'tell-someone', ref: the number 2 is not text")
case("ref-other-digits.yaml", sub(nid(), 'ref: "2.4.3"', 'ref: "\u0662.\u0664"'), "11:14: section 1, item 1 'tell-someone', ref: '\u0662.\u0664' is not a guidance reference")
case("critical-yes.yaml", sub(nid(), "critical: true", "critical: yes"), "12:19: section 1, item 1 'tell-someone', critical: expected true or false, got 'yes'; write true or false")
case("critical-quoted-true.yaml", sub(nid(), "critical: true", 'critical: "true"'), "12:19: section 1, item 1 'tell-someone', critical: expected true or false, got 'true'")
case("format-quoted.yaml", sub(nid(), "format: 1", 'format: "1"'), "1:9: format: expected the number 1 (the checklist format version), got the text '1'; remove the quotes")
case("format-true.yaml", sub(nid(), "format: 1", "format: true"), "1:9: format: expected the number 1 (the checklist format version), got true")
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
case("ansi-in-title.yaml", sub(nid(), "title: Good list", 'title: "\\e[2J\\e[31mRed"'), "3:8: title: control character U+001B (ESC) is not allowed")
case("osc-in-text.yaml", sub(nid(), "text: Tell someone where you are going.", 'text: "\\e]0;pwned\\a title"'), "10:15: section 1, item 1 'tell-someone', text: control character U+001B (ESC) is not allowed")
case("c1-csi-in-help.yaml", sub(nid(), "text: Meet at a neutral venue.", 'text: Meet.\n        help: "\\x9b31m red"'), "18:15: section 1, item 3 'neutral-venue', help: control character U+009B (CSI) is not allowed")
case("raw-esc-byte.yaml", b"format: 1\ntitle: a\x1b[31mb\n", "2:9: control character U+001B (ESC) is not allowed")
case("bell-in-section.yaml", sub(nid(), "title: Before", 'title: "ding\\a"'), "7:12: section 1, title: control character U+0007 (BEL) is not allowed")
# -- control characters in EVERY string: keys, ids, enums, versions, show_if -----------
case("esc-in-visit-type.yaml", sub(nid(), "[home-visit]", '["\\e]0;PWNED\\a"]'), "5:15: visit_types, entry 1: control character U+001B (ESC)")
case("esc-in-version.yaml", sub(nid(), "format: 1", 'format: 1\nversion: "\\e[2J"'), "2:10: version: control character U+001B (ESC)")
case("esc-in-key.yaml", sub(nid(), "description: A test", '"desc\\e[8mription": A test'), "4:1: key: control character U+001B (ESC)")
case("esc-in-item-id.yaml", sub(nid(), "id: tell-someone", 'id: "tell\\e]52;c;eA==\\a"'), "9:13: section 1, item 1, id: control character U+001B (ESC)")
case("esc-in-show-if.yaml", sub(nid(), "{item: doubts,", '{item: "doubts\\e[2J",'), "18:25: section 1, item 3 'neutral-venue', show_if.item: control character U+001B (ESC)")
case("raw-c1-csi.yaml", sub(nid(), "text: Meet at a neutral venue.", "text: Meet \u009b31m here."), "17:20: control character U+009B (CSI) is not allowed")
case("raw-bidi-override.yaml", sub(nid(), "text: Meet at a neutral venue.", "text: Meet at \u202eeunev"), "17:23: bidirectional control U+202E (right-to-left override)")
case("bidi-escape.yaml", sub(nid(), "text: Meet at a neutral venue.", 'text: "Meet at \\u2066x"'), "17:15: section 1, item 3 'neutral-venue', text: bidirectional control U+2066")
# -- invisible spaces pasted from Word: their own line and column, by name -------------
case("nbsp-after-colon.yaml", sub(nid(), "text: Any doubts", "text:\u00a0Any doubts"), "15:14: invisible character U+00A0 (no-break space)")
case("nbsp-in-indent.yaml", sub(nid(), "        text: Meet at", "\u00a0       text: Meet at"), "17:1: invisible character U+00A0 (no-break space)")
case("figure-space.yaml", sub(nid(), "text: Tell someone where", "text: Tell\u2007someone where"), "10:19: invisible character U+2007 (figure space)")
case("narrow-nbsp.yaml", sub(nid(), "title: Before", "title: Before\u202fvisit"), "7:18: invisible character U+202F (narrow no-break space)")
case("zero-width-space.yaml", sub(nid(), "id: neutral-venue", "id: neutral\u200b-venue"), "16:20: invisible character U+200B (zero width space)")
case("bom-inside.yaml", sub(nid(), "description: A test", "description: A\ufeff test"), "4:15: invisible character U+FEFF (zero width no-break space)")
case("nbsp-escape.yaml", sub(nid(), "text: Meet at a neutral venue.", 'text: "Meet at\\_noon"'), "17:15: section 1, item 3 'neutral-venue', text: invisible character U+00A0 (no-break space)")
# -- YAML syntax: plain hints, and the line where the trouble began --------------------
case("unclosed-quote.yaml", sub(nid(), "text: Tell someone where you are going.", 'text: "Tell someone where you are going.'), "10:15: YAML syntax error: the quoted text opened here (line 10) runs on to line 11")
case("quote-never-closed.yaml", sub(nid(), "text: Any doubts about the premises?", 'text: "Any doubts about the premises?').replace('ref: "2.4.3"', 'ref: 2.4.3'), "15:15: YAML syntax error: the quote opened here (line 15) is never closed")
case("colon-in-text.yaml", sub(nid(), "text: Meet at a neutral venue.", "text: Note: meet at a neutral venue."), "17:19: YAML syntax error: mapping values are not allowed in this context; a ': ' inside a value starts a new key")
case("bad-indentation.yaml", sub(nid(), "        text: Tell someone", "       text: Tell someone"), "10:8: YAML syntax error: did not find expected '-' indicator (while parsing a block collection); check the indentation")
case("percent-start.yaml", sub(nid(), "text: Meet at a neutral venue.", "text: %Meet"), "17:15: YAML syntax error: found character that cannot start any token (while scanning for the next token); a value cannot start with this character")
case("comment-cuts-text.yaml", sub(nid(), "text: Tell someone where you are going.", "text: Ring 999 #1 priority"), "10:24: text: the text stops here, because YAML reads ' #' and what follows as a comment")


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
