"""Terminal output is data: no raw control byte from a file, name, argument, stored field
or the environment ever reaches stdout or stderr, through any CLI command.

Each run is captured at the file-descriptor level (``capfdbinary``), so a command that
wrote raw bytes past ``sys.stdout`` would be caught too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from safety_tui.cli.main import build_parser, main
from safety_tui.common.clock import SystemClock
from safety_tui.common.text import has_control_chars, printable
from safety_tui.wiring import open_store
from tests.conftest import valid_yaml, write_yaml
from tests.helpers import full_plan

TITLE = "\x1b]0;PWNED\x07"  # OSC 0: sets the terminal's title
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4K\x07"  # OSC 52: writes the clipboard (tmux passes it on)
EVIL = TITLE + CLIPBOARD + "\u202eevil\u2066\u2069" + "\x9b31m" + "\x7f" + "\rX"

# A raw control byte in UTF-8 output: C0 but newline (CR only as CR LF), DEL, C1, bidi overrides.
RAW = re.compile(rb"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def run(capfdbinary, argv: list[str], expect_pwned: bool = True) -> tuple[int, bytes]:
    code = main(argv)
    out, err = capfdbinary.readouterr()
    both = out + b"\n" + err
    match = RAW.search(both)
    assert match is None, (argv, match.group(0) if match else None, both[:2000])
    if expect_pwned:
        # the hostile text was shown escaped, or refused by name
        assert b"PWNED" in both or b"\\u202e" in both or b"U+001B" in both, (argv, both[:2000])
    return code, both


def test_printable_escapes_every_dangerous_character():
    assert (
        printable(EVIL) == "\\x1b]0;PWNED\\x07\\x1b]52;c;cm0gLXJmIH4K\\x07\\u202eevil\\u2066\\u2069\\x9b31m\\x7f\\x0dX"
    )
    assert printable("ok\r\nline\ttab é ✓") == "ok\r\nline\\x09tab é ✓"
    assert printable("name\udcff") == "name\\xff"  # an undecodable byte of a file name
    for char in "\x00\x07\x1b\x7f\x85\x9b\u202a\u202e\u2066\u2069":
        assert has_control_chars(f"a{char}b") == char
    assert has_control_chars("Flat 2, 14 Rue de l'Église ✓\n") is None


def hostile_checklists(folder: Path) -> Path:
    """Hostile bytes in file contents (raw and YAML-escaped) and in file names."""
    write_yaml(folder, "escaped.yaml", 'format: 1\nid: a\ntitle: "\\e]0;PWNED\\a"\nvisit_types: ["\\e]0;PWNED\\a"]\n')
    (folder / "raw.yaml").write_bytes(valid_yaml(id="raw").replace("Test list", TITLE).encode())
    (folder / "key.yaml").write_text('format: 1\n"\\e]52;c;PWNED\\a": 1\n', encoding="utf-8")
    (folder / "bidi.yaml").write_text(
        valid_yaml(id="bidi").replace("Test list", "PWNED \u202eexe.txt"), encoding="utf-8"
    )
    (folder / f"{EVIL}.yaml").write_text("format: [\n", encoding="utf-8")
    os.makedirs(os.fsencode(folder) + b"/\xff\x1b]0;PWNED\x07", exist_ok=True)
    with open(os.fsencode(folder) + b"/\xff\x1b]0;PWNED\x07/x\x9b.yaml", "wb") as handle:
        handle.write(b"format: 1\nid: [\n")
    return folder


def test_file_contents_and_file_names_never_reach_the_terminal_raw(tmp_path, capfdbinary):
    folder = hostile_checklists(tmp_path / "org")
    for argv in (
        ["validate", str(folder)],
        ["validate", str(folder / "raw.yaml"), str(folder / f"{EVIL}.yaml")],
        ["--checklists", str(folder), "checklists"],
        ["--checklists", str(folder), "validate"],
    ):
        code, _ = run(capfdbinary, argv)
        assert code == 1, argv
    code, shown = run(capfdbinary, ["--checklists", str(folder / "bidi.yaml"), "validate"], expect_pwned=False)
    assert code == 1 and b"bidi.yaml:4:14: bidirectional control U+202E" in shown  # bidi overrides are refused too


def test_arguments_never_reach_the_terminal_raw(tmp_path, capfdbinary):
    full_plan(open_store(), SystemClock())
    for argv in (
        [EVIL],
        ["show", EVIL],
        ["show", EVIL, "--reveal"],
        ["export", EVIL],
        ["export", "last", "-f", EVIL],
        ["checkin", EVIL],
        ["extend", EVIL, "10"],
        ["extend", "last", EVIL],
        ["forget", EVIL, "--yes"],
        ["plans", f"--{EVIL}"],
        ["purge", "--days", EVIL],
        ["settings", "--retention-days", EVIL],
        ["settings", "--name", EVIL],
        ["settings", "--phone", EVIL],
        ["validate", str(tmp_path / EVIL)],
        ["--checklists", str(tmp_path / EVIL), "checklists"],
        ["export", "last", "-o", str(tmp_path / EVIL / "x.txt")],
        ["export", "last", "-f", "sms", "-o", str(tmp_path / f"{EVIL}.txt")],
        ["export", "last", "-f", "qr", "-o", str(tmp_path / f"{EVIL}.png")],
        ["status", EVIL],
        ["schema", EVIL],
    ):
        code, _ = run(capfdbinary, argv)
        assert code != 0 or argv[0] == "export", argv


def _poison_the_store() -> str:
    """Hostile text in every stored field a command prints, as an old or tampered database holds it."""
    store = open_store()
    plan = full_plan(store, SystemClock())
    store.start(plan.ref)
    conn = store.conn
    with conn:
        conn.execute(
            "UPDATE plans SET title=?, location=?, owner_name=?, escalation=?, code_word=?, code_meaning=? WHERE ref=?",
            (EVIL, EVIL, EVIL, "Ring me. " + EVIL, EVIL, EVIL, plan.ref),
        )
        conn.execute("UPDATE plan_contacts SET name=?, phone=?", (EVIL, "07700" + EVIL))
        conn.execute("UPDATE answers SET note=?", (EVIL,))
        conn.execute("UPDATE audit SET detail=?", (EVIL,))
        for key in ("name", "owner_name", "phone"):
            conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, EVIL))
    store.close()
    return plan.ref


def test_stored_fields_never_reach_the_terminal_raw(tmp_path, capfdbinary):
    ref = _poison_the_store()
    for argv in (["plans"], ["plans", "--all"], ["show", ref], ["show", "last", "--reveal"], ["settings"]):
        assert run(capfdbinary, argv)[0] == 0, argv
    assert run(capfdbinary, ["plans", "--json"], expect_pwned=False)[0] == 0  # JSON escapes as \u001b itself
    for fmt in ("message", "sms", "ics", "ics-contact", "markdown", "text"):
        assert run(capfdbinary, ["export", ref, "-f", fmt, "--code-word"])[0] == 0, fmt
    assert run(capfdbinary, ["export", ref, "-f", "qr"], expect_pwned=False)[0] == 0
    for argv in (["status"], ["extend", ref, "15"], ["checkin"], ["purge", "--dry-run"], ["forget", ref, "--yes"]):
        run(capfdbinary, argv, expect_pwned=False)


def test_environment_never_reaches_the_terminal_raw(tmp_path, capfdbinary, monkeypatch):
    data = tmp_path / f"data{EVIL}"
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(data))
    monkeypatch.setenv("SAFETY_TUI_CHECKLISTS", str(tmp_path / f"org{EVIL}"))
    monkeypatch.setenv("SAFETY_TUI_CONFIG_DIR", str(hostile_checklists(tmp_path / f"conf{EVIL}" / "checklists").parent))
    assert run(capfdbinary, ["settings"])[0] == 0  # prints the data folder
    assert run(capfdbinary, ["validate"])[0] == 1
    assert run(capfdbinary, ["checklists"])[0] == 1
    blocked = tmp_path / f"file{EVIL}"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SAFETY_TUI_DATA_DIR", str(blocked))
    for argv in (["plans"], ["status"], ["settings", "--name", "Jo"], ["show", "last"]):
        assert run(capfdbinary, argv)[0] == 4, argv  # the store error names the folder, escaped


SERVERS = {"serve"}  # runs until stopped when given nothing; driven above with every hostile option


def test_every_command_with_hostile_arguments(tmp_path, capfdbinary, monkeypatch):
    """Every registered command, including ones added later, driven with hostile values."""
    monkeypatch.chdir(tmp_path)  # `export last -o EVIL` writes a file named EVIL: here, not in the repository
    full_plan(open_store(), SystemClock())
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices  # noqa: SLF001 - argparse has no public list
    driven = 0
    for name, sub in commands.items():
        if name == "run":
            continue  # the app: it owns the terminal (its tests show text with markup off)
        positionals = [a for a in sub._actions if not a.option_strings]  # noqa: SLF001
        options = [a for a in sub._actions if a.option_strings and a.nargs != 0 and a.dest != "help"]  # noqa: SLF001
        for argv in ([name] + [EVIL] * len(positionals), [name, f"--{EVIL}"], [name, *(["last"] * len(positionals))]):
            for option in options:
                run(capfdbinary, argv + [option.option_strings[-1], EVIL], expect_pwned=False)
            if name in SERVERS and argv == [name]:
                continue  # nothing hostile to give it, and it would serve until stopped
            run(capfdbinary, argv, expect_pwned=False)
            driven += 1
    assert driven >= 3 * 10


@pytest.mark.slow  # a real process
def test_the_real_entry_point_with_hostile_bytes_and_an_ascii_terminal(tmp_path):
    folder = hostile_checklists(tmp_path / "org")
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    for argv in (["validate", str(folder)], ["show", EVIL], [EVIL], ["--checklists", str(folder), "checklists"]):
        result = subprocess.run([sys.executable, "-m", "safety_tui", *argv], capture_output=True, env=env)
        both = result.stdout + result.stderr
        assert RAW.search(both) is None, (argv, both[:1000])
        assert b"Traceback" not in both and b"PWNED" in both, (argv, both[:1000])
        assert result.returncode in (1, 2), (argv, result.returncode)
