"""Row-level security of the council database, on a real throwaway PostgreSQL server.

Who sees what is enforced by the database itself: a councillor's role reads and
writes only its own plans; the duty role reads only plans on the desk, never the
code word column, and cannot write plans; a reveal is recorded with who and when.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

import psycopg
import pytest

from safety_tui.common.errors import CouncilError
from safety_tui.council.publication import Publication, send

if TYPE_CHECKING:
    from tests.pg_server import Council

pytest_plugins = ["tests.pg_server"]  # the throwaway PostgreSQL server fixtures

NOW = datetime.now(timezone.utc)


def view(
    status: str = "in-progress",
    *,
    title: str = "Surgery",
    code_word: str = "blue folder",
    finish: datetime | None = None,
    ended: datetime | None = None,
) -> dict[str, object]:
    finish = finish or NOW + timedelta(hours=1)
    return {
        "status": status,
        "name": "Cllr Test",
        "phone": "07700 900123",
        "title": title,
        "place": "Ward hall",
        "start": (finish - timedelta(hours=1)).isoformat(),
        "finish": finish.isoformat(),
        "grace_minutes": 15,
        "contacts": [{"name": "Sam", "phone": "07700 900456"}],
        "escalation": "Ring 999",
        "code_word": code_word,
        "code_meaning": "call the police",
        "ended": ended.isoformat() if ended else None,
    }


def publish(council: Council, role: str, plan_key: str, sequence: int, body: dict[str, object]) -> str:
    with psycopg.connect(council.url(role), autocommit=True) as conn:
        return send(conn, Publication(plan_key=plan_key, sequence=sequence, view=body))


def test_a_councillor_cannot_read_or_change_another_councillors_rows(council: Council) -> None:
    publish(council, "alice", "alice-plan", 1, view(title="Alice's surgery"))
    publish(council, "bob", "bob-plan", 1, view(title="Bob's surgery"))
    with psycopg.connect(council.url("bob"), autocommit=True) as bob:
        titles = [r[0] for r in bob.execute("SELECT title FROM council.plans")]
        assert titles == ["Bob's surgery"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a councillor writes only through publish
            bob.execute("UPDATE council.plans SET title = 'hijacked' WHERE owner = 'alice'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("DELETE FROM council.plans")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # new row violates row-level security
            bob.execute(
                "INSERT INTO council.plans(owner, plan_key, sequence, status, finish_at, grace_minutes, due_at) "
                "VALUES ('alice', 'forged', 1, 'in-progress', now(), 0, now())"
            )
        assert bob.execute("SELECT count(*) FROM council.receipts").fetchone() == (1,)
    with psycopg.connect(council.admin) as admin:
        assert admin.execute("SELECT title FROM council.plans WHERE owner = 'alice'").fetchall() == [
            ("Alice's surgery",)
        ]


def test_a_councillor_sees_the_duty_actions_on_their_own_plans_only(council: Council) -> None:
    publish(council, "alice", "a", 1, view())
    publish(council, "bob", "b", 1, view())
    with psycopg.connect(council.url("duty1"), autocommit=True) as duty:
        for (plan_id,) in duty.execute("SELECT id FROM council.plans").fetchall():
            duty.execute("INSERT INTO council.actions(plan_id, kind, detail) VALUES (%s, 'note', 'rang')", (plan_id,))
    with psycopg.connect(council.url("alice"), autocommit=True) as alice:
        rows = alice.execute(
            "SELECT p.plan_key, a.kind, a.by_role FROM council.actions a JOIN council.plans p ON p.id = a.plan_id"
        ).fetchall()
        assert rows == [("a", "note", "duty1")]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.execute("INSERT INTO council.actions(plan_id, kind) SELECT id, 'note' FROM council.plans")


def test_the_duty_role_cannot_see_finished_or_cancelled_plans_after_a_day(council: Council) -> None:
    long_ago = NOW - timedelta(days=2)
    publish(council, "alice", "running", 1, view())
    publish(council, "alice", "finished-today", 1, view("finished", ended=NOW - timedelta(hours=1)))
    publish(council, "alice", "finished-old", 1, view("finished", finish=long_ago, ended=long_ago))
    publish(council, "bob", "cancelled-old", 1, view("cancelled", finish=long_ago, ended=long_ago + timedelta(hours=1)))
    with psycopg.connect(council.url("duty1"), autocommit=True) as duty:
        keys = sorted(r[0] for r in duty.execute("SELECT plan_key FROM council.plans"))
    assert keys == ["finished-today", "running"]


def test_the_duty_role_cannot_write_plans_nor_read_the_code_word_column(council: Council) -> None:
    publish(council, "alice", "a", 1, view())
    with psycopg.connect(council.url("duty1"), autocommit=True) as duty:
        for statement in (
            "UPDATE council.plans SET status = 'finished'",
            "DELETE FROM council.plans",
            "INSERT INTO council.plans(plan_key, sequence, status, finish_at, grace_minutes, due_at) "
            "VALUES ('x', 1, 'in-progress', now(), 0, now())",
            "SELECT code_word FROM council.plans",
            "UPDATE council.actions SET detail = 'rewritten'",
            "DELETE FROM council.actions",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                duty.execute(statement)
        with pytest.raises(CouncilError, match="permission denied"):
            send(duty, Publication(plan_key="y", sequence=1, view=view()))


def test_a_code_word_reveal_is_recorded_with_who_and_when(council: Council) -> None:
    publish(council, "alice", "a", 1, view(code_word="purple folder"))
    with psycopg.connect(council.url("duty2"), autocommit=True) as duty:
        (plan_id,) = duty.execute("SELECT id FROM council.plans").fetchone() or (None,)
        before = duty.execute("SELECT now()").fetchone()
        duty.execute("SELECT council.request_reveal(%s)", (plan_id,))  # autocommit: the record commits first
        word = duty.execute("SELECT council.reveal_code_word(%s)", (plan_id,)).fetchone()
        assert word == ("purple folder",)
        log = duty.execute(
            "SELECT kind, by_role, at >= %s FROM council.actions", (before[0] if before else None,)
        ).fetchall()
        assert log == [("code-word-revealed", "duty2", True)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # only the function records a reveal
            duty.execute("INSERT INTO council.actions(plan_id, kind) VALUES (%s, 'code-word-revealed')", (plan_id,))
    with psycopg.connect(council.url("bob"), autocommit=True) as bob:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("SELECT council.request_reveal(%s)", (plan_id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            bob.execute("SELECT council.reveal_code_word(%s)", (plan_id,))


def test_actions_cannot_be_back_dated_or_signed_as_someone_else(council: Council) -> None:
    publish(council, "alice", "a", 1, view())
    with psycopg.connect(council.url("duty1"), autocommit=True) as duty:
        (plan_id,) = duty.execute("SELECT id FROM council.plans").fetchone() or (None,)
        duty.execute(
            "INSERT INTO council.actions(plan_id, kind, by_role, at) VALUES (%s, 'note', 'duty2', '2001-01-01')",
            (plan_id,),
        )
        assert duty.execute("SELECT by_role, at > '2020-01-01' FROM council.actions").fetchall() == [("duty1", True)]


def test_the_first_duty_officer_to_acknowledge_claims_the_alert(council: Council) -> None:
    publish(council, "alice", "a", 1, view(finish=NOW - timedelta(hours=1)))
    with (
        psycopg.connect(council.url("duty1"), autocommit=True) as one,
        psycopg.connect(council.url("duty2"), autocommit=True) as two,
    ):
        (plan_id,) = one.execute("SELECT id FROM council.plans").fetchone() or (None,)
        one.execute("INSERT INTO council.actions(plan_id, kind) VALUES (%s, 'acknowledged')", (plan_id,))
        with pytest.raises(psycopg.errors.UniqueViolation):
            two.execute("INSERT INTO council.actions(plan_id, kind) VALUES (%s, 'acknowledged')", (plan_id,))
