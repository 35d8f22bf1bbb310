"""A worker's description is shown by Textual's logs and devtools. Left unsaid, Textual writes it
from the worker's arguments: a plan's whole repr, code word and address included. Every worker the
app starts says what it does in words of its own."""

from __future__ import annotations

import ast
from pathlib import Path

from safety_tui.ui.screens.review import ReviewStep
from tests.helpers import full_plan, open_highlighted, wizard_step

ROOT = Path(__file__).resolve().parent.parent


def _work_decorators_without_description(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                name = call.func if call is not None else decorator
                if isinstance(name, ast.Name) and name.id == "work":
                    if call is None or not any(k.arg == "description" for k in call.keywords):
                        lines.append(node.lineno)
    return lines


def test_every_work_decorator_in_the_app_says_what_it_does():
    missing = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "safety_tui").rglob("*.py"))
        for line in _work_decorators_without_description(ast.parse(path.read_bytes()))
    }
    assert not missing


def test_the_check_sees_a_work_decorator_without_words():
    source = "@work(thread=True)\ndef a(self, plan): ...\n@work\ndef b(self): ...\n@work(description='x')\ndef c(self): ...\n"
    assert _work_decorators_without_description(ast.parse(source)) == [2, 4]


async def test_reviews_worker_never_describes_itself_with_the_plan(app, store, clock):
    plan = full_plan(store, clock, code_word="walrus tusk")
    store.update(plan.ref, wizard_step="review")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_highlighted(pilot)
        step = wizard_step(app)
        assert isinstance(step, ReviewStep)
        worker = step.read_earlier_incidents(app.store, store.get_plan(plan.ref))
        await worker.wait()
        described = f"{worker.description} {worker!r} {worker.name}"
        assert "walrus tusk" not in described and "Acacia" not in described
