"""A worker's description, and a message's repr, go to Textual's logs and devtools. Left unsaid,
Textual writes a worker's description from its arguments (a plan's whole repr, code word and address
included; the council database URL, password included), and a dataclass message's repr shows what it
carries. Every worker the app starts says what it does in words of its own, and no message of the
app shows its payload."""

from __future__ import annotations

import ast
from functools import partial
from pathlib import Path

from safety_tui.council.config import ENV_URL
from safety_tui.ui.app_base import PlansChanged
from safety_tui.ui.screens.incidents_base import IncidentScreen
from safety_tui.ui.screens.review import ReviewStep
from safety_tui.ui.screens.today import TodayScreen
from tests.helpers import full_plan, open_highlighted, wizard_step

ROOT = Path(__file__).resolve().parent.parent


def _workers_without_description(tree: ast.AST) -> list[int]:
    """Lines of ``@work``/``@textual.work`` decorators and ``run_worker(...)`` calls that leave the
    description to Textual."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                call = decorator if isinstance(decorator, ast.Call) else None
                name = call.func if call is not None else decorator
                named = name.id if isinstance(name, ast.Name) else name.attr if isinstance(name, ast.Attribute) else ""
                if named == "work" and (call is None or not any(k.arg == "description" for k in call.keywords)):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run_worker":
            if not any(k.arg == "description" for k in node.keywords):
                lines.append(node.lineno)
    return sorted(lines)


def test_every_worker_the_app_starts_says_what_it_does():
    missing = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "safety_tui").rglob("*.py"))
        for line in _workers_without_description(ast.parse(path.read_bytes()))
    }
    assert not missing


def test_the_check_sees_workers_without_words():
    source = (
        "@work(thread=True)\ndef a(self, plan): ...\n@work\ndef b(self): ...\n@textual.work(group='g')\n"
        "def c(self): ...\n@work(description='x')\ndef d(self): ...\n"
        "self.app.run_worker(partial(send, url), thread=True)\nself.run_worker(job, description='y')\n"
    )
    assert _workers_without_description(ast.parse(source)) == [2, 4, 6, 9]


async def test_the_outbox_worker_never_carries_the_database_url_in_its_description(app, monkeypatch):
    """The outbox worker is handed the council URL, password and all: what the app asks Textual to
    run must come with words of its own, or Textual would describe it by that URL."""
    monkeypatch.setenv(ENV_URL, "postgresql://alice:s3cret@127.0.0.1:1/council")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        asked: list[dict[str, object]] = []
        monkeypatch.setattr(app, "run_worker", lambda *args, **kwargs: asked.append(kwargs))
        app.outbox_sender.busy, app.outbox_sender.due = False, 0.0  # due now
        app.outbox_sender.tick()
    assert len(asked) == 1
    description = asked[0].get("description")
    assert isinstance(description, str) and description and "s3cret" not in description


def test_no_message_of_the_app_shows_what_it_carries():
    secret = ("John Smith", "12 Acacia Avenue", "walrus tusk")
    messages = [
        IncidentScreen.Done(partial(print, secret)),
        TodayScreen.Refreshed(secret),  # type: ignore[arg-type]
        PlansChanged("2026-11-25-1"),
    ]
    for message in messages:
        shown = f"{message!r} {message!s}"
        assert not any(word in shown for word in secret) and "2026-11-25-1" not in shown


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
