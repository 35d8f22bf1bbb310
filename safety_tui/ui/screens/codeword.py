"""The Code word step (before Who's told): the code word, masked unless revealed, and what it means.

It comes before Who's told because telling a contact includes telling them the code word.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, OptionList

from safety_tui.plans.codewords import suggestions
from safety_tui.ui.screens.step import WizardStep
from safety_tui.ui.widgets.text_input import TextInput

DEFAULT_MEANING = "I am in danger: call the police to this address now."


class CodeWordStep(WizardStep):
    DEFAULT_CSS = """
    CodeWordStep #code-word, CodeWordStep #code-meaning {
        margin: 0 1;
    }
    CodeWordStep #suggestions {
        height: auto;
        max-height: 8;
        margin: 0 1;
    }
    """
    BINDINGS = [Binding("ctrl+r", "reveal", "Show / hide")]

    def compose(self) -> ComposeResult:
        plan = self.plan()
        with VerticalScroll():
            yield Label("Code word or phrase to raise the alarm on the phone (hidden as you type):", classes="question")
            yield TextInput(plan.code_word, password=True, id="code-word", max_length=200)
            yield Label("What it means, and what your contact should do when they hear it:", classes="question")
            yield TextInput(plan.code_meaning or DEFAULT_MEANING, id="code-meaning", max_length=2000)
            yield Label(
                "On the next step, tell each person the code word and what it means, with where and when.",
                classes="hint",
            )
            yield Label(
                "Ideas, drawn at random: innocent phrases you can say naturally (Enter uses one):", classes="hint"
            )
            yield OptionList(*suggestions(8, avoid=plan.code_word), id="suggestions")

    def on_mount(self) -> None:
        if not self.plan().code_meaning:
            self.stage(code_meaning=DEFAULT_MEANING)

    def shown(self, fresh: bool) -> None:
        self.put_cursor(self.query_one("#code-word", Input))  # only this step sets what it shows

    def action_reveal(self) -> None:
        field = self.query_one("#code-word", Input)
        field.password = not field.password

    @on(Input.Changed, "#code-word")
    def _code_word(self, event: Input.Changed) -> None:
        self.stage(code_word=event.value)

    @on(Input.Changed, "#code-meaning")
    def _meaning(self, event: Input.Changed) -> None:
        self.stage(code_meaning=event.value)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.screen.focus_next()

    @on(OptionList.OptionSelected, "#suggestions")
    def _suggestion(self, event: OptionList.OptionSelected) -> None:
        field = self.query_one("#code-word", Input)
        field.value = str(event.option.prompt)
        field.focus()
